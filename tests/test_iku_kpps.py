"""IKU-6 badan adhoc KPPS dibentuk: one item per TPS in iku.iku6_kpps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from iku_helpers import TAMPULANG, build, capaian, fetch, insert, insert_wilayah, new_database

D = dt.date
PEMILU = "Pemilu 2024"  # inauguration deadline 25 Jan 2024
PILKADA = "Pilkada 2024"  # inauguration deadline 7 Nov 2024
ON_TIME = D(2024, 1, 25)
LATE = D(2024, 1, 26)


def kpps(
    pemilihan: str,
    tps: int,
    dilantik: Sequence[dt.date | None],
    ketua: bool = True,
    status: str = "Lulus",
) -> list[dict]:
    """One member per date; the first is Ketua unless ketua=False."""
    return [
        {
            "jenis_pemilihan": pemilihan,
            "nik_pseudonim": f"{pemilihan}-{tps}-{status}-{i}",
            "nama_lengkap": f"Anggota {tps}.{i}",
            "jenis_kelamin": "L" if i % 2 else "P",
            "kode_desa": TAMPULANG,
            "nomor_tps": tps,
            "jabatan": "Ketua" if ketua and i == 0 else "Anggota",
            "status_seleksi": status,
            "tanggal_pelantikan": tanggal,
        }
        for i, tanggal in enumerate(dilantik)
    ]


def tps(pemilihan: str, nomor: int) -> dict:
    return {"jenis_pemilihan": pemilihan, "kode_desa": TAMPULANG, "nomor_tps": nomor}


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = new_database(tmp_path)
    insert_wilayah(con)
    insert(
        con,
        "tps",
        [tps(PEMILU, n) for n in range(1, 7)] + [tps(PILKADA, 1), tps("Pemilu 2029", 1)],
    )
    members = (
        # TPS 1: Ketua + 6 Anggota on the deadline; a Cadangan does not matter
        kpps(PEMILU, 1, [ON_TIME] * 7)
        + kpps(PEMILU, 1, [None], ketua=False, status="Cadangan")
        # TPS 2: only 6 Lulus; the seventh did not pass
        + kpps(PEMILU, 2, [ON_TIME] * 6)
        + kpps(PEMILU, 2, [None], ketua=False, status="Tidak Lulus")
        # TPS 3: 7 Lulus on time, none of them Ketua
        + kpps(PEMILU, 3, [ON_TIME] * 7, ketua=False)
        # TPS 4: Ketua + 5 on time, the seventh inaugurated a day late
        + kpps(PEMILU, 4, [ON_TIME] * 6 + [LATE])
        # TPS 5: 8 Lulus, one late: still 7 on time with the Ketua
        + kpps(PEMILU, 5, [ON_TIME] * 7 + [LATE])
        # TPS 6: nobody at all
        # Pilkada TPS 1: complete on its own deadline 7 Nov 2024
        + kpps(PILKADA, 1, [D(2024, 11, 7)] * 7)
    )
    insert(con, "siakba", members)
    build(con, D(2024, 12, 31))
    return con


def items(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int], dict]:
    rows = fetch(con, "SELECT * FROM iku.iku6_kpps")
    return {(r["jenis_pemilihan"], r["nomor_tps"]): r for r in rows}


def test_each_tps_is_judged(con: duckdb.DuckDBPyConnection) -> None:
    rows = items(con)
    # TPS of an election missing from ref.pemilihan are not items
    assert ("Pemilu 2029", 1) not in rows
    flags = {k: (r["dihitung"], r["tepat_waktu"]) for k, r in rows.items()}
    assert flags == {
        (PEMILU, 1): (True, True),
        (PEMILU, 2): (True, False),
        (PEMILU, 3): (True, False),
        (PEMILU, 4): (True, False),
        (PEMILU, 5): (True, True),
        (PEMILU, 6): (True, False),
        (PILKADA, 1): (True, True),
    }
    assert rows[(PEMILU, 1)]["jumlah_lulus"] == 7
    assert rows[(PEMILU, 2)]["alasan"] == "Anggota Lulus yang dilantik tepat waktu hanya 6 dari 7"
    assert rows[(PEMILU, 3)]["alasan"] == "Tidak ada Ketua Lulus yang dilantik tepat waktu"
    assert rows[(PEMILU, 4)]["tanggal_selesai"] == LATE
    assert rows[(PEMILU, 4)]["alasan"] == (
        "KPPS lengkap (7 anggota Lulus dengan Ketua) baru dilantik setelah batas waktu"
    )
    assert rows[(PEMILU, 5)]["tanggal_selesai"] == ON_TIME
    assert rows[(PEMILU, 6)]["alasan"] == (
        "Anggota Lulus yang dilantik tepat waktu hanya 0 dari 7; "
        "Tidak ada Ketua Lulus yang dilantik tepat waktu"
    )
    assert rows[(PILKADA, 1)]["batas_waktu"] == D(2024, 11, 7)
    assert (rows[(PILKADA, 1)]["tahun"], rows[(PILKADA, 1)]["triwulan"]) == (2024, 4)


def test_capaian(con: duckdb.DuckDBPyConnection) -> None:
    assert capaian(con, "IKU-6", 2024) == {
        # 7 TPS, on time: Pemilu TPS 1 and 5, Pilkada TPS 1
        None: (3, 7, Decimal("42.86")),
        # Pemilu deadline 25 Jan: Q1
        1: (2, 6, Decimal("33.33")),
        2: (0, 0, None),
        3: (0, 0, None),
        # Pilkada deadline 7 Nov: Q4
        4: (1, 1, Decimal("100.00")),
    }


def test_before_the_deadline_only_complete_tps_count(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert(con, "tps", [tps(PEMILU, 1), tps(PEMILU, 2)])
    # TPS 1 complete early, on 20 Jan; TPS 2 has nobody yet
    insert(con, "siakba", kpps(PEMILU, 1, [D(2024, 1, 20)] * 7))
    # as-of date = the deadline: TPS 2 is not overdue yet (deadline must be before it)
    build(con, ON_TIME)
    rows = items(con)
    assert (rows[(PEMILU, 1)]["dihitung"], rows[(PEMILU, 1)]["tepat_waktu"]) == (True, True)
    assert rows[(PEMILU, 2)]["dihitung"] is False
    assert capaian(con, "IKU-6", 2024)[1] == (1, 1, Decimal("100.00"))


def test_inauguration_after_the_as_of_date_is_not_known_yet(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert(con, "tps", [tps(PEMILU, 1)])
    insert(con, "siakba", kpps(PEMILU, 1, [D(2024, 1, 22)] * 6 + [D(2024, 1, 24)]))
    build(con, D(2024, 1, 23))
    row = items(con)[(PEMILU, 1)]
    assert (row["jumlah_dilantik"], row["selesai"], row["dihitung"]) == (6, False, False)
