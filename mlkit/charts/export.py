"""Turning figures into bytes for HTML reports."""

from __future__ import annotations

import base64
import io

from matplotlib.figure import Figure


def figure_to_png_bytes(fig: Figure, dpi: int = 150) -> bytes:
    """Render ``fig`` as PNG bytes (no pyplot, no files).

    Example:
        >>> png = figure_to_png_bytes(domain_radar(analysis, "nl"), dpi=150)
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def figure_to_data_uri(fig: Figure, dpi: int = 150) -> str:
    """Return ``fig`` as a ``data:image/png;base64,...`` URI for an ``<img src>``.

    Example:
        >>> html = f'<img src="{figure_to_data_uri(fig)}" alt="...">'
    """
    encoded = base64.b64encode(figure_to_png_bytes(fig, dpi)).decode("ascii")
    return f"data:image/png;base64,{encoded}"
