"""flows.progress: readable lines and a bar per source on a terminal, JSON lines elsewhere."""

from __future__ import annotations

import io
import json
import threading
import time

from flows.progress import Progress


def test_a_terminal_gets_a_bar_per_source_with_files_and_rows() -> None:
    stream = io.StringIO()
    progress = Progress(stream, machine=False)
    with progress.reading():
        read = progress.source("siakba", 3)
        assert read is not None
        read(2, 2000)  # the files and rows of one part, then of another
        read(1, 34)
        progress.say("source", "   siakba: 3 file (0 ditolak)")
    shown = stream.getvalue()
    assert "siakba" in shown and "3/3" in shown and "2.034 baris" in shown
    assert "   siakba: 3 file (0 ditolak)" in shown
    assert progress.source("ppid", 1) is None  # no bars once reading is over


def test_elsewhere_no_bars_only_json_lines() -> None:
    stream = io.StringIO()
    progress = Progress(stream, machine=True)
    with progress.reading():
        assert progress.source("siakba", 3) is None
        progress.say("source", "siakba selesai", source="siakba", files=3)
    (line,) = stream.getvalue().splitlines()
    assert json.loads(line) == {
        "event": "source",
        "source": "siakba",
        "files": 3,
        "message": "siakba selesai",
    }


def test_lines_said_from_several_threads_stay_whole() -> None:
    """Sources are read on two threads: each JSON line must come out whole, even on a
    stream that lets other threads run while it writes (as a pipe or a slow terminal does)."""

    class Slow(io.StringIO):
        def write(self, text: str) -> int:
            time.sleep(0)  # gives the other threads their turn in the middle of a line
            return super().write(text)

    stream = Slow()
    progress = Progress(stream, machine=True)

    def say(source: str) -> None:
        for n in range(300):
            progress.say("source", f"{source} {n}", source=source, n=n)

    threads = [threading.Thread(target=say, args=(f"sumber{t}",)) for t in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 6 * 300
    assert all(json.loads(line)["event"] == "source" for line in lines)
