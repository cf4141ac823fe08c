"""Ratings per RML domain over time: twelve small panels with the expected band per year.

The panels are drawn on one borderless axes whose data units are inches, each panel placed at
its own offset. Twelve real axes with their tick machinery made this the costliest chart of a
report (about 0.15 s of a 0.5 s report); one axes with a handful of collections draws the same
picture in a fraction of that, which matters when a committee renders a whole cohort.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from mlkit.analysis.labels import label
from mlkit.analysis.models import ProgressAnalysis
from mlkit.analysis.tables import trajectory_frame
from mlkit.charts._style import (
    FONT,
    FONT_TITLE,
    GREY,
    GUIDE,
    OTHERS_STYLE,
    SELF_STYLE,
    assessable,
    date_num,
    domain_name,
    show_empty,
)
from mlkit.frameworks.models import Lang

# geometry, in inches
WIDTH = 10.0
LEFT, RIGHT, TOP = 0.75, 0.2, 0.55  # y tick labels and axis label; suptitle above
BOTTOM = 0.9  # x tick labels, axis label and the legend under the last row
GAP_X = 0.3  # between panels in a row
TITLE = 0.42  # above each panel: a title of up to two lines
PANEL_H = 1.45
ROW_GAP = 0.18
PITCH = TITLE + PANEL_H + ROW_GAP  # one row of panels with their titles
TICK = 0.05  # tick mark length, and the pad between a tick and its label

_Points = list[tuple[float, float]]


@dataclass(frozen=True)
class _Grid:
    """Where each panel sits, and how dates and levels map into it (all in inches)."""

    n: int
    ncols: int
    first: float  # date numbers at a panel's left and right edge
    last: float
    top: int  # highest level; a panel spans 0.5 .. top + 0.5

    @property
    def nrows(self) -> int:
        return max(math.ceil(self.n / self.ncols), 1)

    @property
    def panel_w(self) -> float:
        return (WIDTH - LEFT - RIGHT - (self.ncols - 1) * GAP_X) / self.ncols

    @property
    def height(self) -> float:
        """Height of the drawing area: every row with its title."""
        return self.nrows * PITCH

    def origin(self, index: int) -> tuple[float, float]:
        """Lower-left corner of panel ``index``: its first date at level 0.5."""
        return float(self.x(index, self.first)), float(self.y(index, 0.5))

    def x(self, index: int | np.ndarray, days: float | np.ndarray) -> np.ndarray:
        col = np.asarray(index) % self.ncols
        frac = (np.asarray(days, dtype=float) - self.first) / (self.last - self.first)
        return np.asarray(col * (self.panel_w + GAP_X) + frac * self.panel_w)

    def y(self, index: int | np.ndarray, level: float | np.ndarray) -> np.ndarray:
        row = np.asarray(index) // self.ncols
        bottom = self.height - row * PITCH - TITLE - PANEL_H
        frac = (np.asarray(level, dtype=float) - 0.5) / self.top
        return np.asarray(bottom + frac * PANEL_H)

    def is_left(self, index: int) -> bool:
        return index % self.ncols == 0

    def is_bottom(self, index: int) -> bool:
        return index + self.ncols >= self.n


def band_runs(
    analysis: ProgressAnalysis, code: str, until: date
) -> list[tuple[list[float], list[int]]]:
    """The expected level of one domain as step runs: x edges and the level from each edge on.

    Consecutive training years join into one run, so the band is one shape rather than one per
    year; a year without an expectation starts a new run. Dates are matplotlib date numbers.
    """
    runs: list[tuple[list[float], list[int]]] = []
    last_end: date | None = None
    for year in analysis.expected_by_year:
        value = year.expected.get(code)
        if value is None or year.start > until:
            last_end = None
            continue
        start, end = date_num(year.start), date_num(min(year.end, until))
        if runs and last_end is not None and (year.start - last_end).days <= 2:
            xs, ys = runs[-1]
            xs[-1] = start
            xs.append(end)
            ys[-1:] = [value, value]
        else:
            runs.append(([start, end], [value, value]))
        last_end = min(year.end, until)
    return runs


def _date_range(analysis: ProgressAnalysis | None, frame: pd.DataFrame) -> tuple[date, date]:
    """The dates a trajectory spans: training start to ``as_of``, widened to every rating."""
    dates = [d.date() for d in pd.to_datetime(frame["date"])]
    if analysis is not None:
        dates += [analysis.start_date, analysis.as_of]
    if not dates:
        today = date.today()
        return today - timedelta(days=365), today
    first, last = min(dates), max(dates)
    return first, max(last, first + timedelta(days=90))


def _bands(
    grid: _Grid, analysis: ProgressAnalysis, codes: Sequence[str]
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Polygons of the expected bands and the step lines through their middle."""
    polygons: list[np.ndarray] = []
    steps: list[np.ndarray] = []
    for index, code in enumerate(codes):
        for xs, ys in band_runs(analysis, code, analysis.as_of):
            edges = grid.x(index, np.array(xs))
            levels = np.array(ys[:-1], dtype=float)
            sx = np.repeat(edges, 2)[1:-1]  # x0 x1 x1 x2 x2 ...
            sy = np.repeat(levels, 2)  # v0 v0 v1 v1 ...
            upper = np.column_stack([sx, grid.y(index, sy + 0.5)])
            lower = np.column_stack([sx, grid.y(index, sy - 0.5)])
            polygons.append(np.vstack([upper, lower[::-1]]))
            steps.append(np.column_stack([sx, grid.y(index, sy)]))
    return polygons, steps


def _guides_and_ticks(
    grid: _Grid, xticks: list[float], yticks: list[int]
) -> tuple[list[_Points], list[_Points], list[_Points]]:
    """Light guide lines, panel frames and tick marks, each as a list of polylines."""
    guides: list[_Points] = []
    frames: list[_Points] = []
    ticks: list[_Points] = []
    w = grid.panel_w
    for index in range(grid.n):
        x0, y0 = grid.origin(index)
        frames.append([(x0, y0), (x0 + w, y0), (x0 + w, y0 + PANEL_H), (x0, y0 + PANEL_H)])
        for level in yticks:
            y = float(grid.y(index, level))
            guides.append([(x0, y), (x0 + w, y)])
            if grid.is_left(index):
                ticks.append([(x0 - TICK, y), (x0, y)])
        for tick in xticks:
            x = float(grid.x(index, tick))
            guides.append([(x, y0), (x, y0 + PANEL_H)])
            if grid.is_bottom(index):
                ticks.append([(x, y0 - TICK), (x, y0)])
    return guides, frames, ticks


def _year_ticks(first: date, last: date) -> tuple[list[float], list[str]]:
    years = list(range(first.year + 1, last.year + 1)) or [first.year]
    step = 1 if len(years) <= 6 else 2
    return [date_num(date(y, 1, 1)) for y in years[::step]], [str(y) for y in years[::step]]


def domain_trajectories(data: ProgressAnalysis | pd.DataFrame, lang: Lang = "nl") -> Figure:
    """Ratings per domain over time, one small panel per domain, with the expected band.

    Args:
        data: A :class:`ProgressAnalysis` (draws the expected band per training year), or a
            frame shaped like :func:`mlkit.analysis.trajectory_frame` (points only).
        lang: Language of titles, axes and legend.

    Example:
        >>> fig = domain_trajectories(analysis, "en")
    """
    analysis = data if isinstance(data, ProgressAnalysis) else None
    frame = trajectory_frame(data) if isinstance(data, ProgressAnalysis) else data
    if analysis is not None:
        panels = [(d.code, domain_name(d, lang, 30)) for d in assessable(analysis.domains)]
        top = max((p.value for p in analysis.scale_points), default=4)
    else:
        panels = [(str(c), str(c)) for c in sorted(frame["domain"].unique())]
        top = int(frame["value"].max()) if len(frame) else 4
    first, last = _date_range(analysis, frame)
    grid = _Grid(
        n=len(panels),
        ncols=3 if len(panels) > 2 else max(len(panels), 1),
        first=date_num(first - timedelta(days=30)),
        last=date_num(last + timedelta(days=30)),
        top=top,
    )
    height = TOP + grid.height + BOTTOM
    fig = Figure(figsize=(WIDTH, height))
    fig.suptitle(label("heading.trajectories", lang), fontsize=FONT_TITLE, y=1 - 0.15 / height)
    plot_w = WIDTH - LEFT - RIGHT
    ax = fig.add_axes((LEFT / WIDTH, BOTTOM / height, plot_w / WIDTH, grid.height / height))
    if not panels:
        show_empty(ax, lang)
        return fig
    ax.set_axis_off()
    ax.set_xlim(0, plot_w)
    ax.set_ylim(0, grid.height)
    xticks, xlabels = _year_ticks(first, last)
    yticks = list(range(1, top + 1))
    _draw_panels(ax, grid, panels, xticks, xlabels, yticks, lang)
    codes = [code for code, _ in panels]
    if analysis is not None:
        polygons, steps = _bands(grid, analysis, codes)
        ax.add_collection(
            PolyCollection(
                polygons, facecolors=GREY, alpha=0.18, hatch="..", linewidths=0, zorder=1
            )
        )
        ax.add_collection(
            LineCollection(steps, colors=GREY, linestyles=":", linewidths=1.2, zorder=2)
        )
    _draw_points(ax, grid, frame, codes, lang)
    handles: list[Line2D | Patch] = [
        Line2D(
            [],
            [],
            color=OTHERS_STYLE["color"],
            marker="o",
            linestyle="none",
            label=label("series.others", lang),
        ),
        Line2D(
            [],
            [],
            color=SELF_STYLE["color"],
            marker="s",
            markerfacecolor="none",
            linestyle="none",
            label=label("series.self", lang),
        ),
    ]
    if analysis is not None:
        handles.append(
            Patch(facecolor=GREY, alpha=0.3, hatch="..", label=label("series.expected_band", lang))
        )
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=FONT, frameon=False)
    return fig


def _draw_panels(
    axes: Axes,
    grid: _Grid,
    panels: list[tuple[str, str]],
    xticks: list[float],
    xlabels: list[str],
    yticks: list[int],
    lang: Lang,
) -> None:
    """Frames, guides, tick marks and every text of the panels."""
    guides, frames, ticks = _guides_and_ticks(grid, xticks, yticks)
    axes.add_collection(LineCollection(guides, colors=GUIDE, linewidths=0.6, zorder=0))
    axes.add_collection(
        PolyCollection(frames, facecolors="none", edgecolors="black", linewidths=0.8, zorder=4)
    )
    axes.add_collection(LineCollection(ticks, colors="black", linewidths=0.8, zorder=4))
    for index, (_, title) in enumerate(panels):
        x0, y0 = grid.origin(index)
        axes.text(x0, y0 + PANEL_H + 0.05, title, ha="left", va="bottom", fontsize=FONT)
        if grid.is_left(index):
            for level in yticks:
                y = float(grid.y(index, level))
                axes.text(x0 - 2 * TICK, y, str(level), ha="right", va="center", fontsize=FONT)
            axes.text(
                x0 - 0.45,
                y0 + PANEL_H / 2,
                label("axis.level", lang),
                rotation=90,
                ha="center",
                va="center",
                fontsize=FONT,
            )
        if grid.is_bottom(index):
            for tick, name in zip(xticks, xlabels, strict=True):
                x = float(grid.x(index, tick))
                axes.text(x, y0 - 2 * TICK, name, ha="center", va="top", fontsize=FONT)
            axes.text(
                x0 + grid.panel_w / 2,
                y0 - 0.3,
                label("axis.date", lang),
                ha="center",
                va="top",
                fontsize=FONT,
            )


def _draw_points(
    axes: Axes, grid: _Grid, frame: pd.DataFrame, codes: list[str], lang: Lang
) -> None:
    """All ratings of all panels as two marker series (others filled, self open)."""
    position = {code: i for i, code in enumerate(codes)}
    index = frame["domain"].map(position)
    shown = frame[index.notna()]
    panel = index[index.notna()].to_numpy(dtype=int)
    stamps = pd.to_datetime(shown["date"]).to_numpy()
    days = np.asarray(mdates.date2num(stamps), dtype=np.float64)  # type: ignore[no-untyped-call]
    xs, ys = grid.x(panel, days), grid.y(panel, shown["value"].to_numpy(dtype=float))
    is_self = (shown["series"] == "self").to_numpy()
    for series, mask in (("others", ~is_self), ("self", is_self)):
        style = OTHERS_STYLE if series == "others" else SELF_STYLE
        axes.plot(
            xs[mask],
            ys[mask],
            color=style["color"],
            marker=style["marker"],
            linestyle="none",
            markersize=5,
            markerfacecolor="none" if series == "self" else style["color"],
            zorder=3,
            clip_on=False,
        )
    empty = set(range(len(codes))) - set(panel.tolist())
    for i in sorted(empty):
        x0, y0 = grid.origin(i)
        axes.text(
            x0 + grid.panel_w / 2,
            y0 + PANEL_H / 2,
            label("empty.no_data", lang),
            ha="center",
            va="center",
            fontsize=FONT,
            color=GREY,
        )
