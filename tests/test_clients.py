"""The published database opens in the DuckDB 1.x clients analysts use (SPEC §7).

Each client is a real DuckDB of that version in its own environment (``make test`` creates
``.venv-duckdb-<version>``, see the Makefile), reading the demo run's ``kinerja.duckdb`` in
a separate process: every view and table must answer, with the same figures as the
DuckDB that wrote it.
"""

from __future__ import annotations

import json
import subprocess
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
    assert list(ROOT.glob(".venv-duckdb-*/bin/duckdb")), "run `make test`: it installs the CLI"


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
    [cli] = ROOT.glob(".venv-duckdb-*/bin/duckdb")
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
