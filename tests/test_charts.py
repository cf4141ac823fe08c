from __future__ import annotations

import base64
from datetime import date

import matplotlib
import matplotlib.pyplot as plt
import pytest
from analysis_helpers import (
    ACTIVITY_COLUMNS,
    AIOS,
    AS_OF,
    CURRICULUM,
    FORM_COLUMNS,
    FRAMEWORK,
    INSTRUMENTS,
    REFLECTION_COLUMNS,
    SCORE_COLUMNS,
    activities_frame,
    empty,
    forms_of,
    opleider_ratings,
    reflections_frame,
    score,
    scores_frame,
)
from matplotlib.figure import Figure
from matplotlib.text import Text

from mlkit.analysis import ProgressAnalysis, analyse_progress, trajectory_frame
from mlkit.charts import (
    activity_timeline,
    domain_radar,
    domain_trajectories,
    evidence_coverage,
    figure_to_data_uri,
    figure_to_png_bytes,
    figure_to_svg_data_uri,
    msf_by_group,
)
from mlkit.charts._style import date_num
from mlkit.charts.trajectories import band_runs

matplotlib.use("Agg")

CHARTS = [domain_radar, domain_trajectories, evidence_coverage, msf_by_group, activity_timeline]


def _msf(role: str, n: int, value: int) -> list[dict[str, object]]:
    return [
        score(
            f"{role}{i}",
            "2025-03-01",
            item,
            value,
            instrument="msf",
            assessor=f"{role}{i}",
            role=role,
        )
        for i in range(n)
        for item in ("initiatief", "verbindt")
    ]


@pytest.fixture(scope="module")
def full() -> ProgressAnalysis:
    rows = (
        opleider_ratings("rml_d01", [2, 3, 3])
        + opleider_ratings("rml_d02", [3, 4, 4])
        + [score("s1", "2025-04-01", "rml_d01", 4, assessor="a1", role="aios")]
        + _msf("specialist", 3, 4)
        + _msf("verpleegkundige", 2, 5)
    )
    scores = scores_frame(rows)
    acts = activities_frame(
        [
            {
                "activity_id": "t1",
                "aios_id": "a1",
                "activity_type": "talenttraject",
                "title": "Pareltraject",
                "start_date": "2024-10-01",
                "end_date": None,
                "track": "talent.parel",
                "domains": "rml.d02",
            },
            {
                "activity_id": "c1",
                "aios_id": "a1",
                "activity_type": "cursus",
                "title": "Cursus",
                "start_date": "2025-02-01",
                "end_date": "2025-02-01",
                "track": None,
                "domains": "",
            },
        ]
    )
    refl = reflections_frame([])
    return analyse_progress(
        AIOS,
        scores,
        forms_of(scores),
        acts,
        refl,
        INSTRUMENTS,
        CURRICULUM,
        AS_OF,
        framework=FRAMEWORK,
    )


@pytest.fixture(scope="module")
def bare() -> ProgressAnalysis:
    return analyse_progress(
        AIOS,
        empty(SCORE_COLUMNS),
        empty(FORM_COLUMNS),
        empty(ACTIVITY_COLUMNS),
        empty(REFLECTION_COLUMNS),
        INSTRUMENTS,
        CURRICULUM,
        AS_OF,
    )


def texts(fig: Figure) -> str:
    fig.draw_without_rendering()  # places legends and titles; no pixels compared
    return "\n".join(t.get_text() for t in fig.findobj(Text))


def font_sizes(fig: Figure) -> list[float]:
    return [t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()]


@pytest.mark.parametrize("chart", CHARTS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_charts_return_figures_with_print_sized_text(
    full: ProgressAnalysis, chart, lang: str
) -> None:  # type: ignore[no-untyped-def]
    fig = chart(full, lang)
    assert isinstance(fig, Figure)
    assert texts(fig)
    assert min(font_sizes(fig)) >= 9


@pytest.mark.parametrize("chart", CHARTS)
def test_charts_do_not_fail_on_empty_data(bare: ProgressAnalysis, chart) -> None:  # type: ignore[no-untyped-def]
    fig = chart(bare, "nl")
    assert isinstance(fig, Figure)
    figure_to_png_bytes(fig, dpi=50)


@pytest.mark.parametrize(
    ("chart", "nl", "en"),
    [
        (
            domain_radar,
            ["zelfbeoordeling", "verwacht niveau", "Niveau per domein"],
            ["self-assessment", "expected level", "Level per domain"],
        ),
        (
            domain_trajectories,
            ["datum", "niveau", "verwacht niveau (band)"],
            ["date", "level", "expected level (band)"],
        ),
        (
            evidence_coverage,
            ["opleidingsjaar", "jaar 1", "voldaan", "ontbreekt"],
            ["training year", "year 1", "met", "missing"],
        ),
        (msf_by_group, ["onderdeel", "specialist (n=3)"], ["item", "specialist (n=3)"]),
        (activity_timeline, ["datum", "talenttraject"], ["date", "talent track"]),
    ],
)
def test_chart_text_is_in_the_requested_language(
    full: ProgressAnalysis, chart, nl: list[str], en: list[str]
) -> None:  # type: ignore[no-untyped-def]
    dutch, english = texts(chart(full, "nl")), texts(chart(full, "en"))
    for word in nl:
        assert word in dutch
    for word in en:
        assert word in english
    assert "Ontwikkeling per domein" not in english


def test_radar_names_domains_and_marks_unverified(full: ProgressAnalysis) -> None:
    text = texts(domain_radar(full, "nl"))
    assert "Leiden vanuit visie" in text
    # an unconfirmed name carries one footnote mark, no bracketed prefix and no code
    assert "Voorbeeldgedrag*" in text and "[niet geverifieerd]" not in text
    assert "Role modelling*" in texts(domain_radar(full, "en"))
    assert "rml.d04" not in text and "niet geladen" not in text  # the empty slot is left out


def test_msf_chart_labels_suppressed_groups(full: ProgressAnalysis) -> None:
    text = texts(msf_by_group(full, "nl"))
    # a group below the minimum is not named, plotted or counted: only that it exists
    assert "verpleegkundige" not in text
    assert "1 respondentgroep met minder dan 3 respondenten is niet getoond." in text
    assert "alle respondenten: onderdrukt" in text
    en = texts(msf_by_group(full, "en"))
    assert "nurse" not in en
    assert "1 respondent group with fewer than 3 respondents is not shown." in en


def test_trajectories_accept_a_frame(full: ProgressAnalysis) -> None:
    fig = domain_trajectories(trajectory_frame(full), "en")
    assert "rml.d01" in texts(fig)
    assert isinstance(domain_trajectories(trajectory_frame(full).iloc[0:0], "nl"), Figure)


def test_png_and_data_uri(full: ProgressAnalysis) -> None:
    fig = evidence_coverage(full, "nl")
    png = figure_to_png_bytes(fig, dpi=60)
    assert png.startswith(b"\x89PNG")
    uri = figure_to_data_uri(fig, dpi=60)
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).startswith(b"\x89PNG")
    svg = figure_to_svg_data_uri(fig)
    assert svg.startswith("data:image/svg+xml;base64,")
    decoded = base64.b64decode(svg.split(",", 1)[1]).decode("utf-8")
    assert "<svg" in decoded and decoded.rstrip().endswith("</svg>")


def test_charts_leave_pyplot_alone(full: ProgressAnalysis) -> None:
    before = plt.get_fignums()
    for chart in CHARTS:
        chart(full, "nl")
    assert plt.get_fignums() == before


def test_activity_dates(full: ProgressAnalysis) -> None:
    assert [a.start_date for a in full.activities] == [date(2024, 10, 1), date(2025, 2, 1)]


def test_trajectory_band_joins_consecutive_years(full: ProgressAnalysis) -> None:
    code = full.domains[0].code
    runs = band_runs(full, code, full.as_of)
    assert len(runs) == 1  # the training years follow each other: one shape, not one per year
    xs, ys = runs[0]
    assert xs == sorted(xs) and len(xs) == len(ys)
    expected = [y.expected[code] for y in full.expected_by_year if y.start <= full.as_of]
    assert ys[:-1] == expected
    assert xs[0] == date_num(full.expected_by_year[0].start)
    assert xs[-1] == date_num(full.as_of)


def test_trajectory_points_land_in_their_domain_panel(full: ProgressAnalysis) -> None:
    fig = domain_trajectories(full, "nl")
    (ax,) = fig.axes
    frames = [p.get_extents() for p in ax.collections[1].get_paths()]
    shown = [d for d in full.domains if d.status.value != "not_assessable"]
    assert len(frames) == len(shown) == len(full.domains) - 1  # the empty slot has no panel
    traj = trajectory_frame(full)
    others, own = ax.lines
    assert len(others.get_xdata()) + len(own.get_xdata()) == len(traj)
    assert len(own.get_xdata()) == int((traj["series"] == "self").sum())
    panel = {d.code: i for i, d in enumerate(shown)}
    for line, series in ((others, "others"), (own, "self")):
        rows = traj[traj["series"] == series]
        for (x, y), code in zip(line.get_xydata(), rows["domain"], strict=True):
            box = frames[panel[code]]
            assert box.x0 <= x <= box.x1 and box.y0 <= y <= box.y1, code
    # a domain without ratings says so in its own panel
    text = texts(fig)
    empty_panels = len(shown) - traj["domain"].nunique()
    assert text.count("geen gegevens") == empty_panels > 0


@pytest.mark.parametrize("chart", CHARTS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_chart_text_stays_inside_the_figure(full: ProgressAnalysis, chart, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Margins are fixed per chart (no layout engine), so check nothing spills over an edge."""
    fig = chart(full, lang)
    fig.draw_without_rendering()  # places legends and titles
    renderer = fig._get_renderer()
    page = fig.bbox
    for t in fig.findobj(Text):
        if not t.get_text().strip() or not t.get_visible():
            continue
        box = t.get_window_extent(renderer)
        assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1, t.get_text()
        assert box.y0 >= page.y0 - 1 and box.y1 <= page.y1 + 1, t.get_text()
