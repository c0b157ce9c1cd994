"""IKU-6 badan adhoc KPPS dibentuk: one item per TPS in iku.iku6_kpps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from iku_helpers import (
    TAMPULANG,
    build,
    capaian,
    fetch,
    insert,
    insert_quarantined,
    insert_wilayah,
    new_database,
)

D = dt.date
PEMILU = "Pemilu 2024"  # inauguration deadline 25 Jan 2024
PILKADA = "Pilkada 2024"  # inauguration deadline 7 Nov 2024
ON_TIME = D(2024, 1, 25)
LATE = D(2024, 1, 26)
NEWER = dt.datetime(2025, 6, 1, 8, 0)  # a later export than the helpers' default
# The reason of a TPS whose members are all valid but one short.
SIX_OF_SEVEN = "Anggota Lulus yang dilantik tepat waktu hanya 6 dari 7"


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


def test_a_tps_list_alone_adds_no_year_a_kpps_report_does(tmp_path: Path) -> None:
    """The TPS come from reference data (for 6204 the embedded defaults): without a SIAKBA
    row of its election, 2024 has no export and no report, not a year of 0 of 406 TPS."""
    con = new_database(tmp_path)
    insert(con, "tps", [tps(PEMILU, 1), tps(PEMILU, 2)])
    insert(con, "ppid", [{"no_registrasi": "P1", "tanggal_permohonan": D(2025, 3, 3)}])
    build(con, D(2025, 6, 30))
    years = "SELECT DISTINCT tahun FROM iku.capaian ORDER BY tahun"
    assert [r["tahun"] for r in fetch(con, years)] == [2025]

    insert(con, "siakba", kpps(PEMILU, 1, [D(2024, 1, 20)] * 7))
    build(con, D(2025, 6, 30))
    assert [r["tahun"] for r in fetch(con, years)] == [2024, 2025]
    assert capaian(con, "IKU-6", 2024)[None] == (1, 2, Decimal("50.00"))


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


def refused(tps: int | None, nik: str | None, **row: object) -> dict:
    """A Lulus Anggota of a Pemilu TPS, inaugurated on time, for a quarantined row."""
    return {
        **kpps(PEMILU, 0, [ON_TIME], ketua=False)[0],
        "nomor_tps": tps,
        "nik_pseudonim": nik,
        **row,
    }


def test_reason_names_the_quarantined_members(tmp_path: Path) -> None:
    """A quarantined member row completes no TPS; the reason of a TPS that is not on time
    names its rule, file and row (three at most, then a count), never its contents."""
    con = new_database(tmp_path)
    insert(con, "tps", [tps(PEMILU, n) for n in range(1, 5)])
    valid = (
        kpps(PEMILU, 1, [ON_TIME] * 6)  # the seventh is quarantined
        + kpps(PEMILU, 2, [ON_TIME] * 7)  # complete without its quarantined eighth
        + kpps(PEMILU, 3, [ON_TIME] * 2)  # five quarantined
        + kpps(PEMILU, 4, [ON_TIME] * 6)  # quarantined rows that name no member of it
    )
    insert(con, "siakba", valid)
    insert_quarantined(
        con,
        "siakba",
        [refused(1, "q1"), refused(2, "q2")] + [refused(3, f"q3-{i}") for i in range(5)],
        aturan="usia_kpps_17_55",
    )
    insert_quarantined(
        con,
        "siakba",
        [
            refused(4, "q4", status_seleksi="Tidak Lulus"),  # could not have been a member
            refused(None, "q5"),  # no TPS number: belongs to no TPS
            {**refused(4, "q6"), "jenis_pemilihan": None},  # no election
        ],
        aturan="nik_tidak_cocok_tanggal_lahir",
        nama_file="lain.csv",
    )
    build(con, D(2024, 12, 31))
    rows = items(con)
    assert rows[(PEMILU, 1)]["alasan"] == (
        f"{SIX_OF_SEVEN}; Data tidak valid: usia_kpps_17_55 (rusak.csv, baris 2)"
    )
    assert (rows[(PEMILU, 2)]["tepat_waktu"], rows[(PEMILU, 2)]["alasan"]) == (True, None)
    assert rows[(PEMILU, 3)]["alasan"] == (
        "Anggota Lulus yang dilantik tepat waktu hanya 2 dari 7; "
        "Data tidak valid: usia_kpps_17_55 (rusak.csv, baris 4); "
        "Data tidak valid: usia_kpps_17_55 (rusak.csv, baris 5); "
        "Data tidak valid: usia_kpps_17_55 (rusak.csv, baris 6) "
        "(dan 2 baris anggota lain dikarantina)"
    )
    assert rows[(PEMILU, 4)]["alasan"] == SIX_OF_SEVEN
    # The figures are those of the valid rows alone: only TPS 2 is on time.
    assert capaian(con, "IKU-6", 2024)[None] == (1, 4, Decimal("25.00"))
    assert not any(r["data_tidak_valid"] for r in rows.values())
    # The report's causes leave out what names one TPS: the files, rows and counts.
    causes = fetch(con, "SELECT penyebab FROM laporan.penyebab WHERE kode_iku = 'IKU-6'")
    assert sorted(c["penyebab"] for c in causes) == [
        "Anggota Lulus yang dilantik tepat waktu hanya sebagian",
        "Anggota Lulus yang dilantik tepat waktu hanya sebagian; Data tidak valid: usia_kpps_17_55",
        "Anggota Lulus yang dilantik tepat waktu hanya sebagian; "
        "Data tidak valid: usia_kpps_17_55; Data tidak valid: usia_kpps_17_55; "
        "Data tidak valid: usia_kpps_17_55",
    ]


def test_reason_before_the_deadline_names_them_too(tmp_path: Path) -> None:
    con = new_database(tmp_path)
    insert(con, "tps", [tps(PEMILU, 1)])
    insert(con, "siakba", kpps(PEMILU, 1, [D(2024, 1, 10)] * 6))
    insert_quarantined(con, "siakba", [refused(1, "q1")], aturan="nik_tidak_sah")
    build(con, D(2024, 1, 20))
    row = items(con)[(PEMILU, 1)]
    assert (row["dihitung"], row["alasan"]) == (
        False,
        "Belum jatuh tempo: KPPS belum lengkap dilantik, batas waktu belum lewat; "
        "Data tidak valid: nik_tidak_sah (rusak.csv, baris 2)",
    )


def test_reason_names_only_the_rows_still_used(tmp_path: Path) -> None:
    """A member with a valid row is decided by it; of a member's quarantined rows the newest
    counts; a row without a readable NIK counts only in the newest export of its TPS."""
    con = new_database(tmp_path)
    insert(con, "tps", [tps(PEMILU, n) for n in (1, 2, 3)])
    # lama.csv (the older export): six valid members at TPS 1 and 2, five and B at TPS 3
    older = {"nama_file": "lama.csv"}
    valid = kpps(PEMILU, 1, [ON_TIME] * 6) + kpps(PEMILU, 2, [ON_TIME] * 6)
    valid += [*kpps(PEMILU, 3, [ON_TIME] * 5), refused(3, "B")]
    insert(con, "siakba", [{**r, **older} for r in valid])
    newer = {"waktu_file": NEWER}
    insert_quarantined(
        con,
        "siakba",
        [
            refused(1, "A"),  # row 2: A, then restated at TPS 2 in baru.csv
            refused(1, None),  # row 3: no NIK; baru.csv has rows of TPS 1
            refused(3, None),  # row 4: no NIK; no newer export has rows of TPS 3
        ],
        aturan="nik_tidak_sah",
        nama_file="lama.csv",
    )
    insert_quarantined(
        con,
        "siakba",
        [
            {**refused(2, "A"), **newer},  # row 2
            {**refused(1, "B"), **newer},  # row 3: B has a valid row (at TPS 3)
            {**refused(2, None), **newer},  # row 4: no NIK, in the newest export of TPS 2
        ],
        aturan="usia_kpps_17_55",
        nama_file="baru.csv",
    )
    build(con, D(2024, 12, 31))
    rows = items(con)
    assert rows[(PEMILU, 1)]["alasan"] == SIX_OF_SEVEN
    assert rows[(PEMILU, 2)]["alasan"] == (
        f"{SIX_OF_SEVEN}; Data tidak valid: usia_kpps_17_55 (baru.csv, baris 2); "
        "Data tidak valid: usia_kpps_17_55 (baru.csv, baris 4)"
    )
    assert rows[(PEMILU, 3)]["alasan"] == (
        f"{SIX_OF_SEVEN}; Data tidak valid: nik_tidak_sah (lama.csv, baris 4)"
    )
