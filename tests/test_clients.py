"""The published database opens in the DuckDB 1.x clients analysts use (SPEC §7).

Each client is a real DuckDB of that version in its own environment (``make test`` creates
``.venv-duckdb-<version>``, see the Makefile), reading the demo run's ``kinerja.duckdb`` in
a separate process: every view and table must answer, with the same figures as the
DuckDB that wrote it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse.publish import published_path

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = sorted(ROOT.glob(".venv-duckdb-*/bin/python"))

READ_EVERYTHING = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
names = con.execute(
    "SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal "
    "UNION ALL SELECT schema_name, table_name FROM duckdb_tables()"
).fetchall()
counts = {f"{s}.{n}": con.execute(f'SELECT count(*) FROM "{s}"."{n}"').fetchone()[0]
          for s, n in names}
capaian = con.execute(
    "SELECT kode_satker, tahun, triwulan, kode_iku, pembilang, penyebut, "
    "CAST(realisasi AS VARCHAR), CAST(capaian AS VARCHAR) FROM iku.capaian ORDER BY ALL"
).fetchall()
print(json.dumps({"version": duckdb.__version__, "counts": counts, "capaian": capaian}))
"""


def test_the_clients_are_installed() -> None:
    assert len(CLIENTS) >= 2, "run `make test`: it creates the DuckDB 1.x client environments"


@pytest.mark.parametrize("client", CLIENTS, ids=[p.parts[-3] for p in CLIENTS])
def test_a_duckdb_1x_client_reads_every_view_and_table(demo_run, client: Path) -> None:  # type: ignore[no-untyped-def]
    _, warehouse = demo_run
    database = published_path(warehouse)
    done = subprocess.run(
        [str(client), "-c", READ_EVERYTHING, str(database)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["version"].startswith("1.")

    con = duckdb.connect(str(database), read_only=True)
    try:
        names = con.execute(
            "SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal "
            "UNION ALL SELECT schema_name, table_name FROM duckdb_tables()"
        ).fetchall()
        capaian = con.execute(
            "SELECT kode_satker, tahun, triwulan, kode_iku, pembilang, penyebut, "
            "CAST(realisasi AS VARCHAR), CAST(capaian AS VARCHAR) FROM iku.capaian ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()
    assert set(seen["counts"]) == {f"{s}.{n}" for s, n in names}
    assert [tuple(r) for r in seen["capaian"]] == capaian
    assert seen["counts"]["iku.capaian"] == len(capaian) > 0


def test_the_duckdb_cli_from_pypi_opens_it_read_only(demo_run) -> None:  # type: ignore[no-untyped-def]
    _, warehouse = demo_run
    cli = Path(sys.executable).with_name("duckdb")  # duckdb-cli, a project dependency
    query = "SELECT kode_iku, pembilang, penyebut FROM iku.capaian ORDER BY ALL"
    done = subprocess.run(
        [str(cli), "-readonly", "-json", str(published_path(warehouse)), "-c", query],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows = [(r["kode_iku"], r["pembilang"], r["penyebut"]) for r in json.loads(done.stdout)]
    con = duckdb.connect(str(published_path(warehouse)), read_only=True)
    try:
        assert rows == con.execute(query).fetchall()
    finally:
        con.close()


def test_iku_sql_opens_the_published_database_read_only(demo_run) -> None:  # type: ignore[no-untyped-def]
    """`iku sql` is the duckdb CLI of the project's environment on the published file."""
    _, warehouse = demo_run
    base = [sys.executable, "-m", "flows.cli", "sql", "--warehouse", str(warehouse)]
    query = "SELECT count(*) AS n FROM iku.capaian"
    done = subprocess.run(
        [*base, "-c", query], capture_output=True, text=True, cwd=ROOT, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    con = duckdb.connect(str(published_path(warehouse)), read_only=True)
    try:
        (count,) = con.execute(query).fetchone()  # type: ignore[misc]
    finally:
        con.close()
    assert str(count) in done.stdout
    # Statements from a pipe, as a script would send them; writing is refused.
    piped = subprocess.run(
        base,
        input="SELECT 40 + 2 AS jawaban;\nCREATE TABLE x (i INTEGER);\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert "42" in piped.stdout
    assert "read-only" in (piped.stdout + piped.stderr).lower()


def test_iku_sql_without_a_published_database_says_so(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "sql", "--warehouse", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "belum ada database yang diterbitkan" in done.stderr
