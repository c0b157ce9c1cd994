"""What a run found: issues per file and row, rule results, quarantined rows, stale sources.

Plain tables (polars) shaped like the ``dq`` schema, computed once per run, saved with the
run's record and loaded into every later build.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, date
from pathlib import Path

import polars as pl

from sources import SOURCES
from sources.personal import masked
from warehouse.landing import SATKER, LandingProblem
from warehouse.load import FileLoad, SourceLoad
from warehouse.pull import PullResult
from warehouse.verdict import capped

STALE = "tidak_ada_ekspor_baru"
NO_EXPORT = "belum_ada_ekspor"
PULL_FAILED = "penarikan_gagal"
PULL_PARTIAL = "penarikan_sebagian"
UNKNOWN_SATKER = "satker_tidak_dikenal"

ISSUE_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "source": pl.String,
    "kode_satker": pl.String,
    "file_name": pl.String,
    "sha256": pl.String,
    "row_number": pl.Int64,
    "column_name": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "message": pl.String,
    "file_baru": pl.Boolean,
}

VALIDATION_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "source": pl.String,
    "kode_satker": pl.String,
    "file_name": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "expectation": pl.String,
    "rows_checked": pl.Int64,
    "rows_failed": pl.Int64,
}


def issue_rows(
    loads: Mapping[str, SourceLoad],
    problems: Iterable[LandingProblem],
    new_files: set[str],
    extra: Iterable[dict[str, object]] = (),
    max_per_rule: int | None = None,
) -> pl.DataFrame:
    """Every issue of this run; ``file_baru`` marks files landed in this run (by sha256).

    At most ``max_per_rule`` findings per file and rule (``verdict.capped``). A column a
    finding has no value for (a landing problem has no row) is null in the table."""
    records: list[dict[str, object]] = []
    for name, load in loads.items():
        for file in load.files:
            base = {
                "source": name,
                "kode_satker": file.export.kode_satker,
                "file_name": file.export.file_name,
                "sha256": file.export.sha256,
                "file_baru": file.export.sha256 in new_files,
            }
            for issue in capped(file.result.issues, max_per_rule):
                records.append(
                    base
                    | {
                        "row_number": issue.row_number,
                        "column_name": issue.column,
                        "rule": issue.rule,
                        "severity": issue.severity,
                        "message": issue.message,
                    }
                )
    # Found outside the reader, whose messages are masked already: the landing's names (any
    # folder or file), a pull's URLs. Personal data in them is masked (SPEC §5). A folder
    # that is no satker code is named in the message, never as a satker: the digest would
    # put "6204 database rusak" in its subject as one.
    for problem in problems:
        parts = _shown_parts(problem.path)
        records.append(
            {
                "source": parts[1] if len(parts) > 2 else None,
                "kode_satker": parts[0] if len(parts) > 1 and SATKER.match(parts[0]) else None,
                "file_name": parts[-1],
                "rule": problem.rule,
                "severity": problem.severity,
                "message": masked(problem.message),
                "file_baru": True,
            }
        )
    records.extend({k: masked(v) if k == "message" else v for k, v in e.items()} for e in extra)
    return pl.DataFrame(records, schema=ISSUE_SCHEMA)


def validation_rows(loads: Mapping[str, SourceLoad]) -> pl.DataFrame:
    records = [asdict(r) for load in loads.values() for r in load.rule_results]
    return pl.DataFrame(records, schema=VALIDATION_SCHEMA)


def freshness_rows(
    loads: Mapping[str, SourceLoad],
    as_of: date,
    intervals: Mapping[str, int],
    satkers: Iterable[str],
) -> list[dict[str, object]]:
    """A warning per satker and source whose newest export is older than its interval."""
    records: list[dict[str, object]] = []
    by_satker: dict[str, dict[str, list[FileLoad]]] = {name: {} for name in loads}
    for name, load in loads.items():
        for file in load.files:
            by_satker[name].setdefault(file.export.kode_satker, []).append(file)
    for satker in sorted(set(satkers)):
        for name, load in loads.items():
            files = by_satker[name].get(satker, [])
            interval = intervals.get(name, SOURCES[name].freshness_days)
            base: dict[str, object] = {
                "source": name,
                "kode_satker": satker,
                "severity": "warning",
                "file_baru": False,
            }
            if not files:
                if satker not in load.defaults_used:
                    records.append(
                        base
                        | {
                            "rule": NO_EXPORT,
                            "message": f"belum pernah ada ekspor {name} untuk satker ini",
                        }
                    )
                continue
            newest = max(files, key=lambda f: f.export.modified)
            exported = newest.export.modified.astimezone(UTC).date()
            age = (as_of - exported).days
            if age > interval:
                records.append(
                    base
                    | {
                        "file_name": newest.export.file_name,
                        "rule": STALE,
                        "message": (
                            f"ekspor {name} terbaru bertanggal {exported:%d-%m-%Y}, {age} hari "
                            f"sebelum tanggal posisi; diharapkan paling lama tiap {interval} hari"
                        ),
                    }
                )
    return records


def unknown_satker_rows(
    loads: Mapping[str, SourceLoad], known: frozenset[str]
) -> list[dict[str, object]]:
    """A warning per source folder of a satker whose code the project does not know (a typo
    in a folder name makes a satker of its own, and its exports are missing where they
    belong): its exports are still loaded, as that satker's."""
    landed = {(f.export.kode_satker, name) for name, load in loads.items() for f in load.files}
    return [
        {
            "source": name,
            "kode_satker": satker,
            "rule": UNKNOWN_SATKER,
            "severity": "warning",
            "message": (
                f"kode satker {satker} tidak ada di daftar satker (KPU RI, KPU Provinsi, KPU "
                "Kabupaten/Kota menurut kode Kemendagri, dan satker.csv): periksa nama "
                "foldernya; ekspornya tetap dimuat sebagai satker tersendiri"
            ),
            "file_baru": False,
        }
        for satker, name in sorted(landed)
        if satker not in known
    ]


def pull_rows(pulls: Iterable[PullResult]) -> list[dict[str, object]]:
    """Warnings per source whose exports could not all be pulled this run: what failed
    (``penarikan_gagal``), and the links left out on purpose (``penarikan_sebagian``)."""
    rows: list[dict[str, object]] = []
    for p in pulls:
        where = {"source": p.location.source, "kode_satker": p.location.kode_satker}
        row: dict[str, object] = where | {"severity": "warning", "file_baru": True}
        if p.error:
            message = f"ekspor tidak dapat ditarik dari sumbernya: {p.error}"
            rows.append(row | {"rule": PULL_FAILED, "message": message})
        if p.warnings:
            message = f"sebagian ekspor tidak ditarik dari sumbernya: {'; '.join(p.warnings)}"
            rows.append(row | {"rule": PULL_PARTIAL, "message": message})
    return rows


def _shown_parts(path: str) -> list[str]:
    """A landing path's folders and file name as shown: personal data in each masked."""
    return [masked(part) for part in Path(path).parts]


@dataclass(frozen=True)
class RunTotals:
    """The figures of one run, as ``dq.run``, the CLI and the progress log give them."""

    files_read: int
    files_rejected: list[str]  # <satker>/<source>/<file>: rejected by the reader or at landing
    rows_quarantined: int  # rows that are not valid (dq.quarantine), rejected files' rows too
    warnings: int
    rows_staged: int | None = None  # known once the database is built

    def record(self) -> dict[str, int | None]:
        """The figures as the run record (``run.json``, ``dq.run``) names them."""
        return {
            "file_dibaca": self.files_read,
            "file_ditolak": len(self.files_rejected),
            "baris_staging": self.rows_staged,
            "baris_dikarantina": self.rows_quarantined,
            "peringatan": self.warnings,
        }


def totals(
    loads: Mapping[str, SourceLoad], problems: Iterable[LandingProblem], issues: pl.DataFrame
) -> RunTotals:
    files = [f for load in loads.values() for f in load.files]
    rejected = [
        f"{f.export.kode_satker}/{f.export.source}/{f.export.file_name}"
        for f in files
        if f.result.rejected
    ]
    refused = ["/".join(_shown_parts(p.path)) for p in problems if p.severity == "error"]
    return RunTotals(
        files_read=len(files),
        files_rejected=rejected + refused,
        rows_quarantined=sum(load.rows_quarantined for load in loads.values()),
        warnings=issues.filter(pl.col("severity") == "warning").height,
    )
