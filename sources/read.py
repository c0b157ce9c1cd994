"""One reader for every source: an export file (CSV or XLSX) in, typed rows and issues out.

The reader finds the header row by the declared column names (banner rows above it are
skipped), matches headers ignoring case and punctuation, parses each column by its declared
kind and reports, per row, every cell it could not read. It never raises for a bad file:
a file that cannot be read, or lacks a required column, comes back rejected with a message
naming the file and what is wrong.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import fastexcel
import polars as pl

from sources.model import Column, Source, normalise_header
from sources.parse import parse_series

Severity = Literal["error", "warning"]

HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t", "|")
ROW_NUMBER = "_row_number"
MAX_ERROR_RATIO = 0.20

# Rule names, shared with the checks and shown to admins in dq.issues.
FILE_UNREADABLE = "file_tidak_terbaca"
FORMAT_UNSUPPORTED = "format_tidak_didukung"
HEADER_NOT_FOUND = "header_tidak_ditemukan"
REQUIRED_COLUMN_MISSING = "kolom_wajib_tidak_ada"
TOO_MANY_ERRORS = "terlalu_banyak_baris_salah"
VALUE_INVALID = "nilai_tidak_valid"
VALUE_MISSING = "nilai_wajib_kosong"
KEY_DUPLICATE = "kunci_ganda_dalam_file"


@dataclass(frozen=True)
class Issue:
    """Something wrong in an export: the whole file (row_number None) or one row."""

    rule: str
    severity: Severity
    message: str
    row_number: int | None = None
    column: str | None = None


@dataclass
class ReadResult:
    """The typed rows of one export and what was wrong with it."""

    source: Source
    path: Path
    rows: pl.DataFrame  # one column per declared column (by field) plus _row_number
    issues: list[Issue] = field(default_factory=list)
    columns_found: tuple[str, ...] = ()

    @property
    def rejected(self) -> bool:
        return any(i.row_number is None and i.severity == "error" for i in self.issues)

    def error_rows(self) -> set[int]:
        return {
            i.row_number for i in self.issues if i.row_number is not None and i.severity == "error"
        }

    def valid_rows(self) -> pl.DataFrame:
        """Rows without any error; none at all when the file is rejected."""
        if self.rejected:
            return self.rows.clear()
        bad = self.error_rows()
        return self.rows.filter(~pl.col(ROW_NUMBER).is_in(list(bad))) if bad else self.rows


class ReadError(Exception):
    """The file as a whole cannot be used; the message says why."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


# --- cells -------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Text of a CSV export: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for i, row in enumerate(reader):
        if limit is not None and i >= limit:
            break
        rows.append(row)
    return rows


def _blank_to_null(frame: pl.DataFrame) -> pl.DataFrame:
    """Every cell as text; an empty or all-space cell is NULL."""
    return frame.select(
        pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c)).alias(c)
        for c in frame.columns
    )


@dataclass
class Sheet:
    """The cells of an export: the first rows (to find the header) and the body below it."""

    head: list[list[str | None]]
    _body: Callable[[int], pl.DataFrame]

    def body(self, header_index: int) -> pl.DataFrame:
        """Positional text columns of every row below the header row; row i of the frame is
        row ``header_index + 2 + i`` of the file."""
        return _blank_to_null(self._body(header_index))


def read_csv_sheet(data: bytes, source: Source) -> Sheet:
    """The delimiter is the one under which the header is best recognised."""
    text = decode(data)
    best, best_score, best_head = ",", -1, list[list[str]]()
    for delimiter in DELIMITERS:
        head = _csv_rows(text, delimiter, HEADER_SEARCH_ROWS)
        score = max((_header_score(row, source) for row in head), default=0)
        if score > best_score:
            best, best_score, best_head = delimiter, score, head

    def body(header_index: int) -> pl.DataFrame:
        width = max(len(best_head[header_index]), 1)
        return pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            has_header=False,
            separator=best,
            skip_rows=header_index + 1,
            schema={f"c{i}": pl.String for i in range(width)},
            truncate_ragged_lines=True,
        )

    cells: list[list[str | None]] = [[c if c.strip() else None for c in r] for r in best_head]
    return Sheet(cells, body)


def read_xlsx_sheet(data: bytes) -> Sheet:
    """The first sheet, as text; row i of the frame is Excel row i + 1."""
    try:
        sheet = fastexcel.read_excel(data).load_sheet(
            0, header_row=None, dtypes="string", skip_rows=0
        )
        frame = sheet.to_polars()
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ReadError(
            FILE_UNREADABLE,
            f"file XLSX tidak dapat dibuka (rusak, terpotong, atau bukan XLSX): {detail}. "
            "Ekspor ulang dari aplikasi sumber",
        ) from exc
    head = [
        [c if c is not None and c.strip() else None for c in row]
        for row in frame.head(HEADER_SEARCH_ROWS).rows()
    ]
    return Sheet(head, lambda header_index: frame.slice(header_index + 1))


def read_sheet(path: Path, source: Source) -> Sheet:
    suffix = path.suffix.casefold()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(FILE_UNREADABLE, f"file tidak dapat dibaca: {exc.strerror}") from exc
    if suffix == ".csv":
        return read_csv_sheet(data, source)
    if suffix == ".xlsx":
        return read_xlsx_sheet(data)
    raise ReadError(
        FORMAT_UNSUPPORTED, f"format '{path.suffix}' tidak didukung (hanya CSV atau XLSX)"
    )


# --- header ------------------------------------------------------------------------------


def _header_map(row: list[str | None], source: Source) -> dict[str, int]:
    """Column name -> cell index, for the cells of a row that name a declared column."""
    keys = {k: c.name for c in source.columns for k in c.header_keys}
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        if cell is None:
            continue
        name = keys.get(normalise_header(cell))
        if name is not None and name not in found:
            found[name] = index
    return found


def _header_score(row: list[str], source: Source) -> int:
    return len(_header_map([c or None for c in row], source))


def find_header(cells: list[list[str | None]], source: Source) -> tuple[int, dict[str, int]]:
    """The header row: the first with every required column, else the best-matching one."""
    best_index, best_map = -1, dict[str, int]()
    required = {c.name for c in source.required}
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        found = _header_map(row, source)
        if required <= found.keys():
            return index, found
        if len(found) > len(best_map):
            best_index, best_map = index, found
    if best_index < 0:
        expected = ", ".join(c.name for c in source.required)
        raise ReadError(
            HEADER_NOT_FOUND,
            f"baris judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama "
            f"(kolom yang dicari: {expected})",
        )
    return best_index, best_map


# --- rows --------------------------------------------------------------------------------


def _shown(column: Column, text: str) -> str:
    """A cell as it may appear in a message: personal data is never repeated."""
    return "(disembunyikan)" if column.pii else repr(text)


def read_export(
    path: Path, source: Source, max_error_ratio: float | None = MAX_ERROR_RATIO
) -> ReadResult:
    """Read one export of ``source``. Never raises for bad content: see ``ReadResult.issues``.

    With ``max_error_ratio`` None the caller applies ``reject_if_mostly_wrong`` itself, after
    adding the findings of its own checks.
    """
    empty = pl.DataFrame({ROW_NUMBER: []}, schema={ROW_NUMBER: pl.Int64})
    try:
        sheet = read_sheet(path, source)
        header_index, header = find_header(sheet.head, source)
        cells = sheet.body(header_index)
    except ReadError as exc:
        return ReadResult(source, path, empty, [Issue(exc.rule, "error", str(exc))])

    missing = [c.name for c in source.required if c.name not in header]
    if missing:
        message = (
            f"kolom wajib tidak ada: {', '.join(missing)} (baris judul di baris {header_index + 1})"
        )
        return ReadResult(
            source, path, empty, [Issue(REQUIRED_COLUMN_MISSING, "error", message)], tuple(header)
        )

    # Data rows: below the header, skipping rows with nothing in any declared column.
    declared = {name: cells.columns[i] for name, i in header.items() if i < cells.width}
    cells = (
        cells.select(*declared.values())
        .with_row_index(ROW_NUMBER, offset=header_index + 2)
        .filter(pl.any_horizontal(pl.col(c).is_not_null() for c in declared.values()))
    )
    numbers = cells[ROW_NUMBER].cast(pl.Int64)

    issues: list[Issue] = []
    columns: dict[str, pl.Series] = {ROW_NUMBER: numbers}
    for column in source.columns:
        raw = (
            cells[declared[column.name]]
            if column.name in declared
            else pl.Series([None] * cells.height, dtype=pl.String)
        )
        typed, errors = parse_series(column, raw)
        if column.name not in header and column.default is not None:
            typed = pl.Series([column.default] * cells.height, dtype=typed.dtype)
        columns[column.field] = typed.alias(column.field)
        if not column.nullable or source.is_key(column):
            issues.extend(
                Issue(VALUE_MISSING, "error", f"{column.name} kosong", number, column.name)
                for number in numbers.filter(raw.is_null()).to_list()
            )
        if errors:
            bad = pl.DataFrame({"n": numbers, "text": raw}).filter(
                pl.col("text").is_in(list(errors))
            )
            issues.extend(
                Issue(
                    VALUE_INVALID,
                    "error",
                    f"{column.name}: {errors[text]}"
                    if column.pii
                    else f"{column.name} {_shown(column, text)}: {errors[text]}",
                    number,
                    column.name,
                )
                for number, text in bad.iter_rows()
            )
    issues.sort(key=lambda i: (i.row_number or 0, i.column or ""))
    rows = pl.DataFrame(columns)
    issues.extend(_duplicate_keys(rows, source))
    result = ReadResult(source, path, rows, issues, tuple(header))
    if max_error_ratio is not None:
        reject_if_mostly_wrong(result, max_error_ratio)
    return result


def reject_if_mostly_wrong(result: ReadResult, max_error_ratio: float) -> None:
    """Reject the whole file when more than ``max_error_ratio`` of its rows are in error."""
    rows = result.rows.height
    bad = len(result.error_rows())
    if result.rejected or not rows or bad / rows <= max_error_ratio:
        return
    result.issues.append(
        Issue(
            TOO_MANY_ERRORS,
            "error",
            f"{bad} dari {rows} baris ({bad / rows:.0%}) salah, melebihi batas "
            f"{max_error_ratio:.0%}: seluruh file ditolak",
        )
    )


def _duplicate_keys(rows: pl.DataFrame, source: Source) -> list[Issue]:
    """Rows sharing a business key within one file: which one is right is unknown."""
    keys = list(source.key_fields)
    dupes = (
        rows.drop_nulls(keys)
        .with_columns(
            pl.len().over(keys).alias("_n"), pl.col(ROW_NUMBER).min().over(keys).alias("_first")
        )
        .filter(pl.col("_n") > 1)
    )
    names = " + ".join(source.key)
    return [
        Issue(
            KEY_DUPLICATE,
            "error",
            f"kunci {names} sama dengan baris {first} (muncul {n} kali di file ini)"
            if number != first
            else f"kunci {names} muncul {n} kali di file ini",
            number,
            source.key[0],
        )
        for number, first, n in dupes.select(ROW_NUMBER, "_first", "_n").iter_rows()
    ]
