"""Decision rules: the data behind the proposed progress decision (voldoende, twijfel, ...).

The bundled rules live in ``assessments/decision_rules/*.yaml`` and are read through
:func:`importlib.resources.files`, like the curricula. Each file carries an ``id`` and a
``version`` that every report prints with the proposal, a source and a status: the default rules
are mlkit's proposal (``unverified``). The rules are evaluated by
:func:`mlkit.analysis.proposal.propose`.

Example:
    >>> rules = load_decision_rules()
    >>> rules.id, rules.default.value
    ('default', 'voldoende')
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from mlkit._resources import bundled_assessments
from mlkit.assessments.yaml_model import load_model_file, parse_model
from mlkit.frameworks.models import Status, Text

DEFAULT_RULES = "default"


class Outcome(StrEnum):
    """A proposed progress decision, from least to most serious."""

    VOLDOENDE = "voldoende"
    TWIJFEL = "twijfel"  # twijfel – bespreken
    ONVOLDOENDE = "onvoldoende"

    @property
    def severity(self) -> int:
        """0 for voldoende, 1 for twijfel, 2 for onvoldoende."""
        return list(Outcome).index(self)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Condition(_Model):
    """What must hold for a rule to fire; every field given must hold.

    Attributes:
        min_behind: At least this many domains behind the expected level.
        min_insufficient: At least this many domains with not enough evidence.
        min_missing_earlier: At least this many evidence requirements of an earlier training
            year not met.
        past_nominal_duration: The aios is (true) or is not (false) past the nominal duration.
        judgement: The latest ``progress_meeting`` (voortgangsoordeel) or ``suitability``
            (geschiktheidsbesluit) whose ``item`` is rated one of ``values``.
    """

    min_behind: int | None = Field(default=None, ge=1)
    min_insufficient: int | None = Field(default=None, ge=1)
    min_missing_earlier: int | None = Field(default=None, ge=1)
    past_nominal_duration: bool | None = None
    judgement: Literal["progress_meeting", "suitability"] | None = None
    item: str | None = None
    values: tuple[int, ...] = ()

    @model_validator(mode="after")
    def _complete(self) -> Self:
        given = self.model_dump(exclude_defaults=True)
        if not given:
            raise ValueError("a condition needs at least one field")
        if (self.judgement is None) != (self.item is None) or (
            self.judgement is not None and not self.values
        ):
            raise ValueError("judgement, item and values go together")
        return self


class DecisionRule(_Model):
    """One rule: an id, the outcome it proposes and the condition under which it fires."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    outcome: Outcome
    when: Condition


class DecisionRules(_Model):
    """A versioned set of decision rules (one YAML file)."""

    schema_id: Literal["mlkit.decision_rules/1"] = Field(alias="schema")
    id: str
    version: str
    title: Text
    source: str
    status: Status
    note: str = ""
    default: Outcome = Outcome.VOLDOENDE
    rules: tuple[DecisionRule, ...] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _unique_ids(self) -> Self:
        ids = [r.id for r in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError(f"duplicate rule ids: {sorted({i for i in ids if ids.count(i) > 1})}")
        return self


def parse_decision_rules(text: str, source: str = "<text>") -> DecisionRules:
    """Parse and validate decision rules from YAML text.

    Raises:
        AssessmentValidationError: listing every problem found in the text.
    """
    return parse_model(text, DecisionRules, source)


def load_decision_rules_file(path: Path | Traversable) -> DecisionRules:
    """Load decision rules from one YAML file (a path or a bundled resource).

    Raises:
        AssessmentValidationError: when the file is missing or not valid.
    """
    return load_model_file(path, DecisionRules, "decision rules file")


@cache
def load_decision_rules(rules_id: str = DEFAULT_RULES) -> DecisionRules:
    """Load the bundled decision rules ``rules_id`` (cached: the model is immutable).

    Raises:
        AssessmentValidationError: when no such bundled file exists or it is not valid.
    """
    return load_decision_rules_file(bundled_assessments() / "decision_rules" / f"{rules_id}.yaml")


__all__ = [
    "DEFAULT_RULES",
    "Condition",
    "DecisionRule",
    "DecisionRules",
    "Outcome",
    "load_decision_rules",
    "load_decision_rules_file",
    "parse_decision_rules",
]
