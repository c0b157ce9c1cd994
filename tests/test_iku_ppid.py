"""IKU-3 permohonan informasi sesuai SOP: working-day deadlines in iku.iku3_ppid.

Every expected deadline below was counted by hand on the 2024/2025 list of national holidays
and cuti bersama (../shared/reference/indonesia_libur_cutibersama_2024_2025.csv). Day 1 is
the first working day after the day the request was received.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from iku_helpers import build, by_key, capaian, insert, new_database, reference_copy

D = dt.date
AS_OF = D(2025, 6, 30)


def request(
    nomor: str,
    diterima: dt.date,
    dijawab: dt.date | None,
    perpanjangan: bool = False,
    pemberitahuan_perpanjangan: dt.date | None = None,
) -> dict:
    return {
        "no_registrasi": nomor,
        "tanggal_permohonan": diterima,
        "tanggal_pemberitahuan_tertulis": dijawab,
        "perpanjangan": perpanjangan,
        "tanggal_pemberitahuan_perpanjangan": pemberitahuan_perpanjangan,
        "keputusan": "Diterima",
    }


REQUESTS = [
    # Received Saturday 1 Mar 2025. Day 1 = Monday 3 Mar; 3-7 Mar are days 1-5, 10-14 Mar
    # days 6-10: deadline Friday 14 Mar 2025. Answered on the deadline: on time.
    request("R01", D(2025, 3, 1), D(2025, 3, 14)),
    # Same receipt, answered Monday 17 Mar = working day 11: late.
    request("R02", D(2025, 3, 1), D(2025, 3, 17)),
    # Idul Fitri 2025. Received Tuesday 25 Mar: 26 Mar = 1, 27 Mar = 2; 28 Mar cuti bersama,
    # 31 Mar and 1 Apr Idul Fitri, 2-4 and 7 Apr cuti bersama; 8-11 Apr = 3-6,
    # 14-17 Apr = 7-10: deadline Thursday 17 Apr 2025.
    request("R03", D(2025, 3, 25), D(2025, 4, 17)),
    # 18 Apr 2025 is Wafat Yesus Kristus, so Monday 21 Apr is working day 11: late.
    request("R04", D(2025, 3, 25), D(2025, 4, 21)),
    # Idul Fitri 2024. Received Friday 5 Apr 2024: 8, 9, 12, 15 Apr cuti bersama, 10-11 Apr
    # Idul Fitri; 16-19 Apr = 1-4, 22-26 Apr = 5-9, Monday 29 Apr = 10: deadline 29 Apr 2024.
    request("R05", D(2024, 4, 5), D(2024, 4, 29)),
    request("R06", D(2024, 4, 5), D(2024, 4, 30)),
    # Extension notified on day 10 (14 Mar 2025): deadline becomes working day 17.
    # 17-21 Mar = 11-15, 24 Mar = 16, Tuesday 25 Mar 2025 = 17.
    request("R07", D(2025, 3, 1), D(2025, 3, 25), True, D(2025, 3, 14)),
    # Extension notified on day 11 (17 Mar): too late, the deadline stays 14 Mar.
    request("R08", D(2025, 3, 1), D(2025, 3, 20), True, D(2025, 3, 17)),
    # Extension claimed without a notice date: the deadline stays 14 Mar.
    request("R09", D(2025, 3, 1), D(2025, 3, 20), True, None),
    # Received Monday 2 Jun 2025: 3-5 Jun = 1-3; 6 Jun Idul Adha, 9 Jun cuti bersama;
    # 10-13 Jun = 4-7, 16-18 Jun = 8-10: deadline 18 Jun, unanswered on 30 Jun: overdue.
    request("R10", D(2025, 6, 2), None),
    # Received Wednesday 25 Jun 2025: 26 Jun = 1; 27 Jun Tahun Baru Islam; 30 Jun = 2,
    # 1-4 Jul = 3-6, 7-10 Jul = 7-10: deadline 10 Jul. Unanswered, not due on 30 Jun.
    request("R11", D(2025, 6, 25), None),
    # Same receipt, answered the next day: done early, counted and on time.
    request("R12", D(2025, 6, 25), D(2025, 6, 26)),
    # Received Saturday 14 Jun 2025: 16-20 Jun = 1-5, 23-26 Jun = 6-9 (27 Jun holiday),
    # Monday 30 Jun = 10: the deadline is the as-of date itself, so not overdue yet.
    request("R13", D(2025, 6, 14), None),
]

DEADLINES = {
    "R01": D(2025, 3, 14),
    "R02": D(2025, 3, 14),
    "R03": D(2025, 4, 17),
    "R04": D(2025, 4, 17),
    "R05": D(2024, 4, 29),
    "R06": D(2024, 4, 29),
    "R07": D(2025, 3, 25),
    "R08": D(2025, 3, 14),
    "R09": D(2025, 3, 14),
    "R10": D(2025, 6, 18),
    "R11": D(2025, 7, 10),
    "R12": D(2025, 7, 10),
    "R13": D(2025, 6, 30),
}


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = new_database(tmp_path)
    insert(con, "ppid", REQUESTS)
    build(con, AS_OF)
    return con


def test_deadlines_in_working_days(con: duckdb.DuckDBPyConnection) -> None:
    rows = by_key(con, "iku3_ppid", "no_registrasi")
    assert {k: r["batas_waktu"] for k, r in rows.items()} == DEADLINES


def test_ten_and_seventeen_working_days_of_idul_fitri_2024(
    con: duckdb.DuckDBPyConnection,
) -> None:
    row = by_key(con, "iku3_ppid", "no_registrasi")["R05"]
    assert row["batas_10_hari_kerja"] == D(2024, 4, 29)
    # 30 Apr = 11; 1 May Hari Buruh; 2-3 May = 12-13; 6-8 May = 14-16; 9 May Kenaikan,
    # 10 May cuti bersama; Monday 13 May 2024 = 17.
    assert row["batas_17_hari_kerja"] == D(2024, 5, 13)
    assert row["lama_hari_kerja"] == 10


def test_extension(con: duckdb.DuckDBPyConnection) -> None:
    rows = by_key(con, "iku3_ppid", "no_registrasi")
    assert rows["R07"]["perpanjangan_berlaku"] is True
    assert rows["R07"]["tepat_waktu"] is True
    assert rows["R08"]["perpanjangan_berlaku"] is False
    assert rows["R08"]["alasan"] == (
        "Pemberitahuan tertulis setelah 10 hari kerja; "
        "perpanjangan tidak berlaku: diberitahukan setelah hari kerja ke-10"
    )
    assert rows["R09"]["perpanjangan_berlaku"] is False
    assert "tanggal pemberitahuannya kosong" in rows["R09"]["alasan"]


def test_each_request_is_counted_and_judged(con: duckdb.DuckDBPyConnection) -> None:
    rows = by_key(con, "iku3_ppid", "no_registrasi")
    flags = {k: (r["dihitung"], r["tepat_waktu"]) for k, r in rows.items()}
    assert flags == {
        "R01": (True, True),
        "R02": (True, False),
        "R03": (True, True),
        "R04": (True, False),
        "R05": (True, True),
        "R06": (True, False),
        "R07": (True, True),
        "R08": (True, False),
        "R09": (True, False),
        "R10": (True, False),
        "R11": (False, False),
        "R12": (True, True),
        "R13": (False, False),
    }
    assert rows["R01"]["alasan"] is None
    assert rows["R02"]["alasan"] == "Pemberitahuan tertulis setelah 10 hari kerja"
    assert rows["R10"]["alasan"] == "Belum ada pemberitahuan tertulis, batas waktu sudah lewat"
    assert rows["R13"]["alasan"].startswith("Belum jatuh tempo")


def test_capaian(con: duckdb.DuckDBPyConnection) -> None:
    assert capaian(con, "IKU-3", 2025) == {
        # counted R01-R04, R07-R10, R12 (9); on time R01 R03 R07 R12 (4)
        None: (4, 9, Decimal("44.44")),
        # received in March: R01-R04, R07-R09; on time R01 R03 R07
        1: (3, 7, Decimal("42.86")),
        # received in June: R10 overdue, R12 on time; R11 and R13 not due
        2: (1, 2, Decimal("50.00")),
        3: (0, 0, None),
        4: (0, 0, None),
    }
    assert capaian(con, "IKU-3", 2024)[2] == (1, 2, Decimal("50.00"))


def test_local_day_off_moves_the_deadline(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert(con, "ppid", [request("R01", D(2025, 3, 1), D(2025, 3, 14))])
    # A local day off on Wednesday 5 Mar 2025: 3, 4, 6, 7 Mar = 1-4, 10-14 Mar = 5-9,
    # Monday 17 Mar = 10.
    directory = reference_copy(
        tmp_path, libur_lokal="tanggal,keterangan\n2025-03-05,Hari jadi Kabupaten (uji)\n"
    )
    build(con, AS_OF, directory)
    row = by_key(con, "iku3_ppid", "no_registrasi")["R01"]
    assert row["batas_waktu"] == D(2025, 3, 17)
    assert row["lama_hari_kerja"] == 9


def test_a_request_from_before_2015_has_its_deadline(tmp_path: Path) -> None:
    """The reader accepts event dates from IKU_MIN_EVENT_DATE (2000-01-01), so the working-day
    calendar must reach back as far: an old register's request answered in time is on time."""
    con = new_database(tmp_path)
    # Received Friday 19 Dec 2014: 22-24 Dec = 1-3; 25 Dec Natal, 26 Dec cuti bersama;
    # 29-31 Dec = 4-6; 1 Jan 2015 Tahun Baru; 2 Jan = 7, 5-7 Jan = 8-10: deadline 7 Jan 2015.
    insert(con, "ppid", [request("R01", D(2014, 12, 19), D(2015, 1, 7))])
    build(con, AS_OF)
    row = by_key(con, "iku3_ppid", "no_registrasi")["R01"]
    assert (row["batas_waktu"], row["lama_hari_kerja"]) == (D(2015, 1, 7), 10)
    assert (row["dihitung"], row["tepat_waktu"], row["alasan"]) == (True, True, None)
    assert capaian(con, "IKU-3", 2014)[None] == (1, 1, Decimal("100.00"))
