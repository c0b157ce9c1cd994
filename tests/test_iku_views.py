"""warehouse.views: building schema iku from sql/, and the comments analysts rely on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from iku_helpers import build, fetch, new_database

from warehouse import views

EXPECTED_VIEWS = {
    "tahun_data",
    "iku1_tahapan",
    "iku2_logistik",
    "iku3_ppid",
    "iku4_pemilih",
    "iku5_keuangan",
    "iku5_pejabat",
    "iku6_kpps",
    "sakip",
    "capaian",
}


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = new_database(tmp_path)
    build(con, dt.date(2025, 6, 30))
    return con


def test_views_are_built(con: duckdb.DuckDBPyConnection) -> None:
    got = {
        r["view_name"] for r in fetch(con, "SELECT * FROM duckdb_views() WHERE schema_name = 'iku'")
    }
    assert got == EXPECTED_VIEWS


def test_every_view_table_and_column_has_a_comment(con: duckdb.DuckDBPyConnection) -> None:
    relations = fetch(
        con,
        "SELECT schema_name, view_name AS name, comment FROM duckdb_views() "
        "WHERE schema_name IN ('iku', 'ref') "
        "UNION ALL SELECT schema_name, table_name, comment FROM duckdb_tables() "
        "WHERE schema_name IN ('iku', 'ref')",
    )
    assert len(relations) == len(EXPECTED_VIEWS) + 8
    assert [r for r in relations if not (r["comment"] or "").strip()] == []
    columns = fetch(
        con,
        "SELECT schema_name, table_name, column_name, comment FROM duckdb_columns() "
        "WHERE schema_name IN ('iku', 'ref')",
    )
    assert len(columns) > 100
    assert [c for c in columns if not (c["comment"] or "").strip()] == []
    macros = fetch(
        con, "SELECT function_name, comment FROM duckdb_functions() WHERE schema_name = 'iku'"
    )
    assert [m["function_name"] for m in macros] == ["persen"]
    assert all((m["comment"] or "").strip() for m in macros)


def test_build_twice(con: duckdb.DuckDBPyConnection) -> None:
    views.build(con)
    assert con.execute("SELECT count(*) FROM iku.capaian").fetchone() == (0,)


def test_sql_files_run_in_name_order() -> None:
    names = [p.name for p in views.sql_files()]
    assert names == sorted(names)
    assert names[-1] == "90_capaian.sql"


def test_a_failing_statement_names_its_file(tmp_path: Path) -> None:
    directory = tmp_path / "sql"
    directory.mkdir()
    (directory / "10_baik.sql").write_text("create or replace view iku.a as select 1 as x;\n")
    (directory / "20_rusak.sql").write_text(
        "create or replace view iku.b as select 1 as x;\n"
        "-- a view on a table that does not exist\n"
        "create or replace view iku.c as select * from staging.tidak_ada;\n"
    )
    con = duckdb.connect()
    with pytest.raises(views.ViewBuildError, match=r"20_rusak\.sql, statement 2") as error:
        views.build(con, directory)
    assert "staging.tidak_ada" in str(error.value) or "tidak_ada" in str(error.value)


def test_empty_sql_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(views.ViewBuildError, match=r"no \.sql files"):
        views.build(duckdb.connect(), tmp_path)
