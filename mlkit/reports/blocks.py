"""Report sections as simple blocks (headings, paragraphs, tables, figures) rendered by Jinja2.

Autoescaping is always on, so every text that reaches a page (names, comments, reflections) is
escaped; nothing here builds HTML by string concatenation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from jinja2 import Environment, PackageLoader, Template, select_autoescape
from matplotlib.figure import Figure

from mlkit.charts import figure_to_svg_data_uri

BlockKind = Literal["heading", "paragraph", "list", "facts", "table", "figure"]


@dataclass(frozen=True)
class Cell:
    """A table cell: text, an optional CSS class and an optional badge class."""

    text: str
    cls: str = ""
    badge: str = ""


@dataclass(frozen=True)
class Block:
    """One piece of a section."""

    kind: BlockKind
    text: str = ""
    level: int = 2
    cls: str = ""
    items: tuple[object, ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    src: str = ""
    alt: str = ""

    def screen_only(self) -> Block:
        """The same block, left out when the page is printed."""
        return Block(**{**self.__dict__, "cls": f"{self.cls} mlkit-screen-only".strip()})


def heading(text: str, level: int = 2) -> Block:
    """A heading block."""
    return Block("heading", text=text, level=level)


def paragraph(text: str, cls: str = "") -> Block:
    """A paragraph block."""
    return Block("paragraph", text=text, cls=cls)


def bullets(items: list[str], cls: str = "") -> Block:
    """A bulleted list block."""
    return Block("list", items=tuple(items), cls=cls)


def facts(pairs: list[tuple[str, str]]) -> Block:
    """A two-column table of labelled facts."""
    return Block("facts", items=tuple(pairs))


def table(headers: list[str], rows: list[list[Cell | str]], cls: str = "") -> Block:
    """A table block; plain strings become cells."""
    cells = tuple(tuple(c if isinstance(c, Cell) else Cell(c) for c in row) for row in rows)
    return Block("table", headers=tuple(headers), rows=cells, cls=cls)


def figure(fig: Figure, alt: str) -> Block:
    """A chart embedded as an SVG data URI: the page needs no other file and prints sharply."""
    return Block("figure", src=figure_to_svg_data_uri(fig), alt=alt)


@dataclass(frozen=True)
class Section:
    """A named part of a report."""

    key: str
    blocks: list[Block] = field(default_factory=list)

    def html(self) -> str:
        """Render the section as an HTML fragment, every text escaped."""
        return _template().render(key=self.key, blocks=self.blocks)


@cache
def _template() -> Template:
    env = Environment(
        loader=PackageLoader("mlkit.reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    return env.get_template("blocks.html.j2")
