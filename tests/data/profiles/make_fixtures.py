"""Write the synthetic vendor exports used by tests/test_ingest_profiles.py (names are made up).

Run from the repository root: ``python tests/data/profiles/make_fixtures.py``. The comments give
the outcome each row is built for; the tests assert those outcomes.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
RC_HEADER = [
    None,
    "Observer Name",
    "Observer Type",
    "Rating Given",
    "Type",
    "Situation/Context",
    "Feedback",
    "Professional and Safety Comments",
    "Date of Completion",
    "Date of Expiration",
]


def _block(code: str, title: str, required: int) -> list[list[object]]:
    return [
        [f"EPA {code}", title],
        [
            None,
            "Part A: Direct Observation - Form 1 (synthetic)",
            f"Collect {required} observations",
        ],
        [
            "Snapshot:",
            f'Total "Required" ({required})',
            'Total "Observations" (4)',
            'Total "Achieved" observations (2)',
            'Total "In progress" observations (1)',
            'Total "Expired" observations (1)',
        ],
        RC_HEADER,
    ]


def _obs(observer: str, kind: str, rating: str, done: object, expired: str = "") -> list[object]:
    return [
        None,
        observer,
        kind,
        rating,
        "Direct",
        "Ward",
        "Synthetic feedback.",
        "",
        done,
        expired,
    ]


def write_rc() -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "EPA Observations"
    rows: list[list[object]] = [
        ["Observation Summary Report"],  # 1
        ["Learner - Sanne Visser - 3 - Core"],  # 2
        [],  # 3
        *_block("3.1", "Leading the handover of a ward (synthetic)", 3),  # 4-7
        _obs("Dr. Eva Smit", "Faculty", "I didn't need to be there", "03/14/2024"),  # 8 stored
        _obs("Dr. Tom Kok", "Faculty", "I needed to prompt", "04-02-24"),  # 9 stored
        _obs("Dr. Eva Smit", "Faculty", "", "", "05/01/2024"),  # 10 expired
        _obs("Dr. Eva Smit", "Faculty", "Brilliant", "06/03/2024"),  # 11 unmapped rating
        [],  # 12
        *_block("3.2", "Chairing a multidisciplinary meeting (synthetic)", 2),  # 13-16
        _obs("Dr. Iris Dekker", "Faculty", "Achieved", datetime(2024, 2, 20)),  # 17 stored
        _obs("Dr. Tom Kok", "Resident", "I had to talk them through", "13/25/2024"),  # 18 bad date
        _obs("Dr. Iris Dekker", "Faculty", "Achieved", datetime(2024, 2, 20)),  # 19 duplicate
        [],  # 20
        *_block("3.9", "An EPA the programme did not map (synthetic)", 1),  # 21-24
        _obs("Dr. Eva Smit", "Faculty", "I had to do", "07/01/2024"),  # 25 unknown item
        [],  # 26
        ["Archived Observations"],  # 27: ends the data
        RC_HEADER,  # 28
        _obs("Dr. Eva Smit", "Faculty", "I had to do", "01/01/2023"),  # 29 not read
    ]
    for row in rows:
        ws.append(row)
    narratives = wb.create_sheet("Narratives")
    narratives.append(["Observation Summary Report"])
    narratives.append(["Learner - Sanne Visser - 3 - Core"])
    narratives.append([None, "Observer Name", "Observer Type", "Feedback"])
    narratives.append([None, "Dr. Eva Smit", "Faculty", "Synthetic narrative."])
    fixed = datetime(2025, 1, 1)
    wb.properties.created = fixed
    wb.properties.modified = fixed
    wb.save(HERE / "rc_observation_summary.xlsx")


def _rating(text: str, comment: str) -> str:
    return f"{text}\n\nComments: \n{comment}"


def write_elentra() -> None:
    header = [
        "Resident",
        "Assessor",
        "Date Completed",
        "Last Updated By",
        "Site",
        "Type of Assessment",
        "Status",
        "Based on this observation, how much supervision did the resident need?",
        "Were there any patient safety concerns?",
        "Were there any professionalism concerns?",
        "Next Steps",
    ]

    def row(who: str, date: str, status: str, rating: str) -> list[str]:
        return [
            who,
            "Smit, Eva",
            date,
            "Smit, Eva",
            "Synthetic General",
            "Direct observation",
            status,
            rating,
            "No",
            "No",
            "Delegate more.",
        ]

    rows = [
        ["Assessment Tool Data Extract"],  # 1
        ["Program: Synthetic Internal Medicine"],  # 2
        ["", "C2 - Leading the handover (synthetic form)"],  # 3
        [],  # 4
        header,  # 5
        row(
            "Visser, Sanne",
            "24-03-14",
            "complete",
            _rating("I needed to be there just in case", "Good handover."),
        ),  # 6 stored
        row(
            "Mulder, Daan", "24-05-02", "complete", _rating("I didn't need to be there", "")
        ),  # 7 stored
        row(
            "Jong, Lotte de", "24-05-03", "complete", _rating("I needed to prompt", "Which Lotte?")
        ),  # 8 ambiguous person
        row(
            "Berg, Fenna van den",
            "24-05-04",
            "complete",
            _rating("I had to do", "Not on the roster."),
        ),  # 9 unknown person
        row("Visser, Sanne", "24-05-05", "in progress", ""),  # 10 not complete
        row(
            "Öztürk, Noor", "24-13-40", "complete", _rating("I had to do", "First time.")
        ),  # 11 invalid date
        row(
            "Mulder, Daan", "24-05-06", "complete", _rating("Excellent", "Not an O-score.")
        ),  # 12 unmapped rating
        row(
            "Öztürk, Noor",
            "24-06-10",
            "complete",
            _rating("I had to talk them through", "Second time.\nSteady progress."),
        ),  # 13 stored
    ]
    with (HERE / "elentra_extract.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)


def write_cbd() -> None:
    header = [
        "username",
        "observation_date",
        "epa",
        "feedback",
        "observer_name",
        "observer_type",
        "professionalism_safety",
        "rating",
        "resident_name",
        "situation_context",
        "type",
    ]
    rows = [
        header,  # 1
        [
            "P001",
            "2024-03-14",
            "2.1",
            "Good job.",
            "Eva Smit",
            "Faculty",
            "",
            "5",
            "Sanne Visser",
            "Ward",
            "Direct",
        ],  # 2 stored
        [
            "P002",
            "03/20/2024",
            "2.1",
            "",
            "Tom Kok",
            "Faculty",
            "",
            "4",
            "Daan Mulder",
            "Clinic",
            "Direct",
        ],  # 3 stored
        [
            "P999",
            "2024-03-21",
            "2.1",
            "",
            "Tom Kok",
            "Faculty",
            "",
            "3",
            "Fenna van den Berg",
            "Clinic",
            "Direct",
        ],  # 4 unknown aios
        [
            "P003",
            "2024-03-22",
            "2.1",
            "",
            "Tom Kok",
            "Faculty",
            "",
            "7",
            "Lotte de Jong",
            "Clinic",
            "Direct",
        ],  # 5 unmapped rating
        [
            "P001",
            "2024-03-23",
            "2.4",
            "",
            "Eva Smit",
            "Faculty",
            "",
            "2",
            "Sanne Visser",
            "Ward",
            "Direct",
        ],  # 6 unknown item
        [
            "",
            "2024-03-24",
            "2.1",
            "",
            "Eva Smit",
            "Faculty",
            "",
            "2",
            "Sanne Visser",
            "Ward",
            "Direct",
        ],  # 7 missing person
    ]
    with (HERE / "cbd_records.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


if __name__ == "__main__":
    write_rc()
    write_elentra()
    write_cbd()
