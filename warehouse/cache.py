"""Parse and check each export once: its typed rows and findings, kept beside the history.

An export in the history never changes (it is stored by its sha256), so what reading and
checking it gave can be kept and read back by every later run instead of parsing it again:
``<warehouse>/cache/<satker>/<source>/<sha256>-<version>.parquet`` holds the typed rows and
``….json`` the reader's findings and, per reference context, the checks' findings.

An entry is used only while it still says what reading and checking would say now:
- ``version`` is a digest of the code that decides it (the source declarations, the reader,
  the parsers and the rules: ``sources/*.py`` and ``warehouse/quality.py``): any change to
  them starts afresh;
- the read limits must be the same, except the as-of date, whose only role is the window of
  plausible dates: an entry read with another as-of date is used when no date of the file was
  refused for its window and every date it holds lies in the window of the new as-of date;
- the checks' findings are kept per *context*: the elections, the SAKIP bands and the
  satker's own desa and TPS lists. When a satker's reference data changes, its exports are
  checked again (in one batch per source, as always) and the new findings are added.
Files rejected by an unexpected failure are never kept: the next run tries them again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from sources import SOURCES, Source
from sources.model import CheckContext
from sources.parse import OUTSIDE_WINDOW
from sources.sheet import UNEXPECTED_ERROR, Issue, ReadLimits, ReadResult
from warehouse.history import Export, atomic_write
from warehouse.quality import Findings, RuleResult

ROOT = Path(__file__).resolve().parent.parent


@cache
def code_version() -> str:
    """A digest of the code whose output an entry stores."""
    digest = hashlib.sha256()
    for path in sorted([*(ROOT / "sources").glob("*.py"), ROOT / "warehouse" / "quality.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _limits_key(limits: ReadLimits) -> str:
    fields = {k: str(v) for k, v in asdict(limits).items() if k != "as_of"}
    return json.dumps(fields, sort_keys=True)


def context_key(context: CheckContext, kode_satker: str) -> str:
    """What the checks of one satker's rows may depend on besides the rows themselves."""
    parts = {
        "voting_days": sorted((k, str(v)) for k, v in context.voting_days.items()),
        "sakip_grades": [str(g) for g in context.sakip_grades],
        "desa": sorted(context.desa[kode_satker]) if kode_satker in context.desa else None,
        "tps": sorted(context.tps[kode_satker]) if kode_satker in context.tps else None,
    }
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:16]


def _issues(records: list[dict[str, Any]]) -> list[Issue]:
    return [Issue(**r) for r in records]


class ExportCache:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _stem(self, export: Export, source: Source) -> Path:
        return self.root / export.kode_satker / source.name / f"{export.sha256}-{code_version()}"

    def _meta(self, stem: Path) -> dict[str, Any] | None:
        try:
            meta: dict[str, Any] = json.loads(stem.with_suffix(".json").read_text())
            return meta
        except (OSError, ValueError):
            return None

    def get(
        self, export: Export, source: Source, path: Path, limits: ReadLimits, context: str
    ) -> tuple[ReadResult | None, Findings | None]:
        """The kept read of ``export``, if it still holds under ``limits``, and the kept
        findings of its checks in ``context`` (``context_key``), if any: one look at the
        entry. No read, no findings."""
        stem = self._stem(export, source)
        meta = self._meta(stem)
        if meta is None or meta.get("limits") != _limits_key(limits):
            return None, None
        issues = _issues(meta["issues"])
        if any(OUTSIDE_WINDOW in i.message for i in issues):
            return None, None
        try:
            rows = pl.read_parquet(stem.with_suffix(".parquet"))
        except Exception:  # a damaged entry is read again from the export
            return None, None
        for column in source.columns:
            window = limits.window(column)
            if window and column.field in rows.columns:
                values = rows[column.field].drop_nulls()
                if len(values) and not (window[0] <= values.min() and values.max() <= window[1]):  # type: ignore[operator]
                    return None, None
        read = ReadResult(source, path, rows, issues, tuple(meta["columns_found"]))
        checked = meta.get("checks", {}).get(context)
        if checked is None:
            return read, None
        found = Findings(
            _issues(checked["issues"]), [RuleResult(**r) for r in checked["rule_results"]]
        )
        return read, found

    def store(
        self,
        export: Export,
        source: Source,
        limits: ReadLimits,
        read: ReadResult,
        context: str,
        findings: Findings,
        read_now: bool,
    ) -> None:
        """Keep what checking ``export`` gave and, when ``read_now``, what reading it gave
        (never an unexpected failure)."""
        if any(i.rule == UNEXPECTED_ERROR for i in [*read.issues, *findings.issues]):
            return
        stem = self._stem(export, source)
        meta = self._meta(stem)
        if read_now or meta is None or meta.get("limits") != _limits_key(limits):
            meta = {
                "limits": _limits_key(limits),
                "issues": [asdict(i) for i in read.issues],
                "columns_found": list(read.columns_found),
                "checks": {},
            }
            atomic_write(
                stem.with_suffix(".parquet"), lambda handle: read.rows.write_parquet(handle)
            )
        meta["checks"][context] = {
            "issues": [asdict(i) for i in findings.issues],
            "rule_results": [asdict(r) for r in findings.rule_results],
        }
        text = json.dumps(meta, ensure_ascii=False).encode()
        atomic_write(stem.with_suffix(".json"), lambda handle: handle.write(text))

    def prune(self, exports: list[Export]) -> int:
        """Remove the entries of exports no longer in the history and of older code."""
        keep = {self._stem(e, SOURCES[e.source]) for e in exports if e.source in SOURCES}
        removed = 0
        for path in self.root.glob("*/*/*.*") if self.root.exists() else []:
            if path.with_suffix("") not in keep:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
