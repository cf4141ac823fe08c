"""``mlkit curricula ...``: list, show and validate curricula."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mlkit.cli.app import curricula_app, errors_to_exit, fail, print_json

if TYPE_CHECKING:
    from mlkit.frameworks.models import Lang

CurriculaDir = Annotated[
    Path | None,
    typer.Option(
        "--curricula",
        help="Directory of curriculum files that override or extend the bundled ones "
        "(default: $MLKIT_CURRICULA_PATH).",
        exists=True,
        file_okay=False,
    ),
]
LangOpt = Annotated[str, typer.Option("--lang", help="Language: nl or en.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _lang(value: str) -> Lang:
    if value not in ("nl", "en"):
        raise typer.BadParameter("choose nl or en", param_hint="--lang")
    return "nl" if value == "nl" else "en"


@curricula_app.command("list")
def list_cmd(curricula: CurriculaDir = None, as_json: JsonOpt = False) -> None:
    """List the curricula with their specialty names, nominal duration and origin.

    Example: mlkit curricula list --curricula mijn-curricula --json
    """
    from mlkit.assessments.curricula import list_curricula

    with errors_to_exit():
        infos = list_curricula(curricula)
    if as_json:
        print_json([dataclasses.asdict(i) for i in infos])
        return
    for i in infos:
        names = ", ".join(i.aliases)
        typer.echo(
            f"{i.id:<20} {i.duration_years:>4g} yr ({i.duration_status:<10}) "
            f"{i.title_nl or i.title_en}{' — ' + names if names else ''}  [{i.origin}]"
        )


@curricula_app.command("show")
def show_cmd(
    name: Annotated[
        str, typer.Argument(metavar="SPECIALTY", help="A specialty name, alias or 'default'.")
    ],
    lang: LangOpt = "nl",
    curricula: CurriculaDir = None,
    as_json: JsonOpt = False,
) -> None:
    """Show the effective curriculum of a specialty: expected level and evidence per year.

    Example: mlkit curricula show "Interne geneeskunde" --lang en
    """
    from mlkit.assessments import curriculum_for, load_curricula
    from mlkit.assessments.curricula import DEFAULT_CURRICULUM

    language = _lang(lang)
    with errors_to_exit():
        loaded = load_curricula(curricula)
        cur = curriculum_for(None if name == DEFAULT_CURRICULUM else name, loaded)
    if as_json:
        print_json(cur.model_dump(mode="json", by_alias=True, exclude_none=True))
        return
    status = cur.expectation_status.get(language)
    years = f"{cur.duration_years:g}"
    duration = f"duur {years.replace('.', ',')} jaar" if language == "nl" else f"{years} years"
    lines = [
        f"{cur.display_name(language)} ({cur.id}), {duration} "
        f"({cur.duration_status.value}) — {status}",
    ]
    year_word = "jaar" if language == "nl" else "year"
    for y in cur.years:
        expected = ", ".join(f"{k}: {v}" for k, v in y.expected.items())
        lines.append(f"{year_word} {y.year}: {expected}")
        lines += [f"    {r.description.get(language) or r.instrument}" for r in y.required_evidence]
    typer.echo("\n".join(lines))


@curricula_app.command("validate")
def validate_cmd(
    path: Annotated[Path, typer.Argument(help="A curriculum YAML file or a directory of them.")],
    as_json: JsonOpt = False,
) -> None:
    """Validate curriculum files together with the bundled curricula, instruments and frameworks.

    Every problem is reported at once, with the file, key path, line and reason.

    Example: mlkit curricula validate mijn-curricula/
    """
    from mlkit.assessments import AssessmentValidationError
    from mlkit.assessments.curricula import problem_rows, validate_curricula_path

    if not path.exists():
        fail(f"{path}: no such file or directory")
    try:
        found = validate_curricula_path(path)
    except AssessmentValidationError as exc:
        if as_json:
            print_json({"valid": False, "problems": problem_rows(exc)})
        else:
            typer.echo(f"mlkit: error: {exc}", err=True)
        raise typer.Exit(1) from exc
    if as_json:
        print_json({"valid": True, "curricula": [c.id for c in found]})
    else:
        typer.echo(f"ok: {', '.join(c.id for c in found) or 'no curriculum files'}")
