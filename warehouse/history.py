"""History: every export that lands is kept unchanged, addressed by its sha256.

Layout under ``<warehouse>/history/``::

    <kode_satker>/<source>/<sha256>.<csv|xlsx>    the bytes exactly as they landed
    <kode_satker>/<source>/<sha256>.json          when, from where, under which name

The file system is the catalogue: an export is in the history once its ``.json`` exists.
Both files are written to a temporary name and renamed into place, so a run killed at any
moment leaves either a complete entry or none (a stray temporary file is ignored and
replaced on the next run). Identical bytes are stored once and skipped afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from sources import SOURCES

SATKER = re.compile(r"^\d{2}(\d{2})?$")
SUPPORTED = (".csv", ".xlsx")


@dataclass(frozen=True)
class Export:
    """One export kept in the history."""

    kode_satker: str
    source: str
    sha256: str
    file_name: str  # the name it landed under
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


@dataclass(frozen=True)
class LandingProblem:
    """A file in the landing that cannot be taken: wrong folder or unknown source."""

    path: str
    message: str


@dataclass
class LandingReport:
    new: list[Export] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # landing paths whose bytes are known
    problems: list[LandingProblem] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write through a temporary file in the same folder, fsync, then rename into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _ignored(path: Path) -> bool:
    """Hidden files and Office lock files (~$name.xlsx) are not exports."""
    return path.name.startswith((".", "~$"))


def landing_files(landing: Path) -> Iterable[tuple[Path, str, str]]:
    """(path, kode_satker, source) of every file under ``<landing>/<satker>/<source>/``."""
    if not landing.is_dir():
        return
    for satker_dir in sorted(p for p in landing.iterdir() if p.is_dir() and not _ignored(p)):
        for source_dir in sorted(p for p in satker_dir.iterdir() if p.is_dir() and not _ignored(p)):
            for path in sorted(p for p in source_dir.rglob("*") if p.is_file() and not _ignored(p)):
                yield path, satker_dir.name, source_dir.name


class History:
    """The exports kept under ``<warehouse>/history``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def entry(self, kode_satker: str, source: str, sha256: str) -> Path:
        return self.root / kode_satker / source / f"{sha256}.json"

    def knows(self, kode_satker: str, source: str, sha256: str) -> bool:
        return self.entry(kode_satker, source, sha256).exists()

    def add(self, path: Path, kode_satker: str, source: str, origin: str) -> Export | None:
        """Keep one file; None when the same bytes are already kept for this satker and source."""
        sha = sha256_of(path)
        if self.knows(kode_satker, source, sha):
            return None
        stat = path.stat()
        export = Export(
            kode_satker=kode_satker,
            source=source,
            sha256=sha,
            file_name=path.name,
            suffix=path.suffix.casefold(),
            origin=origin,
            modified_at=datetime.fromtimestamp(stat.st_mtime, UTC).isoformat(),
            landed_at=datetime.now(UTC).isoformat(),
            size=stat.st_size,
        )
        with path.open("rb") as src:
            atomic_write(export.path(self.root), lambda dst: shutil.copyfileobj(src, dst))
        if sha256_of(export.path(self.root)) != sha:
            # The file changed while it was copied (still being written): take it next run.
            export.path(self.root).unlink()
            return None
        body = json.dumps(asdict(export), indent=2, ensure_ascii=False).encode()
        atomic_write(self.entry(kode_satker, source, sha), lambda dst: dst.write(body))
        return export

    def land(self, landing: Path) -> LandingReport:
        """Take every new export from the landing; the landing itself is never changed."""
        report = LandingReport()
        for path, satker, source in landing_files(landing):
            shown = str(path.relative_to(landing))
            if not SATKER.match(satker):
                report.problems.append(
                    LandingProblem(shown, f"folder satker '{satker}' bukan kode satker (mis. 6204)")
                )
                continue
            if source not in SOURCES:
                known = ", ".join(SOURCES)
                report.problems.append(
                    LandingProblem(
                        shown, f"folder sumber '{source}' tidak dikenal (yang dikenal: {known})"
                    )
                )
                continue
            export = self.add(path, satker, source, origin=str(path.resolve()))
            if export is None:
                report.unchanged.append(shown)
            else:
                report.new.append(export)
        return report

    def exports(self) -> list[Export]:
        """Every export kept, oldest modification first (ties: file name)."""
        found = []
        for entry in self.root.glob("*/*/*.json"):
            export = Export(**json.loads(entry.read_text()))
            if export.path(self.root).exists():
                found.append(export)
        return sorted(found, key=lambda e: (e.modified_at, e.file_name, e.sha256))
