"""Pull: IKU_PULL_DEADLINE bounds all the attempts at a location in a run, retries too (a real
HTTP server on loopback, the flow's task with its retries)."""

from __future__ import annotations

from pathlib import Path

import pytest
from loopback import Quiet, serving, url_of

from warehouse.pull import PullResult
from warehouse.transfer import Location, PullLimits


class SlowThenBusy(Quiet):
    """``lambat.csv``: ten bytes, one every 0.2 s (2 s in all); ``sibuk.csv``: 503."""

    def answer(self) -> None:
        if self.path == "/lambat.csv":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            for _ in range(10):
                if self.server.stop.wait(0.2):  # type: ignore[attr-defined]
                    break
                self.wfile.write(b"1")
                self.wfile.flush()
            return
        if self.path == "/sibuk.csv":
            self.send_error(503, "Service Unavailable")
            return
        super().answer()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback servers are reached directly, whatever proxy the machine has."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.mark.slow
def test_a_retry_gets_what_is_left_of_the_deadline_not_all_of_it_again(
    prefect_backend: None, tmp_path: Path
) -> None:
    """A server taking 2 of the 3 seconds of the deadline, then answering 503: the retry has
    the second left, and is stopped there, not retried again. Each attempt had 3 s of its own
    before: three attempts, lambat.csv downloaded three times, three times the deadline."""
    with serving(remote_of(tmp_path), SlowThenBusy) as server:
        result = pulled_by_the_flow(url_of(server), tmp_path, delays=(0, 0))
        listings = [r for r in server.requests if r[0] == "/"]  # type: ignore[attr-defined]
    assert len(listings) == 2
    assert result.error is not None and "(IKU_PULL_DEADLINE); dihentikan" in result.error


@pytest.mark.slow
def test_a_retry_due_past_the_deadline_is_not_made_and_the_last_failure_is_reported(
    prefect_backend: None, tmp_path: Path
) -> None:
    """The 503 after 2 of the 3 seconds, the retry due 2 s later: past the deadline, so not
    made; the 503 is what the admin reads, not a listing cut as soon as it was asked for."""
    with serving(remote_of(tmp_path), SlowThenBusy) as server:
        result = pulled_by_the_flow(url_of(server), tmp_path, delays=(2, 0))
        listings = [r for r in server.requests if r[0] == "/"]  # type: ignore[attr-defined]
    assert len(listings) == 1
    assert (
        result.error == f"{url_of(server)}sibuk.csv: server menjawab HTTP 503 Service Unavailable"
    )
    assert result.copied == ["lambat.csv"]


def remote_of(tmp_path: Path) -> Path:
    remote = tmp_path / "remote"
    remote.mkdir()
    (remote / "index.html").write_text('<a href="lambat.csv">l</a> <a href="sibuk.csv">s</a>')
    return remote


def pulled_by_the_flow(url: str, tmp_path: Path, delays: tuple[float, ...]) -> PullResult:
    """``pull_sources`` of one location in a tiny flow: deadline 3 s, retried after ``delays``."""
    from prefect import flow

    from flows import tasks

    limits = PullLimits(timeout=5, deadline=3)

    @flow(name="test-pull-deadline")
    def pulling() -> list[PullResult]:
        location = Location("6204", "ppid", url)
        return tasks.pull_sources([location], tmp_path / "landing", limits, delays)

    [result] = pulling()
    return result
