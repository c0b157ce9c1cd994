"""Export files written for the tests: CSV and XLSX as office software writes them, a small
PPID register, and what a landing holds that must never be published."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Collection, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter

from sources import SOURCES, Source
from sources.model import CheckContext
from sources.read import ReadResult, read_exports
from sources.sheet import DEFAULT_LIMITS, MAX_ERROR_RATIO, ReadLimits
from warehouse.cache import ExportCache
from warehouse.history import Export
from warehouse.landing import landing_files
from warehouse.load import SourceLoad, load_exports
from warehouse.pii import Pseudonymiser
from warehouse.quality import FileToCheck
from warehouse.shards import combine
from warehouse.validator import Validator
from warehouse.verdict import decide

# The context of a run that knows no elections and no satker's desa or TPS.
NO_REFERENCES = CheckContext(dt.date(2025, 12, 31), {})


def read_export(path: Path, source: Source, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """One export read as the warehouse reads a batch of them."""
    return read_exports([path], source, limits)[0]


def load_source(
    source: Source,
    exports: list[Export],
    history: Path,
    validator: Validator,
    context: CheckContext,
    *,
    parts: Path,
    satkers: Collection[str] = (),
    **options: Any,
) -> SourceLoad:
    """Every export of one source in one piece, as a run with a single shard loads it."""
    options.setdefault("cache", ExportCache(parts.parent / "cache"))
    load = load_exports(source, exports, history, validator, context, **options)
    return combine(source, exports, [load], satkers, parts)


def frame(load: SourceLoad) -> pl.DataFrame:
    """The loaded rows of ``load``, read back from its parts."""
    return pl.scan_parquet(load.parts).collect() if load.parts else pl.DataFrame()


def written(tmp_path: Path) -> dict[str, Any]:
    """Where a test's loaded rows go (``load_source``) and the pseudonym key they are made with."""
    return {"parts": tmp_path / "mentah", "pseudonymiser": Pseudonymiser("uji")}


@cache
def validator() -> Validator:
    """One Great Expectations context for the tests of a worker (made once: it is slow)."""
    return Validator()


def check_export(
    path: Path,
    source: Source,
    max_error_ratio: float = MAX_ERROR_RATIO,
    limits: ReadLimits = DEFAULT_LIMITS,
    context: CheckContext = NO_REFERENCES,
) -> ReadResult:
    """One export read, checked and decided as a run does it (as satker 6204's)."""
    read = read_export(path, source, limits)
    file = FileToCheck("6204", path.name, read.rows.clear() if read.rejected else read.rows)
    found = validator().check(source, [file], context)[0]
    return decide(source, read, found.issues, max_error_ratio)


PPID = SOURCES["ppid"]


PPID_HEADER = ["No Registrasi", "Tanggal Permohonan", "NIK", "Tanggal Pemberitahuan Tertulis"]


PPID_ROWS = [
    ["001/PPID/III/2025", "27/03/2025", "6204014101990001", "02/04/2025"],
    ["002/PPID/III/2025", "28 Maret 2025", "6204015203880002", ""],
]


def write_csv(path: Path, rows: list[list[str]], sep: str = ",", encoding: str = "utf-8") -> Path:
    path.write_bytes("\r\n".join(sep.join(r) for r in rows).encode(encoding))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], start_row: int = 0) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Register")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value is not None:
                sheet.write_string(r, c, str(value))
    workbook.close()
    return path


def edited(path: Path, part: str, edit: dict[str, str]) -> Path:
    """``path`` with the text of one of its parts replaced (``edit``: old -> new)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    text = parts[part].decode()
    for old, new in edit.items():
        assert old in text, old
        text = text.replace(old, new)
    parts[part] = text.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return path


def rules(result: ReadResult) -> list[str]:
    return [i.rule for i in result.issues]


def personal_values(landing: Path) -> set[str]:
    """Every NIK, phone number, e-mail and street address in the landed exports."""
    values: set[str] = set()
    for path, _, source_name in landing_files(landing):
        source = SOURCES[source_name]
        rows = read_export(path, source).rows
        for column in source.columns:
            if column.pii and column.field in rows.columns and column.name != "Nama Pemohon":
                values.update(
                    v for v in rows[column.field].drop_nulls().to_list() if isinstance(v, str)
                )
    return values
