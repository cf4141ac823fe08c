"""Charts per RML domain: a radar of levels and small-multiple trajectories over time."""

from __future__ import annotations

import math
from typing import cast

from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

from mlkit.analysis import names
from mlkit.analysis.labels import label
from mlkit.analysis.models import ProgressAnalysis
from mlkit.charts._style import (
    EXPECTED_STYLE,
    FONT,
    FONT_LABEL,
    FONT_TITLE,
    GREY,
    OTHERS_STYLE,
    SELF_STYLE,
    assessable,
    new_figure,
    show_empty,
    wrap,
)
from mlkit.frameworks.models import Lang


def domain_radar(analysis: ProgressAnalysis, lang: Lang = "nl") -> Figure:
    """Radar of the level per domain: self-assessment, opleider/assessors and expected level.

    Domains are numbered around the radar and named in a key beside it, so long Dutch names
    never overlap. Missing levels leave a gap in the line.

    Example:
        >>> fig = domain_radar(analysis, "nl")
    """
    # margins: the title and the domain numbers above, the numbers and the legend below
    fig = new_figure(10, 6.5, left=0.4, right=0.2, top=0.75, bottom=0.8)
    fig.suptitle(label("heading.radar", lang), fontsize=FONT_TITLE)
    grid = fig.add_gridspec(1, 2, width_ratios=(3, 2), wspace=0.1)
    domains = assessable(analysis.domains)
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
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=FONT, frameon=False)

    lines = [f"{label('heading.domains', lang)}:"]
    for i, d in enumerate(domains, start=1):
        name = wrap(names.domain_name(d.domain, lang), 42).replace("\n", "\n      ")
        lines.append(f"{i:>2}  {name}")
    lines += ["", f"{label('axis.level', lang)}:"]
    lines += [f"{p.value}  {p.label.get(lang) or p.code}" for p in analysis.scale_points]
    key.text(0, 1, "\n".join(lines), va="top", ha="left", fontsize=FONT, transform=key.transAxes)
    return fig
