"""Required evidence per training year against what is present: a requirement x year grid."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from mlkit.analysis.labels import label
from mlkit.analysis.models import EvidenceState, ProgressAnalysis
from mlkit.charts._style import (
    FONT,
    FONT_TITLE,
    GREEN,
    LINE,
    TICKS,
    VERMILION,
    YELLOW,
    label_margin,
    new_figure,
    show_empty,
    style_axes,
    wrap,
)
from mlkit.frameworks.models import Lang

_STATE_STYLE = {
    EvidenceState.MET: (GREEN, ""),
    EvidenceState.MISSING: (VERMILION, "xx"),
    EvidenceState.OPEN: (YELLOW, ".."),
}


def evidence_coverage(analysis: ProgressAnalysis, lang: Lang = "nl") -> Figure:
    """Grid of curriculum requirements (rows) by training year (columns).

    Each cell shows ``present/required``; colour and hatching tell met, missing and in progress
    apart, also in black-and-white print. A dash marks a requirement not set for that year.

    Example:
        >>> fig = evidence_coverage(analysis, "nl")
    """
    checks = analysis.evidence
    rows: list[str] = []
    names: dict[str, str] = {}
    for c in checks:
        if c.instrument not in rows:
            rows.append(c.instrument)
            names[c.instrument] = c.description.get(lang) or c.instrument
    years = sorted({c.year for c in checks})
    row_labels = [wrap(names[r], 34) for r in rows]
    left = label_margin(row_labels)
    bottom = 2 * TICKS + LINE + 0.3 if checks else 0.3  # year labels, axis label, legend
    fig = new_figure(
        max(5.0, left + 0.3 + 1.3 * len(years)),
        max(1.8, 0.6 + bottom + 0.55 * len(rows)),
        left=left,
        bottom=bottom,
    )
    fig.suptitle(label("heading.evidence", lang), fontsize=FONT_TITLE)
    ax = fig.add_subplot(1, 1, 1)
    if not checks:
        show_empty(ax, lang, "empty.no_requirements")
        return fig
    style_axes(ax)
    cells = {(c.instrument, c.year): c for c in checks}
    for r, instrument in enumerate(rows):
        for col, year in enumerate(years):
            check = cells.get((instrument, year))
            if check is None:
                ax.add_patch(
                    Rectangle((col, r), 1, 1, facecolor="white", edgecolor="black", linewidth=0.8)
                )
                ax.text(col + 0.5, r + 0.5, "–", ha="center", va="center", fontsize=FONT)
                continue
            colour, hatch = _STATE_STYLE[check.state]
            ax.add_patch(
                Rectangle(
                    (col, r),
                    1,
                    1,
                    facecolor=colour,
                    alpha=0.55,
                    hatch=hatch,
                    edgecolor="black",
                    linewidth=0.8,
                )
            )
            ax.text(
                col + 0.5,
                r + 0.5,
                f"{check.present}/{check.required}",
                ha="center",
                va="center",
                fontsize=FONT,
                fontweight="bold",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5},
            )
    ax.set_xlim(0, len(years))
    ax.set_ylim(len(rows), 0)
    ax.set_xticks([i + 0.5 for i in range(len(years))])
    ax.set_xticklabels([label("cohort.year", lang, year=y) for y in years], fontsize=FONT)
    ax.set_yticks([i + 0.5 for i in range(len(rows))])
    ax.set_yticklabels(row_labels, fontsize=FONT)
    ax.set_xlabel(label("axis.year", lang), fontsize=FONT)
    ax.tick_params(length=0)
    handles = [
        Patch(
            facecolor=colour,
            alpha=0.55,
            hatch=hatch,
            edgecolor="black",
            label=label(f"evidence.{state.value}", lang),
        )
        for state, (colour, hatch) in _STATE_STYLE.items()
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=FONT, frameon=False)
    return fig
