"""One reader for every source: an export file (CSV or XLSX) in, typed rows and issues out.

The reader finds the header row by the declared column names (banner rows above it are
skipped), matches headers ignoring case and punctuation, parses each column by its declared
kind and reports, per row, every cell it could not read.

It never raises, whatever the bytes of the file: a file that cannot be read, is too big for
the ``ReadLimits``, lacks a required column or names one twice comes back rejected with a
message naming the file's problem and what to do; a value that cannot be stored is an error
of its row. The format is told by the bytes (an XLSX is a zip), not by the file name. The
limits are checked before the expensive work: the size of the file before reading it, the
zip directory and the sheet's extent before the spreadsheet reader opens an XLSX, the longest
line and the width of the first rows before a CSV is split into cells.
"""

from __future__ import annotations

import stat
from pathlib import Path

import polars as pl

from sources.csvfile import read_csv_sheet
from sources.model import Column, Kind, Source
from sources.parse import parse_series
from sources.sheet import (
    DEFAULT_LIMITS,
    FILE_TOO_LARGE,
    FILE_UNREADABLE,
    FORMAT_UNSUPPORTED,
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
    find_header,
    log,
    shown_value,
    size_text,
)
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


def read_sheet(path: Path, source: Source, limits: ReadLimits = DEFAULT_LIMITS) -> Sheet:
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
    if data.startswith(b"%PDF"):
        raise ReadError(
            FORMAT_UNSUPPORTED,
            "file PDF tidak didukung (hanya CSV atau XLSX); ekspor data dari aplikasi sumber "
            "sebagai .xlsx atau .csv",
        )
    return read_csv_sheet(data, source, limits)


def _rejected(
    path: Path, source: Source, rule: str, message: str, columns: tuple[str, ...] = ()
) -> ReadResult:
    empty = pl.DataFrame({ROW_NUMBER: []}, schema={ROW_NUMBER: pl.Int64})
    return ReadResult(source, path, empty, [Issue(rule, "error", message)], columns)


def read_export(path: Path, source: Source, limits: ReadLimits = DEFAULT_LIMITS) -> ReadResult:
    """Read one export of ``source`` into typed rows. Never raises for any content: see
    ``ReadResult.issues``. Reading judges only what it types (the file, its columns, each
    cell); the rules on typed values are the checks' (``warehouse/quality.py``). Any
    unexpected failure rejects the file (rule ``kesalahan_tak_terduga``) instead of ending
    the run.
    """
    try:
        return _read_export(path, source, limits)
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


def _read_export(path: Path, source: Source, limits: ReadLimits) -> ReadResult:
    try:
        sheet = read_sheet(path, source, limits)
        header_index, header = find_header(sheet.head, source)
        dated = (Kind.DATE, Kind.MONTH)
        date_columns = [i for n, i in header.items() if source.column(n).kind in dated]
    except ReadError as exc:
        return _rejected(path, source, exc.rule, str(exc))

    missing = [c.name for c in source.required if c.name not in header]
    if missing:
        message = (
            f"kolom wajib tidak ada: {', '.join(missing)} (baris judul di baris {header_index + 1})"
        )
        return _rejected(path, source, REQUIRED_COLUMN_MISSING, message, tuple(header))

    # Data rows: below the header, skipping rows with nothing in any declared column.
    try:
        cells = sheet.body(header_index, list(header.values()), date_columns)
    except ReadError as exc:
        return _rejected(path, source, exc.rule, str(exc))
    declared = {name: f"c{i}" for name, i in header.items()}
    numbers = cells[ROW_NUMBER].cast(pl.Int64)

    issues: list[Issue] = []
    columns: dict[str, pl.Series] = {ROW_NUMBER: numbers}
    for column in source.columns:
        raw = (
            cells[declared[column.name]]
            if column.name in declared
            else pl.Series([None] * cells.height, dtype=pl.String)
        )
        typed, errors = parse_series(column, raw, limits.window(column))
        if column.name not in header and column.default is not None:
            typed = pl.Series([column.default] * cells.height, dtype=typed.dtype)
        columns[column.field] = typed.alias(column.field)
        if errors:
            bad = pl.DataFrame({"n": numbers, "text": raw}).filter(
                pl.col("text").is_in(list(errors))
            )
            issues.extend(
                Issue(
                    VALUE_INVALID,
                    column.invalid,
                    _invalid(column, text, errors[text]),
                    n,
                    column.name,
                )
                for n, text in bad.iter_rows()
            )
    issues.sort(key=lambda i: (i.row_number or 0, i.column or ""))
    return ReadResult(source, path, pl.DataFrame(columns), issues, tuple(header))


def _invalid(column: Column, text: str, reason: str) -> str:
    """The message for a value the parser refused, the value itself shown only as allowed."""
    shown = shown_value(column, text)
    reason = reason.replace(f"'{text}'", f"'{shown}'")  # parsers quote the cell: '31/02/2025'
    text = f"{column.name}: {reason}" if column.pii else f"{column.name} {shown!r}: {reason}"
    return text + (
        "; nilai diabaikan (dibaca kosong), baris tetap dimuat"
        if column.invalid == "warning"
        else ""
    )
