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

import codecs
import csv
import io
import logging
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Literal

import fastexcel
import polars as pl

from sources.model import Column, Kind, Source, normalise_header
from sources.parse import parse_series

Severity = Literal["error", "warning"]

HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t", "|")
ROW_NUMBER = "_row_number"
MAX_ERROR_RATIO = 0.20
KIB = 1024
MIB = 1024 * KIB

# Rule names, shared with the checks and shown to admins in dq.issues.
FILE_UNREADABLE = "file_tidak_terbaca"
FORMAT_UNSUPPORTED = "format_tidak_didukung"
HEADER_NOT_FOUND = "header_tidak_ditemukan"
REQUIRED_COLUMN_MISSING = "kolom_wajib_tidak_ada"
TOO_MANY_ERRORS = "terlalu_banyak_baris_salah"
VALUE_INVALID = "nilai_tidak_valid"
VALUE_MISSING = "nilai_wajib_kosong"
KEY_DUPLICATE = "kunci_ganda_dalam_file"
FILE_EMPTY = "file_kosong"
FILE_TOO_LARGE = "file_terlalu_besar"
XLSX_TOO_LARGE = "xlsx_terlalu_besar"
TOO_MANY_COLUMNS = "kolom_terlalu_banyak"
LINE_TOO_LONG = "baris_terlalu_panjang"
TOO_MANY_ROWS = "baris_terlalu_banyak"
FIELD_TOO_LONG = "sel_terlalu_panjang"
COLUMN_DUPLICATE = "kolom_ganda"
UNEXPECTED_ERROR = "kesalahan_tak_terduga"
log = logging.getLogger("iku")


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


@dataclass(frozen=True)
class ReadLimits:
    """What the reader accepts. Sizes guard memory and time (each is named, with its
    environment variable, in the message of a file that exceeds it); the date windows say
    which dates are plausible at all."""

    max_file_bytes: int = 64 * MIB  # IKU_MAX_FILE_BYTES
    max_xlsx_uncompressed_bytes: int = 256 * MIB  # IKU_MAX_XLSX_UNCOMPRESSED_BYTES
    max_xlsx_ratio: float = 100  # IKU_MAX_XLSX_RATIO: uncompressed / compressed size
    max_xlsx_cells: int = 5_000_000  # IKU_MAX_XLSX_CELLS: rows x columns of the first sheet
    max_columns: int = 500  # IKU_MAX_COLUMNS
    max_rows: int = 2_000_000  # IKU_MAX_ROWS: lines of a CSV, rows of a sheet
    max_field_chars: int = 32 * KIB  # IKU_MAX_FIELD_CHARS: one cell
    max_line_chars: int = 1 * MIB  # IKU_MAX_LINE_CHARS: one CSV line (counted in UTF-8 bytes)
    min_event_date: date = date(2000, 1, 1)
    max_years_ahead: int = 2  # event dates up to as-of plus this many years
    min_birth_date: date = date(1900, 1, 1)  # birth dates from here up to as-of
    as_of: date | None = None  # None: today

    def window(self, column: Column) -> tuple[date, date] | None:
        """The plausible values of a DATE or MONTH column (None for other kinds)."""
        if column.kind not in (Kind.DATE, Kind.MONTH):
            return None
        today = self.as_of or date.today()
        if column.birth_date:
            return self.min_birth_date, today
        try:
            latest = today.replace(year=today.year + self.max_years_ahead)
        except ValueError:  # 29 February
            latest = today.replace(year=today.year + self.max_years_ahead, day=28)
        return self.min_event_date, latest


DEFAULT_LIMITS = ReadLimits()


def size_text(n: float) -> str:
    """A size in MiB the Indonesian way: '64,0 MiB'."""
    return f"{n / MIB:.1f} MiB".replace(".", ",")


# --- bytes -------------------------------------------------------------------------------


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


# --- cells -------------------------------------------------------------------------------


@dataclass
class Sheet:
    """The cells of an export: the first rows (to find the header) and the body below it."""

    head: list[list[str | None]]
    # Every row below the header row (index given), one text column "c<i>" per position; in
    # the date columns (positions given) an XLSX date or number cell comes as an ISO date, so
    # that only a real Excel cell is ever read as a date serial.
    _below: Callable[[int, list[int]], pl.LazyFrame]
    limits: ReadLimits

    def body(
        self, header_index: int, columns: Sequence[int], date_columns: Sequence[int] = ()
    ) -> pl.DataFrame:
        """The rows below the header row with a value in one of ``columns`` (positions), as
        ``_row_number`` (numbered as in the file: the header row is ``header_index + 1``) and
        one text column "c<i>" per position, an empty or all-space cell NULL. Streamed, so
        that a million rows of empty cells cost nothing."""
        names = [f"c{i}" for i in sorted(set(columns))]
        blank = [pl.col(n).str.strip_chars() == "" for n in names]
        query = (
            self._below(header_index, list(date_columns))
            .select(names)
            .with_row_index(ROW_NUMBER, offset=header_index + 2)
            .with_columns(
                pl.when(b).then(None).otherwise(pl.col(n)).alias(n)
                for b, n in zip(blank, names, strict=True)
            )
            .filter(pl.any_horizontal(pl.col(n).is_not_null() for n in names))
        )
        try:
            rows = query.collect(engine="streaming")
        except pl.exceptions.PolarsError as exc:
            raise ReadError(
                FILE_UNREADABLE,
                "isi file tidak dapat diurai (di CSV: tanda kutip tidak berpasangan?); periksa "
                "file di aplikasi sumber lalu ekspor ulang",
            ) from exc
        longest = rows.select(pl.max_horizontal(pl.col(names).str.len_chars().max())).item()
        if longest is not None and longest > self.limits.max_field_chars:
            raise _field_too_long(longest, self.limits)
        return rows


def _field_too_long(length: int | None, limits: ReadLimits) -> ReadError:
    """``length`` None: longer than the limit, by how much is not known."""
    contents = "lebih banyak" if length is None else f"{length}"
    return ReadError(
        FIELD_TOO_LONG,
        f"ada sel berisi {contents} karakter, melebihi batas {limits.max_field_chars} "
        "(IKU_MAX_FIELD_CHARS); periksa sel itu (teks sangat panjang, atau tanda kutip yang "
        "tidak berpasangan di CSV) atau naikkan IKU_MAX_FIELD_CHARS",
    )


# --- CSV ---------------------------------------------------------------------------------


def to_utf8(data: bytes) -> bytes:
    """A CSV export as UTF-8 without BOM. It is UTF-8 (with or without BOM), UTF-16 (with a
    BOM or, without one, recognised by its NUL bytes), or else read as Windows-1252. Bytes
    that are not text in the encoding found become U+FFFD."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :]
        return text if _is_utf8(text) else text.decode("utf-8", "replace").encode("utf-8")
    encoding = _utf16(data)
    if encoding is not None:
        return data.decode(encoding, errors="replace").encode("utf-8")
    if _is_utf8(data):
        return data
    return data.decode("cp1252", errors="replace").encode("utf-8")


def _utf16(data: bytes) -> str | None:
    """UTF-16 by its BOM, or by text of which every other byte is NUL (LE: the odd ones)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if half >= 2 and odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if half >= 2 and even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _is_utf8(data: bytes) -> bool:
    """Checked a megabyte at a time, so that no text of the whole file is built."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), MIB):
            decoder.decode(view[start : start + MIB])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _has_long_line(text: bytes, limit: int) -> bool:
    """Whether a line (ended by LF or CR) is longer than ``limit`` bytes, in at most two
    searches per ``limit`` bytes: the next window starts after the last line end found."""
    start = 0
    while len(text) - start > limit:
        end = start + limit + 1
        last = max(text.rfind(b"\n", start, end), text.rfind(b"\r", start, end))
        if last < 0:
            return True
        start = last + 1
    return False


def _csv_head(text: bytes, delimiter: str, limits: ReadLimits) -> list[list[str]]:
    """The first rows under ``delimiter``. A row wider than ``max_columns`` is refused by
    counting the delimiters of its lines before the csv module splits it into cells."""
    pending = 0  # delimiters since the last complete row: at most its cells minus one

    def lines() -> Iterator[str]:
        nonlocal pending
        for line in io.TextIOWrapper(io.BytesIO(text), encoding="utf-8", newline=""):
            pending += line.count(delimiter)
            if pending >= limits.max_columns:
                raise ReadError(
                    TOO_MANY_COLUMNS,
                    f"lebih dari {limits.max_columns} kolom di {HEADER_SEARCH_ROWS} baris pertama "
                    "(IKU_MAX_COLUMNS); hapus kolom yang tidak perlu sebelum ekspor atau naikkan "
                    "IKU_MAX_COLUMNS",
                )
            yield line

    rows: list[list[str]] = []
    try:
        for row in csv.reader(lines(), delimiter=delimiter):
            rows.append(row)
            pending = 0
            if len(rows) == HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:  # only "field larger than field limit (131072)" in practice
        raise _field_too_long(None, limits) from exc
    return rows


def read_csv_sheet(data: bytes, source: Source, limits: ReadLimits = DEFAULT_LIMITS) -> Sheet:
    """The delimiter is the one under which the header is best recognised."""
    text = to_utf8(data)
    if b"\x00" in text:
        raise ReadError(
            FORMAT_UNSUPPORTED,
            "file berisi byte NUL: bukan teks CSV, atau encoding-nya tidak dikenal (mis. "
            "UTF-32); ekspor ulang sebagai CSV (UTF-8) atau XLSX",
        )
    if not text or text.isspace():
        raise ReadError(FILE_EMPTY, "file kosong; ekspor ulang dari aplikasi sumber")
    lines = max(text.count(b"\n"), text.count(b"\r"))  # the CSV parser spends ~20 B on each
    if lines > limits.max_rows:
        raise _too_many_rows(lines, limits)
    if _has_long_line(text, limits.max_line_chars):
        raise ReadError(
            LINE_TOO_LONG,
            f"ada baris lebih panjang dari {limits.max_line_chars} karakter "
            "(IKU_MAX_LINE_CHARS); pastikan file ini ekspor tabel CSV biasa, atau naikkan "
            "IKU_MAX_LINE_CHARS",
        )
    best, best_score, best_head, refused = ",", -1, list[list[str]](), list[ReadError]()
    for delimiter in DELIMITERS:  # under a wrong one, a line may be one long cell
        try:
            head = _csv_head(text, delimiter, limits)
        except ReadError as exc:
            refused.append(exc)
            continue
        score = max((_header_score(row, source) for row in head), default=0)
        if score > best_score:
            best, best_score, best_head = delimiter, score, head
    if refused and best_score <= 0:
        raise refused[0]
    longest = max((len(c) for row in best_head for c in row), default=0)
    if longest > limits.max_field_chars:
        raise _field_too_long(longest, limits)

    def below(header_index: int, _date_columns: list[int]) -> pl.LazyFrame:
        width = max(len(best_head[header_index]), 1)
        return pl.scan_csv(
            io.BytesIO(text),
            has_header=False,
            separator=best,
            skip_rows=header_index + 1,
            schema={f"c{i}": pl.String for i in range(width)},
            truncate_ragged_lines=True,  # a row longer than the header: the rest is ignored
            missing_columns="insert",  # a first row shorter than the header: NULLs
            extra_columns="ignore",
        )

    cells: list[list[str | None]] = [[c if c.strip() else None for c in r] for r in best_head]
    return Sheet(cells, below, limits)


# --- XLSX --------------------------------------------------------------------------------

_CHUNK = MIB
_RATIO_FLOOR = MIB  # an archive or member smaller than this is harmless whatever its ratio
_MAX_MEMBERS = 10_000  # a workbook has tens of parts (plus its pictures)
_NUMBER = r"^\s*-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s*$"  # a number cell, as fastexcel writes it


def read_xlsx_sheet(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> Sheet:
    """The first sheet, as text; row i of the frame is Excel row i + 1."""
    check_xlsx(data, limits)
    try:
        reader = fastexcel.read_excel(data)
        frame = reader.load_sheet(0, header_row=None, dtypes="string", skip_rows=0).to_polars()
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise _unreadable_xlsx(exc) from exc
    frame.columns = [f"c{i}" for i in range(frame.width)]
    head = [
        [c if c is not None and c.strip() else None for c in row]
        for row in frame.head(HEADER_SEARCH_ROWS).rows()
    ]

    def below(header_index: int, date_columns: list[int]) -> pl.LazyFrame:
        rows = frame.slice(header_index + 1)
        # A date or number cell shows as a number ("45743") or a timestamp; only the first is
        # ambiguous with text, so only such columns are read again, as dates this time (text
        # cells come back null and stay text).
        numbers = [
            i for i in date_columns if i < rows.width and rows[:, i].str.contains(_NUMBER).any()
        ]
        if not numbers:
            return rows.lazy()
        try:
            dates = reader.load_sheet(
                0, header_row=None, skip_rows=0, use_columns=numbers, dtypes="date"
            ).to_polars()
        except Exception as exc:  # as above
            raise _unreadable_xlsx(exc) from exc
        dates = dates.slice(header_index + 1)
        if dates.height != rows.height:
            return rows.lazy()
        return rows.lazy().with_columns(
            pl.when(dates[:, k].is_not_null())
            .then(dates[:, k].dt.to_string("%Y-%m-%d"))
            .otherwise(rows[:, i])
            .alias(rows.columns[i])
            for k, i in enumerate(numbers)
        )

    return Sheet(head, below, limits)


def _unreadable_xlsx(exc: Exception) -> ReadError:
    detail = first_line(exc)
    return ReadError(
        FILE_UNREADABLE,
        f"file XLSX tidak dapat dibuka (rusak, terpotong, atau bukan XLSX): {detail}. "
        "Ekspor ulang dari aplikasi sumber",
    )


def check_xlsx(data: bytes, limits: ReadLimits = DEFAULT_LIMITS) -> None:
    """Refuse an XLSX the spreadsheet reader could not open within the limits, before it
    tries: its zip directory (declared sizes and ratios), then every member decompressed as
    a stream (a member must not give more than its declared size: the reader would take it
    all), and meanwhile the extent of the first sheet and the count of shared strings."""
    # Listing the directory costs about 1 KiB per member: count them first, by the signature
    # every directory entry must start with.
    if data.count(b"PK\x01\x02") > _MAX_MEMBERS:
        raise ReadError(
            XLSX_TOO_LARGE,
            f"arsip XLSX berisi lebih dari {_MAX_MEMBERS} bagian, bukan workbook biasa; ekspor "
            "ulang dari aplikasi sumber",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception as exc:  # zipfile raises several types for a damaged directory
        raise _unreadable_xlsx(exc) from exc
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise ReadError(
            FORMAT_UNSUPPORTED,
            "arsip ZIP ini bukan XLSX (tidak ada xl/workbook.xml; mungkin DOCX, ODS, atau ZIP "
            "biasa); simpan sebagai .xlsx atau .csv",
        )
    declared = sum(m.file_size for m in members)
    if declared > limits.max_xlsx_uncompressed_bytes:
        raise ReadError(
            XLSX_TOO_LARGE,
            f"isi XLSX setelah diekstrak {size_text(declared)}, melebihi batas "
            f"{size_text(limits.max_xlsx_uncompressed_bytes)} (IKU_MAX_XLSX_UNCOMPRESSED_BYTES): "
            "kemungkinan zip bomb, atau lembar kerja terlalu besar; pecah menjadi beberapa file "
            "atau naikkan IKU_MAX_XLSX_UNCOMPRESSED_BYTES",
        )
    packed = sum(m.compress_size for m in members)
    parts = [("seluruh arsip", declared, packed)]
    parts += [(f"bagian {m.filename[:60]!r}", m.file_size, m.compress_size) for m in members]
    for what, size, compressed in parts:
        if size > _RATIO_FLOOR and size > limits.max_xlsx_ratio * max(compressed, 1):
            raise ReadError(
                XLSX_TOO_LARGE,
                f"{what} XLSX terkompresi {size / max(compressed, 1):.0f} kali, melebihi batas "
                f"{limits.max_xlsx_ratio:g} (IKU_MAX_XLSX_RATIO): kemungkinan zip bomb; ekspor "
                "ulang dari aplikasi sumber atau naikkan IKU_MAX_XLSX_RATIO",
            )
    first = _first_sheet(archive)
    strings = 0
    for member in members:
        name = member.filename
        is_sheet = name == first if first else name.startswith("xl/worksheets/")
        extent = _SheetExtent() if is_sheet else None
        try:
            for piece in _inflate(data, member):
                if extent is not None:
                    extent.feed(piece, limits)
                elif name.endswith("sharedStrings.xml"):
                    strings += _count_tags(_STRING_TAGS, piece)
            if extent is not None:
                extent.check(data, member, limits)
        except (zlib.error, struct.error) as exc:
            raise _unreadable_xlsx(exc) from exc
    if strings > limits.max_xlsx_cells:
        raise _too_many_cells(f"{strings} teks berbeda", limits)


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The member holding the first sheet, found as the spreadsheet reader finds it: the
    first <sheet> of the workbook and its relationship (None: not found)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except Exception:  # missing or damaged: then every worksheet is checked
        return None
    sheet = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\s(?:\w+:)?id\s*=\s*[\"']([^\"']*)", workbook)
    if sheet is None:
        return None
    for relation in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", relations):
        attributes = dict(re.findall(rb"\s([\w:]+)\s*=\s*[\"']([^\"']*)", relation[0]))
        if attributes.get(b"Id") == sheet[1]:
            target = attributes.get(b"Target", b"").decode("utf-8", "replace")
            name = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            name = posixpath.normpath(name)
            return name if name in archive.namelist() else None
    return None


def _inflate(data: bytes, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """The bytes of one member, a megabyte at a time, as the spreadsheet reader will get
    them: its whole compressed stream, refused as soon as it gives more than the declared
    size (a zip bomb can declare a small size and decompress to gigabytes)."""
    start = member.header_offset
    if data[start : start + 4] != b"PK\x03\x04" or len(data) < start + 30:
        raise _unreadable_xlsx(ValueError(f"bagian {member.filename[:60]!r} rusak"))
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    packed = memoryview(data)[begin : begin + member.compress_size]
    if member.flag_bits & 1:
        raise ReadError(
            FILE_UNREADABLE, "XLSX dilindungi kata sandi; simpan ulang tanpa kata sandi"
        )
    if member.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = (
            bytes(packed[i : i + _CHUNK]) for i in range(0, len(packed), _CHUNK)
        )
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        pieces = _deflated(packed)
    else:
        raise _unreadable_xlsx(ValueError(f"metode kompresi {member.compress_type}"))
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > member.file_size:
            raise ReadError(
                XLSX_TOO_LARGE,
                f"bagian {member.filename[:60]!r} XLSX berisi lebih banyak dari yang tercatat di "
                "direktori zip: kemungkinan zip bomb; ekspor ulang dari aplikasi sumber",
            )
        yield piece
    if size != member.file_size or len(packed) != member.compress_size:
        raise _unreadable_xlsx(ValueError(f"bagian {member.filename[:60]!r} terpotong"))


def _deflated(packed: memoryview) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for start in range(0, len(packed), _CHUNK):
        piece = inflater.decompress(packed[start : start + _CHUNK], _CHUNK)
        yield piece
        while inflater.unconsumed_tail or len(piece) == _CHUNK:
            piece = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            yield piece
            if not piece:
                break


def _too_many_rows(rows: int, limits: ReadLimits) -> ReadError:
    return ReadError(
        TOO_MANY_ROWS,
        f"file berisi {rows} baris, melebihi batas {limits.max_rows} (IKU_MAX_ROWS); hapus "
        "baris kosong di bawah data, pecah file, atau naikkan IKU_MAX_ROWS",
    )


def _too_many_cells(what: str, limits: ReadLimits) -> ReadError:
    return ReadError(
        XLSX_TOO_LARGE,
        f"lembar pertama XLSX mencakup {what}, melebihi batas {limits.max_xlsx_cells} sel "
        "(IKU_MAX_XLSX_CELLS); hapus baris dan kolom kosong di luar data (Ctrl+End di Excel "
        "menunjukkan sel terakhir yang terpakai), pecah file, atau naikkan IKU_MAX_XLSX_CELLS",
    )


# References: r="B7" on a cell, r="7" on a row. The XML parser of the spreadsheet reader takes
# an attribute after white space or right after the previous value's quote, and the last of
# two r's. Found anywhere (even in a text), a reference only makes the estimate larger.
_REFERENCE = re.compile(rb"""[\s"']r\s*=\s*["']([A-Za-z]*)([0-9]+)""")


def _start_tags(name: bytes, then: bytes = rb"[\s/>]") -> tuple[re.Pattern[bytes], ...]:
    """Start tags ``name`` followed by ``then``, without and with a namespace prefix (two
    patterns: one starting with a literal is searched several times faster)."""
    return re.compile(b"<" + name + then), re.compile(rb"<[\w.-]+:" + name + then)


_ROW_TAGS = _start_tags(b"row")
_CELL_TAGS = _start_tags(b"c")
_STRING_TAGS = _start_tags(b"si")
_CELL_TAGS_R_FIRST = _start_tags(b"c", b' r="')
_LOOSE_CELL_TAGS = _start_tags(b"c", rb"""(?=[\s/>])(?![^>]*[\s"']r\s*=)""")  # without r
_NOT_MARKS = bytes(b for b in range(256) if b not in (1, 2))
_BEYOND = 10**8  # more rows or columns than any sheet can have


def _count_tags(tags: tuple[re.Pattern[bytes], ...], text: bytes) -> int:
    return sum(len(tag.findall(text)) for tag in tags)


def _column_number(letters: bytes) -> int:
    if len(letters) > 3:  # beyond XFD, Excel's last column
        return _BEYOND
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


class _SheetExtent:
    """The grid the spreadsheet reader (calamine) will allocate for a worksheet, from its XML.

    It allocates every cell from the first to the last column and row referenced, 32 bytes
    each, and aborts the whole process when that fails: cells A1 and XFD1048576 in a 7 KiB
    file ask for 512 GiB. A cell without a reference follows the previous one in its row, and
    a row without one follows the previous row.
    """

    def __init__(self) -> None:
        self.carry = b""  # from the last "<" of the data fed so far: a tag may go on
        self.max_row = 0
        self.min_column = self.max_column = 0  # 0: no cell reference yet
        self.loose_cells = 0  # cells without a reference

    def feed(self, piece: bytes, limits: ReadLimits) -> None:
        text = self.carry + piece
        cut = text.rfind(b"<")
        cut = len(text) if cut < 0 else cut
        self._scan(text[:cut])
        self.carry = text[cut:]
        if len(self.carry) > 8 * limits.max_field_chars + 64 * KIB:
            raise _field_too_long(None, limits)  # a text or tag longer than any cell

    def _scan(self, text: bytes) -> None:
        references = _REFERENCE.findall(text)  # the one search per cell; the rest is C loops
        if references:
            try:
                row = max(map(int, map(itemgetter(1), references)))
            except ValueError:  # more digits than Python converts
                row = _BEYOND
            self.max_row = max(self.max_row, min(row, _BEYOND))
        columns = [_column_number(c) for c in set(map(itemgetter(0), references)) if c]
        if columns:
            self.max_column = max(self.max_column, *columns)
            self.min_column = min(self.min_column or _BEYOND, *columns)
        # Every writer puts r first in a cell tag; look closer only when some cell does not.
        if _count_tags(_CELL_TAGS, text) != _count_tags(_CELL_TAGS_R_FIRST, text):
            self.loose_cells += _count_tags(_LOOSE_CELL_TAGS, text)

    def check(self, data: bytes, member: zipfile.ZipInfo, limits: ReadLimits) -> None:
        self._scan(self.carry)
        rows = self.max_row
        columns = self.max_column - self.min_column + 1 if self.max_column else 0
        if self.loose_cells:  # rare: then rows and the widest row bound where they can land
            row_tags, widest = _rows_and_widest(_inflate(data, member))
            rows, columns = rows + row_tags, columns + widest
        if columns > limits.max_columns:
            raise ReadError(
                TOO_MANY_COLUMNS,
                f"lembar pertama XLSX memakai {columns} kolom, melebihi batas "
                f"{limits.max_columns} (IKU_MAX_COLUMNS); hapus kolom kosong atau berlebih, "
                "atau naikkan IKU_MAX_COLUMNS",
            )
        if rows > limits.max_rows:
            raise _too_many_rows(rows, limits)
        if rows * max(columns, 1) > limits.max_xlsx_cells:
            raise _too_many_cells(f"{rows} baris × {columns} kolom", limits)


def _rows_and_widest(pieces: Iterator[bytes]) -> tuple[int, int]:
    """The number of rows, and the most cells in one: row tags become \\x01, cell tags \\x02,
    the rest goes."""
    rows_seen = widest = open_row = 0
    carry = b""
    for piece in chain(pieces, [b"<"]):
        text = carry + piece
        cut = text.rfind(b"<")
        marks = text[:cut]
        for tags, mark in ((_ROW_TAGS, b"\x01"), (_CELL_TAGS, b"\x02")):
            for tag in tags:
                marks = tag.sub(mark, marks)
        rows = marks.translate(None, _NOT_MARKS).split(b"\x01")
        rows_seen += len(rows) - 1
        open_row += len(rows[0])
        if len(rows) > 1:
            widest = max(widest, open_row, *map(len, rows[1:-1]))
            open_row = len(rows[-1])
        carry = text[cut:]
    return rows_seen, max(widest, open_row)


# --- header ------------------------------------------------------------------------------


def _header_positions(row: Sequence[str | None], source: Source) -> dict[str, list[int]]:
    """Column name -> cell indexes, for the cells of a row that name a declared column."""
    keys = {k: c.name for c in source.columns for k in c.header_keys}
    found: dict[str, list[int]] = {}
    for index, cell in enumerate(row):
        name = keys.get(normalise_header(cell)) if cell is not None else None
        if name is not None:
            found.setdefault(name, []).append(index)
    return found


def _header_score(row: list[str], source: Source) -> int:
    return len(_header_positions(row, source))


def find_header(cells: list[list[str | None]], source: Source) -> tuple[int, dict[str, int]]:
    """The header row: the first with every required column, else the best-matching one.

    A declared column named twice in it (directly or by an alias: NIK and No Identitas) makes
    the file ambiguous: which of the two holds the values is unknown.
    """
    best_index, best_map = -1, dict[str, list[int]]()
    required = {c.name for c in source.required}
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        found = _header_positions(row, source)
        if required <= found.keys():
            best_index, best_map = index, found
            break
        if len(found) > len(best_map):
            best_index, best_map = index, found
    if best_index < 0:
        expected = ", ".join(c.name for c in source.required)
        raise ReadError(
            HEADER_NOT_FOUND,
            f"baris judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama "
            f"(kolom yang dicari: {expected})",
        )
    twice = [(name, positions) for name, positions in best_map.items() if len(positions) > 1]
    if twice:
        (name, (first, second, *_)), row = twice[0], cells[best_index]
        raise ReadError(
            COLUMN_DUPLICATE,
            f"kolom {name} muncul dua kali di baris judul (baris {best_index + 1}): kolom ke-"
            f"{first + 1} {(row[first] or '')[:40]!r} dan kolom ke-{second + 1} "
            f"{(row[second] or '')[:40]!r}; hapus atau ganti nama salah satunya",
        )
    return best_index, {name: positions[0] for name, positions in best_map.items()}


# --- rows --------------------------------------------------------------------------------


def _shown(column: Column, text: str) -> str:
    """A cell as it may appear in a message: personal data is never repeated, and a long
    text is cut short."""
    if column.pii:
        return "(disembunyikan)"
    return text if len(text) <= 60 else text[:57] + "..."


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message, cut short, long digit runs (NIK, NIP, phone
    numbers a library may quote from a cell) masked."""
    lines = str(exc).strip().splitlines()
    return re.sub(r"\d{6,}", "…", lines[0][:200]) if lines else type(exc).__name__


def describe(exc: BaseException) -> str:
    """``Type: first line`` of an exception, for a message or a run record."""
    line = first_line(exc)
    return type(exc).__name__ if line == type(exc).__name__ else f"{type(exc).__name__}: {line}"


def _rejected(
    path: Path, source: Source, rule: str, message: str, columns: tuple[str, ...] = ()
) -> ReadResult:
    empty = pl.DataFrame({ROW_NUMBER: []}, schema={ROW_NUMBER: pl.Int64})
    return ReadResult(source, path, empty, [Issue(rule, "error", message)], columns)


def read_export(
    path: Path,
    source: Source,
    max_error_ratio: float | None = MAX_ERROR_RATIO,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> ReadResult:
    """Read one export of ``source``. Never raises for any content: see ``ReadResult.issues``.

    With ``max_error_ratio`` None the caller applies ``reject_if_mostly_wrong`` itself, after
    adding the findings of its own checks. Any unexpected failure rejects the file (rule
    ``kesalahan_tak_terduga``) instead of ending the run.
    """
    try:
        return _read_export(path, source, max_error_ratio, limits)
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


def _read_export(
    path: Path, source: Source, max_error_ratio: float | None, limits: ReadLimits
) -> ReadResult:
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
                    column.invalid,
                    _invalid(column, text, errors[text]),
                    n,
                    column.name,
                )
                for n, text in bad.iter_rows()
            )
    issues.sort(key=lambda i: (i.row_number or 0, i.column or ""))
    rows = pl.DataFrame(columns)
    issues.extend(_duplicate_keys(rows, source))
    result = ReadResult(source, path, rows, issues, tuple(header))
    if max_error_ratio is not None:
        reject_if_mostly_wrong(result, max_error_ratio)
    return result


def _invalid(column: Column, text: str, reason: str) -> str:
    """The message for a value the parser refused, the value itself shown only as allowed."""
    shown = _shown(column, text)
    reason = reason.replace(f"'{text}'", f"'{shown}'")  # parsers quote the cell: '31/02/2025'
    text = f"{column.name}: {reason}" if column.pii else f"{column.name} {shown!r}: {reason}"
    return text + (
        "; nilai diabaikan (dibaca kosong), baris tetap dimuat"
        if column.invalid == "warning"
        else ""
    )


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
