"""IKU-1 tahapan sesuai jadwal: iku.iku1_tahapan and its numbers in iku.capaian."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from iku_helpers import build, by_key, capaian, insert, new_database

D = dt.date
AS_OF = D(2024, 6, 30)


def stage(kode: str, jadwal: tuple[dt.date, dt.date], realisasi: tuple[object, object]) -> dict:
    return {
        "kode_tahapan": kode,
        "nama_tahapan": f"Tahapan {kode}",
        "jenis_pemilihan": "Pilkada 2024",
        "jadwal_mulai": jadwal[0],
        "jadwal_selesai": jadwal[1],
        "realisasi_mulai": realisasi[0],
        "realisasi_selesai": realisasi[1],
    }


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = new_database(tmp_path)
    insert(
        con,
        "tahapan",
        [
            # exactly on schedule, both bounds inclusive
            stage("T1", (D(2024, 1, 10), D(2024, 1, 31)), (D(2024, 1, 10), D(2024, 1, 31))),
            # finished five days after Jadwal Selesai
            stage("T2", (D(2024, 2, 1), D(2024, 2, 29)), (D(2024, 2, 1), D(2024, 3, 5))),
            # started before Jadwal Mulai, finished in time
            stage("T3", (D(2024, 3, 1), D(2024, 3, 31)), (D(2024, 2, 25), D(2024, 3, 20))),
            # not finished, Jadwal Selesai 29 Jun is before the as-of date 30 Jun: overdue
            stage("T4", (D(2024, 4, 1), D(2024, 6, 29)), (D(2024, 4, 1), None)),
            # not finished, Jadwal Selesai is the as-of date itself: not overdue yet
            stage("T5", (D(2024, 6, 1), D(2024, 6, 30)), (D(2024, 6, 1), None)),
            # finished early, before its deadline 31 Aug
            stage("T6", (D(2024, 6, 1), D(2024, 8, 31)), (D(2024, 6, 1), D(2024, 6, 20))),
            # not started, deadline in December
            stage("T7", (D(2024, 7, 1), D(2024, 12, 31)), (None, None)),
            # "finished" 5 Jul, after the as-of date: not known yet on 30 Jun
            stage("T8", (D(2024, 6, 1), D(2024, 7, 31)), (D(2024, 6, 1), D(2024, 7, 5))),
            # finished in time but Realisasi Mulai missing: cannot show it started on time
            stage("T9", (D(2024, 1, 2), D(2024, 1, 31)), (None, D(2024, 1, 30))),
        ],
    )
    build(con, AS_OF)
    return con


def test_each_stage_is_counted_and_judged(con: duckdb.DuckDBPyConnection) -> None:
    rows = by_key(con, "iku1_tahapan", "kode_tahapan")
    flags = {k: (r["dihitung"], r["tepat_waktu"]) for k, r in rows.items()}
    assert flags == {
        "T1": (True, True),
        "T2": (True, False),
        "T3": (True, False),
        "T4": (True, False),
        "T5": (False, False),
        "T6": (True, True),
        "T7": (False, False),
        "T8": (False, False),
        "T9": (True, False),
    }
    assert rows["T1"]["alasan"] is None
    assert rows["T2"]["alasan"] == "Selesai setelah jadwal selesai"
    assert rows["T3"]["alasan"] == "Dimulai sebelum jadwal mulai"
    assert rows["T4"]["alasan"] == "Belum selesai, batas waktu sudah lewat"
    assert rows["T5"]["alasan"].startswith("Belum jatuh tempo")
    assert rows["T8"]["selesai"] is False
    assert rows["T9"]["alasan"] == "Realisasi mulai kosong"


def test_deadline_and_period_come_from_jadwal_selesai(con: duckdb.DuckDBPyConnection) -> None:
    rows = by_key(con, "iku1_tahapan", "kode_tahapan")
    assert rows["T3"]["batas_waktu"] == D(2024, 3, 31)
    assert (rows["T3"]["tahun"], rows["T3"]["triwulan"]) == (2024, 1)
    assert (rows["T4"]["tahun"], rows["T4"]["triwulan"]) == (2024, 2)
    assert (rows["T6"]["tahun"], rows["T6"]["triwulan"]) == (2024, 3)


def test_capaian(con: duckdb.DuckDBPyConnection) -> None:
    assert capaian(con, "IKU-1", 2024) == {
        # counted T1 T2 T3 T4 T6 T9, on time T1 T6: 2/6
        None: (2, 6, Decimal("33.33")),
        # Q1 (Jadwal Selesai Jan-Mar): T1 T2 T3 T9 counted, T1 on time
        1: (1, 4, Decimal("25.00")),
        # Q2: T4 overdue; T5 not yet due
        2: (0, 1, Decimal("0.00")),
        # Q3: T6 finished early; T8 not counted
        3: (1, 1, Decimal("100.00")),
        # Q4: T7 not due, nothing counted
        4: (0, 0, None),
    }
