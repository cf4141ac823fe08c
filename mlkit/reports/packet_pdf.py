"""Join the packet's PDF parts: outline per aios, links between parts and page numbers.

Each part is one page of HTML rendered by WeasyPrint (:mod:`mlkit.reports.packet`). Here pypdf
puts them one after the other and adds what only the whole packet knows:

- the outline: the overview, then one entry per aios with its reports nested under it;
- links: a link from the overview to a report in the packet jumps to that report's first page;
  links to other local files (a notebook, a sidecar) are dropped, so no machine path is left in
  the PDF;
- "n / N" at the foot of every page, in Helvetica (a standard PDF font, nothing embedded).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    IndirectObject,
    NameObject,
)

from mlkit import __version__

_FONT = "/MlkitPageNumber"
_SIZE = 7.0
_RIGHT = 34.0  # points from the right edge (12 mm, the reports' page margin)
_BASELINE = 17.0  # points from the bottom edge (6 mm, inside every part's bottom margin)
_WIDTHS = {"/": 278, " ": 278}  # Helvetica advance widths; digits are 556


@dataclass(frozen=True)
class Part:
    """One rendered part of the packet.

    Attributes:
        key: ``cover``, ``overview`` or the report key (``A0001_progress``).
        pdf: The part's PDF file.
        label: Outline label (empty for the cover, which gets no entry).
        aios_id: The aios a report belongs to (empty for the cover and overview).
        sha: SHA-256 of the HTML the part was rendered from.
        source: File name of that HTML (links to it become links into the packet).
    """

    key: str
    pdf: Path
    label: str
    aios_id: str = ""
    sha: str = ""
    source: str = ""


def join_parts(
    parts: Sequence[Part], aios_labels: Mapping[str, str], *, title: str
) -> tuple[bytes, list[int]]:
    """Return the joined PDF and the page count of each part.

    Args:
        parts: The parts in packet order.
        aios_labels: Outline label per aios id (the parent entry of its reports).
        title: The PDF's document title.
    """
    writer = PdfWriter()
    starts: list[int] = []
    counts: list[int] = []
    for part in parts:
        starts.append(len(writer.pages))
        writer.append(PdfReader(io.BytesIO(part.pdf.read_bytes())), import_outline=False)
        counts.append(len(writer.pages) - starts[-1])
    parents: dict[str, IndirectObject] = {}
    for part, start in zip(parts, starts, strict=True):
        if not part.label:
            continue
        if not part.aios_id:
            writer.add_outline_item(title=part.label, page_number=start)
            continue
        if part.aios_id not in parents:  # closed: 60 aios fit on one screen of bookmarks
            parents[part.aios_id] = writer.add_outline_item(
                title=aios_labels[part.aios_id], page_number=start, is_open=False
            )
        writer.add_outline_item(title=part.label, page_number=start, parent=parents[part.aios_id])
    targets = {p.source: writer.pages[s] for p, s in zip(parts, starts, strict=True) if p.source}
    for page in writer.pages:
        _relink(page, targets)
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, start=1):
        _stamp(page, f"{number} / {total}")
        page.compress_content_streams()
    writer.page_mode = "/UseOutlines"
    writer.add_metadata({"/Title": title, "/Creator": f"mlkit {__version__}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), counts


def _relink(page: PageObject, targets: Mapping[str, PageObject]) -> None:
    """Point links to a part's HTML at its first page; drop other links to local files."""
    annots = page.get("/Annots")
    if annots is None:
        return
    kept = ArrayObject()
    for ref in annots.get_object():
        annot = ref.get_object()
        action = annot.get("/A")
        uri = str(action.get_object().get("/URI", "")) if action is not None else ""
        parsed = urlparse(uri)
        if uri and parsed.scheme in ("", "file"):
            name = unquote(parsed.path).rsplit("/", 1)[-1]
            if name not in targets:
                continue  # a notebook or sidecar link: not in the packet, and a machine path
            del annot[NameObject("/A")]
            annot[NameObject("/Dest")] = ArrayObject(
                [targets[name].indirect_reference, NameObject("/Fit")]
            )
        kept.append(ref)
    page[NameObject("/Annots")] = kept


def _stamp(page: PageObject, text: str) -> None:
    """Draw ``text`` right-aligned in the page's bottom margin."""
    width = float(page.mediabox.width)
    advance = sum(_WIDTHS.get(ch, 556) for ch in text) * _SIZE / 1000
    stamp = PageObject.create_blank_page(width=width, height=float(page.mediabox.height))
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    stamp[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject(_FONT): font})}
    )
    content = ContentStream(None, None)
    x = width - _RIGHT - advance
    content.set_data(
        f"BT {_FONT} {_SIZE:g} Tf 0.36 0.39 0.45 rg {x:.2f} {_BASELINE:g} Td ({text}) Tj ET".encode(
            "ascii"
        )
    )
    stamp.replace_contents(content)
    page.merge_page(stamp)
