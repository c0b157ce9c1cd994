"""The nightly job for real: Prefect's test server, real `iku` processes, SIGKILL, readers."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from flows.schedule import CRON, DEPLOYMENT, TIMEZONE
from warehouse import runs
from warehouse.publish import archives, published_path

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-01-31"


@pytest.fixture(scope="module")
def api_url(prefect_backend: None) -> str:
    from prefect.settings import get_current_settings

    url = get_current_settings().api.url
    assert url
    return str(url)


def environment(api_url: str, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("IKU_", "PREFECT_"))}
    return {**base, "PREFECT_API_URL": api_url, **extra}


def iku(api_url: str, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "flows.cli", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(api_url, **extra),
    )


def events(process: subprocess.Popen[str]) -> Iterator[dict[str, object]]:
    """Progress events a non-terminal `iku refresh` writes on stderr, one JSON per line."""
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("{"):
            yield json.loads(line)


def run_id(database: Path) -> str:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return str(con.execute("SELECT run_id FROM meta.run").fetchone()[0])  # type: ignore[index]
    finally:
        con.close()


def test_prefect_yaml_declares_the_same_schedule() -> None:
    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    [deployment] = spec["deployments"]
    assert deployment["name"] == DEPLOYMENT
    assert deployment["entrypoint"] == "flows/refresh.py:refresh"
    assert deployment["schedules"] == [{"cron": CRON, "timezone": TIMEZONE, "active": True}]


def test_iku_serve_registers_the_nightly_schedule_and_keeps_it_on_shutdown(
    api_url: str, tmp_path: Path
) -> None:
    from prefect import get_client

    serving = iku(
        api_url,
        "serve",
        "--landing",
        str(tmp_path),
        "--warehouse",
        str(tmp_path / "wh"),
        IKU_PII_KEY="k",
    )
    try:
        with get_client(sync_client=True) as client:
            deadline = time.monotonic() + 120
            found = None
            while found is None and time.monotonic() < deadline:
                try:
                    found = client.read_deployment_by_name(f"iku-nightly/{DEPLOYMENT}")
                except Exception:
                    time.sleep(1)
            assert found is not None, "iku serve did not register its deployment"
            [schedule] = found.schedules
            assert schedule.schedule.cron == CRON
            assert schedule.schedule.timezone == TIMEZONE
            assert schedule.active and not found.paused
            assert found.parameters["landing"] == str(tmp_path.resolve())
            serving.send_signal(signal.SIGINT)
            serving.wait(timeout=60)
            after = client.read_deployment_by_name(f"iku-nightly/{DEPLOYMENT}")
            assert not after.paused, "a restart must not find the schedule paused"
    finally:
        serving.kill()
        serving.wait()


def wait_for_deployment(client, landing: Path, deadline: float):  # type: ignore[no-untyped-def]
    """The deployment as `iku serve --landing landing` registered it (an earlier test may have
    left one of the same name with other parameters)."""
    while time.monotonic() < deadline:
        try:
            found = client.read_deployment_by_name(f"iku-nightly/{DEPLOYMENT}")
        except Exception:
            found = None
        if found is not None and found.parameters.get("landing") == str(landing.resolve()):
            return found
        time.sleep(1)
    raise AssertionError("iku serve did not register its deployment")


def test_a_run_of_the_served_deployment_completes_and_publishes(
    api_url: str, demo_landing: Path, tmp_path: Path
) -> None:
    """The schedule's real path: `iku serve`, a run triggered through the API, COMPLETED, a new
    kinerja.duckdb, and the run's progress in the flow run's logs."""
    from prefect import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
    from prefect.deployments import run_deployment

    landing = tmp_path / "landing"
    shutil.copytree(demo_landing, landing)
    warehouse = tmp_path / "wh"
    serving = iku(api_url, "serve", "--landing", str(landing), "--warehouse", str(warehouse))
    try:
        with get_client(sync_client=True) as client:
            wait_for_deployment(client, landing, time.monotonic() + 120)
        flow_run = run_deployment(
            f"iku-nightly/{DEPLOYMENT}", parameters={"as_of": AS_OF}, timeout=600
        )
        assert flow_run.state is not None
        assert flow_run.state.is_completed(), flow_run.state
        assert run_id(published_path(warehouse))
        # The run's logs reach the API in batches, shortly after its state: wait for them.
        messages: list[str] = []
        deadline = time.monotonic() + 60
        with get_client(sync_client=True) as client:
            while not any("diterbitkan:" in m for m in messages) and time.monotonic() < deadline:
                time.sleep(1)
                messages = [
                    log.message
                    for offset in range(0, 2000, 200)
                    for log in client.read_logs(
                        log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[flow_run.id])),
                        limit=200,
                        offset=offset,
                    )
                ]
        assert any("diterbitkan:" in m for m in messages), messages
    finally:
        serving.send_signal(signal.SIGINT)
        try:
            serving.wait(timeout=60)
        finally:
            serving.kill()
            serving.wait()


def test_sigkill_at_any_step_keeps_the_database_and_loses_no_export(
    api_url: str, demo_landing: Path, tmp_path: Path
) -> None:
    from flows.refresh import refresh

    landing, warehouse = tmp_path / "landing", tmp_path / "wh"
    shutil.copytree(demo_landing, landing)
    # --demo: with the new export below, the landing is no longer the demo's alone.
    args = ("refresh", "--landing", str(landing), "--warehouse", str(warehouse), "--as-of", AS_OF)
    args += ("--demo",)
    # The runs before and after the killed ones need no process of their own.
    refresh(landing=landing, warehouse=warehouse, as_of=date.fromisoformat(AS_OF), demo=True)
    database = published_path(warehouse)
    published = {run_id(database)}

    # A new export lands; then runs are killed at several points.
    extra = landing / "6204" / "sakip" / "sakip_2026.csv"
    extra.write_text("Tahun;Nilai;Predikat\n2026;75,5;BB\n")
    for point in ("land", "source", "publish"):
        victim = iku(api_url, *args)
        for event in events(victim):
            if event["event"] == point:
                victim.send_signal(signal.SIGKILL)
                break
        victim.wait(timeout=60)
        assert victim.returncode == -signal.SIGKILL, f"the run ended before {point}"
        # The published database is whole: the last one, or the new one once published.
        now = run_id(database)
        assert now in published or point == "publish"
        published.add(now)

    last = refresh(landing=landing, warehouse=warehouse, as_of=date.fromisoformat(AS_OF), demo=True)
    assert last.published is not None
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("SELECT nilai FROM staging.sakip WHERE tahun = 2026").fetchone() is not None
    files = con.execute("SELECT count(*) FROM meta.ekspor").fetchone()
    statuses = [s for (s,) in con.execute("SELECT status FROM dq.run ORDER BY run_id").fetchall()]
    con.close()
    assert files == (28,)  # the 27 demo exports and the new one
    assert statuses[0] == "diterbitkan" and statuses[-1] == "diterbitkan"
    assert "terhenti" in statuses  # killed runs are recorded as stopped, not left running
    assert list((warehouse / "build").iterdir()) == []
    assert not database.with_name("kinerja.duckdb.wal").exists()


def test_refresh_while_an_analyst_holds_the_database_open(
    demo_warehouse: Path, demo_landing: Path
) -> None:
    from flows.refresh import refresh

    warehouse = demo_warehouse
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb\n"
            "con = duckdb.connect(sys.argv[1], read_only=True)\n"
            "q = 'SELECT run_id FROM meta.run'\n"
            "print(con.execute(q).fetchone()[0], flush=True)\n"
            "sys.stdin.readline()\n"
            "print(con.execute(q).fetchone()[0], flush=True)\n",
            str(published_path(warehouse)),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        before = reader.stdout.readline().strip()
        again = refresh(
            landing=demo_landing, warehouse=warehouse, as_of=date(2026, 1, 31), demo=True
        )
        assert again.published is not None
        assert run_id(again.published) == again.run_id != before
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == before  # the analyst's session is undisturbed
    finally:
        reader.kill()
        reader.wait()
    assert archives(warehouse), "the previous database is kept for rollback"


def test_status_and_rollback_commands(
    api_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.refresh import refresh

    landing, warehouse = tmp_path / "landing", tmp_path / "wh"
    (landing / "6204" / "sakip").mkdir(parents=True)
    (landing / "6204" / "sakip" / "a.csv").write_text("Tahun;Nilai\n2025;70\n")
    monkeypatch.setenv("IKU_PII_KEY", "k")
    for _ in range(2):
        done = refresh(landing=landing, warehouse=warehouse, as_of=date.fromisoformat(AS_OF))
        assert done.published is not None
    records = runs.records(warehouse)
    ids = [r["run_id"] for r in records]

    def status() -> dict[str, str]:
        """`iku status`: its line per run id."""
        done = iku(api_url, "status", "--warehouse", str(warehouse))
        out, _ = done.communicate(timeout=60)
        return {i: next(line for line in out.splitlines() if line.startswith(i)) for i in ids}

    lines = status()
    assert all("diterbitkan" in line for line in lines.values())
    assert lines[ids[1]].endswith("<- terbit sekarang")
    assert "terbit sekarang" not in lines[ids[0]]
    started = datetime.fromisoformat(records[0]["dimulai_pada"]) + timedelta(hours=7)
    assert f"{started:%d-%m-%Y %H:%M}" in lines[ids[0]]  # local time (WIB), not UTC
    assert " dtk" in lines[ids[0]]  # the run's duration

    back = iku(api_url, "rollback", "--warehouse", str(warehouse))
    _, err = back.communicate(timeout=60)
    assert back.returncode == 0, err
    assert run_id(published_path(warehouse)) == ids[0]
    assert status()[ids[0]].endswith("<- terbit sekarang")
    # Any archived run comes back by its id; an unknown one is refused, naming the choices.
    forward = iku(api_url, "rollback", "--warehouse", str(warehouse), "--to", ids[1])
    assert forward.wait(timeout=60) == 0
    assert run_id(published_path(warehouse)) == ids[1]
    wrong = iku(api_url, "rollback", "--warehouse", str(warehouse), "--to", "tidak-ada")
    _, err = wrong.communicate(timeout=60)
    assert wrong.returncode == 1 and ids[0] in err


def test_pull_over_http_retries_a_flaky_server_and_goes_on_without_a_dead_one(  # type: ignore[no-untyped-def]
    prefect_backend, tmp_path: Path, monkeypatch
) -> None:
    from loopback import FlakyOnce, free_port, serving, url_of

    from flows.refresh import refresh

    published = tmp_path / "server"
    published.mkdir()
    (published / "register.csv").write_text(
        "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis\n001;03/03/2025;05/03/2025\n"
    )
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IKU_PII_KEY", "k")
    monkeypatch.setenv("IKU_PULL_RETRY_DELAYS", "[0, 0]")  # the retries, without the waits
    with serving(published, FlakyOnce) as server:
        monkeypatch.setenv(
            "IKU_PULL_SOURCES",
            f"6204/ppid={url_of(server)}, 6204/sakip=http://127.0.0.1:{free_port()}/",
        )
        result = refresh(
            landing=tmp_path / "landing", warehouse=tmp_path / "wh", as_of=date(2025, 6, 30)
        )
        requests = [request[0] for request in server.requests]  # type: ignore[attr-defined]
    by_source = {p.location.source: p for p in result.pulls}
    assert by_source["ppid"].error is None and by_source["ppid"].copied == ["register.csv"]
    assert requests.count("/") == 2  # the listing failed once (503); the task's retry got it
    assert by_source["sakip"].error  # down: reported, and the run still published
    assert (tmp_path / "landing" / "6204" / "ppid" / "register.csv").exists()
    assert (published / "register.csv").exists()  # nothing at the source is touched
    con = duckdb.connect(str(result.published), read_only=True)
    assert con.execute("SELECT count(*) FROM staging.ppid").fetchone() == (1,)
    warning = con.execute(
        "SELECT source, severity FROM dq.issues WHERE rule = 'penarikan_gagal'"
    ).fetchall()
    assert warning == [("sakip", "warning")]


def test_sources_are_read_concurrently(demo_run) -> None:  # type: ignore[no-untyped-def]
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    result, _ = demo_run
    with get_client(sync_client=True) as client:
        tasks = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[result.flow_run_id]))
        )
    reads = [t for t in tasks if t.name.startswith("read-and-check-")]
    assert len(reads) == 9
    spans = sorted((t.start_time, t.end_time) for t in reads if t.start_time and t.end_time)
    overlapping = sum(1 for a, b in itertools.pairwise(spans) if b[0] < a[1])
    assert overlapping >= 1, "the seven operational sources must run side by side"
