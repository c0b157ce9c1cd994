"""Placing what a pull fetched into a folder of the landing (``warehouse.pull``): the
versions of a file name already there and which of them the size-and-time check trusts, the
stamped name of a re-export kept beside the old one, the note of the files to take last,
and the temporary files a killed run left.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from warehouse.history import fsync_path, sha256_of
from warehouse.landing import open_regular
from warehouse.transfer import Fetch

TEMP_PREFIX = ".pull-"
STALE_TEMP_SECONDS = 3600  # a temporary file this old is left over from a killed run
# In a landing source folder (hidden: not an export), the names the last pull did not get to
# for its deadline, taken last by the next pull, in that order.
LAST = ".pull-last.json"
# A version in the landing is taken as its source's still (same size and modification time)
# only if it landed this long after the source last changed: a source rewritten within the
# same second (or the 2 s of a FAT share), or on a clock behind ours, keeps its time.
SETTLED_NS = 3600 * 10**9
# What a new version of a name gets after the time of the newest one when their times tie
# (``_place``): a millisecond, which every later reader of a file's time keeps.
TIE_NS = 10**6
# A version of ``<stem><suffix>`` kept beside it: ``<stem> (<UTC YYYYmmddTHHMMSS>[-n])<suffix>``.
_STAMPED = re.compile(r"(?P<stem>.*) \(\d{8}T\d{6}(?:-\d+)?\)(?P<suffix>(?:\.[^.]*)?)", re.S)


def in_turn(items: list[tuple[str, Fetch]], last: Path) -> list[tuple[str, Fetch]]:
    """``items`` in their order, but those named in ``last`` after the others, in its
    order. An unreadable ``last`` (a hint only) changes nothing, nor one nested too deep
    for the JSON parser (``[[[[...``: RecursionError)."""
    try:
        with open_regular(last) as handle:
            names = json.loads(handle.read(1 << 20))
    except (OSError, ValueError, RecursionError):
        names = []
    if not isinstance(names, list):
        names = []
    rank = {name: i for i, name in enumerate(names) if isinstance(name, str)}
    return sorted(items, key=lambda item: rank.get(item[0], -1))


def remember_last(last: Path, names: list[str]) -> None:
    """``names`` into ``last`` for the next pull (written whole, then renamed into place);
    none: ``last`` removed. A hint only: failing to write it fails nothing."""
    with contextlib.suppress(OSError):
        if not names:
            last.unlink(missing_ok=True)
            return
        temp = _temporary(last.parent)
        temp.write_text(json.dumps(names), encoding="utf-8")
        os.replace(temp, last)


def _temporary(folder: Path) -> Path:
    """A new empty temporary file in ``folder``, with the mode any new file gets there (the
    umask's: ``tempfile`` would make it readable by its owner only, and so every export the
    pull lands)."""
    path = folder / f"{TEMP_PREFIX}{uuid.uuid4().hex}.part"
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    return path


def fetch_and_place(folder: Path, name: str, fetch: Fetch, versions: list[Path]) -> str | None:
    """The name written into ``folder``; None when one of ``versions`` (of ``name`` there:
    :func:`landed_versions`) has the source's size and modification time and landed well
    after it (:data:`SETTLED_NS`), or has the same bytes."""
    known = {
        (info.st_size, info.st_mtime_ns)
        for info in map(os.stat, versions)
        if info.st_ctime_ns - info.st_mtime_ns >= SETTLED_NS  # ctime: when it landed
    }
    tmp = _temporary(folder)
    try:
        if not fetch(tmp, known):
            return None
        fsync_path(tmp)
        return _place(tmp, name, folder, versions)
    finally:
        tmp.unlink(missing_ok=True)  # not placed (renamed into place, it is gone already)


def _place(tmp: Path, name: str, folder: Path, versions: list[Path]) -> str | None:
    new = tmp.stat()
    sha = sha256_of(tmp)
    times = [path.stat().st_mtime_ns for path in versions]
    # At the time of a version already landed (a server that keeps its Last-Modified, a share
    # with 2-second times), bytes that are not the newest version's are yet the newest: they
    # take the time just after the newest version (a stamped name ranks before the plain
    # one when times tie, SPEC §2). A time no version holds is kept as it is.
    tied = new.st_mtime_ns in times
    after = max(times, default=0) + TIE_NS
    for existing, mtime in zip(versions, times, strict=True):
        old = existing.stat()
        if new.st_size == old.st_size and sha256_of(existing) == sha:
            # Its source still (landed again, now: its ctime), or restored to these bytes
            # later: the version takes the newer time, so that its rows are the newest again.
            newest = mtime == max(times)
            when = after if tied and not newest else max(mtime, new.st_mtime_ns)
            os.utime(existing, ns=(old.st_atime_ns, when))
            return None
    target = folder / name
    if target.exists():  # re-exported under the same name: keep the old one too
        target = _stamped(folder, name)
        if tied:
            os.utime(tmp, ns=(new.st_atime_ns, after))
    os.replace(tmp, target)
    return target.name


def landed_versions(folder: Path) -> dict[str, list[Path]]:
    """Every file name in ``folder`` with its versions: the file of that name, then those
    kept under its stamped name (``<stem> (<stamp>)<suffix>``) in name order. Read once per
    pull, not once per file. Regular files only: a symbolic link there is no version (the
    landing's walk does not follow it: its target is never loaded), and is never read or
    touched through."""
    found: dict[str, list[Path]] = {}
    with os.scandir(folder) as scan:
        entries = sorted(e.name for e in scan if e.is_file(follow_symlinks=False))
    for name in entries:  # a stamped name sorts before its own: " (" before "."
        found.setdefault(name, []).insert(0, folder / name)
        match = _STAMPED.fullmatch(name)
        if match and _split(base := match["stem"] + match["suffix"]) == match.group(1, 2):
            found.setdefault(base, []).append(folder / name)
    return found


def _stamped(folder: Path, name: str) -> Path:
    stem, suffix = _split(name)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = folder / f"{stem} ({stamp}){suffix}"
    n = 2
    while target.exists():  # re-exported twice within a second
        target = folder / f"{stem} ({stamp}-{n}){suffix}"
        n += 1
    return target


def _split(name: str) -> tuple[str, str]:
    path = Path(name)
    return path.stem, path.suffix


def remove_stale_temps(folder: Path) -> None:
    """Temporary files left by a run killed mid-download (no folder yet: ``glob`` finds none)."""
    limit = time.time() - STALE_TEMP_SECONDS
    for path in folder.glob(f"{TEMP_PREFIX}*.part"):
        with contextlib.suppress(OSError):
            if path.stat().st_ctime < limit:  # ctime: the mtime is set from Last-Modified
                path.unlink()
