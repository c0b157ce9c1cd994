"""Progress of a run on stderr: readable lines on a terminal, JSON lines otherwise."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO


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
