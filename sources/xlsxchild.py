"""The spreadsheet reader, run in a child process with a memory limit: when it fails in a way
no guard foresaw (calamine aborts the whole process when an allocation fails), one file is
lost, never the run. Each reading thread keeps one child, started once and reused: a new
Python (``python -m sources.xlsxchild``) in a session of its own, so that neither Ctrl+C
nor the parent's main module reaches it; it ends when its parent closes its input, and no
work may take it more than ``_SECONDS`` of CPU."""

from __future__ import annotations

import os
import pickle
import resource
import select
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeVar

from sources.sheet import FILE_UNREADABLE, ReadError, first_line, log, size_text
from sources.xlsxzip import unreadable_xlsx

T = TypeVar("T")
_SECONDS = 600  # the longest one work may take (the largest file the limits admit: 17 s)
_STARTING = 120  # seconds a child may take to start
_READY, _DONE = "siap", "selesai"  # what a child says when it starts, and with an answer
# Address space the child reserves and never uses counts against its limit: one thread of
# polars (the reader is one thread anyway) and two malloc arenas, not one per core.
_LEAN = {"POLARS_MAX_THREADS": "1", "MALLOC_ARENA_MAX": "2"}


class _Child(NamedTuple):
    memory: int  # its address-space limit
    pid: int  # of the process that started it (a fork of that one has none)
    process: subprocess.Popen[bytes]


_children = threading.local()  # this thread's child


def in_child(memory: int, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` in this thread's child, whose address space is limited to ``memory``
    bytes; an exception of ``work`` means the reader refused the file. Where no child
    starts, the work runs here, as it did before children."""
    child = getattr(_children, "child", None)
    if (
        child is None
        or (child.memory, child.pid) != (memory, os.getpid())
        or child.process.poll() is not None  # it died between two files: not this one's doing
    ):
        child = _children.child = _started(memory)
    if child is None:
        try:
            return work(*args)
        except Exception as exc:  # calamine raises its own types
            raise unreadable_xlsx(exc) from exc
    process = child.process
    try:
        _send(process.stdin, (work, args))
        outcome, value = _answer(process, _SECONDS)
    except BaseException as exc:  # the child is out of step, or dead: never used again
        process.kill()
        process.wait()
        _children.child = None
        if not isinstance(exc, EOFError | OSError | pickle.UnpicklingError):
            raise  # (Ctrl+C, and the like: not the file's doing)
        raise ReadError(FILE_UNREADABLE, _ended(exc, memory)) from exc
    if outcome != _DONE:
        raise unreadable_xlsx(ValueError(value))
    return value


def _ended(exc: BaseException, memory: int) -> str:
    if isinstance(exc, TimeoutError):
        return (
            f"pembaca XLSX tidak selesai membaca file ini dalam {_SECONDS // 60} menit; "
            "periksa file di aplikasi sumber, pecah file, atau simpan sebagai .csv"
        )
    return (
        "pembaca XLSX berhenti mendadak saat membuka file ini (memori melebihi "
        f"{size_text(memory)}, IKU_MAX_XLSX_MEMORY_BYTES, atau file rusak); ekspor ulang "
        "dari aplikasi sumber, pecah file, atau simpan sebagai .csv"
    )


def _started(memory: int) -> _Child | None:
    """A child that said it is ready, or None (logged)."""
    root = str(Path(__file__).resolve().parents[1])  # where ``sources`` is
    path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "sources.xlsxchild", str(memory)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True,
            env={**os.environ, "PYTHONPATH": path, **_LEAN},
        )  # fmt: skip
    except OSError as exc:
        log.warning("proses anak pembaca XLSX tidak dapat dimulai (%s); XLSX dibaca di sini", exc)
        return None
    try:
        if _answer(process, _STARTING) == _READY:
            return _Child(memory, os.getpid(), process)
    except (EOFError, OSError, pickle.UnpicklingError):
        pass
    log.warning("proses anak pembaca XLSX tidak siap; XLSX dibaca di proses ini")
    process.kill()
    process.wait()
    return None


def _answer(process: subprocess.Popen[bytes], seconds: float) -> Any:
    """What the child says next, within ``seconds`` (TimeoutError)."""
    assert process.stdout is not None
    if not select.select([process.stdout], [], [], seconds)[0]:
        raise TimeoutError
    return pickle.load(process.stdout)


def _send(stream: IO[bytes] | None, message: object) -> None:
    assert stream is not None
    pickle.dump(message, stream, pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _serve(memory: int) -> None:
    """(The child.) Runs each work sent until its input ends."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)  # (a limit set from outside stands)
    limit = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    answers, sys.stdout = sys.stdout.buffer, sys.stderr  # nothing printed joins the answers
    import sources.xlsx  # noqa: F401  (what the work needs, before saying it is ready)

    _send(answers, _READY)
    while True:
        try:
            work, args = pickle.load(sys.stdin.buffer)
        except EOFError:
            return
        used = resource.getrusage(resource.RUSAGE_SELF)
        cpu = int(used.ru_utime + used.ru_stime) + _SECONDS  # (the parent may be gone)
        _, most = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (cpu if most < 0 else min(cpu, most), most))
        try:
            answer = (_DONE, work(*args))
        except BaseException as exc:  # calamine's own types; a Rust panic is no Exception
            answer = ("refused", first_line(exc))
        _send(answers, answer)


if __name__ == "__main__":
    _serve(int(sys.argv[1]))
