"""What every pull shares: where an export comes from, the limits and errors of a pull, and
writing a download to a temporary file within its size limit (``warehouse.pull``)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sources.sheet import KIB, MIB, ReadLimits
from warehouse.landing import SUPPORTED, ignored

CHUNK = 1 << 16
RETRYABLE_HTTP = (408, 425, 429)  # and every 5xx
_PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")
# The characters of one name or URL from a source shown in a message (``clipped``).
SHOWN_CHARS = 400

# Writes one export into the given temporary file and returns True; or returns False at once
# when its size and modification time are those of a version already in the landing (the
# given set of (bytes, st_mtime_ns)): the same file, not fetched again.
Fetch = Callable[[Path, "set[tuple[int, int]]"], bool]


class PullError(Exception):
    """A source could not be pulled.

    ``retryable``: another attempt may succeed (network, timeout, HTTP 5xx). ``copied``: the
    files this attempt had already written into the landing before it failed; ``warnings``:
    the links it had left out on purpose (``PullResult.warnings``).
    """

    def __init__(
        self,
        message: str,
        retryable: bool = True,
        copied: Iterable[str] = (),
        warnings: Iterable[str] = (),
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.copied = list(copied)
        self.warnings = list(warnings)


@dataclass(frozen=True)
class PullLimits:
    """Bounds on what one pull may fetch; ``Settings.pull_limits`` reads them from ``IKU_*``."""

    max_file_bytes: int = ReadLimits.max_file_bytes  # IKU_MAX_FILE_BYTES: the reader's too
    max_listing_bytes: int = 5 * MIB  # IKU_MAX_LISTING_BYTES
    timeout: float = 30.0  # IKU_PULL_TIMEOUT: seconds to connect, and per wait for data
    deadline: float = 600.0  # IKU_PULL_DEADLINE: seconds for one location (listing, files)
    max_files: int = 1000  # IKU_MAX_FILES: files taken from one location


@dataclass(frozen=True)
class Location:
    """Where the exports of one source of one satker come from."""

    kode_satker: str
    source: str
    url: str  # as configured


def masked(text: str) -> str:
    """``scheme://user:password@host`` → ``scheme://user:***@host``."""
    return _PASSWORD.sub(r"\1***@", text)


def clipped(text: str) -> str:
    """``text``, a name or URL a source gave, cut in its middle to :data:`SHOWN_CHARS`
    characters for a message: a listing may hold a link a megabyte long, and each message
    goes to dq.issues, the log and the LKjIP report. Its end (the suffix) stays readable."""
    if len(text) <= SHOWN_CHARS:
        return text
    return f"{text[: SHOWN_CHARS - 40]}…{text[-39:]}"


def described(exc: BaseException) -> str:
    """An error for a message: its type and text, a password in a URL masked, cut as
    ``clipped`` (the text may quote whatever a server sent)."""
    return clipped(masked(f"{type(exc).__name__}: {exc}"))


def read_chunks(source: IO[bytes], name: str) -> Iterator[bytes]:
    try:
        while block := source.read(CHUNK):
            yield block
    except OSError as exc:
        raise PullError(f"{name}: tidak dapat dibaca: {exc}") from exc


def write_chunks(
    chunks: Iterable[bytes], tmp: Path, name: str, size: int, limits: PullLimits, end: float
) -> None:
    """``chunks`` of an export of ``size`` bytes (as declared; 0: unknown) into ``tmp``,
    refused before any is read when ``size`` is over the limit, and as soon as they exceed it
    or ``time.monotonic`` passes ``end``, the end of the location's deadline."""
    limit = limits.max_file_bytes
    message = f"{name}: lebih besar dari batas {size_text(limit)} (IKU_MAX_FILE_BYTES)"
    too_big = PullError(message, retryable=False)
    if size > limit:
        raise too_big
    with tmp.open("wb") as out:
        for block in bounded(chunks, limit, too_big, overdue(name, limits.deadline), end):
            out.write(block)


def bounded(
    chunks: Iterable[bytes], limit: int, too_big: PullError, too_late: PullError, end: float
) -> Iterator[bytes]:
    """``chunks`` as they come, stopped by ``too_big`` once they exceed ``limit`` bytes and by
    ``too_late`` once ``time.monotonic`` passes ``end``, even as they end: a body without a
    length ends cleanly when its connection is shut, as the pull's watchdog does at ``end``
    (``warehouse.remote``), and what came until then is not the whole."""
    received = 0
    for block in chunks:
        received += len(block)
        if received > limit:
            raise too_big
        if time.monotonic() > end:
            raise too_late
        yield block
    if time.monotonic() > end:
        raise too_late


def overdue(what: str, deadline: float) -> PullError:
    """Not retried: a pull that overran so generous a deadline (a server sending a byte now
    and then) would most likely overrun it again, each retry holding up the run as long."""
    message = (
        f"{what}: tidak selesai, penarikan lokasi ini melewati {deadline:g} detik "
        "(IKU_PULL_DEADLINE); dihentikan"
    )
    return PullError(message, retryable=False)


def size_text(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", MIB), ("KiB", KIB)):
        if count >= scale and count % scale == 0:
            return f"{count // scale} {unit}"
    return f"{count} byte"


def is_export_file_name(name: str) -> bool:
    """Whether ``name`` is an acceptable export file name (``.`` and ``..`` are hidden names,
    and an empty one has no suffix)."""
    if ignored(name) or any(c in name for c in "/\\\x00"):
        return False
    return Path(name).suffix.casefold() in SUPPORTED
