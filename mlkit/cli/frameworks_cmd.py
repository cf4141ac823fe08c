"""``mlkit frameworks ...``: list, show, export, import and validate leadership frameworks."""

from __future__ import annotations

import dataclasses
import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlkit.atomic import write_text_atomic
from mlkit.cli.app import errors_to_exit, fail, frameworks_app, print_json
from mlkit.errors import FrameworkValidationError

if TYPE_CHECKING:
    from mlkit.frameworks.models import Framework, Lang

FrameworksDir = Annotated[
    Path | None,
    typer.Option(
        "--frameworks",
        help="Directory of framework files that override or extend the bundled ones "
        "(default: $MLKIT_FRAMEWORKS_PATH).",
        exists=True,
        file_okay=False,
    ),
]
LangOpt = Annotated[str, typer.Option("--lang", help="Language: nl or en.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class ExportFormat(StrEnum):
    """Export formats of ``mlkit frameworks export``."""

    CASE = "case"
    CSV = "csv"
    MD = "md"


def _lang(value: str) -> Lang:
    if value not in ("nl", "en"):
        raise typer.BadParameter("choose nl or en", param_hint="--lang")
    return "nl" if value == "nl" else "en"


@frameworks_app.command("list")
def list_cmd(frameworks: FrameworksDir = None, as_json: JsonOpt = False) -> None:
    """List the available frameworks.

    Example: mlkit frameworks list --json
    """
    from mlkit.frameworks import list_frameworks
    from mlkit.frameworks.models import status_marker

    with errors_to_exit():
        infos = list_frameworks(frameworks)
    if as_json:
        print_json([dataclasses.asdict(i) for i in infos])
        return
    for i in infos:
        marker = status_marker(i.status, "en")
        typer.echo(
            f"{i.id:<14} {i.kind.value:<22} {i.version:<8} {i.year or 'n.d.':<5} "
            f"{i.items:>3} items  "
            f"{i.title_nl or i.title_en}{' ' + marker if marker else ''}"
        )


def _show_lines(fw: Framework, lang: Lang) -> list[str]:
    from mlkit.frameworks.models import display_title, status_marker

    title = fw.title.get(lang) or fw.id
    lines = [f"{title} ({fw.publisher}, {fw.year or 'n.d.'}, {fw.version})"]
    marker = status_marker(fw.status, lang)
    if marker:
        lines.append(marker)
    for dim in fw.dimensions:
        lines.append(f"dimension {dim.code}: {display_title(dim, lang)}")
    for dom in sorted(fw.domains, key=lambda d: d.order):
        lines.append(f"{dom.code}  {display_title(dom, lang)}")
        lines += [f"    {c.code}  {display_title(c, lang)}" for c in fw.competencies_of(dom.code)]
    for lv in fw.levels:
        lines.append(f"{lv.code}  {display_title(lv, lang)}")
    for tr in fw.talent_tracks:
        lines.append(f"{tr.code}  {display_title(tr, lang)}")
    for cl in fw.characteristic_clusters:
        lines.append(f"{cl.code}  {display_title(cl, lang)}")
        lines += [f"    {ch.code}  {display_title(ch, lang)}" for ch in cl.characteristics]
    for role in fw.roles:
        lines.append(f"{role.code}  {display_title(role, lang)}")
        for task in role.tasks:
            lines.append(f"    {task.code}  {display_title(task, lang)}")
            lines += [f"        {s.code}  {display_title(s, lang)}" for s in task.subtasks]
    for link in fw.links:
        lines.append(
            f"{link.from_code} --{link.relation.value}--> {link.to_code}  "
            f"{status_marker(link.status, lang)}"
        )
    src = fw.source_by_id(fw.source)
    lines.append(("Bron: " if lang == "nl" else "Source: ") + src.title)
    return lines


@frameworks_app.command("show")
def show_cmd(
    framework_id: Annotated[str, typer.Argument(metavar="ID", help="Framework id, e.g. rml.")],
    lang: LangOpt = "nl",
    frameworks: FrameworksDir = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one framework's structure; unconfirmed items are marked.

    Example: mlkit frameworks show rml --lang en
    """
    from mlkit.frameworks import load_framework

    language = _lang(lang)
    with errors_to_exit():
        fw = load_framework(framework_id, frameworks)
    if as_json:
        print_json(fw.model_dump(mode="json", by_alias=True, exclude_none=True))
        return
    typer.echo("\n".join(_show_lines(fw, language)))


@frameworks_app.command("export")
def export_cmd(
    framework_id: Annotated[str, typer.Argument(metavar="ID", help="Framework id, e.g. santeon.")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="case, csv or md.")] = (
        ExportFormat.CASE
    ),
    out: Annotated[
        Path | None, typer.Option("--out", help="Output file (default: stdout).")
    ] = None,
    lang: LangOpt = "nl",
    frameworks: FrameworksDir = None,
) -> None:
    """Export a framework to CASE 1.1 JSON, CSV or Markdown.

    Example: mlkit frameworks export rml --format case --out rml.case.json
    """
    from mlkit.frameworks import load_framework
    from mlkit.frameworks.case import render_case_json
    from mlkit.frameworks.tables import export_csv, export_markdown

    language = _lang(lang)
    with errors_to_exit():
        fw = load_framework(framework_id, frameworks)
    if fmt is ExportFormat.CASE:
        text = render_case_json(fw)
    elif fmt is ExportFormat.CSV:
        text = export_csv(fw, language)
    else:
        text = export_markdown(fw, language)
    if out is None:
        typer.echo(text, nl=False)
    else:
        write_text_atomic(out, text)
        typer.echo(f"wrote {out}", err=True)


@contextmanager
def _warnings_to_stderr(notes: list[str]) -> Iterator[None]:
    """Collect the warnings of the block into ``notes`` and print each on stderr."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            for w in caught:
                notes.append(str(w.message))
                typer.echo(f"mlkit: warning: {w.message}", err=True)


@frameworks_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(metavar="FILE.json", help="A CASE 1.1 package (JSON).")],
    out: Annotated[
        Path, typer.Option("--out", help="Directory to write <id>.yaml to.", file_okay=False)
    ] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write an mlkit framework file from a CASE 1.1 package, keeping everything CASE holds.

    What the package says beyond mlkit's model (identifiers, humanCodingScheme, item types, all
    associations, document metadata) is kept under `case:`, so exporting the file again gives the
    package back. Anything mlkit would have written differently is a warning, not an error.

    Example: mlkit frameworks import standards.json --out my-frameworks/
    """
    from mlkit.frameworks.case import read_case
    from mlkit.frameworks.loader import render_framework

    notes: list[str] = []
    with errors_to_exit(), _warnings_to_stderr(notes):
        fw = read_case(file)
    target = out / f"{fw.id}.yaml"
    if target.exists() and not force:
        fail(f"{target}: already exists (use --force to overwrite)")
    write_text_atomic(target, render_framework(fw))
    typer.echo(
        f"wrote {target}: framework {fw.id!r}, {sum(1 for _ in fw.items())} items"
        + (f", {len(notes)} warning(s)" if notes else ""),
        err=True,
    )


@frameworks_app.command("validate")
def validate_cmd(
    path: Annotated[
        Path, typer.Argument(help="A framework file (YAML, or CASE .json) or a directory of them.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Validate framework files against the schema and the bundled frameworks.

    Every problem in a file is reported at once, with the key path and line. A `.json` file is
    read as a CASE 1.1 package; what mlkit would write differently is reported as a warning.

    Example: mlkit frameworks validate my-frameworks/rml.yaml
    """
    from mlkit.frameworks import validate_path
    from mlkit.frameworks.loader import is_case_file

    if not path.exists():
        fail(f"{path}: no such file or directory")
    notes: list[str] = []
    try:
        with _warnings_to_stderr(notes):
            if path.is_file() and is_case_file(path):
                for problem in _case_notes(path):
                    warnings.warn(f"{path}: {problem}", UserWarning, stacklevel=1)
            found = validate_path(path)
    except FrameworkValidationError as exc:
        if as_json:
            print_json({"valid": False, "problems": exc.table(), "warnings": notes})
        else:
            typer.echo(f"mlkit: error: {exc}", err=True)
        raise typer.Exit(1) from exc
    if as_json:
        print_json({"valid": True, "frameworks": [f.id for f in found], "warnings": notes})
    else:
        typer.echo(f"ok: {', '.join(f.id for f in found)}")


def _case_notes(path: Path) -> list[str]:
    """Return mlkit's stricter CASE checks as notes (failing them may still be valid CASE)."""
    from mlkit.frameworks.case import check_case_package

    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return []  # reading it as a framework reports the syntax error
    return [f"strict CASE check: {p}" for p in check_case_package(package)]
