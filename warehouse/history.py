"""History: every export that lands is kept unchanged, addressed by its sha256.

Layout under ``<warehouse>/history/``::

    <kode_satker>/<source>/<sha256>.<csv|xlsx>    the bytes exactly as they landed
    <kode_satker>/<source>/<sha256>.json          when, from where, under which name
    landing.json                                  the sha256 of each landing file last seen

The file system is the catalogue: an export is in the history once its ``.json`` exists.
Both files are written to a temporary name and renamed into place, so a run killed at any
moment leaves either a complete entry or none (a stray temporary file is ignored and
replaced on the next run). Identical bytes are stored once and skipped afterwards.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sources import SOURCES
from sources.personal import masked
from sources.sheet import FILE_TOO_LARGE, FILE_UNREADABLE, FORMAT_UNSUPPORTED, size_text
from warehouse.disk import disk_problem
from warehouse.landing import (
    MISPLACED,
    SATKER,
    SUPPORTED,
    LandingProblem,
    landing_files,
    open_regular,
)

LANDING_DIGESTS = "landing.json"  # in the history folder
# A file's digest is trusted without reading it again only when it was last changed this long
# before it was read: a change after the read then gives it a newer time, even on file systems
# that keep times to the second or two (as git does with entries it calls racily clean).
SETTLED_NS = 3 * 10**9
UNSETTLED = "belum_tetap"  # after the digest of a file not known by its times next run
# A modification time further ahead than this is a wrong clock (of the office PC, or of the
# share): the file counts as changed when it landed, and a warning says so.
FUTURE_SLACK_S = 24 * 3600
MODIFIED_LATER = "waktu_ubah_di_masa_depan"
# An export the warehouse's disk would not take (full, read-only): the file is sound, it stays
# in the landing, and the next run with room takes it. Not ``file_tidak_terbaca``: that
# sends the admin to fix an export that has nothing wrong with it.
NOT_KEPT = "ekspor_belum_disimpan"
FUTURE = (
    "waktu ubah file ini di masa depan (jam komputer atau share yang salah): dianggap diubah "
    "saat masuk, agar tidak menutupi ekspor yang lebih baru"
)


@dataclass(frozen=True)
class Export:
    """One export kept in the history."""

    kode_satker: str
    source: str
    sha256: str
    file_name: str  # the name it landed under; from ``kept``, as published (``published_name``)
    suffix: str  # ".csv" or ".xlsx", lower case
    origin: str  # where it was found: the landing path or the URL it was pulled from
    modified_at: str  # ISO time (UTC) of the file's modification time when it landed
    landed_at: str  # ISO time (UTC) it entered the history
    size: int

    def path(self, history: Path) -> Path:
        return history / self.kode_satker / self.source / f"{self.sha256}{self.suffix}"

    @property
    def modified(self) -> datetime:
        return datetime.fromisoformat(self.modified_at)

    @property
    def landed(self) -> datetime:
        return datetime.fromisoformat(self.landed_at)


@dataclass
class LandingReport:
    new: list[Export] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # landing paths whose bytes are known
    problems: list[LandingProblem] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _digest_of(handle: io.BufferedReader, known: list[Any] | None) -> tuple[str, list[Any]]:
    """The sha256 of an open landing file, and what to remember of it: its size, times and
    inode with the digest, and ``UNSETTLED`` after them when it changed too recently (or
    while it was read) to be known by them next time. ``known``: what was remembered of it,
    read again only if it changed or was unsettled."""
    stamp = _stamp(os.fstat(handle.fileno()))
    if isinstance(known, list) and len(known) == 5 and known[:4] == stamp:
        return str(known[4]), known
    sha = hashlib.file_digest(handle, "sha256").hexdigest()
    after = os.fstat(handle.fileno())
    settled = time.time_ns() - max(after.st_mtime_ns, after.st_ctime_ns) > SETTLED_NS
    return sha, [*stamp, sha] if settled and _stamp(after) == stamp else [*stamp, sha, UNSETTLED]


def _same_version(before: list[Any] | None, now: list[Any]) -> bool:
    """Whether a landing file holds the bytes and modification time it held when a run last
    read it: the same version of the export, which lands only once. A file whose time is
    ahead of the clock is never settled (its time is always "just now"), yet it must not
    count as changed at every run, or it would stay newer than every export landed after."""
    return (
        isinstance(before, list) and len(before) >= 5 and [before[1], before[4]] == [now[1], now[4]]
    )


def _modified(mtime: float, now: datetime) -> datetime:
    """A file's modification time, no later than ``now`` (when it lands): a later one, or
    one no datetime can hold (a share may store year 11476), is a wrong clock."""
    try:
        return min(datetime.fromtimestamp(mtime, UTC), now)
    except (OverflowError, OSError, ValueError):
        return now if mtime > 0 else datetime(1, 1, 1, tzinfo=UTC)


def _stamp(info: os.stat_result) -> list[Any]:
    """What tells a file changed without reading it: its size, times and inode."""
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def fsync_path(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(target: Path, write: Callable[[BinaryIO], object], durable: bool = True) -> None:
    """Write through a temporary file in the same folder, fsync (unless not ``durable``: a
    cache, whose entry lost to a crash is only made again), then rename into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(
    target: Path, value: object, durable: bool = True, indent: int | None = None
) -> None:
    """``value`` as JSON, written by ``atomic_write`` (a value JSON lacks, such as a date, as
    its text)."""
    body = json.dumps(value, indent=indent, ensure_ascii=False, default=str).encode()
    atomic_write(target, lambda handle: handle.write(body), durable)


def read_json(path: Path) -> dict[str, Any] | None:
    """The JSON object ``path`` holds; None when it is missing, damaged or not an object."""
    try:
        found = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def published_name(name: str, sha256: str) -> str:
    """A file name as the database and the alerts show it: personal data in it masked (SPEC
    §5: "register Budi 0812….csv"), and then the start of its sha256 after it, so that two
    names so masked stay apart. The landing keeps the name itself (``Export.origin``)."""
    shown = masked(name)
    return name if shown == name else f"{shown} [{sha256[:8]}]"


def _restate(entry: Path, path: Path, origin: str, modified: datetime, now: datetime) -> None:
    """The kept export of ``entry`` restated by ``path``, a file of the same bytes: a newer
    one (ties: a later name) makes them the newest snapshot, under its name and time. (An
    export restored from an older one must win over those between them.) The same name and
    time make it landed again, now: the version under that name, over one that overwrote it
    with its time kept and landed in between."""
    try:
        export = Export(**(read_json(entry) or {}))
        order = (modified, path.name), (export.modified, export.file_name)
    except (TypeError, ValueError):  # damaged: set aside by ``kept`` and taken again
        return
    if order[0] < order[1] or path.suffix.casefold() != export.suffix:
        return
    landed = now.isoformat() if order[0] == order[1] else export.landed_at
    restated = replace(export, file_name=path.name, origin=origin, landed_at=landed)
    write_json(entry, asdict(replace(restated, modified_at=modified.isoformat())), indent=2)


class History:
    """The exports kept under ``<warehouse>/history``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def entry(self, kode_satker: str, source: str, sha256: str) -> Path:
        return self.root / kode_satker / source / f"{sha256}.json"

    def add(
        self,
        src: BinaryIO,
        path: Path,
        kode_satker: str,
        source: str,
        origin: str,
        sha: str,
        seen: bool = False,
    ) -> Export | None:
        """Keep one open file, ``path``, whose sha256 is ``sha`` (checked again on the copy);
        None when the same bytes are already kept for this satker and source. Those bytes
        are then restated by ``path``, unless ``seen`` (as it is, by an earlier run)."""
        info, now = os.fstat(src.fileno()), datetime.now(UTC)
        entry = self.entry(kode_satker, source, sha)
        if entry.exists():
            if not seen:
                _restate(entry, path, origin, _modified(info.st_mtime, now), now)
            return None
        export = Export(
            kode_satker=kode_satker,
            source=source,
            sha256=sha,
            file_name=path.name,
            suffix=path.suffix.casefold(),
            origin=origin,
            modified_at=_modified(info.st_mtime, now).isoformat(),
            landed_at=now.isoformat(),
            size=info.st_size,
        )
        src.seek(0)
        atomic_write(export.path(self.root), lambda dst: shutil.copyfileobj(src, dst))
        if sha256_of(export.path(self.root)) != sha:
            # The file changed while it was copied (still being written): take it next run.
            export.path(self.root).unlink()
            return None
        try:
            write_json(entry, asdict(export), indent=2)
        except OSError:  # a full disk: the bytes without their entry would only take room
            export.path(self.root).unlink(missing_ok=True)
            raise
        return export

    def land(self, landing: Path, max_file_bytes: int | None = None) -> LandingReport:
        """Take every new export from the landing; the landing itself is never changed.

        Whatever one file is (unreadable, too large, a link, removed while read), it becomes a
        problem of that file; the other files are still taken. A file whose size, times and
        inode are those it had when last read is known by the sha256 it had then
        (``landing.json``): a run with nothing new reads no landing file (1 GB, 2.3 s of a
        run at 514 satkers)."""
        report = LandingReport()
        known, seen = read_json(self.root / LANDING_DIGESTS) or {}, {}
        for found in landing_files(landing):
            if isinstance(found, LandingProblem):
                report.problems.append(found)
                continue
            path, satker, source = found
            shown = str(path.relative_to(landing))
            problem = self._refusal(path, satker, source, max_file_bytes)
            if problem is not None:
                report.problems.append(LandingProblem(shown, *problem))
                continue
            origin = str(path.absolute())
            try:
                with open_regular(path) as handle:
                    sha, stamp = _digest_of(handle, remembered := known.get(origin))
                    as_before = _same_version(remembered, stamp)
                    export = self.add(handle, path, satker, source, origin, sha, as_before)
                    mtime = os.fstat(handle.fileno()).st_mtime
            except OSError as exc:
                report.problems.append(self._unread(shown, exc))
                continue
            if export is None:
                report.unchanged.append(shown)
            else:
                report.new.append(export)
                if mtime > time.time() + FUTURE_SLACK_S:
                    report.problems.append(LandingProblem(shown, FUTURE, MODIFIED_LATER, "warning"))
            if self.entry(satker, source, sha).exists():
                seen[origin] = stamp
        write_json(self.root / LANDING_DIGESTS, seen, durable=False)
        return report

    def _unread(self, shown: str, exc: OSError) -> LandingProblem:
        """The problem of a landing file that could not be taken: unreadable, or refused by
        the disk of the history (then it is no fault of the file's)."""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS):  # no read raises these
            why = disk_problem(exc, self.root.parent)
            text = f"ekspor ini belum disimpan ke riwayat gudang data, file tetap di landing: {why}"
            return LandingProblem(shown, text, NOT_KEPT)
        return LandingProblem(shown, f"file tidak dapat dibaca: {exc.strerror}", FILE_UNREADABLE)

    @staticmethod
    def _refusal(
        path: Path, satker: str, source: str, max_file_bytes: int | None
    ) -> tuple[str, str] | None:
        """Why a landed file is not taken into the history, or None."""
        if not SATKER.match(satker):
            return f"folder satker '{satker}' bukan kode satker (mis. 6204)", MISPLACED
        if source not in SOURCES:
            known = ", ".join(SOURCES)
            return f"folder sumber '{source}' tidak dikenal (yang dikenal: {known})", MISPLACED
        if path.suffix.casefold() not in SUPPORTED:
            return "format file tidak didukung (hanya .csv atau .xlsx)", FORMAT_UNSUPPORTED
        if max_file_bytes is not None:
            try:
                size = path.stat().st_size
            except OSError as exc:
                return f"file tidak dapat dibaca: {exc.strerror}", FILE_UNREADABLE
            if size > max_file_bytes:
                return (
                    f"file berukuran {size_text(size)}, melebihi batas {size_text(max_file_bytes)} "
                    "(IKU_MAX_FILE_BYTES): tidak disimpan; pecah ekspornya (mis. per bulan) atau "
                    "naikkan IKU_MAX_FILE_BYTES",
                    FILE_TOO_LARGE,
                )
        return None

    def land_and_keep(
        self, landing: Path, max_file_bytes: int | None = None
    ) -> tuple[LandingReport, list[Export]]:
        """``land``, then every export kept. A damaged entry is set aside (a problem of this
        run: ``kept``) and its file taken again from the landing at once, if it is still
        there."""
        landed = self.land(landing, max_file_bytes)
        exports, damaged = self.kept()
        if not damaged:
            return landed, exports
        again = self.land(landing, max_file_bytes)
        report = LandingReport(landed.new + again.new, again.unchanged, landed.problems + damaged)
        return report, self.exports()

    def exports(self) -> list[Export]:
        """Every export kept, oldest modification first (ties: file name, then landing)."""
        return self.kept()[0]

    def kept(self) -> tuple[list[Export], list[LandingProblem]]:
        """``exports``, and a problem per entry that is damaged or whose file is gone (a disk
        fault, a hand edit): the entry is set aside (``<sha256>.json.rusak``), so that the
        next run takes its file from the landing again, if it is still there."""
        found, problems = [], []
        for entry in sorted(self.root.glob("*/*/*.json")):
            try:
                export = Export(**json.loads(entry.read_bytes()))
                export.modified, export.landed  # noqa: B018  # a time that cannot be read fails here
                if export.path(self.root).with_suffix(".json") != entry:
                    raise ValueError("satker, sumber atau sha256-nya tidak sesuai letaknya")
                if not export.path(self.root).is_file():
                    raise ValueError("file ekspornya tidak ada lagi")
            except (OSError, ValueError, TypeError) as exc:
                with contextlib.suppress(OSError):  # else it is reported again next run
                    entry.replace(entry.with_name(entry.name + ".rusak"))
                message = (
                    f"catatan riwayat {entry.name} rusak ({exc}) dan disisihkan; ekspornya "
                    "diambil lagi dari landing bila file itu masih ada di sana"
                )
                shown = str(entry.relative_to(self.root))
                problems.append(LandingProblem(shown, message, FILE_UNREADABLE))
                continue
            if export.source not in SOURCES:  # a source this code no longer reads: left kept
                continue
            found.append(replace(export, file_name=published_name(export.file_name, export.sha256)))
        order = sorted(found, key=lambda e: (e.modified_at, e.file_name, e.landed_at, e.sha256))
        return order, problems
