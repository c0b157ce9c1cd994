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
