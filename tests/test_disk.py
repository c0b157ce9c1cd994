"""The warehouse's disk full or read-only, as on an office server: on a real tmpfs of a few
megabytes (the tests are skipped where mounting is not permitted). Nothing published is
damaged, no export is lost, nothing is left behind to fill the disk further, and the admin
reads in one Indonesian line what is wrong and what to do, never a traceback."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from warehouse import runs
from warehouse.disk import explain
from warehouse.history import LANDING_DIGESTS, NOT_KEPT, History
from warehouse.layout import WarehouseLayout
from warehouse.pull import pull_location
from warehouse.transfer import Location, PullError

HEADER = "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis\n"


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder``; the test is skipped where it cannot be."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"tmpfs tidak dapat dipasang di sini: {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path, leave: int = 0) -> Path:
    """A ballast file that leaves about ``leave`` bytes of ``disk`` free."""
    ballast = disk / "ballast"
    free = os.statvfs(disk)
    room = free.f_bavail * free.f_frsize - leave
    with ballast.open("wb") as handle:
        try:
            handle.write(b"\0" * max(room, 0))
            handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return ballast


def test_an_export_the_full_disk_refuses_is_reported_as_such_and_taken_later(
    tmp_path: Path,
) -> None:
    """A large export that does not fit in the history was reported as a file that cannot
    be read (`file_tidak_terbaca: No space left on device`): the admin was sent to fix an
    export with nothing wrong in it."""
    landing = tmp_path / "landing" / "6204" / "ppid"
    landing.mkdir(parents=True)
    (landing / "kecil.csv").write_text(HEADER + "001;03/03/2025;05/03/2025\n")
    (landing / "besar.csv").write_text(HEADER + "002;03/03/2025;05/03/2025\n" * 20_000)
    with small_disk(tmp_path / "disk", "2m") as disk:
        history = History(disk / "warehouse" / "history")
        ballast = fill(disk, leave=256 << 10)
        report = history.land(tmp_path / "landing")
        assert [e.file_name for e in report.new] == ["kecil.csv"]
        [problem] = report.problems
        assert (problem.path, problem.rule, problem.severity) == (
            "6204/ppid/besar.csv",
            NOT_KEPT,
            "error",
        )
        assert "disk penuh" in problem.message and "tetap di landing" in problem.message
        assert "kosongkan ruang" in problem.message
        left = [p.name for p in history.root.rglob("*") if p.is_file()]
        assert sorted(n for n in left if n != LANDING_DIGESTS) == sorted(
            [f"{report.new[0].sha256}.csv", f"{report.new[0].sha256}.json"]
        )  # no half copy, no temporary file
        ballast.unlink()
        again = history.land(tmp_path / "landing")  # room again: the next run takes it
        assert [e.file_name for e in again.new] == ["besar.csv"] and not again.problems


def test_a_pull_into_a_full_landing_fails_retryably_and_leaves_no_partial_export(
    tmp_path: Path,
) -> None:
    """An export the full landing refuses: the pull says which file and why, is retried
    (room may be made), and leaves neither a partial export nor its temporary file; the
    file that fits is kept."""
    share = tmp_path / "share"
    share.mkdir()
    (share / "besar.csv").write_text(HEADER + "002;03/03/2025;05/03/2025\n" * 20_000)
    (share / "kecil.csv").write_text(HEADER + "001;03/03/2025;05/03/2025\n")
    with small_disk(tmp_path / "disk", "2m") as disk:
        landing = disk / "landing"
        ballast = fill(disk, leave=256 << 10)
        with pytest.raises(PullError) as failed:
            pull_location(Location("6204", "ppid", str(share)), landing)
        assert failed.value.retryable
        assert str(failed.value).startswith("besar.csv: tidak dapat ditulis ke landing: ")
        assert "No space left on device" in str(failed.value)
        assert failed.value.copied == ["kecil.csv"]
        assert sorted(p.name for p in (landing / "6204" / "ppid").iterdir()) == ["kecil.csv"]
        ballast.unlink()


def test_a_run_failing_on_a_full_disk_frees_its_build_and_records_why(tmp_path: Path) -> None:
    """The half-written build stayed in build/ until the next run, holding the disk full:
    the failed run's record could not be written (`iku status` said `berjalan`) and the
    server had no room until the next night."""
    with small_disk(tmp_path / "disk", "1m") as disk:
        warehouse = disk / "warehouse"
        run_id = "20260131T020000-abcdef"
        runs.write_record(warehouse, run_id, status="berjalan")
        build = WarehouseLayout(warehouse).build(run_id)
        build.parent.mkdir()
        (WarehouseLayout(warehouse).checks(run_id) / "expectations").mkdir(parents=True)
        with (
            pytest.raises(OSError) as raised,
            runs.failure_recorded(warehouse, run_id),
            build.open("wb") as handle,  # the build's copy of the database, cut short
        ):
            while True:
                handle.write(b"\0" * 65536)
        assert raised.value.errno == errno.ENOSPC
        assert list(build.parent.iterdir()) == []
        [record] = runs.records(warehouse)
        assert record["status"] == "gagal"
        assert record["kesalahan"].startswith(f"disk penuh di gudang data {warehouse}")


def test_a_log_the_full_disk_refuses_prints_no_traceback(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """logging printed `--- Logging error ---` and a traceback for every line of the run's
    log it could not write: pages of them above the line saying why the run failed."""
    with small_disk(tmp_path / "disk", "1m") as disk:
        warehouse = disk / "warehouse"
        WarehouseLayout(warehouse).log_file.parent.mkdir(parents=True)
        fill(disk)
        with runs.logged(warehouse):
            for n in range(50):
                logging.getLogger("iku").warning("baris %d %s", n, "x" * 200)
        assert capfd.readouterr().err == ""


def test_a_disk_failure_is_said_plainly_with_what_to_do(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    build = warehouse / "build" / "kinerja-1.duckdb"
    wal = duckdb.TransactionException(
        f'TransactionContext Error: Failed to commit: Could not write file "{build}.wal": '
        "No space left on device"
    )
    assert explain(wal, warehouse).startswith(
        f"disk penuh di gudang data {warehouse} (build/kinerja-1.duckdb.wal); kosongkan ruang"
    )
    copy = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(warehouse / "kinerja.duckdb"))
    copy.filename2 = str(build)  # shutil.copyfile names both: the one written is the second
    assert f"({build.relative_to(warehouse)})" in explain(copy, warehouse)
    assert "df -i" in explain(copy, warehouse)  # inodes run out too: ENOSPC, with room left
    elsewhere = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "/var/tmp/spill.tmp")
    assert explain(elsewhere, warehouse).startswith("disk penuh di /var/tmp/spill.tmp; ")
    read_only = OSError(errno.EROFS, os.strerror(errno.EROFS), str(warehouse / "runs" / "x"))
    assert explain(read_only, warehouse).startswith("disk hanya-baca (read-only) di gudang data")
    assert "izin tulis" in explain(read_only, warehouse)
    assert explain(ValueError("lain"), warehouse) == "ValueError: lain"
    locked = runs.RunLockedError("run lain sedang berjalan di gudang data ini")
    assert explain(locked, warehouse) == "run lain sedang berjalan di gudang data ini"


@pytest.fixture(scope="module")
def api_url(prefect_backend: None) -> str:
    from prefect.settings import get_current_settings

    return str(get_current_settings().api.url)


def iku(api_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("IKU_", "PREFECT_"))}
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        env={**env, "PREFECT_API_URL": api_url},
        timeout=900,
        check=False,
    )


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """``folder`` mounted read-only over itself (root ignores file modes)."""
    done = subprocess.run(["mount", "--bind", str(folder), str(folder)], check=False)
    if done.returncode != 0:
        pytest.skip("folder tidak dapat dipasang hanya-baca di sini")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
        yield
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def published(warehouse: Path) -> tuple[str, list[str]]:
    """The run id of the published database and the exports it names; it opens read-only."""
    con = duckdb.connect(str(WarehouseLayout(warehouse).published), read_only=True)
    try:
        [(run_id,)] = con.execute("SELECT run_id FROM meta.run").fetchall()
        names = [n for (n,) in con.execute("SELECT nama_file FROM meta.ekspor").fetchall()]
    finally:
        con.close()
    return run_id, names


@pytest.mark.slow
def test_the_nightly_run_on_a_full_disk_then_with_room_again(
    api_url: str, demo_landing: Path, tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(demo_landing, landing)
    with small_disk(tmp_path / "disk", "128m") as disk:
        warehouse = disk / "warehouse"
        args = ("refresh", "--landing", str(landing), "--warehouse", str(warehouse))
        args += ("--as-of", "2026-01-31", "--demo")
        assert iku(api_url, *args).returncode == 0
        first, _ = published(warehouse)
        new = landing / "6204" / "ppid" / "tambahan.csv"
        new.write_text(HEADER + "901/PPID/XI/2025;03/11/2025;10/11/2025\n")
        ballast = fill(disk, leave=2 << 20)  # room for the landing, not for the build

        full = iku(api_url, *args)
        assert full.returncode == 1
        assert "disk penuh di gudang data" in full.stderr and "kosongkan ruang" in full.stderr
        assert "Traceback" not in full.stderr and "Logging error" not in full.stderr
        assert published(warehouse)[0] == first  # the previous database, whole
        assert list(WarehouseLayout(warehouse).builds.iterdir()) == []
        failed = runs.records(warehouse)[-1]
        assert failed["status"] == "gagal" and failed["kesalahan"].startswith("disk penuh")

        ballast.unlink()
        with read_only(WarehouseLayout(warehouse).laporan):
            room = iku(api_url, *args)  # room again, but the reports' folder read-only
        assert room.returncode == 0, room.stderr
        assert "tambahan.csv" in published(warehouse)[1]  # the export the full disk held back
        assert "Laporan LKjIP: tidak ditulis" in room.stdout
        assert "belum ada data IKU" not in room.stdout

        again = iku(api_url, *args)  # and the next run writes the reports it could not
        assert again.returncode == 0, again.stderr
        assert "Laporan LKjIP (2 satker-tahun" in again.stdout
