"""One reader for every source: an export file (CSV or XLSX) in, typed rows and issues out.

The reader finds the header row by the declared column names (banner rows above it are
skipped, and so is a register's footer below the table: ``sources.footer``), matches
headers ignoring case and punctuation, parses each column by its declared kind and
reports, per row, every cell it could not read.

It never raises, whatever the bytes of the file: a file that cannot be read, is too big for
the ``ReadLimits``, lacks a required column or names one twice comes back rejected with a
message naming the file's problem and what to do; a value that cannot be stored is an error
of its row. The format is told by the bytes (an XLSX is a zip), not by the file name. The
limits are checked before the expensive work: the size of the file before reading it, the
zip directory and the sheet's extent before the spreadsheet reader opens an XLSX, the longest
line and the width of the first rows before a CSV is split into cells.
"""

from __future__ import annotations

import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TypeVar

import polars as pl

from sources.csvfile import CUT_SHORT, read_csv_sheet
from sources.footer import without_footer
from sources.header import find_header
from sources.model import Column, Kind, Severity, Source
from sources.parse import parse_series
from sources.sheet import (
    CELLS_BEYOND_HEADER,
    DEFAULT_LIMITS,
    FILE_TOO_LARGE,
    FILE_UNREADABLE,
    FORMAT_UNSUPPORTED,
    OVERFLOW,
    REQUIRED_COLUMN_MISSING,
    ROW_NUMBER,
    UNEXPECTED_ERROR,
    VALUE_INVALID,
    Issue,
    ReadError,
    ReadLimits,
    ReadResult,
    Sheet,
    describe,
    log,
    shown_value,
    size_text,
)
from sources.shown import NOT_CALCULATED
from sources.xlsx import read_xlsx_sheet


def _read_bytes(path: Path, limits: ReadLimits) -> bytes:
    """The whole file, refused unread when it is not a regular file or is too large."""

    def too_large(size: int) -> ReadError:
        return ReadError(
            FILE_TOO_LARGE,
            f"file berukuran {size_text(size)}, melebihi batas {size_text(limits.max_file_bytes)} "
            "(IKU_MAX_FILE_BYTES); pecah ekspor menjadi beberapa file (mis. per bulan) atau "
            "naikkan IKU_MAX_FILE_BYTES",
        )

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(
                FILE_UNREADABLE,
                "bukan file biasa (folder, pipa, atau perangkat); letakkan file ekspor CSV atau "
                "XLSX di sini",
            )
        if info.st_size > limits.max_file_bytes:
            raise too_large(info.st_size)
        with path.open("rb") as file:
            data = file.read(limits.max_file_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ReadError(
            FILE_UNREADABLE,
            f"file tidak dapat dibaca ({reason}); periksa izin akses file lalu salin ulang",
        ) from exc
    if len(data) > limits.max_file_bytes:  # grew after stat
        raise too_large(len(data))
    return data


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls, and password-protected .xlsx


def read_sheet(path: Path, source: Source, limits: ReadLimits) -> Sheet:
    """The cells of an export, its format told by its first bytes, whatever its name."""
    data = _read_bytes(path, limits)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return read_xlsx_sheet(data, limits)
    if data.startswith(_OLE):
        raise ReadError(
            FORMAT_UNSUPPORTED,
            "file Excel lama (.xls) atau XLSX yang dilindungi kata sandi tidak didukung; buka di "
            "Excel lalu simpan ulang sebagai .xlsx atau .csv (tanpa kata sandi)",
        )
    if re.match(rb"(?:\xef\xbb\xbf)?\s*<(?:!doctype html|html|table|\?xml)", data[:1024], re.I):
        raise ReadError(
            FORMAT_UNSUPPORTED,
            'file HTML/XML (ekspor "Excel" dari aplikasi web), bukan CSV atau XLSX; buka di '
            "Excel lalu simpan sebagai .xlsx atau .csv",
        )
    if data.startswith(b"%PDF"):
        raise ReadError(
            FORMAT_UNSUPPORTED,
            "file PDF tidak didukung (hanya CSV atau XLSX); ekspor data dari aplikasi sumber "
            "sebagai .xlsx atau .csv",
        )
    return read_csv_sheet(data, source, limits)


def _rejected(
    path: Path,
    source: Source,
    rule: str,
    message: str,
    notes: Sequence[Issue] = (),
) -> ReadResult:
    empty = pl.DataFrame({ROW_NUMBER: []}, schema={ROW_NUMBER: pl.Int64})
    return ReadResult(source, path, empty, [Issue(rule, "error", message), *notes])


def read_exports(
    paths: Sequence[Path], source: Source, limits: ReadLimits = DEFAULT_LIMITS
) -> list[ReadResult]:
    """Read exports of ``source`` into typed rows, one :class:`ReadResult` each. Never raises
    for any content: see ``ReadResult.issues``. Reading judges only what it types (the file,
    its columns, each cell); the rules on typed values are the checks'
    (``warehouse/quality.py``). Any unexpected failure rejects the file (rule
    ``kesalahan_tak_terduga``) instead of ending the run.

    Every file's sheet and header are found on their own, then the cells of all of them are
    typed together, one parse per column, since typing costs per call as much as per value
    (national scale: tens of thousands of small files). Should typing them together fail,
    each file is typed on its own, so that whatever one file holds stays that file's
    problem."""
    results: list[ReadResult | None] = [None] * len(paths)
    bodies: list[_Body] = []
    for index, path in enumerate(paths):
        found = _safely(path, source, partial(_cells, path, source, limits))
        if isinstance(found, ReadResult):
            results[index] = found
        else:
            bodies.append(_Body(index, path, *found))
    try:
        typed = _typed(source, limits, bodies) if len(bodies) > 1 else []
    except Exception:  # apart, below: the failure then names its own file
        typed = []
    if not typed:
        typed = [_safely(b.path, source, partial(_typed_alone, source, limits, b)) for b in bodies]
    for body, result in zip(bodies, typed, strict=True):
        results[body.index] = result
    return [r for r in results if r is not None]


T = TypeVar("T")


def _safely(path: Path, source: Source, work: Callable[[], T]) -> T | ReadResult:
    try:
        return work()
    except BaseException as exc:  # the safety net: one file must never end the run
        # A panic in the Rust XLSX reader arrives as pyo3's PanicException, which is not an
        # Exception; Ctrl+C and exit are not the file's fault and go on.
        if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
            raise
        return unexpected(path, source, exc, "membaca")


def unexpected(path: Path, source: Source, exc: BaseException, doing: str) -> ReadResult:
    """A file whose reading or checking failed in a way nobody foresaw: rejected, naming the
    cause; the traceback goes to the job's log (``<warehouse>/logs/iku.log`` during a run)."""
    log.error("kesalahan tak terduga saat %s %s", doing, path, exc_info=exc)
    return _rejected(
        path,
        source,
        UNEXPECTED_ERROR,
        f"kesalahan tak terduga saat {doing} file ({describe(exc)}); "
        "laporkan ke pengelola sistem beserta file ini",
    )


@dataclass(frozen=True)
class _Body:
    """The data cells of one export, below its header: one text column per declared column
    it has (by column name), and the row numbers."""

    index: int
    path: Path
    header: dict[str, int]
    cells: pl.DataFrame
    notes: list[Issue]  # what reading the cells found (as warnings), before typing them


def _cells(
    path: Path, source: Source, limits: ReadLimits
) -> ReadResult | tuple[dict[str, int], pl.DataFrame, list[Issue]]:
    """The header and data cells of one export, or the export rejected (with what reading
    noted: the other sheets holding data, when the first has no register)."""
    notes: list[Issue] = []
    try:
        sheet = read_sheet(path, source, limits)
        notes = sheet.notes
        header_index, header = find_header(sheet.head, source)
        missing = [c.name for c in source.required if c.name not in header]
        if missing:
            message = (
                f"kolom wajib tidak ada: {', '.join(missing)} "
                f"(baris judul di baris {header_index + 1})"
            )
            rule = REQUIRED_COLUMN_MISSING
            return _rejected(path, source, rule, message, notes)
        # Data rows: below the header, skipping rows with nothing in any declared column.
        dates = [n for n in header if source.column(n).kind in (Kind.DATE, Kind.MONTH)]
        date_columns = [header[n] for n in dates]
        texts = [i for n, i in header.items() if source.column(n).longer_than_excel_numbers]
        names = [name for c in source.columns for name in (c.name, *c.aliases)]
        cells = sheet.body(header_index, list(header.values()), date_columns, texts, names)
    except ReadError as exc:
        return _rejected(path, source, exc.rule, str(exc), notes=notes)
    named = [pl.col(f"c{i}").alias(name) for name, i in header.items()]
    flag = [OVERFLOW] if OVERFLOW in cells.columns else []
    cells = cells.select(pl.col(ROW_NUMBER).cast(pl.Int64), *named, *flag)
    cells, footer = without_footer(cells, source, sheet, header_index)
    # (with what reading the body found; a CSV cut inside its footer lost no row)
    notes = [n for n in sheet.notes if not (footer and n == CUT_SHORT)] + footer
    if not _month_first(cells, dates):
        return header, cells, notes
    day_first = [pl.col(n).str.replace(_SLASHED, "${3}${2}${1}${2}${4}") for n in dates]
    month_first = Issue(MONTH_FIRST, "warning", MONTH_FIRST_TEXT)
    return header, cells.with_columns(day_first), [*notes, month_first]


# d/m/yyyy or m/d/yyyy (also with - or .): which one a file writes, its values tell.
_SLASHED = r"^\s*(\d{1,2})([/.-])(\d{1,2})[/.-](\d{4})"
MONTH_FIRST = "tanggal_bulan_di_depan"
MONTH_FIRST_TEXT = (
    "tanggal di file ini ditulis bulan/hari/tahun (mis. 3/27/2025: Excel dengan pengaturan "
    "bahasa Inggris), terlihat dari tanggal yang bulannya lebih dari 12 bila dibaca hari dulu; "
    "semua tanggalnya dibaca begitu. Sebaiknya ekspor ulang dengan pengaturan Indonesia"
)


def _month_first(cells: pl.DataFrame, columns: list[str]) -> bool:
    """Whether the dates of a file are written month first: two different ones can be read
    only so (3/27, 4/15: one could be a typo of a day-first file), none only day first
    (27/3)."""
    if not columns:
        return False

    def only(pattern: str) -> set[str]:
        return {v for n in columns for v in cells[n].filter(cells[n].str.contains(pattern))}

    return len(only(_ONLY_MONTH_FIRST)) >= 2 and not only(_ONLY_DAY_FIRST)


_DAY = r"(?:1[3-9]|2\d|3[01])"  # a number that is a day and no month
_ONLY_MONTH_FIRST = rf"^\s*\d{{1,2}}[/.-]{_DAY}[/.-]\d{{4}}"
_ONLY_DAY_FIRST = rf"^\s*{_DAY}[/.-]\d{{1,2}}[/.-]\d{{4}}"


def _typed(source: Source, limits: ReadLimits, bodies: list[_Body]) -> list[ReadResult]:
    """Type the cells of ``bodies`` together, one parse per column; one result per body."""
    cells = pl.concat(
        [
            b.cells.with_columns(pl.lit(n, dtype=pl.Int32).alias(_FILE))
            for n, b in enumerate(bodies)
        ],
        how="diagonal",
    )
    files = cells[_FILE]
    issues: list[list[Issue]] = [list(b.notes) for b in bodies]
    columns: dict[str, pl.Series] = {_FILE: files, ROW_NUMBER: cells[ROW_NUMBER]}
    for column in source.columns:
        raw = (
            cells[column.name]
            if column.name in cells.columns
            else pl.Series([None] * cells.height, dtype=pl.String)
        )
        typed, errors = parse_series(column, raw, limits.window(column))
        lacking = [n for n, b in enumerate(bodies) if column.name not in b.header]
        if lacking and column.default is not None:
            default = pl.Series([column.default] * cells.height, dtype=typed.dtype)
            typed = default.zip_with(files.is_in(lacking), typed)
        columns[column.field] = typed.alias(column.field)
        if errors:
            bad = pl.DataFrame({"f": files, "n": cells[ROW_NUMBER], "text": raw}).filter(
                pl.col("text").is_in(list(errors))
            )
            for file, number, text in bad.iter_rows():
                severity = _severity(column, text)
                message = _invalid(column, text, errors[text], severity)
                issues[file].append(Issue(VALUE_INVALID, severity, message, number, column.name))
    if OVERFLOW in cells.columns:
        shifted = pl.DataFrame({"f": files, "n": cells[ROW_NUMBER], "o": cells[OVERFLOW]})
        for file, number, _ in shifted.filter(pl.col("o")).iter_rows():
            issues[file].append(Issue(CELLS_BEYOND_HEADER, "error", SHIFTED, number))
    table = pl.DataFrame(columns)
    parts = table.partition_by(_FILE, as_dict=True, maintain_order=True, include_key=False)
    empty = table.clear().drop(_FILE)
    results = []
    for n, body in enumerate(bodies):
        found = sorted(issues[n], key=lambda i: (i.row_number or 0, i.column or ""))
        rows = parts.get((n,), empty)
        results.append(ReadResult(source, body.path, rows, found))
    return results


def _typed_alone(source: Source, limits: ReadLimits, body: _Body) -> ReadResult:
    return _typed(source, limits, [body])[0]


# The column that tells the files of one batch apart while they are typed together.
_FILE = "_berkas"
SHIFTED = (
    "baris ini berisi sel di kanan kolom terakhir baris judul: nilainya mungkin bergeser (pemisah "
    "di dalam sel tanpa tanda kutip, mis. koma desimal atau koma dalam alamat); perbaiki baris "
    "ini di sumber"
)


def _severity(column: Column, text: str) -> Severity:
    """How a value the parser refused weighs: as the column says (``Column.invalid``), except
    a formula whose result the file does not hold in free text, whose row does without it."""
    if text == NOT_CALCULATED and column.kind is Kind.TEXT and column.nullable:
        return "warning"
    return column.invalid


def _invalid(column: Column, text: str, reason: str, severity: Severity) -> str:
    """The message for a value the parser refused, the value itself shown only as allowed."""
    shown = shown_value(column, text)
    reason = reason.replace(f"'{text}'", f"'{shown}'")  # parsers quote the cell: '31/02/2025'
    text = f"{column.name}: {reason}" if column.pii else f"{column.name} {shown!r}: {reason}"
    return text + (
        "; nilai diabaikan (dibaca kosong), baris tetap dimuat" if severity == "warning" else ""
    )
