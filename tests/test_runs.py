"""The run's own bookkeeping: the as-of window and the bound on stored findings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from exports import frame, written

from sources import SOURCES
from sources.sheet import Issue, ReadResult
from warehouse.findings import issue_rows
from warehouse.history import Export
from warehouse.layout import WarehouseLayout
from warehouse.load import FileLoad, SourceLoad
from warehouse.report import status_table
from warehouse.runs import AsOfError, check_as_of, write_record
from warehouse.verdict import TRUNCATED

TODAY = date(2026, 11, 28)


def test_as_of_must_be_a_plausible_date() -> None:
    assert check_as_of(date(2025, 12, 31), TODAY) == date(2025, 12, 31)
    assert check_as_of(date(2031, 11, 26), TODAY) == date(2031, 11, 26)
    for wrong in (date(9999, 12, 31), date(1999, 12, 31), date(2031, 11, 28), date(2062, 1, 1)):
        with pytest.raises(AsOfError, match="di luar rentang"):
            check_as_of(wrong, TODAY)


def test_findings_are_bounded_per_file_and_rule(tmp_path: Path) -> None:
    source = SOURCES["ppid"]
    export = Export("6204", "ppid", "a" * 64, "ppid.csv", ".csv", "x", "2025-01-01T00:00:00+00:00",
                    "2025-01-01T00:00:00+00:00", 1)  # fmt: skip
    found = [Issue("nilai_tidak_valid", "error", "x", n, "NIK") for n in range(2, 2502)]
    found += [Issue("urutan_tanggal_salah", "error", "y", 3, "Tanggal Permohonan")]
    result = ReadResult(source, tmp_path / "ppid.csv", pl.DataFrame(), found)
    load = SourceLoad(source, [FileLoad(export, result)])
    rows = issue_rows({"ppid": load}, [], set(), max_per_rule=100)
    per_rule = dict(rows.group_by("rule").len().iter_rows())
    assert per_rule == {"nilai_tidak_valid": 100, "urutan_tanggal_salah": 1, TRUNCATED: 1}
    [summary] = rows.filter(pl.col("rule") == TRUNCATED).iter_rows(named=True)
    assert summary["severity"] == "warning" and summary["row_number"] is None
    assert "2400 temuan error lain untuk aturan nilai_tidak_valid" in summary["message"]
    assert issue_rows({"ppid": load}, [], set()).height == 2501  # no limit: every finding


def test_a_file_whose_check_fails_unexpectedly_is_rejected_and_the_others_load(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The safety net of the load: a rule that blows up on one file's data rejects that file."""
    from dataclasses import replace

    from exports import load_source

    from sources.model import Check, CheckContext, Rule
    from warehouse.history import History
    from warehouse.validator import Validator

    def fragile(ctx: object) -> Rule:  # breaks on scores above 90, as a buggy rule might
        test = pl.col("nilai").map_elements(lambda v: 1 / 0 if v > 90 else True, pl.Boolean)
        return Rule(
            "ExpectColumnValuesToBeInSet",
            {"column": "_rapuh", "value_set": [True]},
            {"_rapuh": test},
        )

    source = replace(SOURCES["sakip"], checks=(Check("rapuh", "error", "x", "Nilai", fragile),))
    landing = tmp_path / "landing"
    for name, score in (("a.csv", "95"), ("b.csv", "75")):
        path = landing / "6204" / "sakip" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Tahun;Nilai;Predikat\n{2020 + int(score) // 10};{score};A\n")
    history = History(tmp_path / "history")
    history.land(landing)
    with caplog.at_level("ERROR", logger="iku"):
        load = load_source(
            source, history.exports(), history.root, Validator(), CheckContext(TODAY, {}),
            **written(tmp_path),
        )  # fmt: skip
    outcome = {f.export.file_name: [i.rule for i in f.result.issues] for f in load.files}
    assert outcome["a.csv"] == ["kesalahan_tak_terduga"]
    assert frame(load)["nilai"].to_list() == [75]
    assert "ZeroDivisionError" in caplog.text  # the traceback is logged


def test_status_of_a_new_a_killed_and_a_damaged_warehouse_still_shows(tmp_path: Path) -> None:
    """``iku status`` before any run, over a run killed before it ended, a start time that
    cannot be read, and a published database that cannot be opened: it says what it knows
    and marks no run as published, never a traceback."""
    warehouse = tmp_path / "wh"
    assert status_table(warehouse, 10) == f"Belum ada run di {warehouse}."
    write_record(
        warehouse, "20260101T010000-aa", status="berjalan", dimulai_pada="2026-01-01T01:00:00"
    )
    write_record(
        warehouse, "20260102T010000-bb", status="gagal", dimulai_pada="kemarin", kesalahan="x"
    )
    WarehouseLayout(warehouse).published.write_bytes(b"bukan database DuckDB")
    lines = status_table(warehouse, 10).splitlines()
    assert [line.split()[:4] for line in lines[1:]] == [
        ["20260102T010000-bb", "-", "-", "-"],
        ["sebab:", "x"],
        ["20260101T010000-aa", "01-01-2026", "08:00", "-"],
    ]
    assert "terbit" not in "\n".join(lines)
