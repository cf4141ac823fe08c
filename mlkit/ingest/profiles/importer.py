"""Importing a vendor export through an import profile, or detecting the profile from headers.

The profile turns the vendor's rows into mlkit's assessments rows; the ordinary importer then
validates and stores them (:func:`mlkit.ingest.importer.validate` and
:func:`~mlkit.ingest.importer.write_validated`). Row accounting covers the vendor's rows: each is
stored, rejected (by the profile or by validation, with the vendor's row number and header) or a
duplicate, and ``stored + rejected + duplicates == rows_read``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from mlkit.ingest.checks import REJECT_COLUMNS
from mlkit.ingest.columns import FileKind
from mlkit.ingest.csvsafe import write_csv
from mlkit.ingest.errors import (
    MissingColumnsError,
    NoDataRowsError,
    SeveralSheetsError,
    UnrecognisedColumnsError,
)
from mlkit.ingest.importer import (
    ImportSummary,
    default_rejects_path,
    import_file,
    import_into_db,
    validate,
    write_validated,
)
from mlkit.ingest.profiles.convert import convert, fits
from mlkit.ingest.profiles.errors import NoProfileFitsError, SeveralProfilesFitError
from mlkit.ingest.profiles.grid import Grid, is_xlsx, read_csv_grid, read_xlsx_grid
from mlkit.ingest.profiles.loader import ancestors, find_profile, load_profiles
from mlkit.ingest.profiles.model import FileFormat, ImportProfile
from mlkit.ingest.reference import Reference
from mlkit.ingest.validate import Validated
from mlkit.store import Store


@dataclass(frozen=True)
class ProfileImportSummary(ImportSummary):
    """An :class:`ImportSummary` that also names the import profile used.

    Attributes:
        profile: The profile's name.
    """

    profile: str = ""

    def as_dict(self) -> dict[str, Any]:
        """The summary as a JSON-ready dict, with the profile."""
        return {**super().as_dict(), "profile": self.profile}

    def line(self) -> str:
        """One human-readable line, naming the profile."""
        head, _, tail = super().line().partition(":")
        return f"{head} [profile {self.profile}]:{tail}"


def read_grid(data: bytes, source: str, profile: ImportProfile) -> Grid:
    """Read vendor bytes as ``profile`` says (its sheet, or its CSV dialect).

    Raises:
        ImportFileError: (a subclass of) when the bytes cannot be read that way.
    """
    if profile.format is FileFormat.XLSX:
        assert profile.sheet is not None
        return read_xlsx_grid(data, source, profile.sheet)
    return read_csv_grid(data, source, profile.csv)


def detect_profile(
    data: bytes, source: str, profiles: Mapping[str, ImportProfile]
) -> ImportProfile:
    """Return the one profile whose ``detect`` headers the file holds.

    A profile that extends another is preferred over the one it extends.

    Raises:
        NoProfileFitsError: when no profile fits (the message lists them all).
        SeveralProfilesFitError: when unrelated profiles fit.
    """
    kind = FileFormat.XLSX if is_xlsx(data) else FileFormat.CSV
    fitting: list[ImportProfile] = []
    for profile in profiles.values():
        if profile.format is not kind:
            continue
        try:
            grid = read_grid(data, source, profile)
        except (ValueError, LookupError):
            continue  # wrong sheet, wrong encoding: this profile does not fit
        if fits(grid, profile):
            fitting.append(profile)
    covered = {a for p in fitting for a in ancestors(p, profiles)}
    names = [p.name for p in fitting if p.name not in covered]
    if not names:
        raise NoProfileFitsError(source, list(profiles))
    if len(names) > 1:
        raise SeveralProfilesFitError(source, names)
    return profiles[names[0]]


def _explain(rejects: pd.DataFrame, fields: Mapping[str, str], profile: str) -> pd.DataFrame:
    """Name the vendor's header in validation rejects; say how to map an unknown item."""
    named = {c: f"{v} ({c})" if v and v != "(profile)" else c for c, v in fields.items()}
    out = rejects.copy()
    out["field"] = out["field"].map(lambda f: named.get(str(f), f)).astype(object)
    hint = (
        f"; map the vendor's code to an mlkit item under columns.item.map in a profile that "
        f"extends {profile} (README, 'Import profiles')"
    )
    unknown = (out["reason"] == "unknown_item").to_numpy()
    out.loc[unknown, "message"] = out.loc[unknown, "message"].astype(str) + hint
    if "formulier_id" not in fields:  # the form id was derived, not read
        same = ((out["reason"] == "duplicate_key") & (out["field"] == "formulier_id")).to_numpy()
        out.loc[same, "message"] = (
            "an earlier row has the same aios, instrument, item, date and assessor (so the same "
            "derived form id) with other content"
        )
    return out


def import_with_profile(
    path: Path,
    store: Store,
    profile: ImportProfile | str | None = None,
    rejects_path: Path | None = None,
    today: date | None = None,
    *,
    reference: Reference | None = None,
    profile_dirs: Sequence[Path] | None = None,
) -> ProfileImportSummary:
    """Import a vendor export (assessments) through an import profile.

    Args:
        path: The vendor's CSV or XLSX file.
        store: An open store holding the roster.
        profile: A profile, a profile name or a ``.yaml`` path; None detects it from the headers.
        rejects_path: Where rejected rows go; default ``NAME.rejects.csv`` beside the file.
        today: Dates after this are rejected as future dates; default today.
        reference: Instruments to check against; default the bundled ones.
        profile_dirs: User profile directories (default ``MLKIT_PROFILES_PATH``).

    Example:
        >>> with Store.open(Path("mlkit.db")) as store:  # doctest: +SKIP
        ...     print(import_with_profile(Path("extract.csv"), store, "elentra_extract").line())

    Raises:
        FileNotFoundError: when ``path`` does not exist.
        ImportFileError: (a subclass of) when the file does not fit the profile, or no profile
            fits; the store is left unchanged.
        ProfileNotFoundError: when no profile has the given name.
        ProfileValidationError: when a profile file is not valid.
    """
    if isinstance(profile, str):
        profile = find_profile(profile, profile_dirs)
    data = path.read_bytes()
    if profile is None:
        profile = detect_profile(data, path.name, load_profiles(profile_dirs))
    grid = read_grid(data, path.name, profile)
    converted = convert(grid, profile, store.aios())
    if not converted.rows_read:
        raise NoDataRowsError(path.name, FileKind.ASSESSMENTS)
    checked = validate(
        FileKind.ASSESSMENTS, converted.frame, store, today=today, reference=reference
    )
    rejects = pd.concat(
        [converted.rejects, _explain(checked.rejects, converted.fields, profile.name)],
        ignore_index=True,
    )
    rejects = rejects.sort_values("row", kind="stable").reset_index(drop=True)[list(REJECT_COLUMNS)]
    combined = Validated(
        checked.records, rejects, checked.rejected_rows + converted.rejected_rows, checked.repeated
    )
    sha256 = hashlib.sha256(data).hexdigest()
    import_id, stored, duplicates = write_validated(
        store,
        FileKind.ASSESSMENTS,
        combined,
        name=path.name,
        sha256=sha256,
        rows_read=converted.rows_read,
    )
    written: str | None = None
    if combined.rejected_rows:
        target = rejects_path if rejects_path is not None else default_rejects_path(path)
        write_csv(rejects, target)
        written = str(target)
    return ProfileImportSummary(
        file=path.name,
        kind=str(FileKind.ASSESSMENTS),
        rows_read=converted.rows_read,
        stored=stored,
        rejected=combined.rejected_rows,
        duplicates=duplicates,
        rejects_file=written,
        import_id=import_id,
        sha256=sha256,
        profile=profile.name,
    )


def import_any(
    path: Path,
    store: Store,
    rejects_path: Path | None = None,
    today: date | None = None,
    *,
    reference: Reference | None = None,
    profile_dirs: Sequence[Path] | None = None,
) -> ImportSummary:
    """Import mlkit's own layout, else a vendor export whose profile is told from its headers.

    Raises:
        FileNotFoundError: when ``path`` does not exist.
        NoProfileFitsError: when the headers are neither mlkit's nor fit any profile; it lists
            the profiles.
        MissingColumnsError: when the headers look like mlkit's but lack some, and no profile
            fits.
        ImportFileError: (another subclass of) when the file cannot be imported at all.
    """
    try:
        return import_file(path, store, rejects_path, today, reference=reference)
    except (UnrecognisedColumnsError, MissingColumnsError) as exc:
        # vendor headers may match an alias or two (e.g. "Assessment ID") without fitting
        profiles = load_profiles(profile_dirs)
        try:
            profile = detect_profile(path.read_bytes(), path.name, profiles)
        except NoProfileFitsError as none:
            if isinstance(exc, MissingColumnsError):
                raise exc from None
            raise NoProfileFitsError(path, none.available, exc.reason) from exc
    return import_with_profile(
        path, store, profile, rejects_path, today, reference=reference, profile_dirs=profile_dirs
    )


def import_any_into_db(
    path: Path,
    db: Path | None = None,
    rejects_path: Path | None = None,
    today: date | None = None,
    *,
    profile: str | None = None,
    reference: Reference | None = None,
    profile_dirs: Sequence[Path] | None = None,
) -> ImportSummary:
    """What ``mlkit import`` runs: mlkit's own layout, else a vendor export through a profile.

    The profile (named, or detected from the headers) is found before the store is opened, so a
    fatal error creates no store file; mlkit's own layout goes through
    :func:`mlkit.ingest.importer.import_into_db`, which checks the store's integrity first.

    Raises:
        NoProfileFitsError: when the headers are neither mlkit's nor fit any profile.
        ProfileNotFoundError: when ``profile`` names no profile.
        ImportFileError: (another subclass of) when the file cannot be imported at all.
        StoreError: (a subclass of) when the store cannot be used.
    """
    from mlkit.store import default_db_path

    chosen: ImportProfile
    if profile is not None:
        chosen = find_profile(profile, profile_dirs)
    else:
        try:
            return import_into_db(path, db, rejects_path, today, reference=reference)
        except (UnrecognisedColumnsError, MissingColumnsError, SeveralSheetsError) as exc:
            # a vendor export: its headers are not mlkit's, or its workbook has several sheets
            try:
                chosen = detect_profile(path.read_bytes(), path.name, load_profiles(profile_dirs))
            except NoProfileFitsError as none:
                if isinstance(exc, MissingColumnsError | SeveralSheetsError):
                    raise exc from None
                raise NoProfileFitsError(path, none.available, exc.reason) from exc
    with Store.open(db or default_db_path(), check=True) as store:
        return import_with_profile(
            path, store, chosen, rejects_path, today, reference=reference, profile_dirs=profile_dirs
        )


__all__ = [
    "ProfileImportSummary",
    "detect_profile",
    "import_any",
    "import_any_into_db",
    "import_with_profile",
    "read_grid",
]
