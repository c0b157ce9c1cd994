"""Items known only from quarantined rows count once due and are never on time (SPEC §4).

Hand-computed branch tests per IKU on a real DuckDB file: a quarantined-only item that is
overdue (counted, not on time, the data error as reason), one that is not due yet (not
counted), a quarantined row beside a valid row of the same key (the valid row decides), and
a row whose key or dates cannot be read (no item). As-of date 30 June 2025 throughout.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from iku_helpers import (
    MALINTUT,
    RANTAU_KUJANG,
    TAMPULANG,
    build,
    by_key,
    capaian,
    fetch,
    insert,
    insert_quarantined,
    insert_wilayah,
    new_database,
)

D = dt.date
AS_OF = D(2025, 6, 30)
NEWER = dt.datetime(2025, 6, 1, 8, 0)  # a later export than the helpers' default
# The eight PDPB counts of a desa-quarter that balance (Akhir = Awal + Baru - TMS).
BALANCED = {
    "pemilih_awal_l": 10, "pemilih_awal_p": 10, "pemilih_baru_l": 0, "pemilih_baru_p": 0,
    "tms_l": 0, "tms_p": 0, "pemilih_akhir_l": 10, "pemilih_akhir_p": 10,
}  # fmt: skip


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = new_database(tmp_path)
    insert_wilayah(con)
    return con


def test_iku1_stage_known_only_from_quarantined_rows(con: duckdb.DuckDBPyConnection) -> None:
    insert(
        con,
        "tahapan",
        [
            {  # T1: on time
                "kode_tahapan": "T1",
                "jadwal_mulai": D(2025, 1, 1),
                "jadwal_selesai": D(2025, 1, 31),
                "realisasi_mulai": D(2025, 1, 2),
                "realisasi_selesai": D(2025, 1, 30),
            },
            {  # T4: on time; a newer export restates it with broken dates (below)
                "kode_tahapan": "T4",
                "jadwal_mulai": D(2025, 3, 1),
                "jadwal_selesai": D(2025, 3, 31),
                "realisasi_mulai": D(2025, 3, 1),
                "realisasi_selesai": D(2025, 3, 20),
            },
        ],
    )
    insert_quarantined(
        con,
        "tahapan",
        [
            {  # row 2 - T2: realisation dates in the wrong order, deadline past
                "kode_tahapan": "T2",
                "jadwal_mulai": D(2025, 2, 1),
                "jadwal_selesai": D(2025, 2, 28),
                "realisasi_mulai": D(2025, 2, 20),
                "realisasi_selesai": D(2025, 2, 10),
            },
            {  # row 3 - T3: deadline after the as-of date: not due yet
                "kode_tahapan": "T3",
                "jadwal_mulai": D(2025, 11, 1),
                "jadwal_selesai": D(2025, 12, 31),
            },
            {  # row 4 - T4 again, newer but quarantined: the valid row decides
                "kode_tahapan": "T4",
                "jadwal_mulai": D(2025, 3, 1),
                "jadwal_selesai": D(2025, 3, 31),
                "realisasi_mulai": D(2025, 3, 25),
                "realisasi_selesai": D(2025, 3, 5),
                "waktu_file": NEWER,
            },
            {  # row 5 - key unreadable: no item
                "kode_tahapan": None,
                "jadwal_mulai": D(2025, 1, 1),
                "jadwal_selesai": D(2025, 1, 31),
                "terbaca": False,
            },
        ],
        aturan="urutan_tanggal",
    )
    build(con, AS_OF)
    rows = by_key(con, "iku1_tahapan", "kode_tahapan")
    assert sorted(rows) == ["T1", "T2", "T3", "T4"]
    t2 = rows["T2"]
    assert (t2["dihitung"], t2["tepat_waktu"], t2["data_tidak_valid"]) == (True, False, True)
    assert t2["alasan"] == "Data tidak valid: urutan_tanggal (rusak.csv, baris 2)"
    assert (t2["nama_file"], t2["nomor_baris"]) == ("rusak.csv", 2)
    t3 = rows["T3"]
    assert (t3["dihitung"], t3["tepat_waktu"]) == (False, False)
    assert t3["alasan"] == "Data tidak valid: urutan_tanggal (rusak.csv, baris 3)"
    t4 = rows["T4"]
    assert (t4["tepat_waktu"], t4["data_tidak_valid"], t4["nama_file"]) == (True, False, "uji.csv")
    # Q1: T1, T2, T4 counted, T1 and T4 on time. Q4: T3 not due. Year: 2 of 3.
    assert capaian(con, "IKU-1", 2025) == {
        None: (2, 3, Decimal("66.67")),
        1: (2, 3, Decimal("66.67")),
        2: (0, 0, None),
        3: (0, 0, None),
        4: (0, 0, None),
    }


def test_iku2_line_known_only_from_quarantined_rows(con: duckdb.DuckDBPyConnection) -> None:
    inventaris = {"kategori": "Barang Inventaris", "lokasi_gudang": "Gudang Buntok", "tahun": 2024}
    insert(
        con,
        "logistik",
        [
            {  # L1: inventoried and maintained before the 2024 cut-off (13 Feb)
                **inventaris,
                "kode_barang": "L1",
                "tanggal_inventarisasi": D(2024, 1, 10),
                "tanggal_pemeliharaan": D(2024, 1, 20),
            }
        ],
    )
    insert_quarantined(
        con,
        "logistik",
        [
            {  # row 2 - L2: a negative count; dates would be on time, but the row is broken
                **inventaris,
                "kode_barang": "L2",
                "jumlah_tersedia": -5,
                "tanggal_inventarisasi": D(2024, 1, 10),
                "tanggal_pemeliharaan": D(2024, 1, 20),
            },
            {  # row 3 - L3: Habis Pakai is no IKU-2 item, broken or not
                **inventaris,
                "kategori": "Habis Pakai",
                "kode_barang": "L3",
            },
            {  # row 4 - Kategori unreadable: cannot tell whether it is an item
                **inventaris,
                "kategori": None,
                "kode_barang": "L4",
                "terbaca": False,
            },
        ],
        aturan="jumlah_negatif",
    )
    build(con, AS_OF)
    rows = by_key(con, "iku2_logistik", "kode_barang")
    assert sorted(rows) == ["L1", "L2", "L3"]
    l2 = rows["L2"]
    assert (l2["dihitung"], l2["tepat_waktu"]) == (True, False)
    assert l2["alasan"] == "Data tidak valid: jumlah_negatif (rusak.csv, baris 2)"
    assert (rows["L3"]["dihitung"], rows["L3"]["tepat_waktu"]) == (False, False)
    assert rows["L3"]["alasan"] == "Barang habis pakai: tidak dihitung IKU-2"
    assert capaian(con, "IKU-2", 2024)[None] == (1, 2, Decimal("50.00"))
    assert capaian(con, "IKU-2", 2024)[1] == (1, 2, Decimal("50.00"))


def test_iku3_request_known_only_from_quarantined_rows(con: duckdb.DuckDBPyConnection) -> None:
    insert(
        con,
        "ppid",
        [
            # P1: received Mon 3 Mar 2025, answered Wed 5 Mar: on time
            {"no_registrasi": "P1", "tanggal_permohonan": D(2025, 3, 3),
             "tanggal_pemberitahuan_tertulis": D(2025, 3, 5)},
            # P4: answered on time; a newer export restates it broken (below)
            {"no_registrasi": "P4", "tanggal_permohonan": D(2025, 4, 7),
             "tanggal_pemberitahuan_tertulis": D(2025, 4, 8)},
        ],
    )  # fmt: skip
    insert_quarantined(
        con,
        "ppid",
        [
            # row 2 - P2: answer date unreadable ("belum"); 10 working days long past
            {"no_registrasi": "P2", "tanggal_permohonan": D(2025, 3, 10)},
            # row 3 - P3: received Fri 27 Jun 2025; deadline in July: not due yet
            {"no_registrasi": "P3", "tanggal_permohonan": D(2025, 6, 27)},
            # row 4 - P4 again, newer and broken: the valid row decides
            {"no_registrasi": "P4", "tanggal_permohonan": D(2025, 4, 7), "waktu_file": NEWER},
            # row 5 - request date unreadable: the item has no deadline, no item
            {"no_registrasi": "P5", "tanggal_permohonan": None, "terbaca": False},
        ],
        aturan="tanggal_tidak_valid",
        nama_file="register-mei.xlsx",
    )  # fmt: skip
    build(con, AS_OF)
    rows = by_key(con, "iku3_ppid", "no_registrasi")
    assert sorted(rows) == ["P1", "P2", "P3", "P4"]
    p2 = rows["P2"]
    assert (p2["dihitung"], p2["tepat_waktu"], p2["batas_waktu"]) == (True, False, D(2025, 3, 24))
    assert p2["alasan"] == "Data tidak valid: tanggal_tidak_valid (register-mei.xlsx, baris 2)"
    assert (rows["P3"]["dihitung"], rows["P3"]["tepat_waktu"]) == (False, False)
    assert (rows["P4"]["tepat_waktu"], rows["P4"]["data_tidak_valid"]) == (True, False)
    figures = capaian(con, "IKU-3", 2025)
    assert figures[1] == (1, 2, Decimal("50.00"))  # P1 on time, P2 counted
    assert figures[2] == (1, 1, Decimal("100.00"))  # P4 on time, P3 not due
    assert figures[None] == (2, 3, Decimal("66.67"))


def test_iku5_official_with_a_quarantined_report(con: duckdb.DuckDBPyConnection) -> None:
    januari = {
        "jenis_laporan": "LPJ Bendahara",
        "periode_laporan": D(2025, 1, 1),
        "batas_waktu": D(2025, 2, 10),
        "tanggal_penyampaian": D(2025, 2, 5),
    }
    insert(
        con,
        "keuangan",
        [
            {"nip": "A", "nama_pejabat": "Pejabat A", **januari},
            {"nip": "B", "nama_pejabat": "Pejabat B", **januari},
        ],
    )
    insert_quarantined(
        con,
        "keuangan",
        [
            {  # row 2 - A's February report: Tanggal Penyampaian "belum" (unreadable)
                "nip": "A",
                "jenis_laporan": "LPJ Bendahara",
                "periode_laporan": D(2025, 2, 1),
                "batas_waktu": D(2025, 3, 10),
            },
            {  # row 3 - B's January report restated broken: the valid row decides
                "nip": "B",
                **januari,
                "tanggal_penyampaian": None,
                "waktu_file": NEWER,
            },
        ],
    )
    build(con, AS_OF)
    laporan = {
        (r["nip"], r["periode_laporan"]): r for r in fetch(con, "SELECT * FROM iku.iku5_keuangan")
    }
    assert len(laporan) == 3
    februari = laporan[("A", D(2025, 2, 1))]
    assert (februari["dihitung"], februari["tepat_waktu"]) == (True, False)
    assert februari["alasan"] == "Data tidak valid: tanggal_tidak_valid (rusak.csv, baris 2)"
    pejabat = {r["nip"]: r for r in fetch(con, "SELECT * FROM iku.iku5_pejabat WHERE triwulan = 1")}
    assert (pejabat["A"]["tepat_waktu"], pejabat["A"]["data_tidak_valid"]) == (False, True)
    assert "Data tidak valid: tanggal_tidak_valid" in pejabat["A"]["alasan"]
    assert pejabat["B"]["tepat_waktu"]
    assert capaian(con, "IKU-5", 2025)[1] == (1, 2, Decimal("50.00"))
    assert capaian(con, "IKU-5", 2025)[None] == (1, 2, Decimal("50.00"))


def test_iku6_tps_known_only_from_quarantined_rows(con: duckdb.DuckDBPyConnection) -> None:
    pemilu = {"jenis_pemilihan": "Pemilu 2024", "kode_desa": TAMPULANG}
    insert(con, "tps", [{**pemilu, "nomor_tps": 1}])
    insert_quarantined(
        con,
        "tps",
        [
            {**pemilu, "nomor_tps": 2, "jumlah_pemilih": -1},  # row 2: a broken count
            {**pemilu, "nomor_tps": None, "terbaca": False},  # row 3: no TPS number
        ],
        aturan="jumlah_negatif",
    )
    members = [
        {
            **pemilu,
            "nomor_tps": tps,
            "nik_pseudonim": f"{tps}-{n}",
            "jabatan": "Ketua" if n == 0 else "Anggota",
            "status_seleksi": "Lulus",
            "tanggal_pelantikan": D(2024, 1, 20),
        }
        for tps in (1, 2)
        for n in range(7)
    ]
    insert(con, "siakba", members)
    build(con, AS_OF)
    rows = by_key(con, "iku6_kpps", "nomor_tps")
    assert sorted(rows) == [1, 2]
    assert rows[1]["tepat_waktu"] is True
    tps2 = rows[2]
    # Seven members inaugurated in time, but the TPS itself is known only from a broken row.
    assert (tps2["jumlah_dilantik_tepat_waktu"], tps2["dihitung"], tps2["tepat_waktu"]) == (
        7,
        True,
        False,
    )
    assert tps2["alasan"] == "Data tidak valid: jumlah_negatif (rusak.csv, baris 2)"
    assert capaian(con, "IKU-6", 2024)[1] == (1, 2, Decimal("50.00"))


def test_iku4_desa_known_only_from_a_quarantined_wilayah_row(tmp_path: Path) -> None:
    """A desa whose only wilayah row is quarantined (its Tingkat unreadable, its code read)
    stays an item of IKU-4, never on time: the broken row must not take it out of the
    denominator. A row whose code cannot be read names no desa."""
    con = new_database(tmp_path)
    insert(
        con,
        "wilayah",
        [{"kode_wilayah": TAMPULANG, "nama_wilayah": "Tampulang", "tingkat": "desa"}],
    )
    insert_quarantined(
        con,
        "wilayah",
        [
            {"kode_wilayah": MALINTUT, "nama_wilayah": "Malintut", "tingkat": None},
            {"kode_wilayah": "6204011101", "nama_wilayah": "Kelurahan", "tingkat": None},
            {"kode_wilayah": None, "nama_wilayah": "Kode rusak", "terbaca": False},
        ],
        aturan="pilihan_tidak_dikenal",
    )
    insert(
        con,
        "pemilih",
        [{"tahun": 2025, "triwulan": 1, "kode_desa": kode, "tanggal_pleno": D(2025, 4, 10),
          **BALANCED} for kode in (TAMPULANG, MALINTUT)],
    )  # fmt: skip
    build(con, AS_OF)
    # Three desa/kelurahan × Q1 2025 (deadline 14 Apr): only Tampulang's pleno counts.
    assert capaian(con, "IKU-4", 2025)[1] == (1, 3, Decimal("33.33"))
    rows = {
        r["kode_desa"]: r for r in fetch(con, "SELECT * FROM iku.iku4_pemilih WHERE triwulan = 1")
    }
    assert sorted(rows) == ["6204011101", TAMPULANG, MALINTUT]
    broken = rows[MALINTUT]
    assert (broken["tingkat"], broken["dihitung"], broken["tepat_waktu"]) == ("desa", True, False)
    assert broken["alasan"] == "Data tidak valid: pilihan_tidak_dikenal (rusak.csv, baris 2)"
    assert (rows["6204011101"]["tingkat"], rows["6204011101"]["data_tidak_valid"]) == (
        "kelurahan",
        True,
    )


def test_quarantined_pemilih_rows_complete_no_iku4_item(con: duckdb.DuckDBPyConnection) -> None:
    """IKU-4's items come from wilayah: a broken pemilih row adds none and completes none."""
    insert(
        con,
        "pemilih",
        [{"tahun": 2025, "triwulan": 1, "kode_desa": TAMPULANG, "tanggal_pleno": D(2025, 4, 10),
          **BALANCED}],
    )  # fmt: skip
    insert_quarantined(
        con,
        "pemilih",
        [{"tahun": 2025, "triwulan": 1, "kode_desa": "6204012002", "tanggal_pleno": D(2025, 4, 10),
          **BALANCED, "pemilih_akhir_l": 99}],
        aturan="pdpb_tidak_seimbang",
    )  # fmt: skip
    build(con, AS_OF)
    # Three desa/kelurahan × Q1 2025 (deadline 14 Apr): one valid pleno of three.
    assert capaian(con, "IKU-4", 2025)[1] == (1, 3, Decimal("33.33"))
    # The desa whose only row is quarantined: not done, and the reason names the error.
    rows = {
        r["kode_desa"]: r
        for r in fetch(con, "SELECT * FROM iku.iku4_pemilih")
        if r["triwulan"] == 1
    }
    broken, missing = rows["6204012002"], rows[RANTAU_KUJANG]
    assert (broken["dihitung"], broken["tepat_waktu"], broken["data_tidak_valid"]) == (
        True, False, True
    )  # fmt: skip
    assert broken["alasan"].startswith("Data tidak valid: pdpb_tidak_seimbang")
    assert not missing["data_tidak_valid"] and "Belum ada rekapitulasi" in missing["alasan"]


# --- The real path: exports on disk, read, checked, loaded, built, audited, published ---

PPID_HEADER = "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis\n"


def _landing(root: Path) -> Path:
    landing = root / "landing"
    good = "".join(f"{n:03};03/03/2025;05/03/2025\n" for n in range(1, 9))
    files = {
        # 6204: eight requests answered on time; 009 answered "belum" (its date cannot be
        # read: quarantined, overdue); a row without No Registrasi (no item at all). Two of
        # ten rows in error: the file itself is accepted.
        "6204": good + "009;10/03/2025;belum\n;10/03/2025;12/03/2025\n",
        # 6205: two of three rows broken: the whole file is rejected, so none of its rows is
        # valid, and each request it names is an item that cannot be shown to be on time.
        "6205": "101;03/03/2025;05/03/2025\n102;03/03/2025;belum\n103;03/03/2025;tidak tahu\n",
    }
    for satker, body in files.items():
        path = landing / satker / "ppid" / "register.csv"
        path.parent.mkdir(parents=True)
        path.write_text(PPID_HEADER + body, encoding="utf-8")
    return landing


@pytest.fixture
def pii_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IKU_PII_KEY", "kunci-uji")


def test_a_broken_export_lowers_the_figure_it_would_have_raised(
    prefect_backend: None, pii_key: None, tmp_path: Path
) -> None:
    from flows.refresh import refresh

    result = refresh(landing=_landing(tmp_path), warehouse=tmp_path / "wh", as_of=AS_OF)
    con = duckdb.connect(str(result.published), read_only=True)
    try:
        assert capaian(con, "IKU-3", 2025)[1] == (8, 9, Decimal("88.89"))
        assert capaian(con, "IKU-3", 2025, "6205")[1] == (0, 3, Decimal("0.00"))
        broken = fetch(
            con,
            "SELECT kode_satker, no_registrasi, dihitung, tepat_waktu, alasan FROM iku.iku3_ppid "
            "WHERE data_tidak_valid ORDER BY kode_satker, no_registrasi",
        )
        assert [(r["kode_satker"], r["no_registrasi"]) for r in broken] == [
            ("6204", "009"),
            ("6205", "101"),
            ("6205", "102"),
            ("6205", "103"),
        ]
        assert all(r["dihitung"] and not r["tepat_waktu"] for r in broken)
        assert broken[0]["alasan"].startswith("Data tidak valid: ")
        assert broken[0]["alasan"].endswith("(register.csv, baris 10)")
        assert "terlalu_banyak_baris_salah" in broken[1]["alasan"]
        # The row without a key is no item, and dq.issues says so.
        not_items = fetch(
            con,
            "SELECT kode_satker, file_name, row_number, severity FROM dq.issues "
            "WHERE rule = 'bukan_butir'",
        )
        assert not_items == [
            {"kode_satker": "6204", "file_name": "register.csv", "row_number": 11,
             "severity": "error"}
        ]  # fmt: skip
        quarantined = fetch(
            con, "SELECT kode_satker, count(*) AS n FROM dq.quarantine GROUP BY 1 ORDER BY 1"
        )
        assert quarantined == [{"kode_satker": "6204", "n": 2}, {"kode_satker": "6205", "n": 3}]
        audits = fetch(con, "SELECT nama, lulus FROM dq.audit")
        assert len(audits) == 6 and all(a["lulus"] for a in audits)
    finally:
        con.close()


def test_a_failing_audit_publishes_nothing(
    prefect_backend: None, pii_key: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.refresh import refresh
    from warehouse import runs, views

    landing, warehouse = _landing(tmp_path), tmp_path / "wh"
    first = refresh(landing=landing, warehouse=warehouse, as_of=AS_OF)

    # The same model with one wrong rule: a denominator one short.
    broken = tmp_path / "sql"
    shutil.copytree(views.SQL_DIRECTORY, broken)
    capaian_sql = broken / "3_iku" / "90_capaian.sql"
    text = capaian_sql.read_text(encoding="utf-8")
    wrong = "count(*) filter (where dihitung) as penyebut"
    assert wrong in text
    capaian_sql.write_text(text.replace(wrong, wrong.replace(") as", ") - 1 as")), "utf-8")
    monkeypatch.setattr(views, "SQL_DIRECTORY", broken)

    with pytest.raises(Exception, match=r"audit\.pembilang_penyebut"):
        refresh(landing=landing, warehouse=warehouse, as_of=AS_OF)
    con = duckdb.connect(str(warehouse / "kinerja.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT run_id FROM meta.run").fetchone() == (first.run_id,)
    finally:
        con.close()
    last = runs.records(warehouse)[-1]
    assert last["status"] == "gagal"
    assert "audit.pembilang_penyebut" in last["kesalahan"]
