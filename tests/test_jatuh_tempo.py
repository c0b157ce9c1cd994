"""iku.jatuh_tempo: the items not done yet whose deadline is within a few working days.

As-of Monday 10 March 2025. The working days were counted by hand (no national holiday or
cuti bersama falls between 20 February and 24 March 2025): a PPID request's day 1 is the
first working day after it was received, its deadline the 10th.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from iku_helpers import fetch, insert, new_database

from warehouse import reference, views

D = dt.date
AS_OF = D(2025, 3, 10)


def request(nomor: str, diterima: dt.date, dijawab: dt.date | None = None) -> dict[str, object]:
    return {
        "no_registrasi": nomor,
        "tanggal_permohonan": diterima,
        "tanggal_pemberitahuan_tertulis": dijawab,
        "perpanjangan": False,
    }


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("jatuh_tempo")
    con = new_database(path)
    insert(
        con,
        "ppid",
        [
            # Received Saturday 1 Mar: day 1 Mon 3 Mar, deadline Fri 14 Mar, 4 working days on.
            request("001", D(2025, 3, 1)),
            # The same, already answered: done, no warning.
            request("002", D(2025, 3, 1), D(2025, 3, 5)),
            # Received Mon 24 Feb: deadline Mon 10 Mar, the as-of date itself: 0 days left.
            request("003", D(2025, 2, 24)),
            # Received Thu 20 Feb: deadline Thu 6 Mar, already past: counted, not a warning.
            request("004", D(2025, 2, 20)),
            # Received Mon 10 Mar: deadline Mon 24 Mar, 10 working days on.
            request("005", D(2025, 3, 10)),
        ],
    )
    insert(
        con,
        "tahapan",
        [
            {
                "kode_tahapan": "T1",
                "nama_tahapan": "Rapat pleno",
                "jadwal_mulai": D(2025, 3, 3),
                "jadwal_selesai": D(2025, 3, 12),  # Wednesday: 2 working days on, not done
            }
        ],
    )
    con.close()
    return path


def due(path: Path, days: int | None = None) -> list[tuple[str, str, dt.date, int]]:
    con = duckdb.connect(str(path / "kinerja.duckdb"))
    try:
        if days is None:
            reference.load(con, AS_OF)
        else:
            reference.load(con, AS_OF, due_soon_days=days)
        views.build(con)
        rows = fetch(con, "SELECT * FROM iku.jatuh_tempo")
    finally:
        con.close()
    return [(r["kode_iku"], r["butir"], r["batas_waktu"], r["hari_kerja_tersisa"]) for r in rows]


def test_items_due_within_five_working_days(database: Path) -> None:
    assert due(database) == [
        ("IKU-3", "permohonan 003", D(2025, 3, 10), 0),
        ("IKU-1", "T1 Rapat pleno", D(2025, 3, 12), 2),
        ("IKU-3", "permohonan 001", D(2025, 3, 14), 4),
    ]


def test_the_window_is_a_setting(database: Path) -> None:
    assert [(b, left) for _, b, _, left in due(database, days=10)][-1] == ("permohonan 005", 10)
    assert [(b, left) for _, b, _, left in due(database, days=0)] == [("permohonan 003", 0)]
