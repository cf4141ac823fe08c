"""Shared look of mlkit charts: print-readable fonts, a colour-blind-safe palette, wrapping."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from datetime import date

from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from mlkit.analysis import names
from mlkit.analysis.labels import label
from mlkit.analysis.models import DomainProgress, ProgressStatus
from mlkit.frameworks.models import Lang

# Okabe & Ito (2008) colour-blind-safe palette
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
YELLOW = "#F0E442"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
GREY = "#7F7F7F"
GUIDE = "#DDDDDD"  # light guide lines behind data
PALETTE = (BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, YELLOW, GREY)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--")

FONT = 9.0  # smallest text
FONT_LABEL = 10.0
FONT_TITLE = 11.0

# series styles: colour, marker and line style differ, so print in grey still works
SELF_STYLE = {"color": ORANGE, "marker": "s", "linestyle": "--"}
OTHERS_STYLE = {"color": BLUE, "marker": "o", "linestyle": "-"}
EXPECTED_STYLE = {"color": GREY, "marker": "^", "linestyle": ":"}


LINE = 0.2  # inches per line of FONT-sized text, with leading
TICKS = 0.25  # inches taken by tick marks, their padding and one line of tick labels


def new_figure(
    width: float,
    height: float,
    *,
    left: float = 0.6,
    right: float = 0.3,
    top: float = 0.6,
    bottom: float = 0.6,
) -> Figure:
    """Return a new figure (without pyplot) whose subplots keep fixed margins, in inches.

    Margins are computed by each chart from what it puts there (see :func:`text_width`) instead
    of by matplotlib's constrained layout: that engine measured every text twice and was about
    40% of a chart's rendering time. Titles, tick labels and legends go inside the margins.
    """
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
    )
    return fig


def text_width(texts: Iterable[str], size: float = FONT) -> float:
    """Return the width in inches of the widest line among ``texts`` at ``size`` points.

    Example:
        >>> left = text_width(["Verbinden", "Innoveren"]) + TICKS
    """
    prop = FontProperties(size=size)
    widest = 0.0
    for text in texts:
        for line in text.split("\n"):
            if line:
                width = text_to_path.get_text_width_height_descent(line, prop, ismath=False)[0]
                widest = max(widest, width)
    return widest / 72


def label_margin(labels: Iterable[str], extra: float = 0.0) -> float:
    """Return a left margin (inches) that fits ``labels`` as tick labels, plus ``extra``.

    Example:
        >>> fig = new_figure(9, 4, left=label_margin(row_labels))
    """
    return max(0.6, text_width(labels) + TICKS + extra)


def wrap(text: str, width: int = 22) -> str:
    """Wrap ``text`` onto lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False)) or text


def domain_name(domain: DomainProgress, lang: Lang, width: int = 22) -> str:
    """Return a wrapped domain name; an unconfirmed name carries one footnote mark (``*``)."""
    return wrap(names.domain_name(domain.domain, lang), width)


def assessable(domains: Sequence[DomainProgress]) -> list[DomainProgress]:
    """The domains a chart draws: empty slots (not loaded) are left out."""
    return [d for d in domains if d.status is not ProgressStatus.NOT_ASSESSABLE]


def date_num(d: date) -> float:
    """Return matplotlib's float for a date (typed wrapper around ``date2num``)."""
    return float(mdates.date2num(d))  # type: ignore[no-untyped-call]


def date_axis(ax: Axes, maxticks: int = 6) -> None:
    """Give ``ax`` a date x axis with concise, non-overlapping tick labels."""
    locator = mdates.AutoDateLocator(minticks=2, maxticks=maxticks)  # type: ignore[no-untyped-call]
    locator.intervald[mdates.MONTHLY] = [1, 2, 3, 4, 6, 12]  # long ranges in narrow panels
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def style_axes(ax: Axes) -> None:
    """Set tick label sizes to the print minimum."""
    ax.tick_params(labelsize=FONT)


def show_empty(ax: Axes, lang: Lang, key: str = "empty.no_data") -> None:
    """Write a centred 'no data' message on ``ax`` and hide its ticks."""
    ax.text(
        0.5,
        0.5,
        label(key, lang),
        ha="center",
        va="center",
        fontsize=FONT_LABEL,
        color=GREY,
        transform=ax.transAxes,
    )
    ax.set_xticks([])
    ax.set_yticks([])
