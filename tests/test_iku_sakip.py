"""iku.sakip: grade from the score per PermenPANRB 88/2021, lower bound excluded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from exports import read_export, write_csv
from iku_helpers import build, by_key, insert, new_database

from sources import SOURCES
from sources.parse import parse_decimal

# (tahun, nilai) -> computed grade. Every range is "> lower - upper": a score equal to a
# lower bound belongs to the grade below.
CASES = {
    2001: ("0.00", "D"),
    2002: ("30.00", "D"),
    2003: ("30.01", "C"),
    2004: ("50.00", "C"),
    2005: ("50.01", "CC"),
    2006: ("60.00", "CC"),
    2007: ("60.01", "B"),
    2008: ("70.00", "B"),
    2009: ("70.01", "BB"),
    2010: ("80.00", "BB"),
    2011: ("80.01", "A"),
    2012: ("90.00", "A"),
    2013: ("90.01", "AA"),
    2014: ("100.00", "AA"),
}


def test_grades_and_minimal_b(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert(con, "sakip", [{"tahun": t, "nilai": Decimal(n)} for t, (n, _) in CASES.items()])
    build(con, dt.date(2025, 1, 1))
    rows = by_key(con, "sakip", "tahun")
    assert {t: r["predikat"] for t, r in rows.items()} == {t: g for t, (_, g) in CASES.items()}
    assert {t for t, r in rows.items() if r["minimal_b"]} == set(range(2007, 2015))
    assert rows[2007]["sebutan"] == "Baik"


def test_a_score_just_above_a_bound_keeps_its_grade(tmp_path: Path) -> None:
    """Nilai is read as written, not rounded to two decimals first: 90,001 is above 90 (AA,
    not the A of 90,00), 60,005 above 60 (B, not CC), as the written grade says."""
    written = {2021: ("90,001", "AA"), 2022: ("60.005", "B"), 2023: ("30,0001", "C")}
    con = new_database(tmp_path)
    rows = [{"tahun": t, "nilai": parse_decimal(n), "predikat": g} for t, (n, g) in written.items()]
    insert(con, "sakip", rows)
    build(con, dt.date(2025, 1, 1))
    graded = by_key(con, "sakip", "tahun")
    assert {t: r["predikat"] for t, r in graded.items()} == {2021: "AA", 2022: "B", 2023: "C"}
    assert all(r["predikat_sesuai"] for r in graded.values())
    assert graded[2022]["minimal_b"] is True
    assert graded[2021]["nilai"] == Decimal("90.001")


def test_written_grade_is_compared(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert(
        con,
        "sakip",
        [
            {"tahun": 2023, "nilai": Decimal("60.00"), "predikat": "B"},  # 60 is CC
            {"tahun": 2024, "nilai": Decimal("65.40"), "predikat": "B"},
            {"tahun": 2025, "nilai": Decimal("72.10"), "predikat": None},
        ],
    )
    build(con, dt.date(2025, 12, 31))
    rows = by_key(con, "sakip", "tahun")
    assert (rows[2023]["predikat_tertulis"], rows[2023]["predikat"]) == ("B", "CC")
    assert rows[2023]["predikat_sesuai"] is False
    assert rows[2023]["minimal_b"] is False
    assert rows[2024]["predikat_sesuai"] is True
    assert rows[2025]["predikat_sesuai"] is None
    assert rows[2025]["minimal_b"] is True


def test_a_grade_written_otherwise_keeps_the_score(tmp_path: Path) -> None:
    """Predikat is only compared with the grade the score gives: written as its name (Baik)
    it reads as its code, and a grade no band has (A-) is a warning, the score still read,
    never a row error that could reject the whole evaluation."""
    rows = [
        ["Tahun", "Nilai", "Predikat"],
        ["2023", "65.5", "Baik"],
        ["2024", "72.1", " sangat  baik "],
    ]
    path = write_csv(tmp_path / "sakip.csv", [*rows, ["2025", "81", "A-"]])
    result = read_export(path, SOURCES["sakip"])
    assert [(i.row_number, i.severity) for i in result.issues] == [(4, "warning")]
    valid = result.valid_rows()
    assert valid["tahun"].to_list() == [2023, 2024, 2025]
    assert valid["predikat"].to_list() == ["B", "BB", None]
