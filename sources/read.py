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


def read_csv_cells(data: bytes, source: Source) -> list[list[str | None]]:
    """Rows of cells; the delimiter is the one under which the header is best recognised."""
    text = decode(data)
    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        head = _csv_rows(text, delimiter, HEADER_SEARCH_ROWS)
        score = max((_header_score(row, source) for row in head), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    return [[c if c.strip() else None for c in row] for row in _csv_rows(text, best)]


def read_xlsx_cells(data: bytes) -> list[list[str | None]]:
    """Rows of cells of the first sheet, as text; row i is Excel row i + 1."""
    try:
        sheet = fastexcel.read_excel(data).load_sheet(
            0, header_row=None, dtypes="string", skip_rows=0
        )
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ReadError(
            FILE_UNREADABLE,
            f"file XLSX tidak dapat dibuka (rusak, terpotong, atau bukan XLSX): {detail}. "
            "Ekspor ulang dari aplikasi sumber",
        ) from exc
    frame = sheet.to_polars()
    return [[c if c is not None and c.strip() else None for c in row] for row in frame.rows()]


def read_cells(path: Path, source: Source) -> list[list[str | None]]:
    suffix = path.suffix.casefold()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(FILE_UNREADABLE, f"file tidak dapat dibaca: {exc.strerror}") from exc
    if suffix == ".csv":
        return read_csv_cells(data, source)
    if suffix == ".xlsx":
        return read_xlsx_cells(data)
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


def _column_cells(body: list[list[str | None]], index: int | None) -> pl.Series:
    if index is None:
        return pl.Series([None] * len(body), dtype=pl.String)
    return pl.Series([row[index] if index < len(row) else None for row in body], dtype=pl.String)


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
        cells = read_cells(path, source)
        header_index, header = find_header(cells, source)
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
    declared = list(header.values())
    body, numbers = [], []
    for offset, row in enumerate(cells[header_index + 1 :], start=header_index + 2):
        if any(i < len(row) and row[i] is not None for i in declared):
            body.append(row)
            numbers.append(offset)

    issues: list[Issue] = []
    columns: dict[str, pl.Series] = {ROW_NUMBER: pl.Series(numbers, dtype=pl.Int64)}
    for column in source.columns:
        raw = _column_cells(body, header.get(column.name))
        typed, errors = parse_series(column, raw)
        if column.name not in header and column.default is not None:
            typed = pl.Series([column.default] * len(body), dtype=typed.dtype)
        columns[column.field] = typed.alias(column.field)
        for number, text in zip(numbers, raw.to_list(), strict=True):
            if text is None:
                if not column.nullable or source.is_key(column):
                    issues.append(
                        Issue(VALUE_MISSING, "error", f"{column.name} kosong", number, column.name)
                    )
            elif text in errors:
                issues.append(
                    Issue(
                        VALUE_INVALID,
                        "error",
                        f"{column.name} {_shown(column, text)}: {errors[text]}"
                        if not column.pii
                        else f"{column.name}: {errors[text]}",
                        number,
                        column.name,
                    )
                )
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
