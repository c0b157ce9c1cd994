"""Reading and checking elsewhere than the flow's two threads: in Prefect's process pool, and
on a real Dask cluster (distributed.LocalCluster, separate worker processes) through Prefect's
Dask task runner. Either way, the same database as the local run, and Data Docs of every
validation, wherever it ran."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from conftest import DEMO_AS_OF

TABLES = {
    "iku.capaian": "SELECT * FROM iku.capaian ORDER BY ALL",
    "iku.butir": "SELECT * FROM iku.butir ORDER BY ALL",
    "staging": "SELECT 'ppid', count(*) FROM staging.ppid UNION ALL "
    "SELECT 'siakba', count(*) FROM staging.siakba UNION ALL "
    "SELECT 'pemilih', count(*) FROM staging.pemilih ORDER BY ALL",
    "dq.issues": "SELECT source, file_name, row_number, rule, severity, message FROM dq.issues "
    "ORDER BY ALL",
}


def _checkers(docs: Path) -> set[int]:
    """The processes whose Great Expectations contexts made the Data Docs' validations: each
    names its validations ``<source> <pid>.<tag>-<n>`` (``warehouse.validator.Validator``)."""
    return {int(p.name.split(" ")[1].split(".")[0]) for p in docs.glob("validations/* *")}


def _content(warehouse: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(warehouse / "kinerja.duckdb"), read_only=True)
    try:
        return {name: con.execute(query).fetchall() for name, query in TABLES.items()}
    finally:
        con.close()


@pytest.mark.slow
def test_a_refresh_on_a_dask_cluster_gives_the_same_database(
    demo_run,  # type: ignore[no-untyped-def]
    demo_landing: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from distributed import Client, LocalCluster
    from prefect.settings import get_current_settings

    from flows.refresh import refresh

    _, local = demo_run
    # The workers are new processes: they find the Prefect server the same way a real
    # cluster's workers would, through the environment.
    monkeypatch.setenv("PREFECT_API_URL", str(get_current_settings().api.url))
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        monkeypatch.setenv("IKU_DASK_ADDRESS", cluster.scheduler_address)
        warehouse = tmp_path / "warehouse"
        result = refresh(landing=demo_landing, warehouse=warehouse, as_of=DEMO_AS_OF, demo=True)
        with Client(cluster) as client:  # the work really went to the workers
            done = client.run(lambda: __import__("sys").modules.get("warehouse.load") is not None)
    assert result.published == warehouse / "kinerja.duckdb"
    assert all(done.values()) and len(done) == 2
    assert _content(warehouse) == _content(local)


@pytest.mark.slow
def test_a_refresh_in_worker_processes_gives_the_same_database_and_all_data_docs(
    demo_run,  # type: ignore[no-untyped-def]
    demo_landing: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flows.refresh import refresh

    local_result, local = demo_run
    monkeypatch.setenv("IKU_READ_PROCESSES_FROM", "0")  # however little there is to read
    warehouse = tmp_path / "warehouse"
    result = refresh(landing=demo_landing, warehouse=warehouse, as_of=DEMO_AS_OF, demo=True)
    assert result.published == warehouse / "kinerja.duckdb"
    assert _content(warehouse) == _content(local)
    assert _checkers(local_result.docs.parent) == {os.getpid()}  # the flow's own threads
    assert os.getpid() not in _checkers(result.docs.parent)  # worker processes

    def pages(docs: Path) -> list[str]:  # the source of each validation's page
        return sorted(p.name.split(" ")[0] for p in docs.glob("validations/*"))

    assert pages(result.docs.parent) == pages(local_result.docs.parent) != []


WORKER_OF_A_RUN = """
import multiprocessing, time
from flows.tasks import exit_with_parent

def worker(ready):
    exit_with_parent()
    ready.set()
    time.sleep(600)

if __name__ == "__main__":
    spawn = multiprocessing.get_context("spawn")  # as Prefect's process pool starts them
    ready = spawn.Event()
    child = spawn.Process(target=worker, args=(ready,))
    child.start()
    ready.wait(120)
    print(child.pid, flush=True)
    time.sleep(600)
"""


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended; its reaping is init's


def test_a_worker_ends_when_the_run_that_started_it_is_killed(tmp_path: Path) -> None:
    """SIGKILL (the OOM killer) gives a run no chance to end its worker processes: each
    ends itself when its parent is gone, instead of holding its memory for ever."""
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "run.py"
    script.write_text(WORKER_OF_A_RUN)
    root = Path(__file__).parent.parent
    run = subprocess.Popen(
        [sys.executable, str(script)], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert run.stdout is not None
    pid = int(run.stdout.readline())
    try:
        assert _running(pid)
        run.kill()
        run.wait()
        deadline = time.monotonic() + 20
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _running(pid)
    finally:
        if _running(pid):
            os.kill(pid, signal.SIGKILL)
