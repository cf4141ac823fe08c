"""Record content as the store holds it: canonical dtypes, content hashes, packed item scores.

Item scores are stored one row per form version (table ``form_scores``): the ``items`` column is
a JSON object of item code -> score in the form's item order, e.g.
``{"verantwoordelijkheid":4.0,"invloed_en_overleg":"n.v.t."}``. A score is a JSON number,
``"n.v.t."`` means not applicable and ``null`` a missing score that is not marked not applicable
(the importer never stores one). Each item is encoded by :func:`member`, so that the text of an
item is the same whether it was packed from a file or re-encoded from the store: comparing two
members compares item and value.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from mlkit.store.tables import TableSpec

#: The JSON value of a not-applicable item.
NOT_APPLICABLE = "n.v.t."
_NA_JSON = json.dumps(NOT_APPLICABLE)


def normalise(spec: TableSpec, frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` reduced to ``spec``'s columns with canonical dtypes.

    Text columns hold strings with ``""`` for missing values: ``category`` when the input column
    is categorical (as the validators produce), else ``object``. ``score`` becomes float64 (NaN
    for not applicable) and integer flags int64. The content hash depends on these values; it is
    the same for a categorical and an ``object`` column of the same strings (pandas hashes a
    categorical's categories and takes them by code), so either may be written.
    """
    out: dict[str, pd.Series] = {}
    for col in spec.columns:
        series = frame[col]
        if col in spec.numeric:
            dtype = "int64" if col == "not_applicable" else "float64"
            out[col] = pd.Series(series.to_numpy(dtype=dtype), dtype=dtype)
        elif isinstance(series.dtype, pd.CategoricalDtype):
            out[col] = _text_categorical(series)
        else:
            values = series.to_numpy(dtype=object)
            missing = pd.isna(values)
            if missing.any():
                values = values.copy()
                values[missing] = ""
            out[col] = pd.Series(values, dtype=object)
    return pd.DataFrame(out)


def _text_categorical(series: pd.Series) -> pd.Series:
    """Return a categorical of the strings in use, with ``""`` in place of missing values.

    Unused categories (values of rejected rows) are dropped: the hash visits every category.
    """
    cat = pd.Categorical(series).remove_unused_categories()
    codes = np.asarray(cat.codes)
    categories = [str(c) for c in cat.categories]
    if (codes < 0).any():
        if "" not in categories:
            categories.append("")
        codes = np.where(codes < 0, categories.index(""), codes)
    values = pd.Categorical.from_codes(codes, pd.Index(categories, dtype=object))
    return pd.Series(values)


def content_hash(spec: TableSpec, frame: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Return a stable 64-bit hash of each row's content columns (as signed integers)."""
    hashed = pd.util.hash_pandas_object(frame[list(spec.columns)], index=False)
    return hashed.to_numpy(dtype=np.uint64).view(np.int64)


def member(item: str, score: float | None, not_applicable: bool) -> str:
    """Return the JSON member text of one item score, e.g. ``"regie":4.0``."""
    if not_applicable:
        value = _NA_JSON
    elif score is None or math.isnan(score):
        value = "null"
    else:
        value = repr(float(score))
    return json.dumps(item, ensure_ascii=False) + ":" + value


def members(text: str) -> dict[str, str]:
    """Decode a stored ``items`` object into item -> member text, in stored order."""
    out: dict[str, str] = {}
    for item, value in json.loads(text).items():
        if isinstance(value, str):
            out[item] = member(item, None, True)
        else:
            out[item] = member(item, None if value is None else float(value), False)
    return out


def join_members(parts: list[str]) -> str:
    """Return the ``items`` object text of member texts."""
    return "{" + ",".join(parts) + "}"


@dataclass(frozen=True)
class PackedForms:
    """Item score rows packed into one ``items`` text per form.

    Attributes:
        forms: One row per form, in order of first appearance: ``form_id``, ``items``.
        members: The member text of each input row.
        row_form: The position in ``forms`` of each input row's form.
        order: Input row positions grouped by form (stable within a form).
        starts: Where each form's rows start in ``order``; ``ends`` where they end.
        ends: See ``starts``.
    """

    forms: pd.DataFrame
    members: npt.NDArray[np.object_]
    row_form: npt.NDArray[np.intp]
    order: npt.NDArray[np.intp]
    starts: npt.NDArray[np.intp]
    ends: npt.NDArray[np.intp]

    def rows_of(self, form: int) -> npt.NDArray[np.intp]:
        """Input row positions of the form at position ``form``, in input order."""
        return self.order[self.starts[form] : self.ends[form]]


def pack_forms(frame: pd.DataFrame) -> PackedForms:
    """Pack rows of (form_id, item, score, not_applicable) into one ``items`` text per form.

    Members are built once per distinct (item, score, not applicable) combination, which is a
    few hundred even for a million rows, and taken per row by code.
    """
    item_codes, items = pd.factorize(frame["item"])
    scores = frame["score"].to_numpy(dtype=np.float64)
    na = frame["not_applicable"].to_numpy(dtype=np.int64) != 0
    score_codes, score_values = pd.factorize(np.where(na, np.inf, scores))
    width = max(len(score_values), 1)
    combo = np.asarray(item_codes, dtype=np.int64) * width + score_codes
    combo_codes, combos = pd.factorize(combo)
    texts = []
    for c in combos:
        i, s = divmod(int(c), width)
        value = float(score_values[s])
        texts.append(member(str(items[i]), value, math.isinf(value)))
    row_members = np.array(texts, dtype=object)[combo_codes]
    form_codes, form_ids = pd.factorize(frame["form_id"])
    order = np.argsort(form_codes, kind="stable")
    bounds = np.flatnonzero(np.diff(form_codes[order])) + 1
    starts = np.concatenate(([0], bounds)).astype(np.intp)
    ends = np.concatenate((bounds, [len(order)])).astype(np.intp)
    ordered = row_members[order].tolist()
    packed = [
        join_members(ordered[a:b]) for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    ]
    if not len(order):
        packed, starts, ends = [], starts[:0], ends[:0]
    forms = pd.DataFrame(
        {
            "form_id": np.asarray(form_ids, dtype=object),
            "items": np.array(packed, dtype=object),
        }
    )
    row_form = np.asarray(form_codes, dtype=np.intp)
    return PackedForms(forms, row_members, row_form, order.astype(np.intp), starts, ends)


__all__ = [
    "NOT_APPLICABLE",
    "PackedForms",
    "content_hash",
    "join_members",
    "member",
    "members",
    "normalise",
    "pack_forms",
]
