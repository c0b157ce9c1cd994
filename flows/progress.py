"""Progress of a run on stderr (readable lines on a terminal, JSON lines otherwise), and in
the run's log: the flow run's logs in the Prefect UI, and ``<warehouse>/logs/iku.log``."""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import rich.console
import rich.progress
from prefect.exceptions import MissingContextError
from prefect.logging import get_run_logger

from sources.indonesian import bilangan


def _run_log() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    try:
        return get_run_logger()
    except MissingContextError:  # outside a flow run
        return logging.getLogger("iku")


class Progress:
    def __init__(self, stream: TextIO | None = None, machine: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.machine = (not self.stream.isatty()) if machine is None else machine
        self._bars: rich.progress.Progress | None = None
        # Sources are read on two threads: each line is written whole, one at a time (a
        # JSON line split by another is two broken lines for whatever reads them).
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        """Sent to a Dask worker: it reports on its own stderr, in the same style."""
        return {"machine": self.machine}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(machine=state["machine"])  # type: ignore[misc]

    def say(self, event: str, text: str, **fields: Any) -> None:
        """One step of the run: ``text`` for people, ``event`` and ``fields`` for machines."""
        if self.machine:
            line = json.dumps(
                {"event": event, **fields, "message": text}, ensure_ascii=False, default=str
            )
        else:
            line = text
        with self._lock:
            if self._bars is not None:  # above the bars, which stay at the bottom
                self._bars.console.print(line, markup=False, highlight=False)
            else:
                self.stream.write(line + "\n")
                self.stream.flush()
        _run_log().info(text)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """While the sources are read: on a terminal, a bar per source (files and rows read,
        time left); elsewhere nothing (the JSON lines say each source once it is done)."""
        if self.machine:
            yield
            return
        console = rich.console.Console(file=self.stream, force_terminal=True)
        self._bars = rich.progress.Progress(
            rich.progress.TextColumn("{task.description:>9}"),
            rich.progress.BarColumn(),
            rich.progress.MofNCompleteColumn(),
            rich.progress.TextColumn("file, {task.fields[baris]} baris"),
            rich.progress.TimeRemainingColumn(),
            console=console,
        )
        try:
            with self._bars:
                yield
        finally:
            self._bars = None

    def source(self, name: str, files: int) -> Callable[[int, int], None] | None:
        """A bar for one source of ``files`` exports; call what it returns with the files
        and rows of each part read. None when there are no bars."""
        bars = self._bars
        if bars is None:
            return None
        task = bars.add_task(name, total=files, baris="0")
        counted = [0]

        def read(files: int, rows: int) -> None:
            counted[0] += rows
            bars.update(task, advance=files, baris=bilangan(counted[0]))

        return read
