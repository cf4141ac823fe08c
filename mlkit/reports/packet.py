"""The committee packet: one A4 PDF with a cover, the overview and every aios' reports.

The reports are rendered from the same HTML pages a browser shows (their print CSS sets A4),
each by WeasyPrint to a PDF *part*, in up to ``workers`` processes. A small packet stylesheet
switches off WeasyPrint's bookmark per heading and balances no columns (the layout is the same,
balancing is slow). The parts are then joined by :mod:`mlkit.reports.packet_pdf`: one outline
entry per aios with its reports under it, and "n / N" on every page.

A report's part is kept in ``.packet/`` next to the PDF, named after the SHA-256 of its HTML, so
a rebuild after one changed report renders only that report (and the overview and cover) again.
The PDF is written atomically; whether it is up to date is the caller's business
(:func:`packet_fingerprint` names its contents).

Example:
    >>> report = PacketReport("A0001_progress", "voortgang", Path("rep/A0001_progress.html"))
    >>> aios = [PacketAios("A0001", "K. Test (A0001)", (report,))]
    >>> build_packet(Path("rep/packet.pdf"), PacketCover("nl", "2026-06-30", 1), None, aios)
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, PackageLoader, select_autoescape

from mlkit import __version__
from mlkit.atomic import write_bytes_atomic
from mlkit.catalogue import long_date, word
from mlkit.errors import MlkitError
from mlkit.frameworks.models import Lang
from mlkit.reports.render import file_sha256, rendered_at

PACKET_NAME = "packet.pdf"
CACHE_DIR = ".packet"
_FORMAT = "1"  # change when the packet stylesheet or the part layout changes
_DEBIAN_LIBS = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-dejavu-core"

PACKET_CSS = """
/* the packet's outline is built from its parts, not from every heading */
h1, h2, h3, h4, h5, h6 { bookmark-level: none; }
/* WeasyPrint balances columns by laying them out again and again; fill them in order instead */
section[data-section="appendix"] ul { column-fill: auto; }
@page { size: A4; }
"""


class PacketError(MlkitError, RuntimeError):
    """The packet PDF could not be made; nothing was written in its place."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.path, self.reason)


class PartProgress(Protocol):
    """Where the packet reports its parts (a batch passes its progress bar)."""

    def start(self, total: int) -> None:
        """Begin: ``total`` parts to render."""

    def advance(self, key: str, status: str, reason: str | None = None) -> None:
        """One part rendered."""

    def close(self) -> None:
        """Done."""


@dataclass(frozen=True)
class PacketReport:
    """One report in the packet: its key (``A0001_progress``), outline label and HTML page."""

    key: str
    label: str
    html: Path


@dataclass(frozen=True)
class PacketAios:
    """One aios in the packet: the outline label and the reports, in packet order."""

    aios_id: str
    label: str
    reports: tuple[PacketReport, ...]


@dataclass(frozen=True)
class PacketCover:
    """What the cover shows: language, reference date (ISO) and number of aios."""

    lang: Lang
    as_of: str
    n_aios: int


@dataclass
class PacketResult:
    """A packet written by :func:`build_packet`.

    Attributes:
        path: The PDF.
        sha256: SHA-256 of the PDF's bytes.
        pages: Number of pages.
        parts: Per part (cover, overview, each report): key, pages, first page (1-based) and
            the SHA-256 of the HTML it was rendered from (none for the cover).
        rendered: How many parts were rendered (the others came from ``.packet/``).
    """

    path: Path
    sha256: str
    pages: int
    parts: list[dict[str, Any]] = field(default_factory=list)
    rendered: int = 0


def check_pdf_support() -> None:
    """Fail early, with what to install, when WeasyPrint or its system libraries are missing.

    Raises:
        PacketError: when ``weasyprint`` cannot be imported or cannot load pango.
    """
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        raise PacketError(
            "--pdf",
            f"WeasyPrint is not usable ({type(exc).__name__}: {exc}); install the Python "
            f"package weasyprint and, on Debian, apt-get install {_DEBIAN_LIBS}",
        ) from exc


def packet_fingerprint(
    cover: PacketCover, aios: Sequence[PacketAios], overview_key: str = ""
) -> str:
    """Return a hash of everything the packet is made of.

    The reports count by the SHA-256 of their HTML, the overview by ``overview_key`` (its
    page carries a time stamp and the run's counts, so the caller names its inputs instead).

    Raises:
        OSError: when a report's HTML cannot be read.
    """
    contents = {
        "format": _FORMAT,
        "mlkit": __version__,
        "cover": [cover.lang, cover.as_of, cover.n_aios],
        "overview": overview_key,
        "aios": [
            [a.aios_id, a.label, [[r.key, r.label, file_sha256(r.html)] for r in a.reports]]
            for a in aios
        ],
    }
    return hashlib.sha256(json.dumps(contents, sort_keys=True).encode("utf-8")).hexdigest()


def _render_part(html: str, target: str) -> int:
    """Render one HTML page to a PDF part at ``target`` (atomically); return its page count."""
    from weasyprint import CSS, HTML

    document = HTML(filename=html).render(stylesheets=[CSS(string=PACKET_CSS)])
    write_bytes_atomic(Path(target), document.write_pdf())
    return len(document.pages)


def _part_name(key: str, html_sha: str) -> str:
    from weasyprint import __version__ as weasyprint_version

    salt = f"{_FORMAT}|{__version__}|{weasyprint_version}|{html_sha}"
    return f"{key}.{hashlib.sha256(salt.encode()).hexdigest()[:20]}.pdf"


def _cover_html(cover: PacketCover) -> str:
    env = Environment(
        loader=PackageLoader("mlkit.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    moment = datetime.fromisoformat(rendered_at())
    return env.get_template("packet_cover.html.j2").render(
        lang=cover.lang,
        version=__version__,
        w=lambda key, **values: word(f"packet.{key}", cover.lang, **values),
        as_of=long_date(date.fromisoformat(cover.as_of), cover.lang),
        n_aios=cover.n_aios,
        generated=moment.strftime("%Y-%m-%d %H:%M UTC"),
    )


def _render_parts(
    jobs: list[tuple[str, str, str]], workers: int, progress: PartProgress | None
) -> None:
    """Render ``(key, html, target)`` jobs, in ``workers`` processes when that pays."""
    if progress is not None:
        progress.start(len(jobs))
    try:
        if workers <= 1 or len(jobs) <= 1:
            for key, html, target in jobs:
                _render_part(html, target)
                if progress is not None:
                    progress.advance(f"packet {key}", "pdf")
            return
        # spawn: the batch process may hold threads (kernel clients), which fork does not copy
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(min(workers, len(jobs)), mp_context=context) as pool:
            futures = {pool.submit(_render_part, html, target): key for key, html, target in jobs}
            for future in as_completed(futures):
                future.result()
                if progress is not None:
                    progress.advance(f"packet {futures[future]}", "pdf")
    finally:
        if progress is not None:
            progress.close()


def build_packet(
    path: Path,
    cover: PacketCover,
    overview: Path | None,
    aios: Sequence[PacketAios],
    *,
    workers: int = 2,
    progress: PartProgress | None = None,
) -> PacketResult:
    """Write the packet PDF at ``path``: cover, overview, then each aios' reports.

    Args:
        path: The PDF to write (atomically); parts are kept in ``.packet/`` beside it.
        cover: What the cover says.
        overview: The overview page (a batch's ``index.html``), or None for none.
        aios: The aios in packet order, each with the reports to include.
        workers: Processes that render parts in parallel.
        progress: Told how many parts are rendered and when each is done.

    Raises:
        PacketError: when WeasyPrint is missing or a page cannot be rendered or joined.
    """
    from mlkit.reports.packet_pdf import Part, join_parts

    check_pdf_support()
    cache = path.parent / CACHE_DIR
    parts: list[Part] = []
    todo: list[tuple[str, str, str]] = []
    try:
        cache.mkdir(parents=True, exist_ok=True)
        cover_file = cache / "cover.html"
        write_bytes_atomic(cover_file, _cover_html(cover).encode("utf-8"))
        pages: list[tuple[str, Path, str, str]] = [("cover", cover_file, "", "")]
        if overview is not None:
            pages.append(("overview", overview, word("packet.overview", cover.lang), ""))
        for entry in aios:
            for report in entry.reports:
                pages.append((report.key, report.html, report.label, entry.aios_id))
        for key, html, label, aios_id in pages:
            sha = file_sha256(html)
            target = cache / _part_name(key, sha)
            if key in ("cover", "overview") or not target.is_file():
                todo.append((key, str(html), str(target)))
            source = html.name if aios_id else ""
            parts.append(Part(key, target, label, aios_id, "" if key == "cover" else sha, source))
        # the big pages first, so no process waits for one long page at the end
        todo.sort(key=lambda job: -Path(job[1]).stat().st_size)
        _render_parts(todo, workers, progress)
        labels = {a.aios_id: a.label for a in aios}
        data, counts = join_parts(parts, labels, title=word("packet.title", cover.lang))
        write_bytes_atomic(path, data)
    except PacketError:
        raise
    except Exception as exc:  # WeasyPrint and pypdf raise many kinds; the file stays as it was
        raise PacketError(str(path), f"{type(exc).__name__}: {exc}") from exc
    _prune(cache, {p.pdf.name for p in parts} | {"cover.html"})
    first = 1
    listed: list[dict[str, Any]] = []
    for part, count in zip(parts, counts, strict=True):
        listed.append(
            {"key": part.key, "pages": count, "first_page": first, "html_sha256": part.sha}
        )
        first += count
    return PacketResult(
        path, hashlib.sha256(data).hexdigest(), sum(counts), listed, rendered=len(todo)
    )


def _prune(cache: Path, keep: set[str]) -> None:
    """Remove parts no longer used (older versions of a report's HTML)."""
    for old in cache.glob("*.pdf"):
        if old.name not in keep:
            old.unlink(missing_ok=True)
