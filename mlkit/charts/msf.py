"""Multi-source feedback per respondent group, with suppressed groups labelled as such."""

from __future__ import annotations

import math

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from mlkit.analysis.labels import label
from mlkit.analysis.models import MsfGroup, MsfItemSummary, MsfSummary, ProgressAnalysis
from mlkit.catalogue import plural
from mlkit.charts._style import (
    FONT,
    FONT_TITLE,
    GREY,
    LINE,
    MARKERS,
    PALETTE,
    TICKS,
    label_margin,
    new_figure,
    show_empty,
    style_axes,
    text_width,
    wrap,
)
from mlkit.frameworks.models import Lang

WIDTH = 9.0


def _value(item: MsfItemSummary) -> float | None:
    """The group's figure for an item: the mean where the scale allows one, else the mode."""
    if item.mean is not None:
        return item.mean
    if item.summary is not None and item.summary.mode is not None:
        return float(item.summary.mode)
    return None


def _group_name(group: MsfGroup, lang: Lang) -> str:
    name = group.title.get(lang) or group.role
    return f"{name} (n={group.n_respondents})"


def _suppressed_label(group: MsfGroup, min_respondents: int, lang: Lang) -> str:
    """The overall group, when showing it would reveal a hidden group (no role is named)."""
    reason = label(
        group.reason or "msf.suppressed_reason", lang, min=min_respondents, n=group.n_respondents
    )
    name = group.title.get(lang) or group.role
    return f"{name}: {label('msf.suppressed', lang)} — {reason}"


def _hidden_label(msf: MsfSummary, lang: Lang) -> str:
    return plural("count.groups_hidden", msf.n_hidden_groups, lang, min=msf.min_respondents)


def msf_by_group(analysis: ProgressAnalysis, lang: Lang = "nl") -> Figure:
    """Dot plot of MSF items (rows) with one marker per respondent group.

    Groups below the minimum number of respondents are not plotted; they appear in the legend as
    "suppressed" with the reason, so a reader sees that they exist but not what they said.

    Example:
        >>> fig = msf_by_group(analysis, "nl")
    """
    msf = analysis.msf
    groups = list(msf.groups) if msf is not None else []
    if msf is not None and msf.overall is not None:
        groups.append(msf.overall)
    shown = [g for g in groups if not g.suppressed]
    items = shown[0].items if shown else []
    item_labels = [wrap(it.title.get(lang) or it.item, 40) for it in items]
    legend = [_group_name(g, lang) for g in shown]
    if msf is not None:
        legend += [_suppressed_label(g, msf.min_respondents, lang) for g in groups if g.suppressed]
        legend += [_hidden_label(msf, lang)] if msf.n_hidden_groups else []
    # two legend columns when they fit the width (handle and spacing about 0.8 in each)
    ncol = 2 if 2 * (text_width(legend) + 0.8) <= WIDTH - 0.2 else 1
    left = label_margin(item_labels, extra=LINE + 0.1)  # and the axis label
    bottom = 2 * TICKS + 0.15 + LINE * 1.2 * math.ceil(len(legend) / ncol) if msf else 0.3
    fig = new_figure(
        WIDTH, max(1.8, 0.6 + bottom + 0.45 * len(items)), left=left, right=0.3, bottom=bottom
    )
    fig.suptitle(label("heading.msf", lang), fontsize=FONT_TITLE)
    ax = fig.add_subplot(1, 1, 1)
    if msf is None:
        show_empty(ax, lang, "empty.no_msf")
        return fig
    style_axes(ax)
    handles: list[Line2D | Patch] = []
    offsets = (
        [0.0]
        if len(shown) < 2
        else [(-0.25 + 0.5 * i / (len(shown) - 1)) for i in range(len(shown))]
    )
    for i, group in enumerate(shown):
        colour, marker = PALETTE[i % len(PALETTE)], MARKERS[i % len(MARKERS)]
        if group.role == "all":
            colour, marker = "black", "D"
        points = [
            (row + offsets[i], v)
            for row, item in enumerate(group.items)
            if (v := _value(item)) is not None
        ]
        ax.plot(
            [v for _, v in points],
            [y for y, _ in points],
            linestyle="none",
            marker=marker,
            color=colour,
            markersize=7,
        )
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker=marker,
                color=colour,
                label=_group_name(group, lang),
            )
        )
    for group in groups:
        if group.suppressed:
            handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=GREY,
                    hatch="//",
                    label=_suppressed_label(group, msf.min_respondents, lang),
                )
            )
    if msf.n_hidden_groups:
        handles.append(
            Patch(facecolor="none", edgecolor=GREY, hatch="//", label=_hidden_label(msf, lang))
        )
    if items:
        ax.set_yticks(range(len(items)))
        ax.set_yticklabels(item_labels, fontsize=FONT)
        ax.set_ylim(len(items) - 0.5, -0.5)
    else:
        ax.set_yticks([])
        ax.text(
            0.5,
            0.5,
            label("msf.suppressed", lang),
            ha="center",
            va="center",
            fontsize=FONT,
            color=GREY,
            transform=ax.transAxes,
        )
    ax.set_xlim(0.5, 5.5)
    ax.set_xticks(range(1, 6))
    ax.grid(axis="x", color=GREY, alpha=0.3)
    ax.set_xlabel(f"{label('axis.score', lang)} ({label('msf.mean', lang)})", fontsize=FONT)
    ax.set_ylabel(label("axis.item", lang), fontsize=FONT)
    fig.legend(handles=handles, loc="lower center", ncol=ncol, fontsize=FONT, frameon=False)
    return fig
