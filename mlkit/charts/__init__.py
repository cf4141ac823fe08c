"""Charts of a progress analysis, built with matplotlib's object-oriented API only.

Every function returns a :class:`matplotlib.figure.Figure` created without pyplot, so nothing
accumulates in a long-running kernel. Text is in the requested language (Dutch by default), at
least 9 pt, with a colour-blind-safe palette plus markers and hatching for print.
"""

from mlkit.charts.activities import activity_timeline
from mlkit.charts.domains import domain_radar
from mlkit.charts.evidence import evidence_coverage
from mlkit.charts.export import figure_to_data_uri, figure_to_png_bytes, figure_to_svg_data_uri
from mlkit.charts.msf import msf_by_group
from mlkit.charts.trajectories import domain_trajectories

__all__ = [
    "activity_timeline",
    "domain_radar",
    "domain_trajectories",
    "evidence_coverage",
    "figure_to_data_uri",
    "figure_to_png_bytes",
    "figure_to_svg_data_uri",
    "msf_by_group",
]
