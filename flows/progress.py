"""Progress of a run on stderr (readable lines on a terminal, JSON lines otherwise), and in
the run's log: the flow run's logs in the Prefect UI, and ``<warehouse>/logs/iku.log``."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any, TextIO

from prefect.exceptions import MissingContextError
from prefect.logging import get_run_logger


def _run_log() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    try:
        return get_run_logger()
    except MissingContextError:  # outside a flow run
        return logging.getLogger("iku")


class Progress:
    def __init__(self, stream: TextIO | None = None, machine: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.machine = (not self.stream.isatty()) if machine is None else machine

    def say(self, event: str, text: str, **fields: Any) -> None:
        """One step of the run: ``text`` for people, ``event`` and ``fields`` for machines."""
        if self.machine:
            line = json.dumps(
                {"event": event, **fields, "message": text}, ensure_ascii=False, default=str
            )
        else:
            line = text
        print(line, file=self.stream, flush=True)
        _run_log().info(text)
