"""Shared fixtures: a real Prefect backend for flow tests, and one demo run per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

DEMO_AS_OF = date(2026, 1, 31)  # after every 2025 deadline, so the demo's figures are final


@pytest.fixture(scope="session")
def prefect_backend() -> Iterator[None]:
    """Prefect's test harness: a temporary server with its own SQLite database."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def demo_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sources.demo import write_demo

    landing = tmp_path_factory.mktemp("demo") / "landing"
    write_demo(landing)
    return landing


@pytest.fixture(scope="session")
def demo_run(prefect_backend: None, demo_landing: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One refresh of the demo landing, shared by the tests that only read its result."""
    from flows.refresh import refresh

    warehouse = tmp_path_factory.mktemp("warehouse")
    result = refresh(landing=demo_landing, warehouse=warehouse, as_of=DEMO_AS_OF, demo=True)
    return result, warehouse
