"""A timeline of leadership activities and talent-track enrolments."""

from __future__ import annotations

from datetime import timedelta

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from mlkit.analysis.labels import label
from mlkit.analysis.models import ProgressAnalysis
from mlkit.charts._style import (
    BLUE,
    FONT,
    FONT_TITLE,
    GREY,
    LINE,
    PURPLE,
    TICKS,
    date_axis,
    date_num,
    label_margin,
    new_figure,
    show_empty,
    style_axes,
    wrap,
)
from mlkit.frameworks.models import Lang

_MIN_DAYS = 7  # one-day activities still show as a visible bar


def activity_timeline(analysis: ProgressAnalysis, lang: Lang = "nl") -> Figure:
    """Horizontal bars from start to end date per activity; talent tracks coloured and hatched.

    Activities without an end date run to the analysis date. A dashed line marks ``as_of``.

    Example:
        >>> fig = activity_timeline(analysis, "en")
    """
    acts = analysis.activities
    row_labels = [wrap(_title(a.title, a.activity_type), 32) for a in acts]
    left = label_margin(row_labels)
    # dates (two lines with the concise formatter), the axis label and the legend
    bottom = 2 * TICKS + LINE + 0.35 if acts else 0.3
    fig = new_figure(9, max(1.8, 0.6 + bottom + 0.45 * len(acts)), left=left, bottom=bottom)
    fig.suptitle(label("heading.activities", lang), fontsize=FONT_TITLE)
    ax = fig.add_subplot(1, 1, 1)
    if not acts:
        show_empty(ax, lang, "empty.no_activities")
        return fig
    style_axes(ax)
    for row, act in enumerate(acts):
        start = act.start_date or analysis.as_of
        end = min(act.end_date or analysis.as_of, analysis.as_of)
        end = max(end, start + timedelta(days=_MIN_DAYS))
        talent = act.track is not None
        ax.barh(
            row,
            date_num(end) - date_num(start),
            left=date_num(start),
            height=0.6,
            color=PURPLE if talent else BLUE,
            hatch="xx" if talent else "",
            edgecolor="black",
            linewidth=0.6,
        )
    ax.axvline(date_num(analysis.as_of), color=GREY, linestyle="--", linewidth=1)
    ax.set_yticks(range(len(acts)))
    ax.set_yticklabels(row_labels, fontsize=FONT)
    ax.set_ylim(len(acts) - 0.5, -0.5)
    date_axis(ax, maxticks=8)
    first = min((a.start_date for a in acts if a.start_date), default=analysis.as_of)
    ax.set_xlim(
        date_num(min(first, analysis.start_date) - timedelta(days=30)),
        date_num(analysis.as_of + timedelta(days=30)),
    )
    ax.set_xlabel(label("axis.date", lang), fontsize=FONT)
    handles = [
        Patch(facecolor=BLUE, edgecolor="black", label=label("series.activity", lang)),
        Patch(
            facecolor=PURPLE,
            edgecolor="black",
            hatch="xx",
            label=label("series.talent_track", lang),
        ),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=FONT, frameon=False)
    return fig


def _title(title: str, activity_type: str) -> str:
    return title or activity_type or "?"
