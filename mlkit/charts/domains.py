"""Charts per RML domain: a radar of levels and small-multiple trajectories over time."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.projections.polar import PolarAxes

from mlkit.analysis.labels import label
from mlkit.analysis.models import ProgressAnalysis
from mlkit.analysis.tables import trajectory_frame
from mlkit.charts._style import (
    EXPECTED_STYLE,
    FONT,
    FONT_LABEL,
    FONT_TITLE,
    GREY,
    OTHERS_STYLE,
    SELF_STYLE,
    date_num,
    domain_name,
    new_figure,
    show_empty,
    style_axes,
    wrap,
)
from mlkit.frameworks.models import Lang, display_title


def domain_radar(analysis: ProgressAnalysis, lang: Lang = "nl") -> Figure:
    """Radar of the level per domain: self-assessment, opleider/assessors and expected level.

    Domains are numbered around the radar and named in a key beside it, so long Dutch names
    never overlap. Missing levels leave a gap in the line.

    Example:
        >>> fig = domain_radar(analysis, "nl")
    """
    fig = new_figure(10, 6.5)
    fig.suptitle(label("heading.radar", lang), fontsize=FONT_TITLE)
    grid = fig.add_gridspec(1, 2, width_ratios=(3, 2))
    domains = analysis.domains
    if not domains:
        show_empty(fig.add_subplot(grid[0, :]), lang)
        return fig
    ax = cast(PolarAxes, fig.add_subplot(grid[0, 0], projection="polar"))
    key = fig.add_subplot(grid[0, 1])
    key.axis("off")
    n = len(domains)
    angles = [2 * math.pi * i / n for i in range(n)]
    nan = float("nan")
    series = (
        (
            "series.expected",
            [d.expected.value if d.expected else nan for d in domains],
            EXPECTED_STYLE,
        ),
        ("series.others", [d.current.value if d.current else nan for d in domains], OTHERS_STYLE),
        ("series.self", [d.self_level.value if d.self_level else nan for d in domains], SELF_STYLE),
    )
    for key_name, values, style in series:
        ax.plot(
            [*angles, angles[0]],
            [*values, values[0]],
            label=label(key_name, lang),
            linewidth=1.8,
            markersize=6,
            **style,  # type: ignore[arg-type]
        )
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_xticks(angles)
    ax.set_xticklabels([str(i + 1) for i in range(n)], fontsize=FONT_LABEL)
    top = max((p.value for p in analysis.scale_points), default=4)
    ax.set_ylim(0, top)
    ax.set_yticks([p.value for p in analysis.scale_points])
    ax.set_yticklabels([str(p.value) for p in analysis.scale_points], fontsize=FONT, color=GREY)
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=3, fontsize=FONT, frameon=False)

    lines = [f"{label('heading.domains', lang)}:"]
    for i, d in enumerate(domains, start=1):
        name = wrap(display_title(d.domain, lang), 42).replace("\n", "\n      ")
        lines.append(f"{i:>2}  {name}")
    lines += ["", f"{label('axis.level', lang)}:"]
    lines += [f"{p.value}  {p.label.get(lang) or p.code}" for p in analysis.scale_points]
    key.text(0, 1, "\n".join(lines), va="top", ha="left", fontsize=FONT, transform=key.transAxes)
    return fig


def _expected_band(ax: Axes, analysis: ProgressAnalysis, code: str, until: date) -> None:
    for year in analysis.expected_by_year:
        value = year.expected.get(code)
        if value is None or year.start > until:
            continue
        x = np.array([date_num(year.start), date_num(min(year.end, until))])
        ax.fill_between(
            x, value - 0.5, value + 0.5, color=GREY, alpha=0.18, hatch="..", linewidth=0
        )
        ax.plot(x, [value, value], color=GREY, linestyle=":", linewidth=1.2)


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


def _panel(ax: Axes, title: str, rows: pd.DataFrame, lang: Lang) -> None:
    """Draw one domain's ratings (others and self) in its panel."""
    style_axes(ax)
    ax.set_title(title, fontsize=FONT, loc="left")
    for series, style in (("others", OTHERS_STYLE), ("self", SELF_STYLE)):
        pts = rows[rows["series"] == series]
        ax.plot(
            [date_num(d) for d in pd.to_datetime(pts["date"]).dt.date],
            pts["value"],
            color=style["color"],
            marker=style["marker"],
            linestyle="none",
            markersize=5,
            markerfacecolor="none" if series == "self" else style["color"],
        )
    if rows.empty:
        ax.text(
            0.5,
            0.5,
            label("empty.no_data", lang),
            ha="center",
            va="center",
            fontsize=FONT,
            color=GREY,
            transform=ax.transAxes,
        )


def domain_trajectories(data: ProgressAnalysis | pd.DataFrame, lang: Lang = "nl") -> Figure:
    """Ratings per domain over time, one small panel per domain, with the expected band.

    Args:
        data: A :class:`ProgressAnalysis` (draws the expected band per training year), or a
            frame shaped like :func:`mlkit.analysis.trajectory_frame` (points only).
        lang: Language of titles, axes and legend.

    Example:
        >>> fig = domain_trajectories(analysis, "en")
    """
    analysis: ProgressAnalysis | None = None
    if isinstance(data, ProgressAnalysis):
        analysis, frame = data, trajectory_frame(data)
    else:
        frame = data
    if analysis is not None:
        panels = [(d.code, domain_name(d, lang, 30)) for d in analysis.domains]
        top = max((p.value for p in analysis.scale_points), default=4)
    else:
        panels = [(str(c), str(c)) for c in sorted(frame["domain"].unique())]
        top = int(frame["value"].max()) if len(frame) else 4
    ncols = 3 if len(panels) > 2 else max(len(panels), 1)
    nrows = max(math.ceil(len(panels) / ncols), 1)
    height = 0.6 + 2.3 * nrows
    # A fixed grid instead of constrained layout: twelve panels made layout the costliest step
    # of a whole report (about 1 s); the margins below leave room for wrapped titles.
    fig = Figure(figsize=(10, height + 0.5))
    fig.subplots_adjust(
        left=0.08,
        right=0.98,
        top=1 - 0.75 / (height + 0.5),
        bottom=1.0 / (height + 0.5),
        hspace=0.75,
        wspace=0.1,
    )
    fig.suptitle(label("heading.trajectories", lang), fontsize=FONT_TITLE)
    if not panels:
        show_empty(fig.add_subplot(1, 1, 1), lang)
        return fig
    # Independent axes with limits and ticks computed once: shared axes made every limit change
    # propagate through twelve panels and an automatic date locator ran per panel.
    axes = fig.subplots(nrows, ncols, squeeze=False)
    until = analysis.as_of if analysis is not None else None
    first, last = _date_range(analysis, frame)
    xlim = (date_num(first - timedelta(days=30)), date_num(last + timedelta(days=30)))
    years = list(range(first.year + 1, last.year + 1)) or [first.year]
    step = 1 if len(years) <= 6 else 2
    xticks = [date_num(date(y, 1, 1)) for y in years[::step]]
    xlabels = [str(y) for y in years[::step]]
    yticks = list(range(1, top + 1))
    for index, ax in enumerate(axes.flat):
        if index >= len(panels):
            ax.set_visible(False)
            continue
        code, title = panels[index]
        _panel(ax, title, frame[frame["domain"] == code], lang)
        if analysis is not None and until is not None:
            _expected_band(ax, analysis, code, until)
        col = index % ncols
        bottom = index + ncols >= len(panels)
        ax.set_xlim(*xlim)
        ax.set_ylim(0.5, top + 0.5)
        ax.set_xticks(xticks, xlabels if bottom else [])
        ax.set_yticks(yticks, [str(t) for t in yticks] if col == 0 else [])
        if col == 0:
            ax.set_ylabel(label("axis.level", lang), fontsize=FONT)
        if bottom:
            ax.set_xlabel(label("axis.date", lang), fontsize=FONT)
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
