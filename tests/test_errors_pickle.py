"""Every mlkit error survives pickling with its data, also across a Dask worker process."""

from __future__ import annotations

import copyreg
import importlib
import inspect
import io
import pickle
import pkgutil
from pathlib import Path
from typing import Any

import pytest

import mlkit
from mlkit.errors import MlkitError, Problem

# Modules that only make sense inside a running kernel; they define no error classes.
KERNEL_SIDE = {"mlkit.__main__", "mlkit.batch._kernel_side"}


def _import_every_module() -> None:
    for info in pkgutil.walk_packages(mlkit.__path__, "mlkit."):
        if info.name not in KERNEL_SIDE:
            importlib.import_module(info.name)


def _all_subclasses(cls: type[MlkitError]) -> set[type[MlkitError]]:
    found: set[type[MlkitError]] = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


_import_every_module()
ERROR_CLASSES = sorted(
    {MlkitError, *_all_subclasses(MlkitError)}, key=lambda c: f"{c.__module__}.{c.__qualname__}"
)

PROBLEMS = [
    Problem("row 3, field aios_id", "pattern", "not an id the reports can use", "A:1"),
    Problem("row 4, field start_date", "date", "not a date"),
]

# A value per constructor parameter name; a class whose parameters are not here fails the test
# until it gets a row in SAMPLES or in BY_CLASS.
SAMPLES: dict[str, Any] = {
    "source": "data/roster.csv",
    "problems": PROBLEMS,
    "path": "data/export;1.csv",
    "reason": "disk full",
    "message": "the message",
    "location": "CFItems[2].identifier",
    "available": ["canmeds-2015", "nl-fms"],
    "known": ["interne geneeskunde", "chirurgie"],
    "names": ["hix", "santeon"],
    "headers": ["Naam", "Datum"],
    "missing": ["aios_id", "start_date"],
    "delimiter": ";",
    "detail": "column 'Datum' twice",
    "kind": "roster",
    "profile": "hix",
    "holder": "pid 4711 on host-a",
    "option": "--workers",
    "value": 1.5,
    "address": "tcp://10.0.0.9:8786",
    "seconds": 2.5,
    "found": 7,
    "supported": 4,
    "field": "deeltijdfactor",
    "kernel_name": "python3",
    "program": "voila",
    "scale": "kpb.entrustment",
    "code": "KPB",
    "name": "neurochirurgie",
    "curriculum": "nl-chirurgie",
    "curriculum_id": "nl-chirurgie",
    "framework_id": "canmeds-2015",
    "aios_id": "A0007",
}


def _report_outputs() -> Any:
    from mlkit.reports.render import ReportOutputs

    stem = Path("out/A0007_progress")
    return ReportOutputs(
        stem.with_suffix(".ipynb"), stem.with_suffix(".html"), stem.with_suffix(".json"), False
    )


BY_CLASS: dict[str, Any] = {
    "MlkitError": lambda: ("something went wrong",),
    "AsOfError": lambda: ("31-02-2025",),
    "ExtractMissingError": lambda: (Path("home/A0007"),),
    "StoreMissingError": lambda: (Path("data/none.db"),),
    "DataChangedError": lambda: ("A0007", "a" * 64, "b" * 64),
    "ReportExecutionError": lambda: ("A0007", "progress", "ZeroDivisionError", _report_outputs()),
}


def _round_trip(error: MlkitError) -> Any:
    """Pickle ``error`` through its own ``__reduce__``, ignoring copyreg reducers.

    Importing ``distributed`` installs tblib's reducer for every exception class defined at that
    moment, which would hide an error that cannot pickle by itself (plain multiprocessing,
    another Dask version).
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer)
    pickler.dispatch_table = {
        k: v for k, v in copyreg.dispatch_table.items() if not issubclass(k, BaseException)
    }
    pickler.dump(error)
    return pickle.loads(buffer.getvalue())


def _arguments(cls: type[MlkitError]) -> tuple[Any, ...]:
    if cls.__name__ in BY_CLASS:
        return tuple(BY_CLASS[cls.__name__]())
    parameters = list(inspect.signature(cls.__init__).parameters.values())[1:]
    return tuple(SAMPLES[p.name] for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD)


def test_every_module_was_searched() -> None:
    names = {c.__name__ for c in ERROR_CLASSES}
    # one class from each layer, so an import that silently stopped would show
    assert {"StoreError", "ImportFileError", "ReportExecutionError", "BatchError"} <= names
    assert {"KernelStartError", "SubmissionRejectedError", "ProfileNotFoundError"} <= names
    assert len(ERROR_CLASSES) >= 40


@pytest.mark.parametrize("cls", ERROR_CLASSES, ids=lambda c: c.__name__)
def test_error_round_trips_through_pickle(cls: type[MlkitError]) -> None:
    error = cls(*_arguments(cls))
    back = _round_trip(error)
    assert type(back) is cls
    assert str(back) == str(error)
    assert back.args == error.args
    assert vars(back) == vars(error)
    assert isinstance(back, MlkitError)


def _raise(cls_and_args: tuple[type[MlkitError], tuple[Any, ...]]) -> None:
    cls, args = cls_and_args
    raise cls(*args)


@pytest.mark.slow
def test_errors_raised_on_a_dask_worker_reach_the_host_whole() -> None:
    distributed = pytest.importorskip("distributed")
    from mlkit.batch.errors import SchedulerUnreachableError
    from mlkit.ingest.errors import MissingColumnsError
    from mlkit.reports.render import ReportExecutionError
    from mlkit.store.errors import StoreSchemaError

    chosen = [MissingColumnsError, StoreSchemaError, SchedulerUnreachableError]
    cases = [(cls, _arguments(cls)) for cls in [*chosen, ReportExecutionError]]
    with (
        distributed.LocalCluster(
            processes=True,
            n_workers=1,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        futures = client.map(_raise, cases, pure=False)
        for (cls, args), future in zip(cases, futures, strict=True):
            error = future.exception()
            expected = cls(*args)
            assert type(error) is cls
            assert str(error) == str(expected)
            assert vars(error) == vars(expected)
