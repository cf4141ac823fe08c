"""The batch's ``index.html`` speaks the report language and escapes what it shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlkit.batch import AiosEntry
from mlkit.batch.jobs import JobResult
from mlkit.reports.index import render_index


def _result(aios_id: str, kind: str, status: str, reason: str | None = None) -> JobResult:
    return JobResult(
        key=f"{aios_id}_{kind}",
        kind=kind,
        aios_id=aios_id,
        status=status,  # type: ignore[arg-type]
        params={},
        data_hash="h",
        template=f"{kind}.ipynb",
        template_sha256="t",
        reason=reason,
        outputs={"html": f"{aios_id}_{kind}.html"} if status != "failed" else {},
    )


AIOS = [
    AiosEntry("A1", "h1", "Anna <b>", "chirurgie", 2),
    AiosEntry("A2", "h2", "Bas", "interne", 1),
    AiosEntry("A3", "h3", "Cor", "interne", 3),
]
RESULTS = [
    _result("A1", "progress", "ok"),
    _result("A2", "progress", "skipped"),
    _result("A3", "progress", "failed", "ValueError: <bad> row"),
    _result("A1", "summary", "ok"),
]


@pytest.mark.parametrize(
    ("lang", "words", "absent"),
    [
        (
            "nl",
            [
                "<title>Rapporten medisch leiderschap</title>",
                "2 gemaakt · 1 al actueel · 1 mislukt · 2 niet gedaan",
                "<h2>Mislukte rapporten</h2>",
                "<th>specialisme</th>",
                "<th>opleidingsjaar</th>",
                "<th>voortgang</th>",
                "<th>beoordelingsoverzicht</th>",
                ">actueel</span>",
                ">niet gedaan</span>",
            ],
            ["Failed reports", "rendered", "not done", "<th>specialty</th>"],
        ),
        (
            "en",
            [
                "<title>Medical leadership reports</title>",
                "2 rendered · 1 up to date · 1 failed · 2 not done",
                "<h2>Failed reports</h2>",
                "<th>specialty</th>",
                "<th>progress</th>",
                ">up to date</span>",
            ],
            ["Mislukte rapporten", "gemaakt", "<th>specialisme</th>"],
        ),
    ],
)
def test_index_is_in_the_report_language(
    tmp_path: Path, lang: str, words: list[str], absent: list[str]
) -> None:
    page = render_index(tmp_path, AIOS, RESULTS, lang=lang)  # type: ignore[arg-type]
    assert f'<html lang="{lang}">' in page
    for text in words:
        assert text in page
    for text in absent:
        assert text not in page
    # names and failure reasons are escaped
    assert "Anna &lt;b&gt;" in page and "Anna <b>" not in page
    assert "ValueError: &lt;bad&gt; row" in page


def test_index_shows_an_unknown_kind_by_its_name(tmp_path: Path) -> None:
    page = render_index(tmp_path, AIOS[:1], [_result("A1", "custom", "ok")])
    assert "<th>custom</th>" in page
