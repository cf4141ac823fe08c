"""The Santeon profile YAML against its source text: every bullet encoded, none pasted verbatim.

The source is a stored copy of "Profiel medisch leider (incl. lead medisch leider)" (Santeon,
Samen Beter) in ``tests/data/seeds/003_santeon_profiel.txt``. Its layout: a heading line, then
"•" bullets whose text may run over several lines (continuation lines start with a lower-case
letter or a bracket, sometimes after a blank line), and "-" sub-bullets under one bullet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mlkit.frameworks.loader import load_framework
from mlkit.frameworks.models import Framework, Status, Task

SEED = "seeds/003_santeon_profiel.txt"
CLUSTER_HEADINGS = [
    "Waardegedreven zorg als kernprincipe",
    "Een verbinder met aanzien",
    "Gaat voorop in de veranderopgave",
]
ROLE_HEADINGS = [
    "Rol Santeonbreed",
    "Rol in het Santeon-ziekenhuis",
    "Aanvullende taken lead medisch leider",
    "Aanvullende taken (co-lead) medisch leider van een focusproject",
]


@dataclass
class Bullet:
    text: str
    subs: list[str] = field(default_factory=list)


@dataclass
class Section:
    heading: str
    bullets: list[Bullet] = field(default_factory=list)


def parse_bullets(text: str) -> list[Section]:
    """Return the sections of the source that hold bullets, in document order."""
    sections: list[Section] = []
    heading = ""
    open_bullet: Bullet | None = None
    open_sub = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("•"):
            if not sections or sections[-1].heading != heading:
                sections.append(Section(heading))
            open_bullet = Bullet(line.lstrip("• ").strip())
            open_sub = False
            sections[-1].bullets.append(open_bullet)
        elif line.startswith("- ") and open_bullet is not None:
            open_bullet.subs.append(line[2:].strip())
            open_sub = True
        elif open_bullet is not None and (line[0].islower() or line[0] == "("):
            if open_sub:
                open_bullet.subs[-1] += " " + line
            else:
                open_bullet.text += " " + line
        else:
            heading = line.rstrip(":").strip()
            open_bullet = None
    return sections


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").lower()
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def source_text() -> str:
    return (Path(__file__).parent / "data" / SEED).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sections(source_text: str) -> list[Section]:
    return parse_bullets(source_text)


@pytest.fixture(scope="module")
def santeon() -> Framework:
    return load_framework("santeon", frameworks_dir=[])


def test_parser_finds_the_documented_headings(sections: list[Section]) -> None:
    assert [s.heading for s in sections] == CLUSTER_HEADINGS + ROLE_HEADINGS


def test_source_totals(sections: list[Section]) -> None:
    clusters, roles = sections[:3], sections[3:]
    assert sum(len(s.bullets) for s in clusters) == 11
    assert sum(len(s.bullets) for s in roles) == 19
    assert sum(len(b.subs) for s in sections for b in s.bullets) == 3
    assert [len(s.bullets) for s in sections] == [3, 4, 4, 5, 5, 5, 4]


def test_every_bullet_was_parsed_whole(source_text: str, sections: list[Section]) -> None:
    assert sum(len(s.bullets) for s in sections) == source_text.count("•")
    for section in sections:
        for bullet in section.bullets:
            assert bullet.text.rstrip().endswith((".", ":")), bullet.text
            assert all(sub.rstrip().endswith((";", ".", ")")) for sub in bullet.subs), bullet.subs


def test_clusters_match_the_source(sections: list[Section], santeon: Framework) -> None:
    clusters = sorted(santeon.characteristic_clusters, key=lambda c: c.order)
    assert [c.title.nl for c in clusters] == [s.heading for s in sections[:3]]
    assert [len(c.characteristics) for c in clusters] == [len(s.bullets) for s in sections[:3]]
    assert sum(len(c.characteristics) for c in clusters) == 11


def test_roles_match_the_source(sections: list[Section], santeon: Framework) -> None:
    roles = sorted(santeon.roles, key=lambda r: r.order)
    source_roles = sections[3:]
    assert [len(r.tasks) for r in roles] == [len(s.bullets) for s in source_roles]
    assert sum(len(r.tasks) for r in roles) == 19
    for role, section in zip(roles, source_roles, strict=True):
        tasks = sorted(role.tasks, key=lambda t: t.order)
        assert [len(t.subtasks) for t in tasks] == [len(b.subs) for b in section.bullets]


def test_subtasks_sit_under_the_improvement_team_task(
    sections: list[Section], santeon: Framework
) -> None:
    with_subs = [
        (i, j) for i, s in enumerate(sections[3:]) for j, b in enumerate(s.bullets) if b.subs
    ]
    assert with_subs == [(1, 4)]
    assert "verbeterteam" in sections[4].bullets[4].text
    task = santeon.item("santeon.rol_ziekenhuis.5")
    assert isinstance(task, Task)
    assert len(task.subtasks) == 3


def _texts(santeon: Framework) -> list[tuple[str, str]]:
    out = []
    for item in santeon.items():
        if item in santeon.characteristic_clusters or item in santeon.roles:
            continue  # cluster and role names follow the document's headings on purpose
        for lang in ("nl", "en"):
            for text in (item.title.get(lang), item.description.get(lang)):
                if text:
                    out.append((item.code, text))
    return out


def test_nothing_is_pasted_from_the_source(source_text: str, santeon: Framework) -> None:
    source = _norm(source_text)
    pasted = [(code, t) for code, t in _texts(santeon) if len(t) > 30 and _norm(t) in source]
    assert pasted == []


def test_every_item_is_confirmed_and_described(santeon: Framework) -> None:
    source = santeon.source_by_id(santeon.source)
    assert "Profiel medisch leider" in source.title
    assert "not on santeon's public site" in (source.note or "").lower()
    for item in santeon.items():
        assert item.status is Status.CONFIRMED, item.code
        assert item.source == santeon.source, item.code
        assert item.title.nl and item.title.en, item.code
        if item not in santeon.characteristic_clusters and item not in santeon.roles:
            assert item.description.nl and item.description.en, item.code
