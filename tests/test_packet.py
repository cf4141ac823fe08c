"""The committee packet: one PDF with cover, overview, reports, outline and page numbers."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from pypdf import PdfReader

from mlkit.batch import AiosEntry, BatchRequest, run_batch
from mlkit.reports import packet as packet_module
from mlkit.reports.packet import (
    PacketAios,
    PacketCover,
    PacketError,
    PacketReport,
    build_packet,
    check_pdf_support,
)

weasyprint = pytest.importorskip("weasyprint")

PAGE_BREAK = '<div style="break-before: page"></div>'


def _page(title: str, body: str = "", pages: int = 1) -> str:
    extra = "".join(
        f"{PAGE_BREAK}<h2>{title} page {n}</h2><p>more</p>" for n in range(2, pages + 1)
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title>"
        "<style>@page { size: A4; margin: 12mm 12mm 14mm; }</style></head>"
        f"<body><h1>{title}</h1><h2>Section</h2><p>{body}</p>{extra}</body></html>"
    )


def _pages_of(html: Path) -> int:
    """Pages of one HTML page rendered on its own: what the packet's part must hold."""
    css = weasyprint.CSS(string=packet_module.PACKET_CSS)
    return len(weasyprint.HTML(filename=str(html)).render(stylesheets=[css]).pages)


@pytest.fixture
def pages_dir(tmp_path: Path) -> Path:
    out = tmp_path / "rep"
    out.mkdir()
    overview = (
        "<h2>Overview</h2><p>"
        "<a href='A2_summary.html'>to A2</a> <a href='A2_summary.ipynb'>notebook</a> "
        "<a href='https://example.org/'>web</a></p>"
    )
    (out / "index.html").write_text(_page("Index", overview), encoding="utf-8")
    for n, aios in enumerate(("A1", "A2", "A3"), start=1):
        (out / f"{aios}_progress.html").write_text(
            _page(f"Progress {aios}", pages=n), encoding="utf-8"
        )
        (out / f"{aios}_summary.html").write_text(_page(f"Summary {aios}"), encoding="utf-8")
    return out


def _aios(out: Path) -> list[PacketAios]:
    return [
        PacketAios(
            aios,
            f"Name {aios} ({aios})",
            (
                PacketReport(f"{aios}_progress", "Voortgang", out / f"{aios}_progress.html"),
                PacketReport(
                    f"{aios}_summary", "Beoordelingsoverzicht", out / f"{aios}_summary.html"
                ),
            ),
        )
        for aios in ("A1", "A2", "A3")
    ]


def _outline(reader: PdfReader) -> list[Any]:
    """The outline as [(title, page index, [(child title, page index), ...]), ...]."""
    tree: list[Any] = []
    for item in reader.outline:
        if isinstance(item, list):
            children = [(c.title, reader.get_destination_page_number(c)) for c in item]
            tree[-1] = (*tree[-1][:2], children)
        else:
            tree.append((item.title, reader.get_destination_page_number(item), []))
    return tree


def test_packet_holds_cover_overview_and_reports_with_outline_and_page_numbers(
    pages_dir: Path,
) -> None:
    cover = PacketCover("nl", "2026-06-30", 3)
    result = build_packet(
        pages_dir / "packet.pdf", cover, pages_dir / "index.html", _aios(pages_dir), workers=1
    )
    reader = PdfReader(pages_dir / "packet.pdf")

    reports = [
        pages_dir / f"{a}_{k}.html" for a in ("A1", "A2", "A3") for k in ("progress", "summary")
    ]
    expected = 1 + _pages_of(pages_dir / "index.html") + sum(_pages_of(p) for p in reports)
    assert len(reader.pages) == expected == result.pages
    assert [p["key"] for p in result.parts][:3] == ["cover", "overview", "A1_progress"]
    firsts = {p["key"]: p["first_page"] - 1 for p in result.parts}

    # one entry for the overview, one per aios with its reports nested; no heading entries
    tree = _outline(reader)
    assert [t[0] for t in tree] == ["Overzicht", "Name A1 (A1)", "Name A2 (A2)", "Name A3 (A3)"]
    assert tree[0][1] == firsts["overview"]
    for title, page, children in tree[1:]:
        aios = title.split("(")[1].rstrip(")")
        assert page == firsts[f"{aios}_progress"]
        assert children == [
            ("Voortgang", firsts[f"{aios}_progress"]),
            ("Beoordelingsoverzicht", firsts[f"{aios}_summary"]),
        ]

    # every page carries "n / N"; the cover says what it is
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"{number} / {total}" in page.extract_text()
    cover_text = reader.pages[0].extract_text()
    assert "Commissiebundel" in cover_text and "30 juni 2026" in cover_text
    assert "Vertrouwelijk" in cover_text
    assert "Progress A3 page 3" in reader.pages[firsts["A3_progress"] + 2].extract_text()


def test_overview_links_jump_into_the_packet_and_local_paths_are_dropped(pages_dir: Path) -> None:
    cover = PacketCover("en", "2026-06-30", 3)
    build_packet(
        pages_dir / "packet.pdf", cover, pages_dir / "index.html", _aios(pages_dir), workers=1
    )
    reader = PdfReader(pages_dir / "packet.pdf")
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    internal = [a for a in links if "/Dest" in a]
    assert len(internal) == 1  # the link to A2's summary; the notebook link is gone
    target = reader.get_page_number(internal[0]["/Dest"][0].get_object())
    assert "Summary A2" in reader.pages[target].extract_text()
    uris = [str(a["/A"]["/URI"]) for a in links if "/A" in a]
    assert uris == ["https://example.org/"]
    assert b"file:" not in (pages_dir / "packet.pdf").read_bytes()
    assert "Committee packet" in reader.pages[0].extract_text()


def test_only_changed_reports_are_rendered_again(pages_dir: Path) -> None:
    cover = PacketCover("nl", "2026-06-30", 3)
    target = pages_dir / "packet.pdf"
    first = build_packet(target, cover, pages_dir / "index.html", _aios(pages_dir), workers=1)
    assert first.rendered == 8  # cover, overview, six reports
    (pages_dir / "A2_summary.html").write_text(_page("Summary A2 changed"), encoding="utf-8")
    seen: list[Any] = []

    class Recorder:
        def start(self, total: int) -> None:
            seen.append(total)

        def advance(self, key: str, status: str, reason: str | None = None) -> None:
            seen.append(key)

        def close(self) -> None:
            seen.append("closed")

    second = build_packet(
        target, cover, pages_dir / "index.html", _aios(pages_dir), workers=1, progress=Recorder()
    )
    assert second.rendered == 3  # cover, overview and the changed report
    assert seen[0] == 3 and seen[-1] == "closed"
    assert sorted(seen[1:-1]) == ["packet A2_summary", "packet cover", "packet overview"]
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Summary A2 changed" in text
    # the stale part is removed, the other five are kept
    assert len(list((pages_dir / ".packet").glob("A*_*.pdf"))) == 6


def test_a_failure_leaves_the_old_packet_and_no_partial_file(
    pages_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cover = PacketCover("nl", "2026-06-30", 3)
    target = pages_dir / "packet.pdf"
    build_packet(target, cover, pages_dir / "index.html", _aios(pages_dir), workers=1)
    before = target.read_bytes()

    from mlkit.reports import packet_pdf

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("disk trouble halfway")

    monkeypatch.setattr(packet_pdf, "join_parts", broken)
    with pytest.raises(PacketError, match=r"packet\.pdf: ValueError: disk trouble halfway"):
        build_packet(target, cover, pages_dir / "index.html", _aios(pages_dir), workers=1)
    assert target.read_bytes() == before
    assert not list(pages_dir.glob(".packet.pdf.*"))

    (pages_dir / "A1_summary.html").unlink()  # a report that vanished
    monkeypatch.undo()
    with pytest.raises(PacketError, match=r"A1_summary\.html"):
        build_packet(target, cover, pages_dir / "index.html", _aios(pages_dir), workers=1)
    assert target.read_bytes() == before


def test_missing_weasyprint_is_named_before_anything_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails
    with pytest.raises(PacketError, match=r"apt-get install libpango-1\.0-0"):
        check_pdf_support()
    with pytest.raises(PacketError, match="--pdf"):
        BatchRequest(kinds=["progress"], pdf=True)
    BatchRequest(kinds=["progress"])  # without --pdf nothing is needed


# --- the batch: recorded in the manifest, rebuilt only when a report changed --------------------

LIGHT_WARMUP = "import pandas, matplotlib.pyplot"


def _batch(out: Path, templates: Path, aios: list[AiosEntry], **kw: Any) -> Any:
    request = BatchRequest(
        out=out,
        db=out / "none.db",
        kinds=["progress", "summary"],
        as_of="2025-06-30",
        template_dir=templates,
        warmup=LIGHT_WARMUP,
        workers=2,
        trust_templates=True,
        pdf=True,
        **kw,
    )
    return run_batch(aios, request)


@pytest.mark.slow
def test_batch_pdf_is_recorded_and_rebuilt_only_when_a_report_changed(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782777600")  # 2026-06-30 00:00 UTC
    templates = tmp_path / "templates"
    shutil.copytree(data_dir / "notebooks", templates)
    out = tmp_path / "out"
    aios = [AiosEntry("A1", "h1", "Anna"), AiosEntry("FAIL2", "h2"), AiosEntry("A3", "h3")]

    first = _batch(out, templates, aios)
    assert first.packet == out / "packet.pdf" and first.packet_rebuilt
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    recorded = manifest["packet"]
    assert recorded["file"] == "packet.pdf"
    assert recorded["sha256"] == packet_module.file_sha256(out / "packet.pdf")
    assert recorded["built_at"] == "2026-06-30T00:00:00+00:00"
    parts = {p["key"]: p for p in recorded["parts"]}
    assert list(parts) == [
        "cover",
        "overview",
        "A1_progress",
        "A1_summary",
        "A3_progress",
        "A3_summary",
    ]
    for key in ("A1_progress", "A1_summary", "A3_progress", "A3_summary"):  # failed ones left out
        assert parts[key]["html_sha256"] == manifest["reports"][key]["outputs_sha256"]["html"]

    reader = PdfReader(out / "packet.pdf")
    assert len(reader.pages) == recorded["pages"] == sum(p["pages"] for p in recorded["parts"])
    assert len(reader.pages) == 1 + sum(
        _pages_of(out / name) for name in ("index.html", *(f"{k}.html" for k in list(parts)[2:]))
    )
    assert [(t, [c[0] for c in kids]) for t, _, kids in _outline(reader)] == [
        ("Overzicht", []),
        ("Anna (A1)", ["Voortgang", "Beoordelingsoverzicht"]),
        ("A3", ["Voortgang", "Beoordelingsoverzicht"]),
    ]
    assert "1 / " in reader.pages[0].extract_text()

    # a rerun without changes does not touch the PDF
    stat = (out / "packet.pdf").stat()
    again = _batch(out, templates, aios)
    assert again.packet_rebuilt is False and again.count("skipped") == 4
    assert (out / "packet.pdf").stat().st_mtime_ns == stat.st_mtime_ns
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["packet"] == recorded

    # a changed report (here: its template) rebuilds it
    nb = nbformat.read(templates / "assessment_summary.ipynb", as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("Summary, second edition"))
    nbformat.write(nb, templates / "assessment_summary.ipynb")
    third = _batch(out, templates, aios)
    assert third.packet_rebuilt and third.count("ok") == 2
    rebuilt = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["packet"]
    assert rebuilt["sha256"] != recorded["sha256"]
    text = "".join(p.extract_text() for p in PdfReader(out / "packet.pdf").pages)
    assert text.count("Summary, second edition") == 2
