"""IKU-5 pejabat perbendaharaan: reports in iku.iku5_keuangan, officials in iku.iku5_pejabat."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from iku_helpers import build, capaian, fetch, insert, insert_quarantined, new_database

from warehouse import audit

D = dt.date
AS_OF = D(2025, 7, 31)

NIP_1 = "197001012000031001"
NIP_2 = "198002022005012002"
NIP_3 = "198503032010011003"
NIP_4 = "199004042015032004"
NIP_5 = "199505052020121005"


def report(nip: str, periode: dt.date, batas: dt.date, disampaikan: dt.date | None) -> dict:
    return {
        "nip": nip,
        "nama_pejabat": f"Pejabat {nip[-1]}",
        "jabatan_perbendaharaan": "Bendahara Pengeluaran",
        "jenis_laporan": "LPJ Bendahara",
        "periode_laporan": periode,
        "batas_waktu": batas,
        "tanggal_penyampaian": disampaikan,
    }


REPORTS = [
    # Official 1: monthly reports January-June 2025, due the 10th of the next month;
    # only the April report (due 10 May) is late.
    report(NIP_1, D(2025, 1, 1), D(2025, 2, 10), D(2025, 2, 7)),
    report(NIP_1, D(2025, 2, 1), D(2025, 3, 10), D(2025, 3, 10)),
    report(NIP_1, D(2025, 3, 1), D(2025, 4, 10), D(2025, 4, 9)),
    report(NIP_1, D(2025, 4, 1), D(2025, 5, 10), D(2025, 5, 12)),
    report(NIP_1, D(2025, 5, 1), D(2025, 6, 10), D(2025, 6, 10)),
    report(NIP_1, D(2025, 6, 1), D(2025, 7, 10), D(2025, 7, 8)),
    # Official 2: on time in Q1; the July report is due 10 Aug, not yet counted.
    report(NIP_2, D(2025, 2, 1), D(2025, 3, 10), D(2025, 3, 3)),
    report(NIP_2, D(2025, 7, 1), D(2025, 8, 10), None),
    # Official 3: one report due 30 Jun, never delivered: overdue.
    report(NIP_3, D(2025, 5, 1), D(2025, 6, 30), None),
    # Official 4: due on the as-of date itself and not delivered: not counted yet.
    report(NIP_4, D(2025, 6, 1), D(2025, 7, 31), None),
    # Official 5: December 2024 report due 10 Jan 2025: belongs to 2025 Q1.
    report(NIP_5, D(2024, 12, 1), D(2025, 1, 10), D(2025, 1, 9)),
]


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = new_database(tmp_path)
    insert(con, "keuangan", REPORTS)
    build(con, AS_OF)
    return con


def test_reports(con: duckdb.DuckDBPyConnection) -> None:
    rows = fetch(
        con,
        "SELECT nip, batas_waktu, tahun, triwulan, dihitung, tepat_waktu, alasan "
        "FROM iku.iku5_keuangan WHERE nip IN (?, ?, ?, ?)",
        NIP_2,
        NIP_3,
        NIP_4,
        NIP_5,
    )
    got = {(r["nip"], r["batas_waktu"]): r for r in rows}
    assert (got[(NIP_5, D(2025, 1, 10))]["tahun"], got[(NIP_5, D(2025, 1, 10))]["triwulan"]) == (
        2025,
        1,
    )
    assert got[(NIP_2, D(2025, 8, 10))]["dihitung"] is False
    assert got[(NIP_3, D(2025, 6, 30))]["alasan"] == "Belum disampaikan, batas waktu sudah lewat"
    assert got[(NIP_4, D(2025, 7, 31))]["dihitung"] is False  # deadline = as-of date


def test_officials_per_period(con: duckdb.DuckDBPyConnection) -> None:
    rows = fetch(con, "SELECT * FROM iku.iku5_pejabat")
    got = {(r["nip"], r["triwulan"]): (r["dihitung"], r["tepat_waktu"]) for r in rows}
    assert got == {
        # official 1: one late report (due 10 May) spoils Q2 and the year
        (NIP_1, None): (True, False),
        (NIP_1, 1): (True, True),
        (NIP_1, 2): (True, False),
        (NIP_1, 3): (True, True),
        # official 2: the undelivered August report is not due, so it does not count
        (NIP_2, None): (True, True),
        (NIP_2, 1): (True, True),
        (NIP_2, 3): (False, False),
        (NIP_3, None): (True, False),
        (NIP_3, 2): (True, False),
        (NIP_4, None): (False, False),
        (NIP_4, 3): (False, False),
        (NIP_5, None): (True, True),
        (NIP_5, 1): (True, True),
    }
    year_1 = next(r for r in rows if r["nip"] == NIP_1 and r["triwulan"] is None)
    assert (year_1["jumlah_laporan"], year_1["laporan_dihitung"]) == (6, 6)
    assert year_1["laporan_tepat_waktu"] == 5
    assert year_1["alasan"] == "1 dari 6 laporan yang dihitung tidak tepat waktu"


def test_capaian_counts_officials_not_reports(con: duckdb.DuckDBPyConnection) -> None:
    assert capaian(con, "IKU-5", 2025) == {
        # year: officials 1, 2, 3, 5 counted (4 not yet); 2 and 5 on time
        None: (2, 4, Decimal("50.00")),
        # Q1: officials 1, 2, 5, all on time
        1: (3, 3, Decimal("100.00")),
        # Q2: official 1 (late May report) and 3 (overdue)
        2: (0, 2, Decimal("0.00")),
        # Q3: official 1 on time; 2 and 4 not due
        3: (1, 1, Decimal("100.00")),
        4: (0, 0, None),
    }


@pytest.mark.parametrize("order", [1, -1])
def test_an_officials_name_does_not_depend_on_the_order_of_the_rows(
    tmp_path: Path, order: int
) -> None:
    """Two reports due the same day under two spellings of the name: the same name, whatever
    order the loaded rows come in (the build inserts them in no particular order)."""
    due = D(2025, 3, 10)
    rows = [
        report(NIP_1, D(2025, 2, 1), due, D(2025, 3, 3)) | {"nama_pejabat": "Budi Santoso"},
        report(NIP_1, D(2025, 2, 1), due, D(2025, 3, 3))
        | {"nama_pejabat": "Budi Santoso, S.E.", "jenis_laporan": "SPJ"},
    ]
    con = new_database(tmp_path)
    insert(con, "keuangan", rows[::order])
    build(con, AS_OF)
    names = {r["nama_pejabat"] for r in fetch(con, "SELECT nama_pejabat FROM iku.iku5_pejabat")}
    assert names == {"Budi Santoso, S.E."}  # ties: the last name in order


def test_a_broken_report_not_yet_due_leaves_an_official_on_time(tmp_path: Path) -> None:
    """A quarantined report counts once due, never before: until then it neither spoils its
    official's period nor marks the official as known from invalid data, so the audit that
    an invalid item is never on time still holds and the run publishes."""
    con = new_database(tmp_path)
    insert(con, "keuangan", [report(NIP_1, D(2025, 6, 1), D(2025, 7, 10), D(2025, 7, 9))])
    insert_quarantined(  # the July report, Tanggal Penyampaian unreadable, due 11 Aug
        con, "keuangan", [report(NIP_1, D(2025, 7, 1), D(2025, 8, 11), None)]
    )
    build(con, AS_OF)
    rows = fetch(con, "SELECT * FROM iku.iku5_pejabat WHERE nip = ?", NIP_1)
    got = {r["triwulan"]: (r["dihitung"], r["tepat_waktu"], r["data_tidak_valid"]) for r in rows}
    assert got == {None: (True, True, False), 3: (True, True, False)}
    assert capaian(con, "IKU-5", 2025)[3] == (1, 1, Decimal("100.00"))
    assert not [r.name for r in audit.check(con) if not r.passed]
    # once due, the broken report spoils the period and says why
    build(con, D(2025, 8, 12))
    row = fetch(con, "SELECT * FROM iku.iku5_pejabat WHERE nip = ? AND triwulan = 3", NIP_1)[0]
    assert (row["tepat_waktu"], row["data_tidak_valid"]) == (False, True)
    assert "Data tidak valid" in row["alasan"]
