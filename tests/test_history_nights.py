"""Several nights into one warehouse: the landing changes between runs, the history keeps
every export, and the newest snapshot of each key decides at every run."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import duckdb

HEADER = "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis\n"
AS_OF = date(2025, 6, 30)


def drop(landing: Path, name: str, body: str, mtime: float) -> None:
    path = landing / "6204" / "ppid" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    os.utime(path, (mtime, mtime))


def on_time(landing: Path, warehouse: Path) -> dict[str, bool]:
    """One nightly run; then whether each PPID request is on time in the published database."""
    from flows.refresh import refresh

    refresh(landing=landing, warehouse=warehouse, as_of=AS_OF, demo=True)
    with duckdb.connect(str(warehouse / "kinerja.duckdb"), read_only=True) as con:
        rows = con.sql("SELECT no_registrasi, tepat_waktu FROM iku.iku3_ppid").fetchall()
    return dict(rows)


def test_a_future_time_counts_as_landed_once_not_at_every_run(
    prefect_backend: None, tmp_path: Path
) -> None:
    """A register saved by a PC whose clock says 2100 stays in the landing. It counts as
    changed when it landed (README), so the correction exported after it wins, at that run and
    at every later one: the file is not "changed just now" again at each run."""
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    drop(landing, "masa-depan.csv", HEADER + "001;03/03/2025;31/03/2025\n", 4_102_444_800)
    assert on_time(landing, warehouse) == {"001": False}
    time.sleep(1.1)  # the correction is exported after the first run
    drop(landing, "koreksi.csv", HEADER + "001;03/03/2025;04/03/2025\n", time.time())
    time.sleep(1.1)
    assert on_time(landing, warehouse) == {"001": True}
    assert on_time(landing, warehouse) == {"001": True}


def test_a_time_stamp_in_the_name_keeps_the_later_name_winning_a_tie(
    prefect_backend: None, tmp_path: Path
) -> None:
    """Two exports named by the second they were saved, copied with the same modification
    time: the later name wins (SPEC §2). A time stamp is no personal number, so the names are
    published as they are, not both masked to the same text (then the order was the sha256's)."""
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    drop(landing, "ppid_20250301120000.csv", HEADER + "001;03/03/2025;31/03/2025\n", 1_740_000_000)
    drop(landing, "ppid_20250302120000.csv", HEADER + "001;03/03/2025;04/03/2025\n", 1_740_000_000)
    assert on_time(landing, warehouse) == {"001": True}


def test_a_new_version_under_the_same_name_and_time_wins_over_the_one_it_replaced(
    prefect_backend: None, tmp_path: Path
) -> None:
    """A register overwritten by its correction with the modification time kept (``cp -p``,
    a share with 2-second times): name and time tie, so the version landed later wins, for
    every key, wherever the key stands in either file; and the first version copied back
    again wins over the correction, as the file the landing holds."""
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse"
    late = HEADER + "002;03/03/2025;04/03/2025\n001;03/03/2025;31/03/2025\n"
    corrected = HEADER + "001;03/03/2025;04/03/2025\n002;03/03/2025;04/03/2025\n"
    drop(landing, "register.csv", late, 1_740_000_000)
    assert on_time(landing, warehouse) == {"001": False, "002": True}
    drop(landing, "register.csv", corrected, 1_740_000_000)
    assert on_time(landing, warehouse) == {"001": True, "002": True}
    assert on_time(landing, warehouse) == {"001": True, "002": True}
    drop(landing, "register.csv", late, 1_740_000_000)
    assert on_time(landing, warehouse) == {"001": False, "002": True}
