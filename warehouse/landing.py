"""The landing: what its walk takes, and what it reports instead.

Exports are dropped (by hand, or by the pull) at ``<landing>/<kode_satker>/<source>/<file>``.
The walk never leaves the landing and never waits: links and special files are reported,
not followed; a name that is not UTF-8 or a folder nested too deep is reported, not taken.
"""

from __future__ import annotations

import io
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from sources.sheet import FILE_UNREADABLE

# Only 0-9, to the end (not before a final newline): a folder '６２０４' is no satker.
SATKER = re.compile(r"^[0-9]{2}(?:[0-9]{2})?\Z")
SUPPORTED = (".csv", ".xlsx")
# Folders below the landing that are walked; deeper ones are reported, not entered (an
# export sits at depth 3, <landing>/<satker>/<source>/<file>).
MAX_DEPTH = 16
MISPLACED = "lokasi_file_salah"
NOT_FOLLOWED = "bukan_file_biasa"
LANDING_MISSING = "landing_tidak_ada"


@dataclass(frozen=True)
class LandingProblem:
    """A file in the landing that is not taken: wrong folder, unknown source, unreadable, too
    large (errors), or a link or special file that the walk does not follow (warnings)."""

    path: str
    message: str
    rule: str = MISPLACED
    severity: str = "error"


class NotRegular(OSError):
    """What was listed as a regular file is a link, a pipe or another special file now."""


def open_regular(path: Path) -> io.BufferedReader:
    """``path`` opened for reading, only if it is still a regular file: between a listing and
    the read, it may have become a link (not followed) or a pipe (not waited on: O_NONBLOCK,
    which does not change reading a regular file)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise NotRegular(0, "bukan lagi file biasa")
    return os.fdopen(fd, "rb")


def shown_name(name: str) -> str:
    """``name`` for a message: bytes that are not UTF-8 (kept as surrogate escapes, by the OS
    or a percent-decoded link: a Windows disk's Latin-1 name) shown as ``\\xe9``."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def utf8_name(name: str) -> bool:
    """Whether ``name`` is valid UTF-8 (no surrogate escapes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def ignored(name: str) -> bool:
    """Hidden files (and the pull's temporary files) and Office lock files (~$name.xlsx) are
    not exports."""
    return name.startswith((".", "~$"))


def _entries(folder: Path, depth: int) -> Iterator[tuple[Path, int] | LandingProblem]:
    """Regular files under ``folder`` with their depth below the landing (1: satker folder,
    2: source folder, 3+: files). Symbolic links and special files are never followed: each
    is reported as a warning. A folder that cannot be listed is reported as an error."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield LandingProblem(
            str(folder), f"folder tidak dapat dibaca: {exc.strerror}", FILE_UNREADABLE
        )
        return
    for entry in entries:
        if ignored(entry.name):
            continue
        path = Path(entry.path)
        if not utf8_name(entry.name):
            yield LandingProblem(
                shown_name(entry.path),
                "nama bukan teks UTF-8 (mis. dari disk Windows lama): dilewati; ganti namanya "
                "dengan huruf biasa",
                FILE_UNREADABLE,
            )
            continue
        try:
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            yield LandingProblem(str(path), f"tidak dapat dibaca: {exc.strerror}", FILE_UNREADABLE)
            continue
        if stat.S_ISLNK(mode):
            yield LandingProblem(
                str(path),
                "tautan simbolik tidak diikuti: taruh file ekspor itu sendiri di landing",
                NOT_FOLLOWED,
                "warning",
            )
        elif stat.S_ISDIR(mode) and depth >= MAX_DEPTH:
            yield LandingProblem(
                str(path),
                f"folder lebih dari {MAX_DEPTH} tingkat di bawah landing: tidak dibuka; taruh "
                "ekspor di <landing>/<kode_satker>/<sumber>/",
            )
        elif stat.S_ISDIR(mode):
            yield from _entries(path, depth + 1)
        elif stat.S_ISREG(mode):
            yield path, depth
        else:
            yield LandingProblem(
                str(path), "bukan file biasa (pipe, socket atau perangkat): dilewati",
                NOT_FOLLOWED, "warning",
            )  # fmt: skip


def landing_files(landing: Path) -> Iterator[tuple[Path, str, str] | LandingProblem]:
    """(path, kode_satker, source) of every regular file under ``<landing>/<satker>/<source>/``,
    or a :class:`LandingProblem` (path relative to the landing) for what cannot be taken."""
    if not landing.is_dir():  # a share not mounted, a mistyped path: said on this very night,
        # not days later by the freshness warnings (also true of a first night before a pull)
        yield LandingProblem(
            landing.name or str(landing),
            f"folder landing {landing} tidak ada (atau bukan folder): tidak ada ekspor yang "
            "dibaca; periksa apakah share-nya terpasang dan jalurnya benar",
            LANDING_MISSING,
            "warning",
        )
        return
    for found in _entries(landing, 1):
        if isinstance(found, LandingProblem):
            yield replace(found, path=str(Path(found.path).relative_to(landing)))
            continue
        path, depth = found
        if depth < 3:
            yield LandingProblem(
                str(path.relative_to(landing)),
                "file harus di <landing>/<kode_satker>/<sumber>/, bukan di sini",
            )
            continue
        parts = path.relative_to(landing).parts
        yield path, parts[0], parts[1]
