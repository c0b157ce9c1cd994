"""warehouse.views: building schema iku from sql/, and the comments analysts rely on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from iku_helpers import build, fetch, new_database

from warehouse import views

EXPECTED_VIEWS = {
    "iku": {
        "iku1_tahapan",
        "iku2_logistik",
        "iku3_ppid",
        "iku4_pemilih",
        "iku5_keuangan",
        "iku5_pejabat",
        "iku6_kpps",
        "sakip",
        "jatuh_tempo",
        "butir",
        "capaian",
        "rekap_provinsi",
        "rekap_nasional",
    },
    "antara": {"tahun_data", "baris", "satker"},
    "staging": {
        "wilayah", "tps", "tahapan", "logistik", "ppid", "pemilih", "keuangan", "sakip", "siakba"
    },
    "karantina": {
        "wilayah", "tps", "tahapan", "logistik", "ppid", "pemilih", "keuangan", "siakba"
    },
    "dq": {"issues", "quarantine"},
    "audit": {
        "capaian_lengkap",
        "pembilang_penyebut",
        "realisasi",
        "satu_baris_per_butir",
        "status_butir",
        "baris_terhitung",
    },
    "laporan": {"pengukuran", "penyebab", "ekspor", "kesegaran", "masalah"},
}  # fmt: skip
LAYERS = tuple(EXPECTED_VIEWS)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = new_database(tmp_path)
    build(con, dt.date(2025, 6, 30))
    return con


def test_views_are_built(con: duckdb.DuckDBPyConnection) -> None:
    got: dict[str, set[str]] = {}
    for r in fetch(con, "SELECT * FROM duckdb_views() WHERE NOT internal"):
        got.setdefault(r["schema_name"], set()).add(r["view_name"])
    assert got == EXPECTED_VIEWS


def test_every_view_table_and_column_has_a_comment(con: duckdb.DuckDBPyConnection) -> None:
    relations = fetch(
        con,
        "SELECT schema_name, view_name AS name, comment FROM duckdb_views() "
        "WHERE schema_name IN (SELECT unnest(?)) "
        "UNION ALL SELECT schema_name, table_name, comment FROM duckdb_tables() "
        "WHERE schema_name IN (SELECT unnest(?))",
        [*LAYERS, "ref", "mentah", "meta"],
        [*LAYERS, "ref", "mentah", "meta"],
    )
    tables = 11 + 9 + 4 + 4  # ref, mentah, dq (run, issue_history, validation_history, audit), meta
    assert len(relations) == sum(len(v) for v in EXPECTED_VIEWS.values()) + tables
    assert [r for r in relations if not (r["comment"] or "").strip()] == []
    columns = fetch(
        con,
        "SELECT schema_name, table_name, column_name, comment FROM duckdb_columns() "
        "WHERE schema_name IN (SELECT unnest(?))",
        [*LAYERS, "ref", "mentah", "meta"],
    )
    assert len(columns) > 300
    # An audit's columns are its offending rows, described by the audit's own comment.
    missing = [c for c in columns if not (c["comment"] or "").strip()]
    assert [c for c in missing if c["schema_name"] != "audit"] == []
    macros = fetch(
        con,
        "SELECT function_name, comment FROM duckdb_functions() WHERE schema_name = 'antara'",
    )
    assert sorted(m["function_name"] for m in macros) == [
        "alasan",
        "alasan_data_tidak_valid",
        "bagian_kunci",
        "dihitung",
        "isi",
        "kunci_sah",
        "persen",
        "tepat_waktu",
    ]
    assert all((m["comment"] or "").strip() for m in macros)
    helpers = fetch(con, "SELECT function_name FROM duckdb_functions() WHERE schema_name = 'iku'")
    assert helpers == []  # the analysts' schema holds their views only


def test_build_twice(con: duckdb.DuckDBPyConnection) -> None:
    views.build(con)
    assert con.execute("SELECT count(*) FROM iku.capaian").fetchone() == (0,)


def test_sql_files_run_layer_by_layer_in_name_order() -> None:
    files = [(p.parent.name, p.name) for p in views.sql_files()]
    assert files == sorted(files)
    assert [layer for layer, _ in files] == sorted(layer for layer, _ in files)
    assert {layer for layer, _ in files} == {
        "0_catatan",
        "1_fungsi",
        "2_staging",
        "3_iku",
        "4_audit",
        "5_laporan",
    }
    # iku.capaian after every detail view; only the roll-ups over it come later
    assert [n for layer, n in files if layer == "3_iku"][-2:] == ["90_capaian.sql", "92_rekap.sql"]


def test_a_failing_statement_names_its_file(tmp_path: Path) -> None:
    directory = tmp_path / "sql"
    (directory / "3_iku").mkdir(parents=True)
    (directory / "3_iku" / "10_baik.sql").write_text(
        "create or replace view iku.a as select 1 as x;\n"
    )
    (directory / "3_iku" / "20_rusak.sql").write_text(
        "create or replace view iku.b as select 1 as x;\n"
        "-- a view on a table that does not exist\n"
        "create or replace view iku.c as select * from staging.tidak_ada;\n"
    )
    con = duckdb.connect()
    with pytest.raises(views.ViewBuildError, match=r"3_iku/20_rusak\.sql, statement 2") as error:
        views.build(con, directory)
    assert "staging.tidak_ada" in str(error.value) or "tidak_ada" in str(error.value)


def test_a_file_with_a_syntax_error_names_the_file(tmp_path: Path) -> None:
    """A typo in a view an analyst edits: the build fails naming the file and where."""
    directory = tmp_path / "sql"
    (directory / "3_iku").mkdir(parents=True)
    (directory / "3_iku" / "20_salah_ketik.sql").write_text(
        "create or replace view iku.a as selec 1 as x;\n"
    )
    with pytest.raises(
        views.ViewBuildError, match=r"^20_salah_ketik\.sql: cannot be parsed"
    ) as error:
        views.build(duckdb.connect(), directory)
    assert 'syntax error at or near "selec"' in str(error.value)


def test_empty_sql_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(views.ViewBuildError, match=r"no \.sql files"):
        views.build(duckdb.connect(), tmp_path)
