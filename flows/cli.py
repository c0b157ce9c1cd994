"""The ``iku`` command: ``iku demo`` and ``iku refresh`` (SPEC §1)."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from datetime import date
from pathlib import Path

from warehouse.escape import plain

# Set before prefect is imported; each can be overridden from the environment.
# - INFO: the run's progress reaches the flow run's logs (Prefect UI) and <warehouse>/logs;
#   the terminal shows none of Prefect's INFO lines (each command sets the console's level).
# - A temporary Prefect server (no PREFECT_API_URL) gets three minutes to start instead of
#   Prefect's 20 s, which a busy machine exceeds.
# - No usage data leaves the office: neither the server's analytics nor the SDK's
#   (DO_NOT_TRACK, which also keeps its notice off the terminal).
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
API_HINT = (
    "server Prefect sementara tidak siap ({cause}). Tanpa PREFECT_API_URL, iku menyalakan server "
    "sementara dan menunggunya paling lama PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS detik "
    "(kini {timeout}); pada mesin yang sibuk naikkan nilai itu, atau jalankan `prefect server "
    "start` sekali dan atur PREFECT_API_URL=http://127.0.0.1:4200/api"
)
API_URL_HINT = (
    "server Prefect di PREFECT_API_URL={url} tidak dapat dihubungi ({cause}); nyalakan server itu "
    "(`prefect server start`) atau hapus PREFECT_API_URL agar iku memakai server sementara"
)


def _as_of(text: str) -> date:
    from warehouse.runs import AsOfError, check_as_of, today_wib

    try:
        return check_as_of(date.fromisoformat(text), today_wib())
    except AsOfError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' bukan tanggal YYYY-MM-DD") from None


def cmd_demo(args: argparse.Namespace) -> int:
    from sources.demo import write_demo

    landing = Path(args.landing)
    paths = write_demo(landing)
    print(f"{len(paths)} file ekspor demo ditulis ke {landing}")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from sources.demo import is_demo_landing
    from warehouse.runs import today_wib

    landing, warehouse = Path(args.landing), Path(args.warehouse)
    as_of = args.as_of or today_wib()
    demo = args.demo or is_demo_landing(landing)
    if not landing.is_dir():
        print(f"error: folder landing {plain(landing)} tidak ada", file=sys.stderr)
        return 2
    if not _settings_usable(demo, landing):
        return 3
    try:
        warehouse.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        on_a_file = isinstance(exc, FileExistsError | NotADirectoryError)
        why = "jalurnya berisi file, bukan folder" if on_a_file else exc.strerror
        print(f"error: folder gudang {plain(warehouse)}: {why}", file=sys.stderr)
        return 2
    # Our summary replaces Prefect's console messages; they all go to <warehouse>/logs/iku.log.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    from warehouse.imports import long_lived

    with long_lived():  # Prefect and the project: 0.4 s faster (warehouse.imports)
        from flows.refresh import refresh
        from flows.tasks import RefreshResult
        from sources.sheet import describe
        from warehouse.layout import WarehouseLayout
        from warehouse.report import capaian_table
        from warehouse.runs import RunLockedError, published_run

    log = WarehouseLayout(warehouse).log_file
    api_url = os.environ.get("PREFECT_API_URL")  # read now: a flow run may take it out
    before = published_run(warehouse)
    through = True  # whether the run came through (its reports are known)
    try:
        result = refresh(landing=landing, warehouse=warehouse, as_of=as_of, demo=demo)
    except RunLockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 4
    except Exception as exc:
        published = published_run(warehouse)
        if published in (None, before):  # nothing was published
            return _failed(exc, api_url, warehouse)
        # It failed after its swap (Prefect's API gone): published all the same (SPEC §1).
        through = False
        result = RefreshResult(
            run_id=published,
            as_of=as_of,
            published=WarehouseLayout(warehouse).published,
            new_exports=0,
            after_publish=[
                f"run berhenti setelah database diterbitkan ({plain(describe(exc))}); langkah "
                "yang tertinggal (laporan LKjIP, alert) dikerjakan run berikutnya, lihat iku "
                "status dan dq.issues"
            ],
        )
    print(f"Diterbitkan: {result.published} (run {result.run_id}, posisi {result.as_of})")
    if result.rejected_files:
        print(f"File ditolak ({len(result.rejected_files)}): lihat dq.issues")
        for name in result.rejected_files:
            print(f"  - {plain(name)}")
    if result.error_rows:
        print(f"Baris dikarantina: {result.error_rows} (lihat dq.issues dan dq.quarantine)")
    if result.warnings:
        print(f"Peringatan: {result.warnings} (lihat dq.issues)")
    for warning in result.after_publish:
        print(f"Peringatan: {warning} (rincian: {plain(log)})")
    if result.docs:
        print(f"Laporan Great Expectations: {result.docs}")
    print()
    print(capaian_table(result.published, as_of_year=result.as_of.year))
    if through:
        _say_reports(result.reports)
    return 0


def _failed(exc: Exception, api_url: str | None, warehouse: Path) -> int:
    """Why nothing was published, in one line; the exit status (README)."""
    from sources.sheet import first_line
    from warehouse.disk import explain
    from warehouse.layout import WarehouseLayout

    if _api_unreachable(exc):
        cause = plain(first_line(exc))
        timeout = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS")
        hint = (
            API_URL_HINT.format(url=plain(api_url), cause=cause)
            if api_url
            else API_HINT.format(cause=cause, timeout=timeout)
        )
        print(f"error: {hint}", file=sys.stderr)
        return 5
    print(
        f"error: run gagal, tidak ada database baru yang diterbitkan "
        f"({plain(explain(exc, warehouse))}); database sebelumnya tetap utuh. "
        f"Rincian: {plain(WarehouseLayout(warehouse).log_file)}",
        file=sys.stderr,
    )
    return 1


def _say_reports(paths: list[Path] | None) -> None:
    """Where the LKjIP reports are: the last thing a run or `iku laporan` prints. ``None``:
    they could not be written (a warning above says why), not that there is nothing to
    report."""
    if paths is None:
        print("\nLaporan LKjIP: tidak ditulis (lihat peringatan di atas); jalankan iku laporan")
        return
    html = sorted(p for p in paths if p.suffix == ".html")
    if not html:
        print("\nLaporan LKjIP: tidak ada (belum ada data IKU)")
        return
    print(f"\nLaporan LKjIP ({len(html)} satker-tahun, HTML + PDF + XLSX): {html[0].parent.parent}")
    for path in html:
        print(f"  {plain(path)}")


def cmd_laporan(args: argparse.Namespace) -> int:
    from warehouse.laporan import write_reports

    if _published(Path(args.warehouse)) is None:
        return 2
    lost: list[str] = []
    _say_reports(write_reports(Path(args.warehouse), failed=lost))
    for text in lost:
        print(f"laporan tidak ditulis: {plain(text)}", file=sys.stderr)
    return 1 if lost else 0


def _published(warehouse: Path) -> Path | None:
    """The published database of ``warehouse``; None (and why, on stderr) when there is none."""
    from warehouse.layout import WarehouseLayout

    database = WarehouseLayout(warehouse).published
    if database.is_file():
        return database
    print(
        f"error: belum ada database yang diterbitkan ({plain(database)}); "
        "jalankan iku refresh lebih dulu",
        file=sys.stderr,
    )
    return None


def _api_unreachable(exc: BaseException) -> bool:
    """Prefect's API (its temporary server, or PREFECT_API_URL) could not be reached."""
    import httpx

    from sources.sheet import causes

    return any(
        isinstance(c, httpx.TransportError) or "connect to ephemeral Prefect API" in str(c)
        for c in causes(exc)
    )


def cmd_status(args: argparse.Namespace) -> int:
    from warehouse.report import status_table

    print(status_table(Path(args.warehouse), args.limit))
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from warehouse.publish import PublishError, rollback
    from warehouse.runs import RunLockedError, exclusive

    warehouse = Path(args.warehouse)
    try:
        with exclusive(warehouse):
            restored, run_id = rollback(warehouse, args.to)
    except RunLockedError as exc:  # as for iku refresh (README): 4, try again later
        print(f"error: {exc}", file=sys.stderr)
        return 4
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Dikembalikan: database run {run_id} ({restored.name}) kini {warehouse}/kinerja.duckdb")
    return 0


def cmd_sql(args: argparse.Namespace) -> int:
    """The published database, read-only, in the duckdb CLI installed with the project
    (duckdb-cli from PyPI: a DuckDB 1.x, which reads the file's storage format)."""
    import shutil
    import subprocess

    database = _published(Path(args.warehouse))
    if database is None:
        return 2
    beside = Path(sys.executable).with_name("duckdb")
    cli = str(beside) if beside.is_file() else shutil.which("duckdb")
    if cli is None:
        print("error: duckdb CLI tidak ditemukan; jalankan make venv", file=sys.stderr)
        return 2
    command = [cli, "-readonly", str(database)]
    if args.command_sql:
        command += ["-c", args.command_sql]
    return subprocess.call(command)


def cmd_serve(args: argparse.Namespace) -> int:
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    from flows.schedule import CRON, TIMEZONE, serve
    from sources.demo import is_demo_landing

    landing, warehouse = Path(args.landing), Path(args.warehouse)
    demo = is_demo_landing(landing)
    if not _settings_usable(demo, landing):
        return 3
    print(f"Melayani deployment iku-nightly: '{CRON}' ({TIMEZONE}); hentikan dengan Ctrl-C")
    serve(landing, warehouse)
    return 0


def _settings_usable(demo: bool, landing: Path) -> bool:
    """Whether every IKU_* variable can be used and, outside demo mode, the key is set; if
    not, says why, before anything runs."""
    from sources.demo import IGNORED_MARKER, MARKER
    from warehouse.pii import KEY_HINT
    from warehouse.settings import Settings, SettingsError

    try:
        settings = Settings.load()
    except SettingsError as exc:
        lines = [plain(line) for line in str(exc).splitlines()]  # IKU_PULL_SOURCES: a list
        print("error: " + "\n".join(lines), file=sys.stderr)
        return False
    if demo or settings.pii_key:
        return True
    print(f"error: {KEY_HINT}", file=sys.stderr)
    if (landing / MARKER).exists():
        print(f"  ({MARKER} di landing diabaikan: {IGNORED_MARKER})", file=sys.stderr)
    return False


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="iku", description="Gudang data IKU Sekretariat KPU Kabupaten Barito Selatan"
    )
    sub = top.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="tulis ekspor demo (Barito Selatan 2024–2025) ke landing")
    demo.add_argument("--landing", default="data/landing", help="folder landing (data/landing)")
    demo.set_defaults(func=cmd_demo)

    refresh = sub.add_parser(
        "refresh", help="satu run penuh: tarik, baca, periksa, muat, terbitkan"
    )
    refresh.add_argument("--landing", default="data/landing", help="folder landing (data/landing)")
    refresh.add_argument(
        "--warehouse", default="data/warehouse", help="folder gudang data (data/warehouse)"
    )
    refresh.add_argument(
        "--as-of",
        type=_as_of,
        default=None,
        help="tanggal posisi YYYY-MM-DD (bawaan: hari ini WIB)",
    )
    refresh.add_argument(
        "--demo",
        action="store_true",
        help="mode demo: tanpa IKU_PII_KEY memakai kunci demo (otomatis bila landing ditulis iku demo)",
    )
    refresh.set_defaults(func=cmd_refresh)

    status = sub.add_parser("status", help="run terakhir: kapan, file, baris, temuan, diterbitkan")
    status.add_argument("--warehouse", default="data/warehouse", help="folder gudang data")
    status.add_argument("--limit", type=int, default=10, help="jumlah run (10)")
    status.set_defaults(func=cmd_status)

    back = sub.add_parser("rollback", help="kembalikan database yang diterbitkan sebelumnya")
    back.add_argument("--warehouse", default="data/warehouse", help="folder gudang data")
    back.add_argument("--to", metavar="RUN", help="run yang dikembalikan (bawaan: sebelumnya)")
    back.set_defaults(func=cmd_rollback)

    laporan = sub.add_parser(
        "laporan", help="tulis laporan LKjIP (HTML, PDF, XLSX) dari database yang diterbitkan"
    )
    laporan.add_argument("--warehouse", default="data/warehouse", help="folder gudang data")
    laporan.set_defaults(func=cmd_laporan)

    sql = sub.add_parser(
        "sql", help="buka database yang diterbitkan (hanya baca) di shell SQL duckdb"
    )
    sql.add_argument("--warehouse", default="data/warehouse", help="folder gudang data")
    sql.add_argument(
        "-c", "--command", dest="command_sql", help="jalankan satu perintah SQL lalu keluar"
    )
    sql.set_defaults(func=cmd_sql)

    serve = sub.add_parser("serve", help="jalankan jadwal malam (02:00 WIB) di proses ini")
    serve.add_argument("--landing", default="data/landing", help="folder landing")
    serve.add_argument("--warehouse", default="data/warehouse", help="folder gudang data")
    serve.set_defaults(func=cmd_serve)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    finally:
        # What is still alive is freed with the process: Python's last garbage collection
        # over it (the modules of Prefect, GX, pandas) took 1.3 s of every command.
        gc.freeze()


if __name__ == "__main__":
    sys.exit(main())
