"""The Dask executor: the same per-report work on a LocalCluster, warm kernels per worker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mlkit.batch import AiosEntry, BatchRequest, run_batch

pytestmark = pytest.mark.slow


def test_batch_on_a_local_dask_cluster(tmp_path: Path, data_dir: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        result = run_batch(
            [AiosEntry(a, "h") for a in ("A1", "A2", "FAIL3", "A4")],
            BatchRequest(
                out=tmp_path,
                db=tmp_path / "none.db",
                kinds=["progress"],
                as_of="2025-06-30",
                template_dir=data_dir / "notebooks",
                executor="dask://" + cluster.scheduler_address.removeprefix("tcp://"),
                warmup="import pandas, matplotlib.pyplot",
            ),
        )
        (worker,) = cluster.workers.values()
        assert "mlkit-kernel-pool" not in worker.plugins  # kernels shut down after the batch
    assert result.exit_code == 1
    statuses = {r.key: r.status for r in result.results}
    assert statuses == {
        "A1_progress": "ok",
        "A2_progress": "ok",
        "FAIL3_progress": "failed",
        "A4_progress": "ok",
    }
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["failed"] == 1
    for key in ("A2_progress", "A4_progress"):
        figures = json.loads((tmp_path / f"{key}.json").read_text("utf-8"))["key_figures"]
        assert figures["leaked"] is False
    assert (tmp_path / "index.html").is_file()
