"""The nightly schedule: 02:00 WIB every day. One definition for `iku serve`, the tests and
``prefect.yaml`` (a test checks the file says the same)."""

from __future__ import annotations

from pathlib import Path

from prefect.schedules import Cron

DEPLOYMENT = "iku-nightly"
CRON = "0 2 * * *"
TIMEZONE = "Asia/Jakarta"


def serve(landing: Path, warehouse: Path) -> None:
    """Register the deployment and run its schedule in this process until stopped.

    ``pause_on_shutdown=False``: Prefect's default pauses the schedule when the serve process
    stops, and a restarted server would then wait for someone to resume it by hand. Runs that
    fell due while nothing was serving are not made up; the next night's run loads everything
    that landed in between.
    """
    from flows.refresh import refresh

    refresh.serve(
        name=DEPLOYMENT,
        schedules=[Cron(CRON, timezone=TIMEZONE)],
        # absolute folders; the as-of date is left to each run (today in WIB)
        parameters={"landing": str(landing.resolve()), "warehouse": str(warehouse.resolve())},
        pause_on_shutdown=False,
        description="Run malam IKU: tarik, baca, periksa, muat, terbitkan, kirim alert",
        tags=["iku"],
    )
