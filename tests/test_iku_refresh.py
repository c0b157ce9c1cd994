"""The six IKU through the real flow on real files: hand-made exports, hand-computed figures.

As-of date 30 Jun 2025. Working days in March 2025: Mon–Fri; the first holidays after
them are 28 Mar (cuti bersama) and 31 Mar–7 Apr (Idul Fitri), which none of the deadlines
below reaches.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from exports import write_csv, write_xlsx

pytestmark = pytest.mark.slow

AS_OF = date(2025, 6, 30)
DESA_A, DESA_B = "6204012001", "6204012002"


def landing_files(landing: Path) -> None:
    root = landing / "6204"
    for name in (
        "wilayah",
        "tps",
        "tahapan",
        "logistik",
        "ppid",
        "pemilih",
        "keuangan",
        "sakip",
        "siakba",
    ):
        (root / name).mkdir(parents=True)

    # Two desa replace the embedded 93: IKU-4 has two items per quarter.
    write_csv(
        root / "wilayah" / "wilayah.csv",
        [
            ["Kode Wilayah", "Nama Wilayah", "Tingkat"],
            ["62.04.01.2001", "Tampulang", "Desa"],
            ["62.04.01.2002", "Rantau Bahuang", "Desa"],
        ],
    )
    # One Pemilu 2024 TPS replaces the embedded 406.
    write_csv(
        root / "tps" / "tps.csv",
        [["Jenis Pemilihan", "Kode Desa", "Nomor TPS"], ["Pemilu 2024", DESA_A, "001"]],
        sep=";",
    )

    write_xlsx(
        root / "tahapan" / "tahapan.xlsx",
        [
            ["LAPORAN PELAKSANAAN TAHAPAN"],
            [],
            [
                "Kode Tahapan",
                "Jadwal Mulai",
                "Jadwal Selesai",
                "Realisasi Mulai",
                "Realisasi Selesai",
            ],
            [
                "T1",
                date(2025, 1, 1),
                date(2025, 1, 31),
                date(2025, 1, 2),
                date(2025, 1, 30),
            ],  # on time
            ["T2", date(2025, 2, 1), date(2025, 2, 28), date(2025, 2, 1), date(2025, 3, 3)],  # late
            ["T3", date(2025, 6, 1), date(2025, 7, 31), date(2025, 6, 2), None],  # not yet due
            [
                "T4",
                date(2025, 3, 10),
                date(2025, 3, 20),
                date(2025, 3, 8),
                date(2025, 3, 18),
            ],  # started early
        ],
    )
    write_csv(
        root / "logistik" / "logistik.csv",
        [
            [
                "Tahun",
                "Kode Barang",
                "Nama Barang",
                "Kategori",
                "Lokasi Gudang",
                "Tanggal Inventarisasi",
                "Tanggal Pemeliharaan",
            ],
            [
                "2025",
                "KS",
                "Kotak Suara",
                "Barang Inventaris",
                "Gudang Buntok",
                "01/03/2025",
                "05/03/2025",
            ],  # done
            [
                "2025",
                "TN",
                "Tinta",
                "Habis Pakai",
                "Gudang Buntok",
                "01/03/2025",
                "",
            ],  # not an item
            [
                "2025",
                "BL",
                "Bilik",
                "barang inventaris",
                "Gudang Buntok",
                "01/03/2025",
                "",
            ],  # cut-off 31 Dec not passed
        ],
        sep=";",
    )
    write_csv(
        root / "ppid" / "ppid.csv",
        [
            [
                "No Registrasi",
                "Tanggal Permohonan",
                "NIK",
                "No Telepon",
                "Perpanjangan",
                "Tanggal Pemberitahuan Perpanjangan",
                "Tanggal Pemberitahuan Tertulis",
            ],
            # Received Saturday 1 Mar: day 1 is Mon 3 Mar, day 10 Fri 14 Mar; answered on day 10.
            [
                "P1",
                "1 Maret 2025",
                "6204014101900001",
                "081234567801",
                "Tidak",
                "",
                "14 Maret 2025",
            ],
            # Received Mon 3 Mar: day 1 Tue 4 Mar, day 10 Mon 17 Mar; answered Tue 18 Mar, late.
            ["P2", "3 Maret 2025", "6204010202900002", "081234567802", "Tidak", "", "18/03/2025"],
            # Received Mon 3 Mar, extension notified on day 10 (17 Mar): day 17 is Wed 26 Mar.
            [
                "P3",
                "3 Mar 2025",
                "6204010303900003",
                "081234567803",
                "Ya",
                "17-03-2025",
                "26-03-2025",
            ],
            # Received Fri 20 Jun, unanswered: day 10 (4 Jul) is after the as-of date.
            ["P4", "2025-06-20", "6204010404900004", "081234567804", "", "", ""],
        ],
        sep=";",
        encoding="cp1252",
    )
    header = [
        "Tahun",
        "Triwulan",
        "Kode Desa",
        "Pemilih Awal L",
        "Pemilih Awal P",
        "Pemilih Baru L",
        "Pemilih Baru P",
        "TMS L",
        "TMS P",
        "Pemilih Akhir L",
        "Pemilih Akhir P",
        "Tanggal Pleno",
    ]
    write_csv(
        root / "pemilih" / "pdpb.csv",
        [
            header,
            [
                "2025",
                "I",
                DESA_A,
                "1.000",
                "990",
                "5",
                "4",
                "2",
                "1",
                "1.003",
                "993",
                "10/04/2025",
            ],  # by 14 Apr
            [
                "2025",
                "I",
                DESA_B,
                "800",
                "790",
                "0",
                "0",
                "0",
                "0",
                "800",
                "790",
                "15/04/2025",
            ],  # late
            [
                "2025",
                "Triwulan II",
                DESA_A,
                "1.003",
                "993",
                "1",
                "1",
                "0",
                "0",
                "1.004",
                "994",
                "28/06/2025",
            ],  # early
        ],
        sep="\t",
        encoding="utf-8-sig",
    )
    write_csv(
        root / "keuangan" / "keuangan.csv",
        [
            [
                "NIP",
                "Nama Pejabat",
                "Jabatan Perbendaharaan",
                "Jenis Laporan",
                "Periode Laporan",
                "Batas Waktu",
                "Tanggal Penyampaian",
            ],
            [
                "198001012005011001",
                "A",
                "Bendahara Pengeluaran",
                "LPJ Bendahara",
                "Januari 2025",
                "10/02/2025",
                "07/02/2025",
            ],
            [
                "198001012005011001",
                "A",
                "Bendahara Pengeluaran",
                "LPJ Bendahara",
                "Februari 2025",
                "10/03/2025",
                "12/03/2025",
            ],
            ["197502022000032002", "B", "PPK", "SPJ", "2025-01", "10/02/2025", "10/02/2025"],
        ],
    )
    write_csv(
        root / "sakip" / "sakip.csv",
        [["Tahun", "Nilai", "Predikat"], ["2025", "60,00", "B"]],
        sep=";",
    )

    members = [
        [
            "NIK",
            "Jenis Pemilihan",
            "Nama Lengkap",
            "Jenis Kelamin",
            "Tanggal Lahir",
            "Pendidikan Terakhir",
            "Kode Desa",
            "Nomor TPS",
            "Jabatan",
            "Status Seleksi",
            "Tanggal Pelantikan",
        ]
    ]
    for n in range(7):
        day = 10 + n
        members.append(
            [
                f"620401{day:02d}0590{n + 1:04d}",
                "Pemilu 2024",
                f"Anggota {n}",
                "L",
                f"{day}/05/1990",
                "SMA",
                DESA_A,
                "1",
                "Ketua" if n == 0 else "Anggota",
                "Lulus",
                date(2024, 1, 25),
            ]
        )
    write_xlsx(root / "siakba" / "kpps.xlsx", [["DAFTAR ANGGOTA KPPS"], *members])


@pytest.fixture(scope="module")
def database(
    prefect_backend: None,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch_module: pytest.MonkeyPatch,
) -> duckdb.DuckDBPyConnection:
    from flows.refresh import refresh

    monkeypatch_module.setenv("IKU_PII_KEY", "kunci-uji-0123456789")
    root = tmp_path_factory.mktemp("iku")
    landing_files(root / "landing")
    result = refresh(landing=root / "landing", warehouse=root / "warehouse", as_of=AS_OF)
    assert result.rejected_files == [] and result.error_rows == 0
    return duckdb.connect(str(result.published), read_only=True)


@pytest.fixture(scope="module")
def monkeypatch_module():  # type: ignore[no-untyped-def]
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def figures(
    con: duckdb.DuckDBPyConnection, year: int, quarter: int | None = None
) -> dict[str, tuple[int, int]]:
    rows = con.execute(
        "SELECT kode_iku, pembilang, penyebut FROM iku.capaian WHERE tahun = ? AND triwulan IS NOT DISTINCT FROM ?",
        [year, quarter],
    ).fetchall()
    return {k: (p, q) for k, p, q in rows}


def test_whole_year_2025(database: duckdb.DuckDBPyConnection) -> None:
    assert figures(database, 2025) == {
        "IKU-1": (1, 3),  # T1 on time; T2 late; T4 started early; T3 not yet due
        "IKU-2": (1, 1),  # kotak suara done; tinta is consumable; bilik's cut-off not passed
        "IKU-3": (2, 3),  # P1 and P3 on time, P2 late, P4 not yet due
        "IKU-4": (2, 3),  # Q1: desa A on time, desa B late; Q2: desa A early, desa B not yet due
        "IKU-5": (1, 2),  # official A has one late report among two; B on time
        "IKU-6": (0, 0),  # no election in 2025
    }


def test_quarters_2025(database: duckdb.DuckDBPyConnection) -> None:
    q1 = figures(database, 2025, 1)
    # T1 on time (deadline 31 Jan), T2 late (28 Feb), T4 started early (20 Mar): all in Q1.
    assert q1["IKU-1"] == (1, 3)
    assert figures(database, 2025, 2)["IKU-1"] == (0, 0)  # T3 (deadline 31 Jul) is not due yet
    assert q1["IKU-3"] == (2, 3)  # all requests of March
    assert q1["IKU-4"] == (1, 2)
    assert figures(database, 2025, 4)["IKU-2"] == (1, 1)  # tanggal acuan is the 31 Dec cut-off


def test_kpps_2024_and_realisasi(database: duckdb.DuckDBPyConnection) -> None:
    assert figures(database, 2024)["IKU-6"] == (1, 1)  # 7 Lulus, one Ketua, inaugurated 25 Jan
    rows = database.execute(
        "SELECT kode_iku, realisasi, capaian FROM iku.capaian WHERE tahun = 2025 AND triwulan IS NULL ORDER BY 1"
    ).fetchall()
    assert [(k, None if r is None else float(r)) for k, r, _ in rows] == [
        ("IKU-1", 33.33),
        ("IKU-2", 100.0),
        ("IKU-3", 66.67),
        ("IKU-4", 66.67),
        ("IKU-5", 50.0),
        ("IKU-6", None),
    ]


def test_sakip_grade_from_score(database: duckdb.DuckDBPyConnection) -> None:
    # 60.00 is not above 60: grade CC, below B, although the export wrote B.
    assert database.execute(
        "SELECT predikat, minimal_b FROM iku.sakip WHERE tahun = 2025"
    ).fetchone() == ("CC", False)


def test_pseudonyms_are_keyed_and_stable(database: duckdb.DuckDBPyConnection) -> None:
    import hashlib
    import hmac

    expected = hmac.new(b"kunci-uji-0123456789", b"6204014101900001", hashlib.sha256).hexdigest()
    got = database.execute(
        "SELECT nik_pseudonim FROM staging.ppid WHERE no_registrasi = 'P1'"
    ).fetchone()
    assert got == (expected,)
