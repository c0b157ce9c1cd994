"""Reading an XLSX export, and the guards that run before the spreadsheet reader opens it: the
zip directory (members, sizes, compression ratio) and the first sheet's extent (rows, cells)."""

from __future__ import annotations

import html
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import chain
from operator import itemgetter
from typing import Any, Literal

import fastexcel
import polars as pl

from sources.sheet import (
    FILE_UNREADABLE,
    FORMAT_UNSUPPORTED,
    HEADER_SEARCH_ROWS,
    KIB,
    MIB,
    TOO_MANY_COLUMNS,
    XLSX_TOO_LARGE,
    ReadError,
    ReadLimits,
    Sheet,
    field_too_long,
    first_line,
    size_text,
    too_many_cells,
    too_many_rows,
)

_CHUNK = MIB
_DAYS_1900_TO_1904 = 1462  # between the two date systems' day 0
_RATIO_FLOOR = MIB  # an archive or member smaller than this is harmless whatever its ratio
_MAX_MEMBERS = 10_000  # a workbook has tens of parts (plus its pictures)
_NUMBER = r"^\s*-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s*$"  # a number cell, as fastexcel writes it


def read_xlsx_sheet(data: bytes, limits: ReadLimits) -> Sheet:
    """The first visible worksheet, as text; row i of the frame is Excel row i + 1. A cell
    holding a formula error reads as Excel shows it ("#N/A"): never as an empty cell."""
    workbook = check_xlsx(data, limits)
    date1904 = workbook.date1904
    try:
        reader = fastexcel.read_excel(data)
        index, count = workbook.sheet or (0, len(reader.sheet_names))
        names = reader.sheet_names
        if count != len(names):  # not the sheets the guard saw: not read
            raise ValueError(f"{len(names)} lembar terbaca, {count} tercatat")
        if len(set(names)) != len(names):  # the reader finds a sheet by its name
            raise ValueError("dua lembar bernama sama")
        sheet = reader.load_sheet(index, header_row=None, dtypes="string", skip_rows=0)
        batch, errors = sheet.to_arrow_with_errors()
        frame = pl.DataFrame(pl.from_arrow(batch))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise _unreadable_xlsx(exc) from exc
    frame.columns = [f"c{i}" for i in range(frame.width)]
    frame = _with_error_texts(frame, errors.errors if errors else [])
    # The sheet's column of each frame column: the frame starts at the first used one.
    absolute = [c.absolute_index for c in sheet.selected_columns]
    frame = _merged_filled(frame, workbook.merges, absolute)
    head = frame.head(HEADER_SEARCH_ROWS).rows()

    def again(columns: list[int], dtype: Literal["date", "boolean"]) -> pl.DataFrame:
        """``columns`` (frame positions) read again, typed: a cell of another type is null."""
        try:
            return reader.load_sheet(
                sheet.name,
                header_row=None,
                skip_rows=0,
                use_columns=[absolute[i] for i in columns],
                dtypes=dtype,
            ).to_polars()
        except Exception as exc:  # as above
            raise _unreadable_xlsx(exc) from exc

    def below(header_index: int, date_columns: list[int], text_columns: list[int]) -> pl.LazyFrame:
        rows = frame.slice(header_index + 1)
        changed: list[pl.Series] = []
        # A date or number cell shows as a number ("45743") or a timestamp; only the first is
        # ambiguous with text, so only such columns are read again, as dates this time (text
        # cells come back null and stay text).
        numbers = [i for i in date_columns if rows[:, i].str.contains(_NUMBER).any()]
        if numbers:
            dates = again(numbers, "date").slice(header_index + 1)
            if dates.height == rows.height:
                for k, i in enumerate(numbers):
                    day = dates[:, k]
                    if date1904:  # a bare serial is read as the 1900 system's: moved
                        bare = rows[:, i].str.contains(_NUMBER).fill_null(False)
                        day = (day + timedelta(days=_DAYS_1900_TO_1904)).zip_with(bare, day)
                    changed.append(
                        day.dt.to_string("%Y-%m-%d").fill_null(rows[:, i]).alias(f"c{i}")
                    )
        # A NIK or NIP in a number cell has lost digits (Excel keeps 15): it is shown as
        # Excel shows such a number ("6.20401E+15"), which the parser refuses.
        # (Read as booleans, a number cell is not null and a text cell is: fastexcel turns a
        # text of digits into a number when asked for numbers.)
        numbers = [i for i in text_columns if rows[:, i].str.contains(_NUMBER).any()]
        if numbers:
            found = again(numbers, "boolean").slice(header_index + 1)
            if found.height == rows.height:
                changed += [
                    pl.Series(
                        f"c{i}",
                        [
                            f"{float(text):.5E}"
                            if number is not None and re.match(_NUMBER, text or "")
                            else text
                            for text, number in zip(rows[:, i], found[:, k], strict=True)
                        ],
                        dtype=pl.String,
                    )
                    for k, i in enumerate(numbers)
                ]
        return rows.with_columns(changed).lazy()

    return Sheet(head, below, limits)


# How Excel shows a formula's error (calamine's names for them).
_ERROR_TEXTS = {
    "NA": "#N/A", "Ref": "#REF!", "Div0": "#DIV/0!", "Value": "#VALUE!", "Name": "#NAME?",
    "Num": "#NUM!", "Null": "#NULL!", "GettingData": "#GETTING_DATA",
}  # fmt: skip


def _with_error_texts(frame: pl.DataFrame, errors: list[Any]) -> pl.DataFrame:
    """Each cell the reader could not give as text (a formula error) as Excel shows it."""
    cells: dict[int, dict[int, str]] = {}
    for error in errors:
        row, column = error.position
        kind = re.search(r"Error\((\w+)\)", error.detail)
        if kind:  # (only a formula error is not given as text; anything else stays empty)
            cells.setdefault(column, {})[row] = _ERROR_TEXTS.get(kind[1], f"#{kind[1]}")
    return frame.with_columns(
        frame[:, column].clone().scatter(list(found), list(found.values()))
        for column, found in cells.items()
    )


def _merged_filled(frame: pl.DataFrame, merges: list[bytes], absolute: list[int]) -> pl.DataFrame:
    """Every cell of a merged range holding the range's value, as a person sees it (a TPS
    merged over its seven members' rows). Sheet rows and columns count from 1."""
    position = {a: i for i, a in enumerate(absolute)}
    cells: dict[int, dict[int, str]] = {}
    budget = frame.height * max(frame.width, 1)  # more filling than cells: not a register
    for merge in merges:
        first, last = (re.fullmatch(rb"([A-Za-z]+)([0-9]+)", end) for end in merge.split(b":"))
        if first is None or last is None:
            continue
        top, bottom = int(first[2]) - 1, min(int(last[2]), frame.height) - 1
        columns = range(_column_number(first[1]) - 1, _column_number(last[1]))
        if not 0 <= top <= bottom or _column_number(first[1]) - 1 not in position:
            continue
        value = frame[top, position[_column_number(first[1]) - 1]]
        for column in [i for i, a in enumerate(absolute) if a in columns]:
            budget -= bottom - top + 1
            if value is None or budget < 0:
                continue
            cells.setdefault(column, {}).update(dict.fromkeys(range(top, bottom + 1), value))
    if budget < 0:
        return frame
    return frame.with_columns(
        frame[:, column].clone().scatter(list(found), list(found.values()))
        for column, found in cells.items()
    )


def _unreadable_xlsx(exc: Exception) -> ReadError:
    detail = first_line(exc)
    return ReadError(
        FILE_UNREADABLE,
        f"file XLSX tidak dapat dibuka (rusak, terpotong, atau bukan XLSX): {detail}. "
        "Ekspor ulang dari aplikasi sumber",
    )


def check_xlsx(data: bytes, limits: ReadLimits) -> _Workbook:
    """Refuse an XLSX the spreadsheet reader could not open within the limits, before it
    tries: its zip directory (declared sizes and ratios), then every member decompressed as
    a stream (a member must not give more than its declared size: the reader would take it
    all), and meanwhile the extent of the first sheet and the count of shared strings.
    Returns what reading the workbook needs to know of it (``_Workbook``)."""
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
    # Every member holding sheet data is checked, whatever its name: which one the
    # spreadsheet reader opens cannot be proven from outside it (it reads names, paths and
    # relationships its own way), and a sheet it cannot allocate ends the whole process.
    sheet, first = _first_sheet(archive)
    strings, merges = 0, []
    for member in members:
        name = member.filename
        extent: _SheetExtent | None = None
        try:
            for piece in _inflate(data, member):
                if extent is None and piece.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                    extent = _SheetExtent()  # XML, whatever its name (not a picture)
                if extent is not None:
                    extent.feed(piece, limits)
                if name.casefold().endswith("sharedstrings.xml"):
                    strings += _count_tags(_STRING_TAGS, piece)
            if extent is not None and extent.sheet_data:
                extent.check(data, member, limits)
                merges += extent.merges if name == first else []
        except (zlib.error, struct.error) as exc:
            raise _unreadable_xlsx(exc) from exc
    if strings > limits.max_xlsx_cells:
        raise too_many_cells(f"{strings} teks berbeda", limits)
    try:
        workbook = archive.read("xl/workbook.xml")
    except Exception:  # missing or damaged: the spreadsheet reader will say
        workbook = b""
    settings = re.search(rb"<(?:[\w.-]+:)?workbookPr\b[^<>]*>", workbook)
    date1904 = settings is not None and _attributes(settings[0]).get("date1904", "") in (
        "1",
        "true",
    )
    return _Workbook(sheet, date1904, merges)


@dataclass(frozen=True)
class _Workbook:
    """What the guard learnt of a workbook that the reading needs."""

    # The sheet to read: its position and the number of sheets (``_first_sheet``); None: not
    # known, then every worksheet was checked and the first is read.
    sheet: tuple[int, int] | None
    date1904: bool  # dates counted from 1904 (old Excel for Mac)
    merges: list[bytes]  # the merged ranges of that sheet ("B2:B8")


def _attributes(tag: bytes) -> dict[str, str]:
    """An XML start tag's attributes by local name, entities resolved."""
    found = re.findall(rb"\s(?:[\w.-]+:)?([\w.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", tag)
    return {k.decode(): html.unescape((a or b).decode("utf-8", "replace")) for k, a, b in found}


def _first_sheet(archive: zipfile.ZipFile) -> tuple[tuple[int, int] | None, str | None]:
    """Which sheet a person sees first: the first worksheet of the workbook that is not
    hidden (a hidden sheet, often an old register or the lists of a template, and a chart
    tab are passed over), else its first worksheet. Returns its position among the
    workbook's sheets with their number (the spreadsheet reader is told the position: a
    name may be written twice, or be decoded otherwise), and its member. (None, None): not
    found."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except Exception:  # missing or damaged: then every worksheet is checked
        return None, None
    targets = {}
    for relation in re.finditer(rb"<(?:\w+:)?Relationship\b[^<>]*>", relations):
        found = _attributes(relation[0])
        if found.get("Type", "").endswith("/worksheet"):
            target = found.get("Target", "")
            name = target[1:] if target.startswith("/") else posixpath.join("xl", target)
            targets[found.get("Id")] = posixpath.normpath(name)
    sheets = [_attributes(s[0]) for s in re.finditer(rb"<(?:\w+:)?sheet\b[^<>]*>", workbook)]
    worksheets = [(i, s) for i, s in enumerate(sheets) if s.get("id") in targets]
    visible = [(i, s) for i, s in worksheets if s.get("state", "visible") == "visible"]
    for index, sheet in visible or worksheets:
        member = targets[sheet["id"]]
        if member in archive.namelist():
            return (index, len(sheets)), member
    return None, None


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


# References: r="B7" on a cell, r="7" on a row. The XML parser of the spreadsheet reader takes
# an attribute after white space or right after the previous value's quote, and the last of
# two r's. Found anywhere (even in a text), a reference only makes the estimate larger.
_REFERENCE = re.compile(rb"""[\s"']r\s*=\s*["']([A-Za-z]*)([0-9]+)""")
_PLAIN_REFERENCE = re.compile(rb' r="([A-Z]*)([0-9]+)"')
_SPACED_R = re.compile(rb"r\s+=")
_SHORT_TEXT = 256 * KIB
_MERGE = re.compile(
    rb"""<(?:[\w.-]+:)?mergeCell\b[^<>]*?\sref\s*=\s*["']([A-Za-z]+[0-9]+:[A-Za-z]+[0-9]+)"""
)
# Merged ranges filled at most (beyond, a sheet is no register): a sheet has tens, a roster
# with each TPS merged over its members' rows about a thousand.
_MAX_MERGES = 20_000
# An empty cell exactly as writers write one (a style, a type, no value); anything else
# keeps its reference (a "/>" may stand inside an attribute's quotes).
_EMPTY_CELL_TAGS = re.compile(rb'<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?(?: t="[a-zA-Z]+")?/>')


def _start_tags(name: bytes, then: bytes = rb"[\s/>]") -> tuple[re.Pattern[bytes], ...]:
    """Start tags ``name`` followed by ``then``, without and with a namespace prefix (two
    patterns: one starting with a literal is searched several times faster)."""
    return re.compile(b"<" + name + then), re.compile(rb"<[^\s<>/:=\"'!?]+:" + name + then)


_ROW_TAGS = _start_tags(b"row")
_CELL_TAGS = _start_tags(b"c")
_STRING_TAGS = _start_tags(b"si")
# With an r attribute of its own (the attributes before it read whole, quotes respected: an
# "r=" inside another's value is no reference); "<" never stands inside a tag.
# (The reader takes an attribute right after the previous value's quote too.)
_CELL_TAGS_R = _start_tags(
    b"c", rb"""(?=\s)(?:\s*(?!r\s*=)[^\s=<>/"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*r\s*="""
)
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
        self.merges: list[bytes] = []  # merged ranges, "B2:B8"
        self.sheet_data = False  # a worksheet's cells were seen

    def feed(self, piece: bytes, limits: ReadLimits) -> None:
        text = self.carry + piece
        cut = text.rfind(b"<")
        cut = len(text) if cut < 0 else cut
        self._scan(text[:cut])
        self.carry = text[cut:]
        if len(self.carry) > 8 * limits.max_field_chars + 64 * KIB:
            raise field_too_long(None, limits)  # a text or tag longer than any cell

    def _scan(self, text: bytes) -> None:
        self.sheet_data = self.sheet_data or b"sheetData" in text
        self._add(_references(text))
        if b"mergeCell" in text and len(self.merges) < _MAX_MERGES:
            self.merges += _MERGE.findall(text)[: _MAX_MERGES - len(self.merges)]
        # Every writer puts r first in a cell tag; look closer only when some cell does not
        # (counted in C first: a search per tag costs twice the rest of the scan).
        written_plainly = text.count(b"<c") == text.count(b'<c r="') and b":c" not in text
        if not written_plainly:
            self.loose_cells += max(
                0, _count_tags(_CELL_TAGS, text) - _count_tags(_CELL_TAGS_R, text)
            )

    def _add(self, references: list[tuple[bytes, bytes]]) -> None:
        if references:
            try:
                row = max(map(int, set(map(itemgetter(1), references))))
            except ValueError:  # more digits than Python converts
                row = _BEYOND
            self.max_row = max(self.max_row, min(row, _BEYOND))
        columns = [_column_number(c) for c in set(map(itemgetter(0), references)) if c]
        if columns:
            self.max_column = max(self.max_column, *columns)
            self.min_column = min(self.min_column or _BEYOND, *columns)

    def check(self, data: bytes, member: zipfile.ZipInfo, limits: ReadLimits) -> None:
        self._scan(self.carry)
        rows, columns = self.extent()
        if self.loose_cells:  # rare: then rows and the widest row bound where they can land
            row_tags, widest = _rows_and_widest(_inflate(data, member))
            rows, columns = rows + row_tags, columns + widest
        elif not _within(rows, columns, limits):
            # Formatting reaching far (a border down to row 1,048,576, a row's height) marks
            # rows and cells with no value, which the reader does not allocate: counted
            # again, cells with a value only.
            rows, columns = _valued_extent(_inflate(data, member), limits)
        if columns > limits.max_columns:
            raise ReadError(
                TOO_MANY_COLUMNS,
                f"lembar XLSX memakai {columns} kolom, melebihi batas "
                f"{limits.max_columns} (IKU_MAX_COLUMNS); hapus kolom kosong atau berlebih, "
                "atau naikkan IKU_MAX_COLUMNS",
            )
        if rows > limits.max_rows:
            raise too_many_rows(rows, limits)
        if rows * max(columns, 1) > limits.max_xlsx_cells:
            raise too_many_cells(f"{rows} baris × {columns} kolom", limits)

    def extent(self) -> tuple[int, int]:
        return self.max_row, self.max_column - self.min_column + 1 if self.max_column else 0


def _within(rows: int, columns: int, limits: ReadLimits) -> bool:
    return (
        columns <= limits.max_columns
        and rows <= limits.max_rows
        and rows * max(columns, 1) <= limits.max_xlsx_cells
    )


def _references(text: bytes) -> list[tuple[bytes, bytes]]:
    """Every (column letters, row) reference of ``text``: by the plain pattern when it finds
    every "r=" and no r stands apart from its "=" (as every writer writes them: twice as
    fast), else by the general one. A short text (a small sheet, or the end of one, whose
    page margins' header= and footer= fail the test) goes to the general one at once."""
    if len(text) > _SHORT_TEXT:
        plain = _PLAIN_REFERENCE.findall(text)
        if len(plain) == text.count(b"r=") and not _SPACED_R.search(text):
            return plain
    return _REFERENCE.findall(text)


def _valued_extent(pieces: Iterator[bytes], limits: ReadLimits) -> tuple[int, int]:
    """The rows and columns of a sheet whose every cell has a reference, from its cells that
    may hold a value (not the empty ``<c .../>``) and not from its rows."""
    extent, carry = _SheetExtent(), b""
    for piece in chain(pieces, [b"<"]):
        text = carry + piece
        cut = text.rfind(b"<")
        found = _REFERENCE.findall(_EMPTY_CELL_TAGS.sub(b"", text[:cut]))
        extent._add([(column, row) for column, row in found if column])
        carry = text[cut:]
        if len(carry) > 8 * limits.max_field_chars + 64 * KIB:
            raise field_too_long(None, limits)
    return extent.extent()


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
