"""The ``iku`` command: ``iku demo`` and ``iku refresh`` (SPEC §1)."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
DEMO_MARKER = ".iku-demo"

# Quiet Prefect's own chatter unless the user asked for it; set before prefect is imported.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")


def today_wib() -> date:
    return datetime.now(WIB).date()


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' bukan tanggal YYYY-MM-DD") from None


def cmd_demo(args: argparse.Namespace) -> int:
    from sources.demo import write_demo

    landing = Path(args.landing)
    paths = write_demo(landing)
    print(f"{len(paths)} file ekspor demo ditulis ke {landing}")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from flows.refresh import refresh
    from warehouse.pii import MissingKeyError
    from warehouse.report import capaian_table
    from warehouse.runs import RunLockedError

    landing, warehouse = Path(args.landing), Path(args.warehouse)
    demo = args.demo or (landing / DEMO_MARKER).exists()
    if not landing.is_dir():
        print(f"error: folder landing {landing} tidak ada", file=sys.stderr)
        return 2
    if not demo and not _has_key():
        return 3
    warehouse.mkdir(parents=True, exist_ok=True)
    try:
        result = refresh(landing=landing, warehouse=warehouse, as_of=args.as_of, demo=demo)
    except MissingKeyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except RunLockedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 4
    except Exception as exc:  # the run failed: nothing was published
        print(
            f"error: run gagal, tidak ada database baru yang diterbitkan "
            f"({type(exc).__name__}: {exc}); database sebelumnya tetap utuh",
            file=sys.stderr,
        )
        return 1
    if result.published is None:
        print("error: tidak ada database yang diterbitkan", file=sys.stderr)
        return 1
    print(f"Diterbitkan: {result.published} (run {result.run_id}, posisi {result.as_of})")
    if result.rejected_files:
        print(f"File ditolak ({len(result.rejected_files)}): lihat dq.issues")
        for name in result.rejected_files:
            print(f"  - {name}")
    if result.error_rows:
        print(f"Baris dikarantina: {result.error_rows} (lihat dq.issues dan dq.quarantine)")
    if result.warnings:
        print(f"Peringatan: {result.warnings} (lihat dq.issues)")
    if result.docs:
        print(f"Laporan Great Expectations: {result.docs}")
    print()
    print(capaian_table(result.published, as_of_year=result.as_of.year))
    return 0


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
            restored, run_id = rollback(warehouse)
    except (PublishError, RunLockedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"Dikembalikan: database run {run_id} ({restored.name}) kini {warehouse}/kinerja.duckdb")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.schedule import CRON, TIMEZONE, serve

    landing, warehouse = Path(args.landing), Path(args.warehouse)
    demo = (landing / DEMO_MARKER).exists()
    if not demo and not _has_key():
        return 3
    print(f"Melayani deployment iku-nightly: '{CRON}' ({TIMEZONE}); hentikan dengan Ctrl-C")
    serve(landing, warehouse)
    return 0


def _has_key() -> bool:
    from warehouse.pii import KEY_HINT
    from warehouse.settings import Settings

    if Settings().pii_key:
        return True
    print(f"error: {KEY_HINT}", file=sys.stderr)
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
    back.set_defaults(func=cmd_rollback)

    serve = sub.add_parser("serve", help="jalankan jadwal malam (02:00 WIB) di proses ini")
    serve.add_argument("--landing", default="data/landing", help="folder landing")
    serve.add_argument("--warehouse", default="data/warehouse", help="folder gudang data")
    serve.set_defaults(func=cmd_serve)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "as_of", "unset") is None:
        args.as_of = today_wib()
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
