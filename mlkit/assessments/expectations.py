"""Expected levels per training year, for the domains that are loaded.

A curriculum's ``"*"`` key applies only to *named* domains: an empty slot of a framework (e.g.
``rml.d10`` until a committee loads the official text) gets no expectation, so it can never be
"behind". Reports call :func:`expected_levels`; the curriculum's
:attr:`~mlkit.assessments.models.Curriculum.expectation_status` says what the expectations are
("voorstel, geen landelijke norm" while unverified), to print once per page.
"""

from __future__ import annotations

from collections.abc import Iterable

from mlkit.assessments._checks import ALL_DOMAINS
from mlkit.assessments.models import Curriculum
from mlkit.frameworks.models import Framework, Status


def expected_point(curriculum: Curriculum, year: int, domain: str) -> str:
    """Return the point code expected for ``domain`` in training ``year`` of a curriculum.

    This does not know which domains are loaded; use :func:`expected_levels` for reports.

    Raises:
        KeyError: when the year sets neither ``domain`` nor ``"*"``.
    """
    expected = curriculum.year(year).expected
    return expected[domain] if domain in expected else expected[ALL_DOMAINS]


def named_domains(framework: Framework) -> list[str]:
    """Return the codes of the framework's domains that have a name (a title in any language).

    An empty slot (e.g. ``rml.d10`` until the official text is loaded) is not named.
    """
    return [d.code for d in framework.domains if d.title.nl or d.title.en]


def expected_levels(
    curriculum: Curriculum, year: int, domains: Iterable[str] | Framework
) -> dict[str, str]:
    """Return domain -> expected point code for ``year``, for the given (named) domains only.

    ``"*"`` applies only to the domains passed in; pass a framework to use its named domains, so
    that an empty slot gets no expectation (and so can never be "behind"). An explicit key for a
    domain that is not passed in is dropped too.

    Example:
        >>> levels = expected_levels(curriculum_for(None), 1, load_framework("rml"))
        >>> "rml.d10" in levels
        False
    """
    wanted = named_domains(domains) if isinstance(domains, Framework) else list(domains)
    expected = curriculum.year(year).expected
    out: dict[str, str] = {}
    for code in wanted:
        point = expected.get(code, expected.get(ALL_DOMAINS))
        if point is not None:
            out[code] = point
    return out


def expectation_is_proposal(curriculum: Curriculum) -> bool:
    """True when the curriculum's expectations are not an adopted norm (show the status)."""
    return curriculum.status is not Status.CONFIRMED


__all__ = ["expectation_is_proposal", "expected_levels", "expected_point", "named_domains"]
