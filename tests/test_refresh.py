"""End to end: demo exports → the real Prefect flow → the published kinerja.duckdb."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from exports import personal_values

from sources import SOURCES
from warehouse.staging import PROVENANCE, VERDICT, table_columns

pytestmark = pytest.mark.slow

IKU_CODES = [f"IKU-{n}" for n in range(1, 7)]


def published(warehouse: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(warehouse / "kinerja.duckdb"), read_only=True)


def test_demo_round_trip_publishes_every_source(demo_run) -> None:  # type: ignore[no-untyped-def]
    result, warehouse = demo_run
    assert result.published == warehouse / "kinerja.duckdb"
    assert not list((warehouse / "build").glob("*.duckdb*"))  # nothing left half-built
    con = published(warehouse)
    for name in SOURCES:
        count = con.execute(f"SELECT count(*) FROM staging.{name}").fetchone()[0]
        assert count > 0, name
        assert count == result.staging_rows[name]
    # The embedded real reference data: 93 desa/kelurahan and the 406 TPS of Pemilu 2024.
    assert con.execute(
        "SELECT count(*) FROM staging.wilayah WHERE tingkat IN ('desa', 'kelurahan')"
    ).fetchone() == (93,)
    assert con.execute(
        "SELECT count(*) FROM staging.tps WHERE jenis_pemilihan = 'Pemilu 2024'"
    ).fetchone() == (406,)


def test_capaian_holds_the_full_grid(demo_run) -> None:  # type: ignore[no-untyped-def]
    _, warehouse = demo_run
    con = published(warehouse)
    years = [
        r[0] for r in con.execute("SELECT DISTINCT tahun FROM iku.capaian ORDER BY 1").fetchall()
    ]
    assert {2024, 2025} <= set(years)
    rows = con.execute(
        "SELECT tahun, triwulan, kode_iku FROM iku.capaian WHERE kode_satker = '6204'"
    ).fetchall()
    expected = {(y, q, k) for y in years for q in (None, 1, 2, 3, 4) for k in IKU_CODES}
    assert len(rows) == len(expected)
    assert set(rows) == expected
    columns = con.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE schema_name = 'iku' AND table_name = 'capaian' ORDER BY column_index"
    ).fetchall()
    assert [c for c, _ in columns] == [
        "kode_satker", "tahun", "triwulan", "kode_iku", "indikator", "target",
        "pembilang", "penyebut", "realisasi", "capaian",
    ]  # fmt: skip
    types = dict(columns)
    assert types["tahun"] == "INTEGER" and types["pembilang"] == "BIGINT"
    assert types["realisasi"].startswith("DECIMAL") and types["capaian"].startswith("DECIMAL")


def test_every_table_view_and_column_has_a_comment(demo_run) -> None:  # type: ignore[no-untyped-def]
    _, warehouse = demo_run
    con = published(warehouse)
    schemas = "('staging', 'iku', 'laporan', 'ref', 'dq', 'meta')"
    bare_tables = con.execute(
        f"SELECT schema_name, table_name FROM duckdb_tables() WHERE schema_name IN {schemas} "
        "AND coalesce(comment, '') = '' UNION ALL "
        f"SELECT schema_name, view_name FROM duckdb_views() WHERE schema_name IN {schemas} "
        "AND coalesce(comment, '') = ''"
    ).fetchall()
    bare_columns = con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
        f"WHERE schema_name IN {schemas} AND coalesce(comment, '') = ''"
    ).fetchall()
    assert bare_tables == [] and bare_columns == []


def test_faulty_demo_files_are_reported_not_fatal(demo_run) -> None:  # type: ignore[no-untyped-def]
    result, warehouse = demo_run
    con = published(warehouse)
    rejected = con.execute(
        "SELECT DISTINCT source, file_name FROM dq.issues WHERE row_number IS NULL AND severity = 'error'"
    ).fetchall()
    assert rejected, "the demo carries a corrupt file and a file without a required column"
    assert {s for s, _ in rejected} <= set(SOURCES)
    assert len(result.rejected_files) == len(rejected)
    quarantined = con.execute(
        "SELECT count(*) FROM dq.issues WHERE row_number IS NOT NULL AND severity = 'error'"
    ).fetchone()[0]
    assert quarantined > 0


def test_published_database_holds_no_personal_data(demo_run, demo_landing: Path) -> None:  # type: ignore[no-untyped-def]
    _, warehouse = demo_run
    personal = personal_values(demo_landing)
    niks = {v for v in personal if v.isdigit() and len(v) == 16}
    assert len(niks) > 1000 and any("@" in v for v in personal)  # the scan has something to find
    con = published(warehouse)
    text_columns = con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
        "WHERE data_type = 'VARCHAR' AND database_name = current_database()"
    ).fetchall()
    assert len(text_columns) > 50
    texts: set[str] = set()
    for schema, table, column in text_columns:
        texts.update(
            v
            for (v,) in con.execute(
                f'SELECT DISTINCT "{column}" FROM "{schema}"."{table}"'
            ).fetchall()
            if v
        )
    haystack = "\n".join(texts)
    leaks = sorted(v for v in personal if v in haystack)
    assert leaks == []


def test_second_run_over_the_same_landing_loads_nothing_new(  # type: ignore[no-untyped-def]
    demo_run, demo_warehouse: Path, demo_landing: Path
) -> None:
    from flows.refresh import refresh

    first, _ = demo_run
    assert first.new_exports > 0
    again = refresh(landing=demo_landing, warehouse=demo_warehouse, as_of=first.as_of, demo=True)
    assert again.new_exports == 0
    assert again.staging_rows == first.staging_rows


def _iku(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("IKU_", "PREFECT_API"))}
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        cwd=cwd,
        timeout=600,
        check=False,
    )


def test_cli_round_trip_demo_then_refresh_with_the_default_folders(tmp_path: Path) -> None:
    # As in the README: relative default folders data/landing and data/warehouse.
    written = _iku("demo", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    done = _iku("refresh", "--as-of", "2026-01-31", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "warehouse" / "kinerja.duckdb").exists()
    assert "IKU-1" in done.stdout and "IKU-6" in done.stdout
    assert "IKU_PII_KEY" in done.stderr  # demo mode warns that it uses the demo key
    docs = list((tmp_path / "data" / "warehouse" / "dq-docs").glob("*/index.html"))
    assert len(docs) == 1


def test_cli_refuses_real_data_without_the_key(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    (landing / "6204" / "sakip").mkdir(parents=True)
    (landing / "6204" / "sakip" / "sakip.csv").write_text("Tahun;Nilai\n2025;71,2\n")
    done = _iku("refresh", "--landing", str(landing), "--warehouse", str(tmp_path / "wh"))
    assert done.returncode != 0
    assert "IKU_PII_KEY" in done.stderr
    assert not (tmp_path / "wh" / "kinerja.duckdb").exists()
    # Nor with the demo's marker beside it (`make demo` wrote into this landing once).
    assert _iku("demo", "--landing", str(landing)).returncode == 0
    done = _iku("refresh", "--landing", str(landing), "--warehouse", str(tmp_path / "wh"))
    assert done.returncode != 0
    assert "IKU_PII_KEY" in done.stderr and ".iku-demo di landing diabaikan" in done.stderr
    assert not (tmp_path / "wh" / "kinerja.duckdb").exists()


def test_serve_refuses_to_start_without_the_key_or_with_a_setting_it_cannot_use(
    tmp_path: Path,
    clean_environment: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``iku serve`` checks what every night would need before it registers anything:
    without IKU_PII_KEY, or with an IKU_* value it cannot use, it exits 3 saying why, instead
    of a schedule whose every run fails unseen."""
    from flows.cli import main

    landing = tmp_path / "landing"
    landing.mkdir()
    assert main(["serve", "--landing", str(landing), "--warehouse", str(tmp_path / "wh")]) == 3
    assert "IKU_PII_KEY" in capsys.readouterr().err
    monkeypatch.setenv("IKU_PII_KEY", "rahasia")
    monkeypatch.setenv("IKU_MAX_ROWS", "banyak")
    assert main(["serve", "--landing", str(landing), "--warehouse", str(tmp_path / "wh")]) == 3
    assert "IKU_MAX_ROWS" in capsys.readouterr().err
    assert not (tmp_path / "wh").exists()


def test_demo_figures_match_the_demo_design(demo_run) -> None:  # type: ignore[no-untyped-def]
    """The demo was written with its yearly IKU figures counted independently of the views."""
    from demo_design import EXPECTED_IKU

    _, warehouse = demo_run
    con = published(warehouse)
    got = {
        (kode, tahun): (pembilang, penyebut)
        for kode, tahun, pembilang, penyebut in con.execute(
            "SELECT kode_iku, tahun, pembilang, penyebut FROM iku.capaian WHERE triwulan IS NULL"
        ).fetchall()
        if penyebut
    }
    assert got == {k: v for k, v in EXPECTED_IKU.items() if v[1]}


def test_every_demo_fault_is_in_dq_issues(demo_run) -> None:  # type: ignore[no-untyped-def]
    _, warehouse = demo_run
    con = published(warehouse)
    rules = {r for (r,) in con.execute("SELECT DISTINCT rule FROM dq.issues").fetchall()}
    assert {
        "file_tidak_terbaca",
        "kolom_wajib_tidak_ada",
        "nilai_tidak_valid",  # the NIK Excel turned into 6.20401E+15
        "nik_tidak_cocok_tanggal_lahir",
        "usia_kpps_17_55",
        "pdpb_tidak_seimbang_l",
        "jumlah_baik_rusak_tidak_sama_tersedia",
    } <= rules
    quarantined = con.execute("SELECT count(*) FROM dq.quarantine").fetchone()[0]
    assert quarantined == 4  # NIK mangled, NIK/birth date, too old, unbalanced PDPB
    # Each row's data: its source's publishable columns, in declared order, and nothing else
    # (no provenance, no verdict, no personal data).
    for source, data in con.execute("SELECT source, data FROM dq.quarantine").fetchall():
        columns = [name for name, _, _ in table_columns(SOURCES[source])]
        assert list(json.loads(data)) == columns[1 : -len(PROVENANCE) - len(VERDICT)]


def test_a_setting_that_cannot_be_used_stops_the_run_before_it_starts(tmp_path: Path) -> None:
    (tmp_path / "landing").mkdir()
    env = {"IKU_PII_KEY": "rahasia", "IKU_MAX_ROWS": "banyak", "IKU_FRESHNESS_DAYS": "ppdi=7"}
    done = _iku("refresh", "--landing", str(tmp_path / "landing"), "--warehouse",
                str(tmp_path / "wh"), env=env)  # fmt: skip
    assert done.returncode == 3
    assert "IKU_MAX_ROWS (nilai: 'banyak')" in done.stderr
    assert "IKU_FRESHNESS_DAYS (nilai: 'ppdi=7')" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "wh").exists()  # nothing ran: no run record, no database


def test_a_mistyped_command_line_stops_the_run_saying_what_to_fix(
    tmp_path: Path,
    clean_environment: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A date in another order, a landing folder that is not there, a warehouse folder that
    cannot be made (a file of that name): the run stops before anything runs, with exit
    code 2 and the thing to fix, never a traceback."""
    from flows.cli import main

    monkeypatch.setenv("IKU_PII_KEY", "rahasia")
    landing, warehouse = tmp_path / "landing", tmp_path / "gudang"
    with pytest.raises(SystemExit) as stopped:
        main(["refresh", "--landing", str(landing), "--as-of", "31-01-2026"])
    assert stopped.value.code == 2
    assert "argument --as-of: '31-01-2026' bukan tanggal YYYY-MM-DD" in capsys.readouterr().err
    assert main(["refresh", "--landing", str(landing), "--warehouse", str(warehouse)]) == 2
    assert capsys.readouterr().err == f"error: folder landing {landing} tidak ada\n"
    landing.mkdir()
    warehouse.write_text("")
    assert main(["refresh", "--landing", str(landing), "--warehouse", str(warehouse)]) == 2
    said = "error: folder gudang {}: jalurnya berisi file, bukan folder\n"
    assert capsys.readouterr().err == said.format(warehouse)
    inside = warehouse / "gudang"  # a file on the way
    assert main(["refresh", "--landing", str(landing), "--warehouse", str(inside)]) == 2
    assert capsys.readouterr().err == said.format(inside)
    assert warehouse.read_text() == ""


def test_a_satker_folder_no_list_knows_is_warned_and_still_loaded(
    prefect_backend: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """6240 is no satker's code (a typo of 6204, say): its exports load as its own, and the
    admins are told, once per source; KPU RI (00) and 6204 are known."""
    from datetime import date

    from flows.refresh import refresh

    monkeypatch.setenv("IKU_PII_KEY", "kunci-uji")
    landing = tmp_path / "landing"
    for nilai, satker in enumerate(("00", "6204", "6240"), start=70):
        (landing / satker / "sakip").mkdir(parents=True)
        (landing / satker / "sakip" / "sakip.csv").write_text(f"Tahun;Nilai\n2025;{nilai}\n")
    (landing / "6240" / "ppid").mkdir()
    (landing / "6240" / "ppid" / "register.csv").write_text(
        "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis\n1;02/06/2025;03/06/2025\n"
    )
    result = refresh(landing=landing, warehouse=tmp_path / "wh", as_of=date(2026, 1, 31))
    con = duckdb.connect(str(result.published), read_only=True)
    try:
        warned = con.execute(
            "SELECT kode_satker, source, severity, file_name FROM dq.issues "
            "WHERE rule = 'satker_tidak_dikenal' ORDER BY source"
        ).fetchall()
        loaded = con.execute("SELECT kode_satker FROM iku.sakip ORDER BY 1").fetchall()
    finally:
        con.close()
    assert warned == [("6240", "ppid", "warning", None), ("6240", "sakip", "warning", None)]
    assert loaded == [("00",), ("6204",), ("6240",)]


def test_a_first_night_with_an_empty_landing_publishes_a_warehouse_without_exports(
    prefect_backend: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new install, or the share not yet filled: the run still publishes, with no export
    read and no figure from any, instead of failing over the empty list of exports."""
    from datetime import date

    from flows.refresh import refresh
    from warehouse.report import capaian_table

    monkeypatch.setenv("IKU_PII_KEY", "kunci-uji")
    (tmp_path / "landing").mkdir()
    result = refresh(
        landing=tmp_path / "landing", warehouse=tmp_path / "wh", as_of=date(2026, 1, 31)
    )
    con = duckdb.connect(str(result.published), read_only=True)
    try:
        exports = con.execute("SELECT count(*) FROM meta.ekspor").fetchone()
        runs = con.execute("SELECT status FROM dq.run").fetchall()
    finally:
        con.close()
    assert (exports, runs) == ((0,), [("diterbitkan",)])
    assert capaian_table(result.published, 2026) == "Belum ada data IKU."  # what the CLI prints
