"""The spreadsheet reader, run in a child process with a memory limit: when it fails in a way
no guard foresaw (calamine aborts the whole process when an allocation fails), one file is
lost, never the run. Each reading thread keeps one child, started once and reused; a child
is a daemon, ended with the process that started it."""

from __future__ import annotations

import multiprocessing
import resource
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from sources.sheet import FILE_UNREADABLE, ReadError, log, size_text
from sources.xlsxzip import unreadable_xlsx

T = TypeVar("T")
_children = threading.local()  # this thread's child: (memory limit, process, connection)
_no_child = False  # this process can have none: a daemon (``_started``)
_MINUTES = 10  # the longest a file may take the reader (the largest the limits admit: 17 s)
_STARTING, _READY = 120, "siap"  # seconds a child may take to start; what it then says


def in_child(memory: int, work: Callable[..., T | str], *args: Any) -> T:
    """``work(*args)`` in this thread's child process, whose address space is limited to
    ``memory`` bytes. ``work`` returns a text when the reader refuses the file (the child's
    own exception types need not travel). Where there can be no child (``_started``), the
    work runs here."""
    child = getattr(_children, "child", None)
    if child is None or child[0] != memory or not child[1].is_alive():
        child = _children.child = None if _no_child else _started(memory)
    if child is None:
        result = work(*args)
    else:
        try:
            child[2].send((work, args))
            if not child[2].poll(_MINUTES * 60):  # no reading of a file within the limits
                child[1].kill()  # takes that long: it would never end
                raise EOFError
            result = child[2].recv()
        except (EOFError, OSError) as exc:  # the child died: the next file gets a new one
            child[1].join(5)
            _children.child = None
            raise ReadError(
                FILE_UNREADABLE,
                "pembaca XLSX berhenti mendadak saat membuka file ini (memori melebihi "
                f"{size_text(memory)}, IKU_MAX_XLSX_MEMORY_BYTES, atau tidak selesai dalam "
                f"{_MINUTES} menit, atau file rusak); ekspor ulang dari aplikasi sumber, pecah "
                "file, atau simpan sebagai .csv",
            ) from exc
    if isinstance(result, str):
        raise unreadable_xlsx(ValueError(result))
    return result


def _started(memory: int) -> tuple[int, multiprocessing.process.BaseProcess, Connection] | None:
    """A child, ready; None where there can be none: in a daemon process (a Dask worker),
    or when it does not start (a parent run from standard input, whose main module a child
    cannot import): then the work runs in this process, as it did before children."""
    global _no_child
    if multiprocessing.current_process().daemon:
        _no_child = True
        return None
    # forkserver: a fork of this process, whose other threads may hold locks, could hang.
    # The server imports the reader once; each child is a fork of it, ready at once.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["__main__", "sources.xlsx", "pyarrow"])
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, memory), daemon=True)
    try:
        process.start()
        theirs.close()
        if ours.poll(_STARTING) and ours.recv() == _READY:
            return memory, process, ours
    except Exception:  # the process could not start, or died starting: logged just below
        pass
    log.warning("proses anak pembaca XLSX tidak dapat dimulai; XLSX dibaca di proses ini")
    if process.is_alive():
        process.kill()
    return None


def _serve(connection: Connection, memory: int) -> None:
    """(The child.) Runs each work sent until the parent closes its end."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)  # (a limit set from outside stands)
    memory = memory if hard == resource.RLIM_INFINITY else min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
    connection.send(_READY)
    while True:
        try:
            work, args = connection.recv()
        except EOFError:
            return
        connection.send(work(*args))
