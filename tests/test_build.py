"""warehouse.build: a new database starts from a copy of the published one and keeps the
loaded rows (mentah.<source>) of every source whose parts did not change; everything else is
made afresh. Real DuckDB files, real Parquet parts, no Prefect."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from exports import load_source, validator

from sources import SOURCES
from sources.model import CheckContext
from warehouse.audit import AuditFailed
from warehouse.build import RunInfo, build_database
from warehouse.cache import ExportCache
from warehouse.history import History
from warehouse.layout import WarehouseLayout
from warehouse.load import SourceLoad
from warehouse.pii import Pseudonymiser
from warehouse.publish import publish

AS_OF = dt.date(2025, 12, 31)
CLIENTS = sorted(Path(__file__).resolve().parents[1].glob(".venv-duckdb-*/bin/python"))
PPID = "No Registrasi;Tanggal Permohonan;NIK;Tanggal Pemberitahuan Tertulis\n"
SAKIP = "Tahun;Nilai;Predikat\n2024;75,5;BB\n"


def drop(landing: Path, relative: str, text: str) -> None:
    path = landing / "6204" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.utime(path, (1_740_000_000, 1_740_000_000))


def loads(warehouse: Path, run_id: str, key: str) -> dict[str, SourceLoad]:
    layout = WarehouseLayout(warehouse)
    history = History(layout.history)
    exports = history.exports()
    return {
        name: load_source(
            source,
            [e for e in exports if e.source == name],
            history.root,
            validator(),
            CheckContext(AS_OF, {}),
            parts=layout.parts(run_id),
            pseudonymiser=Pseudonymiser(key),
            satkers={"6204"},
            cache=ExportCache(layout.cache),
        )
        for name, source in SOURCES.items()
    }


def build_and_publish(
    warehouse: Path, run_id: str, key: str = "kunci"
) -> duckdb.DuckDBPyConnection:
    path = WarehouseLayout(warehouse).build(run_id)
    run = RunInfo(run_id, AS_OF, dt.datetime(2026, 1, 1, tzinfo=dt.UTC), demo=False)
    build_database(path, warehouse, loads(warehouse, run_id, key), run)
    return duckdb.connect(str(publish(path, warehouse, keep=2)), read_only=True)


def reused(con: duckdb.DuckDBPyConnection) -> dict[str, bool]:
    rows = con.execute("SELECT DISTINCT sumber, dipakai_ulang FROM meta.muatan").fetchall()
    return dict(rows)


def test_a_kept_source_keeps_its_staging_count_while_its_view_is_the_same(
    tmp_path: Path,
) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    drop(landing, "ppid/a.csv", PPID + "001;06/01/2025;6204014101990001;10/01/2025\n")
    History(WarehouseLayout(warehouse).history).land(landing)
    build_and_publish(warehouse, "r1").close()
    published = WarehouseLayout(warehouse).published

    def published_count(change: str) -> None:
        with duckdb.connect(str(published)) as con:
            con.execute(f"UPDATE meta.staging SET {change} WHERE sumber = 'ppid'")

    # The published count of ppid, made wrong: the next build takes it over (its loaded rows
    # and its view are the same), and audit.baris_terhitung refuses the build.
    published_count("baris = baris + 1")
    with pytest.raises(AuditFailed, match="baris_terhitung"):
        build_and_publish(warehouse, "r2")
    # Counted with another definition of the view: counted again.
    published_count("definisi = 'lain'")
    again = build_and_publish(warehouse, "r3")
    assert reused(again)["ppid"] is True
    assert again.execute("SELECT baris FROM meta.staging WHERE sumber = 'ppid'").fetchone() == (1,)


def test_unchanged_loaded_rows_are_kept_and_changed_ones_loaded_again(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    drop(landing, "ppid/a.csv", PPID + "001;06/01/2025;6204014101990001;10/01/2025\n")
    drop(landing, "sakip/sakip.csv", SAKIP)
    History(WarehouseLayout(warehouse).history).land(landing)

    first = build_and_publish(warehouse, "r1")
    assert set(reused(first).values()) == {False}  # nothing published before: all loaded
    nik = first.execute("SELECT nik_pseudonim FROM mentah.ppid").fetchall()
    first.close()

    again = build_and_publish(warehouse, "r2")
    assert set(reused(again).values()) == {True}  # nothing changed: all kept
    assert again.execute("SELECT nik_pseudonim FROM mentah.ppid").fetchall() == nik
    assert again.execute("SELECT run_id FROM meta.run").fetchall() == [("r2",)]
    again.close()

    drop(landing, "ppid/b.csv", PPID + "002;07/01/2025;6204015203880002;09/01/2025\n")
    History(WarehouseLayout(warehouse).history).land(landing)
    new = build_and_publish(warehouse, "r3")
    assert reused(new) == {"ppid": False, "sakip": True, "wilayah": True, "tps": True}
    assert new.execute("SELECT count(*) FROM staging.ppid").fetchone() == (2,)
    assert new.execute("SELECT count(*) FROM iku.iku3_ppid").fetchone() == (2,)
    new.close()
    # A database built on a copy keeps the storage version every DuckDB 1.x client reads.
    for client in CLIENTS:
        read = "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
        read += "print(c.execute('SELECT count(*) FROM mentah.ppid').fetchone()[0])"
        done = subprocess.run(
            [str(client), "-c", read, str(WarehouseLayout(warehouse).published)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert (done.returncode, done.stdout.strip()) == (0, "2"), done.stderr

    # Another pseudonym key: no row made with the old one may stay.
    rekeyed = build_and_publish(warehouse, "r4", key="kunci lain")
    assert reused(rekeyed) == {"ppid": False, "sakip": False, "wilayah": True, "tps": True}
    pseudonyms = {r[0] for r in rekeyed.execute("SELECT nik_pseudonim FROM mentah.ppid").fetchall()}
    assert pseudonyms.isdisjoint(r[0] for r in nik)
    rekeyed.close()


def test_personal_data_in_free_text_is_masked_by_a_keyed_token() -> None:
    """SPEC §5: a phone number, e-mail, NIK or street address typed into a published text
    column (Keterangan, Informasi yang Diminta, a registration number) is masked before
    publishing; by a keyed token, so that two registrations stay two keys and the same phone
    number written two ways is one token. Codes and dates are left as they are."""
    import polars as pl

    rows = pl.DataFrame(
        {
            "no_registrasi": ["0812-3456-7890/PPID", "0812 3456 7891/PPID", "003/PPID"],
            "tanggal_permohonan": [dt.date(2025, 3, 3)] * 3,
            "informasi_yang_diminta": [
                "Salinan DPT; kirim ke budi.s@contoh.id atau WA 0812 3456 7890",
                "dikirim ke Jl. Merdeka No. 5 RT 02/RW 03, Buntok",
                "NIK 62.04.01.4101990001",
            ],
            "alamat": ["Jl. Merdeka No. 5", None, None],
        }
    )
    published = Pseudonymiser("k").publishable(SOURCES["ppid"], rows)
    text = published.write_csv()
    for personal in ("3456", "7890", "budi.s", "Merdeka", "4101990001"):
        assert personal not in text
    assert "alamat" not in published.columns
    reg = published["no_registrasi"].to_list()
    assert len(set(reg)) == 3 and reg[2] == "003/PPID"
    info = published["informasi_yang_diminta"].to_list()
    assert reg[0].split("/")[0] in info[0]  # one number, one token, wherever it is written
    assert info[1].startswith("dikirim ke [alamat ") and info[1].endswith("], Buntok")
    again = Pseudonymiser("other").publishable(SOURCES["ppid"], rows)
    assert again["no_registrasi"][0] != reg[0]  # keyed: another key, another token


def test_a_phone_number_from_a_number_cell_in_a_text_column_is_masked() -> None:
    """A number cell keeps a phone number without its leading 0 (81234567890): a whole text
    cell that is one (a shifted column, a registration number typed as a number) is masked
    like the phone number it is; a code, or a number within a text, stays."""
    import polars as pl

    cells = ["81234567890", " 812-3456-7891 ", "3.05.02.01.003", "LOG-01", "Desa 812345678901"]
    rows = pl.DataFrame(
        {
            "no_registrasi": cells,
            "tanggal_permohonan": [dt.date(2025, 3, 3)] * 5,
            "pekerjaan": cells[::-1],
        }
    )
    published = Pseudonymiser("k").publishable(SOURCES["ppid"], rows)
    reg = published["no_registrasi"].to_list()
    assert [r.startswith("[nomor ") for r in reg] == [True, True, False, False, False]
    assert reg[2:] == cells[2:] and len(set(reg)) == 5
    assert published["pekerjaan"].to_list()[::-1] == reg


def test_the_working_day_calendar_starts_at_the_run_s_earliest_event_date(
    tmp_path: Path,
) -> None:
    """The run's earliest plausible event date (IKU_MIN_EVENT_DATE) is the calendar's first
    day, so that an old request has its IKU-3 deadline: received Monday 1 Dec 2014, answered
    on working day 10, Monday 15 Dec 2014 (no holiday in between)."""
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    drop(landing, "ppid/a.csv", PPID + "001;01/12/2014;;15/12/2014\n")
    History(WarehouseLayout(warehouse).history).land(landing)
    path = WarehouseLayout(warehouse).build("r1")
    started = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    run = RunInfo("r1", AS_OF, started, demo=False, calendar_start=dt.date(2010, 1, 1))
    build_database(path, warehouse, loads(warehouse, "r1", "kunci"), run)
    with duckdb.connect(str(path), read_only=True) as con:
        first = con.execute("SELECT min(tanggal) FROM ref.kalender").fetchone()
        row = con.execute("SELECT batas_waktu, tepat_waktu FROM iku.iku3_ppid").fetchone()
    assert first == (dt.date(2010, 1, 1),)
    assert row == (dt.date(2014, 12, 15), True)
