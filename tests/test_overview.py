"""The committee overview: who to discuss first and why, sections with anchors, the legend by
name, the normative cohort view with k < 5 suppression, links to existing files, escaping."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from mlkit.analysis.models import FlagKind, ProgressStatus
from mlkit.assessments.decision_rules import Outcome
from mlkit.batch import AiosEntry
from mlkit.batch.jobs import JobResult
from mlkit.meeting.decisions import Besluit
from mlkit.reports import build_report, params_for
from mlkit.reports.index import render_index
from mlkit.reports.overview import overview_html
from mlkit.reports.sidecar import (
    DecisionFigures,
    EvidenceFigures,
    KeyFigures,
    ProposalFigures,
    Provenance,
    ReportSidecar,
)
from mlkit.store import Store

AS_OF = "2026-06-30"


@pytest.fixture(scope="module")
def figures(test_store: Path) -> list[KeyFigures]:
    with Store.open(test_store) as store:
        ids = store.aios_ids()
    return [
        build_report(
            params_for("progress", {"aios_id": a, "db": str(test_store), "as_of": AS_OF})
        ).figures()
        for a in ids
    ]


def _sidecar(f: KeyFigures, kind: str = "progress") -> ReportSidecar:
    return ReportSidecar(report=kind, ok=True, key_figures=f)


def _calm(f: KeyFigures, aios_id: str, **update: Any) -> KeyFigures:
    """``f`` as another aios with nothing to discuss unless ``update`` says so."""
    domains = {
        c: d.model_copy(update={"status": ProgressStatus.ON_TRACK})
        if d.status is not ProgressStatus.NOT_ASSESSABLE
        else d
        for c, d in f.domains.items()
    }
    proposal = ProposalFigures(
        outcome=Outcome.VOLDOENDE, rules=[], reasons=[], rules_id="default", rules_version="1"
    )
    values: dict[str, Any] = {
        "aios_id": aios_id,
        "display_name": f"Naam {aios_id}",
        "domains": domains,
        "evidence": [],
        "flags": {},
        "proposal": proposal,
        "latest_decision": None,
    }
    return f.model_copy(update=values | update)


_PARTS = ("discuss", "legend", "groups", "cohort", "talent", "failed", "reports")


def _section(html: str, anchor: str) -> str:
    """The part of the page from ``id=anchor`` to the next top-level part."""
    start = html.index(f'id="{anchor}"')
    ends = [html.find(f'id="{p}"', start + 1) for p in _PARTS]
    return html[start : min([e for e in ends if e > 0], default=len(html))]


def test_first_section_lists_those_to_discuss_with_a_reason(figures: list[KeyFigures]) -> None:
    html = overview_html([_sidecar(f) for f in figures], "nl")
    first = re.search(r'<section id="([^"]+)"', html)
    assert first is not None and first.group(1) == "discuss"
    discuss = _section(html, "discuss")
    for f in figures:
        flagged = f.proposal is not None and f.proposal.outcome is not Outcome.VOLDOENDE
        assert (f"({f.aios_id})" in discuss) is flagged, f.aios_id
    rows = re.findall(r"<tr class=\"ov-rank-\d\">(.*?)</tr>", discuss, flags=re.S)
    assert rows and all(re.search(r"<td>[^<]+</td><td><span", r) for r in rows)  # a reason each


def test_order_and_reasons_of_those_to_discuss(figures: list[KeyFigures]) -> None:
    base = figures[0]
    codes = [c for c, d in base.domains.items() if d.status is not ProgressStatus.NOT_ASSESSABLE]
    behind = {
        c: base.domains[c].model_copy(update={"status": ProgressStatus.BEHIND}) for c in codes[:3]
    }
    onvoldoende = ProposalFigures(
        outcome=Outcome.ONVOLDOENDE, rules=["x"], reasons=[], rules_id="d", rules_version="1"
    )
    twijfel = onvoldoende.model_copy(update={"outcome": Outcome.TWIJFEL})
    missing = EvidenceFigures(year=1, instrument="kpb", required=2, present=0, state="missing")
    due = DecisionFigures(
        decision_id=4,
        besluit=Besluit.AANGEHOUDEN,
        recorded_at=datetime(2026, 1, 10, 9, 0),
        recorded_by="dr. X",
        next_evaluation=date(2026, 5, 1),
        n_decisions=1,
    )
    calm = _calm(base, "Z0001").domains
    cohort = [
        _calm(base, "Z0001"),  # nothing to discuss
        _calm(base, "Y0002", latest_decision=due),  # decision due
        _calm(
            base,
            "X0003",
            domains={**calm, **dict(list(behind.items())[:2])},
            proposal=twijfel,
            evidence=[missing],
            flags={FlagKind.PAST_NOMINAL_DURATION: {"nominal": "5", "end": "2026-01-01"}},
        ),
        _calm(base, "W0004", proposal=onvoldoende, domains={**calm, **behind}),
    ]
    failed = ReportSidecar(
        report="progress",
        ok=False,
        error="ValueError: kapot",
        provenance=Provenance(parameters={"aios_id": "V0005"}),
    )
    html = overview_html([*(_sidecar(f) for f in cohort), failed], "nl")
    discuss = _section(html, "discuss")
    order = re.findall(r"<tr class=\"ov-rank-\d\"><td>(?:[^<(]*\()?([A-Z]\d{4})\)?</td>", discuss)
    assert order == ["V0005", "W0004", "X0003", "Y0002"]  # severity, then id; Z0001 not listed
    rows = re.findall(r"<tr class=\"ov-rank-\d\">.*?</tr>", discuss, flags=re.S)
    line = dict(zip(order, rows, strict=True))
    assert "rapport mislukt (voortgang)" in line["V0005"]
    # up to two domains behind by name, more by their number in the legend (one line)
    names = [base.domains[c].names["nl"] for c in codes[:2]]
    assert f"achter op schema: {', '.join(names)};" in line["X0003"].replace("&#39;", "'")
    assert "achter op schema in 3 domeinen (1, 2, 3)" in line["W0004"]
    assert "bewijs ontbreekt uit opleidingsjaar 1" in line["X0003"]
    assert "over de nominale opleidingsduur" in line["X0003"]
    assert "besluit nodig (volgende evaluatie 1 mei 2026)" in line["Y0002"]
    # the latest decision is shown, also in the sections per specialty and year
    assert "aangehouden – opnieuw bespreken (10 januari 2026)" in _section(html, "groups")


def _year_cohort(base: KeyFigures, sizes: dict[int, int]) -> list[ReportSidecar]:
    out = []
    for year, n in sizes.items():
        for i in range(n):
            f = _calm(base, f"Y{year}{i:03d}", training_year=year)
            out.append(_sidecar(f))
    return out


def test_a_year_of_four_shows_no_distribution_and_a_year_of_five_does(
    figures: list[KeyFigures],
) -> None:
    html = overview_html(_year_cohort(figures[0], {2: 4, 3: 5}), "en")
    cohort = _section(html, "cohort")
    header = re.search(r"<thead>(.*?)</thead>", cohort, flags=re.S).group(1)  # type: ignore[union-attr]
    assert 'training year 2<br><span class="mlkit-muted">&lt; 5</span>' in header
    assert "n = 4" not in cohort and "n = 5" in cohort
    body = re.findall(r"<tr><td>(.*?)</tr>", cohort, flags=re.S)
    assert body
    for row in body:
        cells = re.findall(r'<td class="ov-dist">(.*?)</td>', row, flags=re.S)
        assert len(cells) == 2
        assert "ov-suppressed" in cells[0] and not re.search(r"\d", cells[0].replace("&lt; 5", ""))
        counts = [int(n) for n in re.findall(r"(\d+)(?: · |</span>)", cells[1])]
        assert sum(counts) == 5  # every aios of year 3 counted once


def test_legend_names_each_domain_in_the_page_language(figures: list[KeyFigures]) -> None:
    sidecars = [_sidecar(f) for f in figures]
    nl = overview_html(sidecars, "nl")
    en = overview_html(sidecars, "en")
    d01 = figures[0].domains["rml.d01"]
    assert d01.names["nl"] != d01.names["en"]
    assert f"1 = {d01.names['nl']}" in _section(nl, "legend")
    assert f"1 = {d01.names['en']}" in _section(en, "legend")
    assert "A = achter op schema" in re.sub(r"<[^>]+>", "", _section(nl, "legend"))
    assert "B = behind" in re.sub(r"<[^>]+>", "", _section(en, "legend"))
    assert "rml." not in nl and "d01" not in nl


def test_anchors_of_the_contents_exist(figures: list[KeyFigures]) -> None:
    html = overview_html([_sidecar(f) for f in figures], "nl")
    assert "<script" not in html
    targets = re.findall(r'href="#([^"]+)"', html)
    ids = set(re.findall(r'id="([^"]+)"', html))
    assert {"discuss", "legend", "groups", "cohort"} <= set(targets)
    assert [t for t in targets if t not in ids] == []
    specialties = {f.specialty for f in figures}
    assert len(re.findall(r'<section id="s\d+" class="ov-specialty">', html)) == len(specialties)
    years = {(f.specialty, f.training_year) for f in figures}
    assert len(re.findall(r'<div id="s\d+-y\d+" class="ov-year">', html)) == len(years)


def test_names_are_escaped(figures: list[KeyFigures]) -> None:
    evil = figures[0].model_copy(update={"display_name": "<script>alert(1)</script>"})
    html = overview_html([_sidecar(evil), *(_sidecar(f) for f in figures[1:])], "nl")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_invalid_sidecar_is_a_failed_report_not_a_key_error(
    figures: list[KeyFigures],
) -> None:
    broken = _sidecar(figures[0]).model_dump(mode="json")
    del broken["key_figures"]["domains"]
    broken["provenance"]["parameters"] = {"aios_id": figures[0].aios_id}
    html = overview_html([broken, *(_sidecar(f) for f in figures[1:])], "en")
    row = re.search(rf"<td>{figures[0].aios_id}</td>.*?</tr>", _section(html, "discuss"), re.S)
    assert row is not None and "report failed (progress)" in row.group(0)


def test_index_links_point_at_existing_files_and_failures_are_listed_once(
    tmp_path: Path, figures: list[KeyFigures]
) -> None:
    aios, results = [], []
    for f in figures[:4]:
        aios.append(AiosEntry(f.aios_id, "h", f.display_name, f.specialty or "", f.training_year))
        for kind in ("progress", "summary"):
            stem = f"{f.aios_id}_{kind}"
            (tmp_path / f"{stem}.html").write_text("<p>report</p>", encoding="utf-8")
            (tmp_path / f"{stem}.json").write_text(_sidecar(f, kind).to_json(), encoding="utf-8")
            outputs = {"html": f"{stem}.html", "sidecar": f"{stem}.json"}
            results.append(_job(f.aios_id, kind, "ok", outputs=outputs))
    # a sidecar that does not validate: listed as failed, with the reason, once
    (tmp_path / f"{figures[0].aios_id}_summary.json").write_text('{"report": 1}', "utf-8")
    results.append(_job("Q0009", "progress", "failed", reason="KeyError: 'x'"))
    aios.append(AiosEntry("Q0009", "h", "Q", "chirurgie", 1))
    page = render_index(tmp_path, aios, results, overview_html, lang="nl")
    for href in re.findall(r'href="([^"#]+)"', page):
        assert (tmp_path / href).is_file(), href
    links = re.findall(r'href="([^"#]+)"', _section(page, "discuss") + _section(page, "groups"))
    assert f"{figures[1].aios_id}_progress.html" in links
    assert page.count("<h2>Mislukte rapporten</h2>") == 1 and "Mislukte rapportages" not in page
    failed = _section(page, "failed")
    assert "Q0009 (voortgang): KeyError: &#39;x&#39;" in failed
    assert f"{figures[0].aios_id} (beoordelingsoverzicht)" in failed
    assert "sidecar does not validate" in failed
    assert "1 mislukt" not in page and "2 mislukt" in page


def _job(aios_id: str, kind: str, status: str, **extra: Any) -> JobResult:
    return JobResult(
        key=f"{aios_id}_{kind}",
        kind=kind,
        aios_id=aios_id,
        status=status,  # type: ignore[arg-type]
        params={},
        data_hash="h",
        template=f"{kind}.ipynb",
        template_sha256="t",
        **extra,
    )


@pytest.mark.slow
def test_a_batch_overview_opens_with_those_to_discuss(test_store: Path, tmp_path: Path) -> None:
    """Done-when of issue 12 on a small cohort: the overview's first section lists the aios to
    discuss (read back from the batch's own sidecars), and every link opens a file."""
    from typer.testing import CliRunner

    from mlkit.cli import app
    from mlkit.reports.sidecar import read_sidecar

    out = tmp_path / "out"
    args = ["batch", "--db", str(test_store), "--out", str(out), "--as-of", AS_OF, "--quiet"]
    result = CliRunner().invoke(app, [*args, "--kind", "progress,summary", "--workers", "2"])
    assert result.exit_code == 0, result.output
    page = (out / "index.html").read_text(encoding="utf-8")
    first = re.search(r'<section id="([^"]+)"', page)
    assert first is not None and first.group(1) == "discuss"
    discuss = _section(page, "discuss")
    sidecars = [read_sidecar(p) for p in sorted(out.glob("*_progress.json"))]
    assert len(sidecars) == 11
    for s in sidecars:
        f = s.figures
        assert f is not None and f.proposal is not None
        flagged = f.proposal.outcome is not Outcome.VOLDOENDE
        assert (f"({f.aios_id})" in discuss) is flagged, f.aios_id
    for href in re.findall(r'href="([^"#]+)"', page):
        assert (out / href).is_file(), href
    years = {s.figures.training_year for s in sidecars if s.figures}
    assert len(re.findall(r"<th>opleidingsjaar \d<br>", _section(page, "cohort"))) == len(years)
