"""warehouse.audit: each audit holds on a sound build and fails on a deliberately broken one.

A broken build is made by replacing one view of a real, correctly built database with a
wrong version (views are bound by name when queried, so the audits see the replacement).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from iku_helpers import TAMPULANG, build, fetch, insert, insert_quarantined, new_database

from sources import SOURCES
from warehouse import audit
from warehouse.build import count_staging


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """A small sound build: two PPID requests (one restated by a newer export), a broken
    one, a stage, a TPS."""
    con = new_database(tmp_path)
    insert(
        con,
        "ppid",
        [
            {"no_registrasi": "P1", "tanggal_permohonan": dt.date(2025, 3, 3),
             "tanggal_pemberitahuan_tertulis": dt.date(2025, 3, 5)},
            {"no_registrasi": "P2", "tanggal_permohonan": dt.date(2025, 3, 4)},
        ],
    )  # fmt: skip
    insert(
        con,
        "ppid",
        [{"no_registrasi": "P2", "tanggal_permohonan": dt.date(2025, 3, 4),
          "tanggal_pemberitahuan_tertulis": dt.date(2025, 3, 6),
          "nama_file": "baru.csv", "waktu_file": dt.datetime(2025, 4, 1)}],
    )  # fmt: skip
    insert_quarantined(con, "ppid", [{"no_registrasi": "P3", "tanggal_permohonan": None}])
    insert(
        con,
        "tahapan",
        [{"kode_tahapan": "T1", "jadwal_mulai": dt.date(2025, 1, 1),
          "jadwal_selesai": dt.date(2025, 1, 31)}],
    )  # fmt: skip
    insert(con, "tps", [{"jenis_pemilihan": "Pemilu 2024", "kode_desa": TAMPULANG, "nomor_tps": 1}])
    build(con, dt.date(2025, 6, 30))
    return con


def failing(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {r.name: r.rows for r in audit.check(con) if not r.passed}


def test_a_sound_build_passes_every_audit_and_records_it(con: duckdb.DuckDBPyConnection) -> None:
    results = audit.run(con)
    views = fetch(con, "SELECT view_name FROM duckdb_views() WHERE schema_name = 'audit'")
    assert len(results) == len(views) == 6  # the six audits of sql/4_audit
    assert failing(con) == {}
    recorded = fetch(con, "SELECT nama, jumlah_baris, lulus, contoh FROM dq.audit ORDER BY nama")
    assert [r["nama"] for r in recorded] == sorted(v["view_name"] for v in views)
    assert all(r["lulus"] and r["jumlah_baris"] == 0 and r["contoh"] is None for r in recorded)


def _replace_capaian(con: duckdb.DuckDBPyConnection, select: str) -> None:
    con.execute("CREATE TABLE antara.capaian_asli AS SELECT * FROM iku.capaian")
    con.execute(f"CREATE OR REPLACE VIEW iku.capaian AS {select}")


def test_capaian_lengkap_fails_on_a_missing_or_doubled_row(con: duckdb.DuckDBPyConnection) -> None:
    _replace_capaian(
        con,
        "SELECT * FROM antara.capaian_asli WHERE kode_iku != 'IKU-2' "
        "UNION ALL SELECT * FROM antara.capaian_asli WHERE kode_iku = 'IKU-1' AND triwulan = 1",
    )
    # 2025's 5 periods of IKU-2 missing (the TPS list alone adds no year), one doubled row.
    assert failing(con) == {"capaian_lengkap": 5 + 1}


def test_pembilang_penyebut_fails_when_the_numerator_exceeds(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _replace_capaian(con, "SELECT * REPLACE (penyebut + 1 AS pembilang) FROM antara.capaian_asli")
    assert set(failing(con)) == {"pembilang_penyebut"}


def test_realisasi_fails_outside_0_to_100(con: duckdb.DuckDBPyConnection) -> None:
    _replace_capaian(
        con,
        "SELECT * REPLACE (CASE WHEN kode_iku = 'IKU-3' AND triwulan IS NULL "
        "THEN realisasi + 100 ELSE realisasi END AS realisasi) FROM antara.capaian_asli",
    )
    assert failing(con) == {"realisasi": 1}


def test_satu_baris_per_butir_fails_on_a_doubled_item(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE antara.ppid_asli AS SELECT * FROM iku.iku3_ppid")
    con.execute(
        "CREATE OR REPLACE VIEW iku.iku3_ppid AS SELECT * FROM antara.ppid_asli "
        "UNION ALL SELECT * FROM antara.ppid_asli WHERE no_registrasi = 'P1'"
    )
    results = {r.name: r for r in audit.check(con)}
    assert results["satu_baris_per_butir"].rows == 1
    assert results["satu_baris_per_butir"].sample[0]["kunci"] == "P1"


def test_status_butir_fails_when_an_invalid_item_is_on_time(
    con: duckdb.DuckDBPyConnection,
) -> None:
    con.execute("CREATE TABLE antara.tahapan_asli AS SELECT * FROM iku.iku1_tahapan")
    con.execute(
        "CREATE OR REPLACE VIEW iku.iku1_tahapan AS SELECT * REPLACE "
        "(true AS tepat_waktu, true AS data_tidak_valid) FROM antara.tahapan_asli"
    )
    assert failing(con)["status_butir"] == 1


def test_baris_terhitung_fails_when_staging_loses_the_precedence(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # Every valid row published, the superseded P2 too: one row too many. (The build counts
    # staging once, into meta.staging: counted again, as a build of this view would.)
    con.execute(
        "CREATE OR REPLACE VIEW staging.ppid AS "
        "SELECT * EXCLUDE (sah, aturan, pesan, terbaca) FROM mentah.ppid WHERE sah"
    )
    count_staging(con, SOURCES)
    assert "baris_terhitung" in failing(con)
    # A quarantined row lost from the loaded rows' accounting: published nothing of ppid.
    con.execute(
        "CREATE OR REPLACE VIEW staging.ppid AS "
        "SELECT * EXCLUDE (sah, aturan, pesan, terbaca) FROM mentah.ppid WHERE false"
    )
    count_staging(con, SOURCES)
    assert "baris_terhitung" in failing(con)


def test_baris_terhitung_fails_when_the_build_did_not_count_staging(
    con: duckdb.DuckDBPyConnection,
) -> None:
    assert failing(con) == {}
    con.execute("DELETE FROM meta.staging WHERE sumber = 'ppid'")  # ppid has loaded rows
    assert failing(con) == {"baris_terhitung": 1}


def test_a_failing_audit_is_recorded_and_raised_with_its_rows(
    con: duckdb.DuckDBPyConnection,
) -> None:
    _replace_capaian(con, "SELECT * REPLACE (-1 AS pembilang) FROM antara.capaian_asli")
    with pytest.raises(audit.AuditFailed, match=r"audit\.pembilang_penyebut: \d+ baris") as error:
        audit.run(con)
    assert "pembilang" in str(error.value) and '"kode_iku": "IKU-' in str(error.value)
    row = fetch(con, "SELECT * FROM dq.audit WHERE nama = 'pembilang_penyebut'")[0]
    assert row["lulus"] is False and row["jumlah_baris"] > 0 and row["contoh"]


def test_baris_terhitung_holds_when_key_parts_hold_the_separator(tmp_path: Path) -> None:
    # Two valid logistik lines of different keys whose parts, joined with " | ", read alike
    # ("B1 | X" at "Gudang", "B1" at "X | Gudang"): counted as one key, one line seemed
    # superseded, and the audit stopped the whole run from publishing.
    con = new_database(tmp_path)
    insert(
        con,
        "logistik",
        [
            {"tahun": 2025, "kode_barang": "B1 | X", "kategori": "Barang Inventaris",
             "lokasi_gudang": "Gudang"},
            {"tahun": 2025, "kode_barang": "B1", "kategori": "Barang Inventaris",
             "lokasi_gudang": "X | Gudang"},
        ],
    )  # fmt: skip
    build(con, dt.date(2025, 6, 30))
    assert failing(con) == {}
    assert len(fetch(con, "SELECT * FROM iku.iku2_logistik")) == 2
