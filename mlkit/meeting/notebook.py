"""Preparing the committee notebook: :class:`MeetingParams` and :func:`prepare_meeting`.

The notebook is written parameterised but not executed (decisions are recorded live, in a
running kernel); it carries no outputs. Open it with ``mlkit lab DIR`` (JupyterLab) or
``mlkit lab DIR --app`` (Voilà), both with quiet kernels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from mlkit.atomic import write_text_atomic
from mlkit.forms.notebooks import parameterised_notebook
from mlkit.reports.params import normalise_as_of

MEETING_TEMPLATE = "meeting.ipynb"


class MeetingParams(BaseModel):
    """Parameters of ``notebooks/meeting.ipynb``.

    Attributes:
        db: The cohort store (absolute, so the notebook can be opened from anywhere).
        lang: ``nl`` or ``en``.
        as_of: Reference date of the proposals (``YYYY-MM-DD``); today when empty.
        recorded_by: Who records the decisions (pre-filled on every card).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    db: str
    lang: Literal["nl", "en"] = "nl"
    as_of: str = ""
    recorded_by: str = ""

    @field_validator("as_of")
    @classmethod
    def _as_of(cls, value: str) -> str:
        return normalise_as_of(value)


def prepare_meeting(params: MeetingParams, out: Path) -> Path:
    """Write the committee notebook into ``out``; return its path.

    Raises:
        StoreMissingError: when the cohort store does not exist.
    """
    from mlkit.reports.inputs import StoreMissingError

    db = Path(params.db).resolve()
    if not db.is_file():
        raise StoreMissingError(db)
    out.mkdir(parents=True, exist_ok=True)
    values = params.model_copy(update={"db": str(db)}).model_dump()
    target = out / MEETING_TEMPLATE
    write_text_atomic(target, parameterised_notebook(MEETING_TEMPLATE, values))
    return target


__all__ = ["MEETING_TEMPLATE", "MeetingParams", "prepare_meeting"]
