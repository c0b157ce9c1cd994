"""Pull: copy each source's new exports into the landing, the first step of the nightly run.

Where the exports of each source come from (``IKU_PULL_SOURCES``): ``warehouse.locations``.

Limits (:class:`PullLimits`, from the environment by ``Settings.pull_limits``): an
export larger than ``IKU_MAX_FILE_BYTES`` (64 MiB) is refused, from its ``Content-Length``
before it is downloaded or, without one, as soon as more bytes arrive; a listing larger than
``IKU_MAX_LISTING_BYTES`` (5 MiB) is refused; at most ``IKU_MAX_FILES`` (1000) files are taken
from one location, the others are named in a warning; ``IKU_PULL_TIMEOUT`` (30 s) bounds
connecting and each wait for data, and ``IKU_PULL_DEADLINE`` (600 s) one location in all,
its listing, its files and its retries (a server sending a byte now and then; a retry has
what its first attempt left, ``flows.tasks.pull``): past it, the transfer
under way is stopped and reported, the location is not retried (even after a failure that
would be), and the files not reached are named in a warning. The next run takes those after
the other files, and the one stopped last of all (``warehouse.placing.LAST``): one slow file
cannot hold back the others night after night. Downloads are streamed to disk, never held in
memory. Answers are asked for uncompressed (``Accept-Encoding: identity``): one that comes
compressed anyway (``Content-Encoding``) is refused, never inflated (a few KB can inflate to
gigabytes).

Copying. New exports go to ``<landing>/<kode_satker>/<source>/<file name>``, with the file
name URL-decoded (``Register%20PPID.xlsx`` → ``Register PPID.xlsx``); names holding a path
separator or ``..``, hidden names and Office lock files (``~$...``) are refused. A name that
is not UTF-8 (``%E9`` in a link, a Windows-1252 name on a share) is skipped with a warning
(the landing's walk refuses such names), and of different links decoding to the same name
only the first is taken, the others named in a warning (five of a kind, the rest counted).
A name over :data:`MAX_NAME_BYTES` bytes (no room for it, stamped, in the landing) is
refused, not retried. Nothing at the source is changed or deleted. A file whose size and
modification time (an HTTP ``Content-Length`` and ``Last-Modified``) are those of a version of
it already in the landing that landed at least an hour after its source last changed
(``warehouse.placing.SETTLED_NS``) is that version: it is not downloaded or copied again, so
a night with nothing new downloads only the listing (each file is asked for, its body not
read). A version landed sooner is checked by its bytes: a source rewritten within the same
second keeps its size and time.
Each file is written to a temporary ``.pull-*.part`` file in the target folder (the landing
scan ignores names starting with a dot), flushed to disk, then renamed into place: a run
killed mid-download leaves no partial export under a real name, and its stray temporary
file is removed by a later pull. A ``<kode_satker>`` or
``<source>`` folder of the landing that is a symbolic link or not a folder is not pulled into
(the landing's walk would never load what went there): reported, not retried. Then:

- the same bytes already in the landing under that name (or a kept older version of it):
  unchanged, nothing is written;
- other bytes under a name already in the landing (the source re-exported under the same
  name): the old file stays and the new one is written as ``<stem> (<UTC YYYYmmddTHHMMSS>)
  <suffix>``, so nothing is lost;
- the modification time is the HTTP ``Last-Modified`` of the download when the server sends
  one (local copies keep theirs): the warehouse lets the newest export win by it. Other bytes
  at the time of a version already there (a server that keeps its Last-Modified, a share
  with 2-second times) take a millisecond after the newest version of their name: their
  stamped name would otherwise lose the tie to the older plain one.

Failures. :func:`pull_location` makes one attempt and never retries. A failure another
attempt may fix (network, timeout, HTTP 5xx/408/425/429, an interrupted download, a share not
mounted) raises :class:`PullError` with ``retryable`` set; a failure that would fail again the
same way (HTTP 404/403/401, a refused redirect, an invalid certificate, a file over the size
limit) is returned in :attr:`PullResult.error` at once. One failing file does not stop the
other files of the location. What was left out on purpose (a link, past a limit) is a
warning (:attr:`PullResult.warnings`), apart from what failed: the pull itself went through.
Retrying is Prefect's job: the ``pull`` task of ``flows/tasks.py`` has retries with
:func:`retry_transient` as its ``retry_condition_fn``.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sources import personal
from warehouse import escape
from warehouse.landing import NotRegular, open_regular, shown_name, utf8_name
from warehouse.locations import local_folder
from warehouse.placing import (
    LAST,
    fetch_and_place,
    in_turn,
    landed_versions,
    remember_last,
    remove_stale_temps,
)

if TYPE_CHECKING:
    from prefect.states import State

from warehouse.remote import Http
from warehouse.transfer import (
    Fetch,
    Location,
    PullError,
    PullLimits,
    clipped,
    described,
    is_export_file_name,
    read_chunks,
    write_chunks,
)

FAILURES_SHOWN = 5
# A file name in the landing: 255 bytes on Linux file systems, less room for the stamp of a
# re-export kept beside the old one, " (20250301T000000-2)".
MAX_NAME_BYTES = 255 - len(" (20250301T000000-99)")
DEFAULT_LIMITS = PullLimits()


@dataclass
class PullResult:
    """What pulling one location did."""

    location: Location
    copied: list[str]  # file names newly written into the landing
    unchanged: list[str]  # already in the landing: same size and time, or identical bytes
    error: str | None  # Indonesian message: what could not be pulled (the location, files)
    # links or files left out on purpose, each named (a symlink, a name that is not UTF-8,
    # past IKU_MAX_FILES): the pull itself went through
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One inert line for the run's progress, on stderr and in the Prefect UI (file names
        and URLs from the source are quoted by ``escape.plain``, personal data in them masked
        as in ``dq.issues``)."""
        where = f"{self.location.kode_satker}/{self.location.source}"
        if self.error:
            line = f"tarik {where}: GAGAL ({escape.plain(personal.masked(self.error))})"
        else:
            line = f"tarik {where}: {len(self.copied)} file baru, {len(self.unchanged)} sama"
        if self.warnings:
            line += f"; peringatan: {escape.plain(personal.masked('; '.join(self.warnings)))}"
        return line

    @classmethod
    def failed(cls, location: Location, exc: PullError) -> PullResult:
        """The result of a pull that ended in ``exc``."""
        return cls(location, exc.copied, [], str(exc), exc.warnings)


def retry_transient(task: object, task_run: object, state: State[Any]) -> bool:
    """Prefect ``retry_condition_fn``: retry a task only after a retryable :class:`PullError`."""
    return isinstance(state.data, PullError) and state.data.retryable


# --- Pulling -------------------------------------------------------------------------------


def pull_location(
    location: Location,
    landing: Path,
    limits: PullLimits = DEFAULT_LIMITS,
    end: float | None = None,
) -> PullResult:
    """One attempt at one location; raises :class:`PullError` only when a retry may help.
    ``end``: the ``time.monotonic`` by which the location must be done, that of its first
    attempt for a retry (``IKU_PULL_DEADLINE`` is for all its attempts); by default the
    deadline from now."""
    folder = landing / location.kode_satker / location.source
    end = time.monotonic() + limits.deadline if end is None else end
    try:
        _check_target(landing, location)
        remove_stale_temps(folder)
        local = local_folder(location.url)
        if local is not None:
            return _pull_folder(location, local, folder, limits, end)
        with Http(location.url, limits, end) as http:
            items = http.items()
            return _take(location, folder, items, limits, end, http.notes)
    except PullError as exc:
        if exc.retryable:
            raise
        return PullResult.failed(location, exc)
    except OSError as exc:  # the landing itself: not writable, disk full, ...
        raise PullError(f"landing {folder}: {exc}") from exc
    except Exception as exc:  # unforeseen: reported, never stops the other sources
        return PullResult(location, [], [], f"kesalahan tak terduga: {described(exc)}")


def _check_target(landing: Path, location: Location) -> None:
    """The satker and source folders of the landing, where they exist, are real folders: a
    symbolic link there would take the pull's files out of the landing (whose walk does not
    follow links), where they are never loaded."""
    folder = landing
    for part in (location.kode_satker, location.source):
        folder = folder / part
        try:
            mode = folder.lstat().st_mode
        except FileNotFoundError:
            return
        if not stat.S_ISDIR(mode):
            kind = "tautan simbolik" if stat.S_ISLNK(mode) else "bukan folder"
            raise PullError(f"landing {folder}: {kind}, tidak ditarik ke sana", retryable=False)


def _pull_folder(
    location: Location, source: Path, folder: Path, limits: PullLimits, end: float
) -> PullResult:
    if not source.is_dir():
        raise PullError(f"folder sumber {source} tidak ada atau tidak dapat dibuka")
    if source.resolve() == folder.resolve():  # the landing itself: nothing to pull
        return PullResult(location, [], [], None)
    try:
        with os.scandir(source) as scan:
            entries = sorted((e for e in scan if is_export_file_name(e.name)), key=lambda e: e.name)
            links = [e.name for e in entries if e.is_symlink()]
            files = [e.name for e in entries if e.is_file(follow_symlinks=False)]
    except OSError as exc:
        raise PullError(f"folder sumber {source} tidak dapat dibaca: {exc}") from exc
    notes = [f"{name} tautan simbolik, tidak diikuti" for name in links]
    items = [(name, _copier(source / name, limits, end)) for name in files]
    return _take(location, folder, items, limits, end, notes)


def _copier(path: Path, limits: PullLimits, end: float) -> Fetch:
    def fetch(tmp: Path, known: set[tuple[int, int]]) -> bool:
        try:  # a file swapped since the listing for a symlink is not followed, for a pipe
            source = open_regular(path)  # does not block
        except NotRegular:
            raise PullError(f"{path.name}: bukan file biasa", retryable=False) from None
        except OSError as exc:
            raise PullError(f"{path.name}: tidak dapat dibuka: {exc}") from exc
        with source:
            info = os.fstat(source.fileno())
            if (info.st_size, info.st_mtime_ns) in known:  # a version landed: not copied
                return False
            chunks = read_chunks(source, path.name)
            write_chunks(chunks, tmp, path.name, info.st_size, limits, end)
        os.utime(tmp, ns=(info.st_atime_ns, info.st_mtime_ns))  # keeps the modification time
        return True

    return fetch


def _take(
    location: Location,
    folder: Path,
    items: list[tuple[str, Fetch]],
    limits: PullLimits,
    end: float,
    notes: Iterable[str] = (),
) -> PullResult:
    """Fetch and place every file; the others go on when one fails. The files the deadline
    cut off last time go last (``placing.LAST``): one slow file cannot hold back the others
    night after night."""
    # A listing may hold thousands of links left out (a name given by other links first):
    # the first few are named, the others counted, as failures are.
    shown_notes = _at_most(list(notes), "dan {} tautan lain, tidak ditarik")
    result = PullResult(location, [], [], None, warnings=shown_notes)
    warnings = result.warnings
    if len(items) > limits.max_files:
        left = [name for name, _ in items[limits.max_files :]]
        warnings.append(
            f"{len(left)} file lain tidak ditarik ({_named(left)}): lebih dari batas "
            f"{limits.max_files} file per lokasi (IKU_MAX_FILES)"
        )
        items = items[: limits.max_files]
    if not items:
        return result
    folder.mkdir(parents=True, exist_ok=True)
    items = in_turn(items, folder / LAST)
    landed = landed_versions(folder)
    failures: list[str] = []
    retryable = False
    # For the deadline: not got to, and the transfer it stopped (last of all next time).
    unreached: list[str] = []
    stopped: list[str] = []
    not_utf8: list[str] = []
    for index, (name, fetch) in enumerate(items):
        if time.monotonic() > end:
            unreached = [name for name, _ in items[index:]]
            warnings.append(
                f"{len(unreached)} file lain tidak ditarik ({_named(unreached)}): penarikan "
                f"lokasi ini melewati {limits.deadline:g} detik (IKU_PULL_DEADLINE); dicoba lagi "
                "pada run berikutnya"
            )
            break
        if not utf8_name(name):  # the landing's walk refuses it: it would never be loaded
            not_utf8.append(f"{clipped(shown_name(name))} nama file bukan UTF-8, tidak ditarik")
            continue
        if len(name.encode()) > MAX_NAME_BYTES:  # would fail the same way every night
            too_long = f"nama file lebih dari {MAX_NAME_BYTES} byte, tidak ditarik"
            failures.append(f"{clipped(name)}: {too_long}")
            continue
        try:
            placed = fetch_and_place(folder, name, fetch, landed.get(name, []))
        except PullError as exc:
            failures.append(str(exc))
            retryable = retryable or exc.retryable
            if time.monotonic() > end:
                stopped.append(name)
            continue
        except OSError as exc:  # writing into the landing
            failures.append(f"{name}: tidak dapat ditulis ke landing: {exc}")
            retryable = True
            continue
        except Exception as exc:  # unforeseen, from what one answer held: that file only
            failures.append(f"{name}: kesalahan tak terduga: {described(exc)}")
            continue
        if placed is None:
            result.unchanged.append(name)
        else:
            result.copied.append(placed)
    remember_last(folder / LAST, unreached + stopped)
    warnings += _at_most(not_utf8, "dan {} file lain bernama bukan UTF-8, tidak ditarik")
    message = "; ".join(_at_most(failures, "dan {} file lain"))
    # Past the deadline the location is not retried, whatever failed before: another attempt
    # would most likely overrun again, each one holding up the run as long.
    if failures and retryable and time.monotonic() <= end:
        raise PullError(message, copied=result.copied, warnings=warnings)
    result.error = message or None
    return result


def _at_most(lines: list[str], more: str) -> list[str]:
    """The first :data:`FAILURES_SHOWN` of ``lines``, then ``more`` with how many others."""
    if len(lines) <= FAILURES_SHOWN:
        return lines
    return [*lines[:FAILURES_SHOWN], more.format(len(lines) - FAILURES_SHOWN)]


def _named(names: list[str]) -> str:
    shown = ", ".join(clipped(shown_name(name)) for name in names[:FAILURES_SHOWN])
    more = len(names) - FAILURES_SHOWN
    return shown + (f" dan {more} lain" if more > 0 else "")
