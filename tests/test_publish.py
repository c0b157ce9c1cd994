"""Publishing: atomic swap, readers in other processes, archive and rollback, run lock."""

from __future__ import annotations

import errno
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from warehouse import runs
from warehouse.publish import PublishError, archives, publish, published_path, rollback

READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT run_id FROM meta.run").fetchone()[0], flush=True)
sys.stdin.readline()  # hold the file open until told to go on
print(con.execute("SELECT run_id FROM meta.run").fetchone()[0], flush=True)
"""


def fake_build(warehouse: Path, run_id: str) -> Path:
    """The smallest database publish accepts: the contract view and meta.run."""
    path = warehouse / "build" / f"kinerja-{run_id}.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("CREATE SCHEMA iku; CREATE VIEW iku.capaian AS SELECT 1 AS x")
    con.execute("CREATE SCHEMA meta; CREATE TABLE meta.run (run_id VARCHAR)")
    con.execute("INSERT INTO meta.run VALUES (?)", [run_id])
    con.execute("CHECKPOINT")
    con.close()
    time.sleep(0.01)  # distinct modification times name the archives
    return path


def run_id_of(path: Path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return str(con.execute("SELECT run_id FROM meta.run").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def test_swap_while_another_process_reads_the_old_file(tmp_path: Path) -> None:
    publish(fake_build(tmp_path, "satu"), tmp_path)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published_path(tmp_path))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "satu"
        # The reader holds the file read-only; the swap neither waits nor fails.
        publish(fake_build(tmp_path, "dua"), tmp_path)
        assert run_id_of(published_path(tmp_path)) == "dua"
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "satu"  # the old reader keeps its snapshot
    finally:
        reader.kill()
        reader.wait()
    assert not published_path(tmp_path).with_name("kinerja.duckdb.wal").exists()


def test_previous_databases_are_kept_and_rolled_back(tmp_path: Path) -> None:
    for name in ("satu", "dua", "tiga"):
        publish(fake_build(tmp_path, name), tmp_path)
    assert [run_id_of(p) for p in archives(tmp_path)] == ["dua", "satu"]
    _, run_id = rollback(tmp_path)
    assert run_id == "dua" and run_id_of(published_path(tmp_path)) == "dua"
    # The rolled-back database is archived in turn, so the rollback can be undone.
    assert sorted(run_id_of(p) for p in archives(tmp_path)) == ["satu", "tiga"]


def test_only_the_last_few_are_kept(tmp_path: Path) -> None:
    for n in range(8):
        publish(fake_build(tmp_path, f"r{n}"), tmp_path, keep=3)
    assert [run_id_of(p) for p in archives(tmp_path)] == ["r6", "r5", "r4"]


def test_nothing_to_roll_back_to(tmp_path: Path) -> None:
    with pytest.raises(PublishError):
        rollback(tmp_path)


def test_rollback_while_a_run_holds_the_warehouse_exits_4_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows.cli import main

    publish(fake_build(tmp_path, "r1"), tmp_path)
    publish(fake_build(tmp_path, "r2"), tmp_path)
    with runs.exclusive(tmp_path):
        assert main(["rollback", "--warehouse", str(tmp_path)]) == 4
    assert "run lain sedang berjalan" in capsys.readouterr().err
    assert runs.published_run(tmp_path) == "r2"


def test_a_build_that_was_not_checkpointed_is_refused(tmp_path: Path) -> None:
    build = fake_build(tmp_path, "satu")
    build.with_name(build.name + ".wal").write_bytes(b"x")
    with pytest.raises(PublishError):
        publish(build, tmp_path)
    assert not published_path(tmp_path).exists()


def test_a_stray_wal_beside_the_published_name_is_not_replayed(tmp_path: Path) -> None:
    publish(fake_build(tmp_path, "satu"), tmp_path)
    published_path(tmp_path).with_name("kinerja.duckdb.wal").write_bytes(b"garbage")
    publish(fake_build(tmp_path, "dua"), tmp_path)
    assert run_id_of(published_path(tmp_path)) == "dua"


def test_one_run_at_a_time_and_no_stale_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from warehouse import runs\n"
            "with runs.exclusive(Path(sys.argv[1])):\n    print('ok', flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
    with pytest.raises(runs.RunLockedError), runs.exclusive(tmp_path):
        pass
    holder.kill()  # killed while holding the lock
    holder.wait()
    with runs.exclusive(tmp_path):  # the kernel released it: no stale lock to clear
        pass


def test_recovery_after_a_killed_run(tmp_path: Path) -> None:
    runs.write_record(tmp_path, "lama", status="berjalan")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "kinerja-lama.duckdb").write_bytes(b"half")
    (tmp_path / "build" / "kinerja-lama.duckdb.wal").write_bytes(b"half")
    cleaned = runs.recover(tmp_path, "baru")
    assert list((tmp_path / "build").iterdir()) == []
    assert runs.records(tmp_path)[0]["status"] == "terhenti"
    assert len(cleaned) == 3


def test_recovery_removes_the_half_written_files_of_a_run_killed_writing_reports(
    tmp_path: Path,
) -> None:
    reports = tmp_path / "laporan" / "6204"
    reports.mkdir(parents=True)
    half = [reports / ".tmp-k2j4.pdf", tmp_path / "laporan" / ".tmp-9xq1.json"]
    for path in [*half, reports / "lkjip_6204_2025.pdf"]:
        path.write_bytes(b"%PDF")
    cleaned = runs.recover(tmp_path, "baru")
    assert sorted(cleaned) == sorted(str(p.relative_to(tmp_path)) for p in half)
    assert [p.name for p in reports.iterdir()] == ["lkjip_6204_2025.pdf"]


def test_a_failure_is_recorded_over_a_damaged_record(tmp_path: Path) -> None:
    runs.write_record(tmp_path, "rusak", status="berjalan")
    (tmp_path / "runs" / "rusak" / "run.json").write_text('{"status": "berj')
    with pytest.raises(OSError, match="disk penuh"), runs.failure_recorded(tmp_path, "rusak"):
        raise OSError("disk penuh")
    [record] = runs.records(tmp_path)
    assert record["status"] == "gagal" and "disk penuh" in record["kesalahan"]


def test_a_failure_after_the_swap_leaves_the_run_published(tmp_path: Path) -> None:
    runs.write_record(tmp_path, "terbit", status="diterbitkan")
    with pytest.raises(OSError), runs.failure_recorded(tmp_path, "terbit"):
        raise OSError("disk penuh")
    [record] = runs.records(tmp_path)
    assert record["status"] == "diterbitkan" and "disk penuh" in record["kesalahan"]
    assert runs.last_completed(tmp_path) is None  # not through its alerts: not completed


def test_only_recent_data_docs_are_kept(tmp_path: Path) -> None:
    for n in range(5):
        (tmp_path / "dq-docs" / f"2026010{n}T020000-abc").mkdir(parents=True)
    removed = runs.prune_docs(tmp_path, keep=2)
    assert sorted(p.name for p in (tmp_path / "dq-docs").iterdir()) == [
        "20260103T020000-abc",
        "20260104T020000-abc",
    ]
    assert len(removed) == 3


def test_retention_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    from warehouse.settings import KEEP_DATABASES, KEEP_DOCS, Settings

    assert (Settings().keep_docs, Settings().keep_databases) == (KEEP_DOCS, KEEP_DATABASES)
    monkeypatch.setenv("IKU_KEEP_DOCS", "3")
    monkeypatch.setenv("IKU_KEEP_DATABASES", "1")
    assert (Settings().keep_docs, Settings().keep_databases) == (3, 1)
    monkeypatch.setenv("IKU_KEEP_DOCS", "0")  # keeping nothing would leave no Data Docs at all
    with pytest.raises(ValidationError):
        Settings()


def test_rollback_to_any_archived_run(tmp_path: Path) -> None:
    for name in ("satu", "dua", "tiga"):
        publish(fake_build(tmp_path, name), tmp_path)
    _, run_id = rollback(tmp_path, to="satu")
    assert run_id == "satu" and run_id_of(published_path(tmp_path)) == "satu"
    assert sorted(run_id_of(p) for p in archives(tmp_path)) == ["dua", "tiga"]
    with pytest.raises(PublishError, match=r"run empat tidak ada di arsip; .*: tiga, dua"):
        rollback(tmp_path, to="empat")
    assert run_id_of(published_path(tmp_path)) == "satu"  # a refused rollback changes nothing


def test_a_failure_after_the_swap_before_its_record_leaves_the_run_published(
    tmp_path: Path,
) -> None:
    """The disk full just after the swap: the record could not say `diterbitkan`, and the
    failure then recorded the published run as `gagal` (iku status showed a failed run as
    the one published, and the next run left it so)."""
    runs.write_record(tmp_path, "terbit", status="dibangun")
    publish(fake_build(tmp_path, "terbit"), tmp_path)
    with pytest.raises(OSError), runs.failure_recorded(tmp_path, "terbit"):
        raise OSError(errno.ENOSPC, "No space left on device")
    [record] = runs.records(tmp_path)
    assert record["status"] == "diterbitkan" and "disk penuh" in record["kesalahan"]
