"""warehouse.reference: the ref schema, the working-day calendar and the reference files."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest
from iku_helpers import fetch, reference_copy

from warehouse import reference

D = dt.date
SHARED = Path(__file__).resolve().parents[2] / "shared"
HOLIDAY_LIST = SHARED / "reference" / "indonesia_libur_cutibersama_2024_2025.csv"
SEED = SHARED / "seed" / "iku_sekretariat_kpu_barito_selatan_2025.md"


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    reference.load(con, D(2025, 6, 30))
    return con


def test_tables(con: duckdb.DuckDBPyConnection) -> None:
    tables = {
        r["table_name"]
        for r in fetch(con, "SELECT * FROM duckdb_tables() WHERE schema_name = 'ref'")
    }
    assert tables == {
        "satker",
        "provinsi",
        "kabupaten_kota",
        "iku",
        "pemilihan",
        "jadwal_pdpb",
        "libur_lokal",
        "predikat_sakip",
        "parameter",
        "libur",
        "kalender",
    }
    assert fetch(con, "SELECT * FROM ref.satker") == [
        {"kode_satker": "6204", "nama_satker": "KPU Kabupaten Barito Selatan"}
    ]
    assert fetch(con, "SELECT * FROM ref.pemilihan ORDER BY tanggal_pemungutan") == [
        {
            "jenis_pemilihan": "Pemilu 2024",
            "tanggal_pemungutan": D(2024, 2, 14),
            "batas_pelantikan_kpps": D(2024, 1, 25),
        },
        {
            "jenis_pemilihan": "Pilkada 2024",
            "tanggal_pemungutan": D(2024, 11, 27),
            "batas_pelantikan_kpps": D(2024, 11, 7),
        },
    ]
    parameter = fetch(con, "SELECT * FROM ref.parameter")
    assert len(parameter) == 1
    assert parameter[0]["tanggal_posisi"] == D(2025, 6, 30)
    assert parameter[0]["versi_holidays"] == "0.109"
    span = fetch(
        con, "SELECT min(tanggal) AS a, max(tanggal) AS b, count(*) AS n FROM ref.kalender"
    )
    # from the earliest plausible event date (IKU_MIN_EVENT_DATE) to two years after the as-of
    assert (span[0]["a"], span[0]["b"]) == (D(2000, 1, 1), D(2027, 12, 31))
    assert span[0]["n"] == (D(2027, 12, 31) - D(2000, 1, 1)).days + 1


def test_working_days_per_year(con: duckdb.DuckDBPyConnection) -> None:
    # DOMAIN-NOTES §7: Monday-Friday minus holidays and cuti bersama
    counts = dict(
        con.execute(
            "SELECT year(tanggal), count(*) FILTER (WHERE hari_kerja) FROM ref.kalender "
            "WHERE year(tanggal) IN (2024, 2025) GROUP BY 1"
        ).fetchall()
    )
    assert counts == {2024: 238, 2025: 237}


def test_running_working_day_number(con: duckdb.DuckDBPyConnection) -> None:
    rows = {
        r["tanggal"]: r
        for r in fetch(
            con, "SELECT * FROM ref.kalender WHERE tanggal BETWEEN '2025-02-28' AND '2025-03-03'"
        )
    }
    friday = rows[D(2025, 2, 28)]["nomor_hari_kerja"]
    # the weekend keeps Friday's number; Monday is the next working day
    assert rows[D(2025, 3, 1)]["nomor_hari_kerja"] == friday
    assert rows[D(2025, 3, 2)]["nomor_hari_kerja"] == friday
    assert rows[D(2025, 3, 3)]["nomor_hari_kerja"] == friday + 1
    assert rows[D(2025, 3, 1)]["nama_hari"] == "Sabtu"
    assert rows[D(2025, 3, 1)]["hari_kerja"] is False


def test_holiday_names_and_kinds(con: duckdb.DuckDBPyConnection) -> None:
    rows = {
        r["tanggal"]: r for r in fetch(con, "SELECT * FROM ref.kalender WHERE year(tanggal) = 2025")
    }
    assert rows[D(2025, 3, 31)]["nama_libur"] == "Hari Raya Idul Fitri"
    assert rows[D(2025, 3, 31)]["jenis_libur"] == "libur nasional"
    assert rows[D(2025, 4, 2)]["jenis_libur"] == "cuti bersama"
    assert rows[D(2025, 8, 18)]["hari_kerja"] is False  # cuti bersama 18 Aug 2025


@pytest.mark.skipif(not HOLIDAY_LIST.is_file(), reason="../shared/reference is not beside the repo")
def test_calendar_matches_the_shared_holiday_list(con: duckdb.DuckDBPyConnection) -> None:
    with HOLIDAY_LIST.open(encoding="utf-8") as handle:
        listed = list(csv.DictReader(handle))
    kinds = {"libur_nasional": "libur nasional", "cuti_bersama": "cuti bersama"}
    expected = {(D.fromisoformat(r["tanggal"]), kinds[r["kategori"]]) for r in listed}
    got = {
        (r["tanggal"], r["jenis_libur"])
        for r in fetch(con, "SELECT * FROM ref.libur WHERE year(tanggal) IN (2024, 2025)")
    }
    assert got == expected
    weekdays_off = {d for d, _ in expected if d.isoweekday() <= 5}
    not_working = {
        r["tanggal"]
        for r in fetch(
            con,
            "SELECT tanggal FROM ref.kalender WHERE year(tanggal) IN (2024, 2025) "
            "AND isodow(tanggal) <= 5 AND NOT hari_kerja",
        )
    }
    assert not_working == weekdays_off


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seed is not beside the repo")
def test_iku_texts_are_the_seed_texts(con: duckdb.DuckDBPyConnection) -> None:
    seed_rows = [
        line.split("\t")
        for line in SEED.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\d\.\t", line)
    ]
    expected = {
        f"IKU-{cells[0].rstrip('.')}": (cells[2], cells[3], cells[5], cells[6])
        for cells in seed_rows
    }
    got = {
        r["kode_iku"]: (
            r["sasaran_strategis"],
            r["indikator"],
            r["cara_perhitungan"],
            r["sumber_data"],
        )
        for r in fetch(con, "SELECT * FROM ref.iku")
    }
    assert got == expected
    assert len(got) == 6


def test_local_days_off(tmp_path: Path) -> None:
    directory = reference_copy(
        tmp_path, libur_lokal="tanggal;keterangan\n05/03/2025;Hari jadi (uji)\n"
    )
    con = duckdb.connect()
    reference.load(con, D(2025, 6, 30), directory)
    row = fetch(con, "SELECT * FROM ref.kalender WHERE tanggal = '2025-03-05'")[0]
    assert (row["hari_kerja"], row["jenis_libur"], row["nama_libur"]) == (
        False,
        "libur lokal",
        "Hari jadi (uji)",
    )
    count = con.execute(
        "SELECT count(*) FROM ref.kalender WHERE year(tanggal) = 2025 AND hari_kerja"
    ).fetchone()
    assert count == (236,)


def test_a_whole_number_is_bounded_by_its_own_columns_type() -> None:
    """INTEGER holds 32 bits, BIGINT 64: a bound is its column's, never another type's."""
    assert reference._parser("BIGINT")("3000000000") == 3_000_000_000
    assert reference._parser("BIGINT")("-9223372036854775808") == -(2**63)
    with pytest.raises(ValueError, match="bilangan terlalu besar"):
        reference._parser("BIGINT")("9223372036854775808")
    with pytest.raises(ValueError, match="bilangan terlalu besar"):
        reference._parser("INTEGER")("3000000000")


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "pemilihan",
            "jenis_pemilihan,tanggal_pemungutan,batas_pelantikan_kpps\nPemilu 2029,2029-02-30,\n",
            "pemilihan.csv baris 2, kolom tanggal_pemungutan: tanggal tidak dikenali",
        ),
        (
            "jadwal_pdpb",
            "tahun,triwulan,batas_waktu,keterangan\n2026,5,2026-07-14,\n",
            "jadwal_pdpb.csv baris 2, kolom triwulan: '5' tidak memenuhi ketentuan (Triwulan PDPB, 1 sampai 4)",
        ),
        (
            "libur_lokal",
            "tanggal,keterangan\n2025-03-05,A\n2025-03-05,B\n",
            "libur_lokal.csv baris 3: tanggal",
        ),
        (
            "satker",
            "kode,nama\n6204,KPU\n",
            "satker.csv: kolom harus persis kode_satker, nama_satker",
        ),
        (
            "satker",
            "kode_satker,nama_satker\n6204,KPU Kabupaten Barito Selatan\n62.05,KPU Barito Utara\n",
            "satker.csv baris 3, kolom kode_satker: '62.05' tidak memenuhi ketentuan",
        ),
        (
            "iku",
            "kode_iku,sasaran_strategis,indikator,target,cara_perhitungan,sumber_data\n"
            "IKU-1,s,i,100,c,d\n",
            "iku.csv: kode_iku harus tepat IKU-1, IKU-2",
        ),
        (
            "iku",
            "kode_iku,sasaran_strategis,indikator,target,cara_perhitungan,sumber_data\n"
            "IKU-1,s,i,0,c,d\n",
            "iku.csv baris 2, kolom target: '0' tidak memenuhi ketentuan (Target dalam persen, lebih dari 0 sampai 100)",
        ),
        (
            "iku",
            "kode_iku,sasaran_strategis,indikator,target,cara_perhitungan,sumber_data\n"
            'IKU-1,s,i,"99,995",c,d\n',
            "iku.csv baris 2, kolom target: paling banyak 2 desimal",
        ),
        (
            "jadwal_pdpb",
            "tahun;triwulan;batas_waktu;keterangan\n2026;1;;\n2026;1;14/04/2026;SE\n",
            "jadwal_pdpb.csv baris 3: tahun 2026, triwulan 1 sudah ada",
        ),
        (
            # exports match the election ignoring case and spaces: the same election twice
            "pemilihan",
            "jenis_pemilihan,tanggal_pemungutan,batas_pelantikan_kpps\n"
            "Pemilu 2029,2029-02-14,2029-01-25\nPEMILU  2029,2029-02-15,2029-01-26\n",
            "pemilihan.csv baris 3: jenis_pemilihan PEMILU  2029 sudah ada di baris 2 sebagai "
            "Pemilu 2029",
        ),
        (
            "predikat_sakip",
            "predikat,sebutan,batas_bawah,bawah_termasuk,batas_atas,minimal_b\n"
            "AA,Sangat Memuaskan,90,tidak,80,ya\n",
            "predikat_sakip.csv baris 2, kolom batas_bawah: '90' tidak memenuhi ketentuan",
        ),
        (
            "predikat_sakip",
            "predikat,sebutan,batas_bawah,bawah_termasuk,batas_atas,minimal_b\n"
            "AA,Sangat Memuaskan,90,mungkin,100,ya\n",
            "predikat_sakip.csv baris 2, kolom bawah_termasuk: tulis ya atau tidak, bukan 'mungkin'",
        ),
        (
            "jadwal_pdpb",
            "tahun,triwulan,batas_waktu,keterangan\n2026,1,2026-04-14\n",
            "jadwal_pdpb.csv baris 2: 3 sel, seharusnya 4",
        ),
        (
            "satker",
            "kode_satker,nama_satker\n6204,\n",
            "satker.csv baris 2, kolom nama_satker: tidak boleh kosong",
        ),
        (
            "jadwal_pdpb",
            "tahun,triwulan,batas_waktu,keterangan\n2026.5,1,,\n",
            "jadwal_pdpb.csv baris 2, kolom tahun: bukan bilangan bulat: '2026.5'",
        ),
        (
            # beyond what the column holds: DuckDB's own refusal would name no file or line
            "jadwal_pdpb",
            "tahun,triwulan,batas_waktu,keterangan\n20260000000,1,,\n",
            "jadwal_pdpb.csv baris 2, kolom tahun: bilangan terlalu besar: '20260000000'",
        ),
        (
            "iku",
            "kode_iku,sasaran_strategis,indikator,target,cara_perhitungan,sumber_data\n"
            "IKU-1,s,i,sembilan puluh,c,d\n",
            "iku.csv baris 2, kolom target: bukan angka: 'sembilan puluh'",
        ),
        (
            "iku",
            "kode_iku,sasaran_strategis,indikator,target,cara_perhitungan,sumber_data\n"
            "IKU-1,s,i,1000,c,d\n",
            "iku.csv baris 2, kolom target: paling banyak 3 angka sebelum koma: '1000'",
        ),
        (
            "iku",
            "kode_iku,sasaran_strategis,indikator,target,cara_perhitungan,sumber_data\n"
            "IKU-1,s,i,1e400,c,d\n",
            "iku.csv baris 2, kolom target: paling banyak 3 angka sebelum koma: '1e400'",
        ),
        (
            # on voting day or after it, a TPS whose KPPS came after the vote would count
            "pemilihan",
            "jenis_pemilihan,tanggal_pemungutan,batas_pelantikan_kpps\n"
            "Pemilu 2029,2029-02-14,2029-01-25\nPilkada 2029,2029-11-27,2029-11-27\n",
            "pemilihan.csv baris 3, kolom batas_pelantikan_kpps: '2029-11-27' tidak memenuhi "
            "ketentuan (Batas waktu pelantikan KPPS (IKU-6), sebelum hari pemungutan suara)",
        ),
        (
            # 14 April for the second quarter: before the quarter has begun
            "jadwal_pdpb",
            "tahun,triwulan,batas_waktu,keterangan\n2026,1,2026-04-14,\n2026,2,2026-03-31,\n",
            "jadwal_pdpb.csv baris 3, kolom batas_waktu: '2026-03-31' tidak memenuhi ketentuan",
        ),
        (
            # a mistyped year: the quarter's items would never be due, so never counted
            "jadwal_pdpb",
            "tahun,triwulan,batas_waktu,keterangan\n2026,4,14/01/2207,\n",
            "jadwal_pdpb.csv baris 2, kolom batas_waktu: '14/01/2207' tidak memenuhi ketentuan",
        ),
    ],
)
def test_bad_reference_file_names_file_row_and_column(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    """A bad cell, or dates that contradict what they are the deadline of, stop the load
    naming the file, the line and the column the rule is about (not the other date it
    compares with)."""
    directory = reference_copy(tmp_path, **{name: text})
    with pytest.raises(reference.ReferenceDataError, match=re.escape(message)):
        reference.load(duckdb.connect(), D(2025, 6, 30), directory)


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "libur_lokal",
            "tanggal,keterangan\n2025-03-05,A\n2025-03-05,B\n",
            "libur_lokal.csv baris 3: tanggal 2025-03-05 sudah ada di baris sebelumnya",
        ),
        (
            "jadwal_pdpb",
            "tahun;triwulan;batas_waktu;keterangan\n2026;1;;\n2026;1;14/04/2026;SE\n",
            "jadwal_pdpb.csv baris 3: tahun 2026, triwulan 1 sudah ada di baris sebelumnya",
        ),
    ],
)
def test_duplicate_key_named_inside_the_build_transaction(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    """The build loads ref inside one transaction (warehouse.build), where DuckDB words a
    duplicate key otherwise, without the column names: the admin still reads which key."""
    directory = reference_copy(tmp_path, **{name: text})
    con = duckdb.connect()
    con.begin()
    with pytest.raises(reference.ReferenceDataError, match=re.escape(message) + "$"):
        reference.load(con, D(2025, 6, 30), directory)


def test_the_last_day_a_reference_date_may_take_is_accepted(tmp_path: Path) -> None:
    directory = reference_copy(
        tmp_path,
        pemilihan="jenis_pemilihan,tanggal_pemungutan,batas_pelantikan_kpps\n"
        "Pemilu 2029,2029-02-14,2029-02-13\n",
        jadwal_pdpb="tahun,triwulan,batas_waktu,keterangan\n2026,3,2026-07-01,\n"
        "2026,4,2027-12-31,\n2027,1,,\n",
    )
    con = duckdb.connect()
    reference.load(con, D(2025, 6, 30), directory)
    assert con.execute("SELECT count(*) FROM ref.jadwal_pdpb").fetchone() == (3,)


GRADES = (reference.DIRECTORY / "predikat_sakip.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("edited", "message"),
    [
        # a gap: a score of 32 would get no grade at all
        (GRADES.replace("C,Kurang,30,", "C,Kurang,35,"), "predikat C: batas_bawah 35.00"),
        # an overlap: 27 would be both C and D, two rows of iku.sakip for one year
        (GRADES.replace("C,Kurang,30,", "C,Kurang,25,"), "predikat C: batas_bawah 25.00"),
        (GRADES.replace("C,Kurang,30,tidak", "C,Kurang,30,ya"), "bawah_termasuk ya"),
        (
            GRADES.replace("AA,Sangat Memuaskan,90,tidak,100", "AA,Sangat Memuaskan,90,tidak,99"),
            "predikat AA berakhir di 99.00; nilai sampai 100 harus mendapat predikat",
        ),
        (GRADES.partition("\n")[0] + "\n", "tidak ada predikat"),
        (
            "".join(line for line in GRADES.splitlines(True) if not line.startswith("D,")),
            "predikat C: batas_bawah 30.00, bawah_termasuk tidak; seharusnya batas_bawah 0, bawah_termasuk ya",
        ),
    ],
)
def test_sakip_grades_cover_every_score_once(tmp_path: Path, edited: str, message: str) -> None:
    """An edit of predikat_sakip.csv that leaves a score without a grade or with two stops
    the run with the file named, instead of an ungraded score or an audit failure."""
    directory = reference_copy(tmp_path, predikat_sakip=edited)
    with pytest.raises(reference.ReferenceDataError, match=re.escape(message)):
        reference.load(duckdb.connect(), D(2025, 6, 30), directory)


def test_missing_reference_file_is_named(tmp_path: Path) -> None:
    """A reference file deleted or renamed by mistake: the admin reads which one."""
    directory = reference_copy(tmp_path)
    (directory / "pemilihan.csv").rename(directory / "pemilihan (1).csv")
    message = f"{directory / 'pemilihan.csv'}: berkas referensi tidak ada"
    with pytest.raises(reference.ReferenceDataError, match=re.escape(message)):
        reference.load(duckdb.connect(), D(2025, 6, 30), directory)


def test_reference_file_not_utf8_names_file_and_line(tmp_path: Path) -> None:
    """Excel's "CSV (Comma delimited)" saves Windows-1252: the admin learns which file and
    line, not a bare UnicodeDecodeError."""
    directory = reference_copy(tmp_path)
    text = "tanggal,keterangan\n2025-03-05,Hari jadi \u2013 Buntok\n"
    (directory / "libur_lokal.csv").write_bytes(text.encode("cp1252"))
    message = "libur_lokal.csv baris 2: bukan teks UTF-8"
    with pytest.raises(reference.ReferenceDataError, match=re.escape(message)):
        reference.load(duckdb.connect(), D(2025, 6, 30), directory)


def test_reload_replaces_the_schema(con: duckdb.DuckDBPyConnection) -> None:
    reference.load(con, D(2026, 1, 15))
    assert con.execute("SELECT tanggal_posisi FROM ref.parameter").fetchall() == [(D(2026, 1, 15),)]
    assert con.execute("SELECT max(tanggal) FROM ref.kalender").fetchone() == (D(2028, 12, 31),)
