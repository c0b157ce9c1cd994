"""The guard that runs before the spreadsheet reader opens an XLSX: the zip directory
(members, sizes, compression ratio), every member inflated within its declared size, and the
extent of every sheet (rows, columns, cells) the reader would allocate."""

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
from itertools import chain
from operator import itemgetter

from sources.sheet import (
    FORMAT_UNSUPPORTED,
    KIB,
    MIB,
    TOO_MANY_COLUMNS,
    XLSX_TOO_LARGE,
    ReadError,
    ReadLimits,
    field_too_long,
    size_text,
    too_many_cells,
    too_many_rows,
)
from sources.xlsxstrings import SharedStrings
from sources.xlsxzip import (
    inflate,
    one_directory,
    one_member_per_name,
    read_alike,
    unreadable_xlsx,
)

_RATIO_FLOOR = MIB  # an archive or member smaller than this is harmless whatever its ratio
_MAX_MEMBERS = 10_000  # a workbook has tens of parts (plus its pictures)


def check_xlsx(data: bytes, limits: ReadLimits) -> Workbook:
    """Refuse an XLSX the spreadsheet reader could not open within the limits, before it
    tries: its zip directory (declared sizes and ratios), then every member decompressed as
    a stream (a member must not give more than its declared size: the reader would take it
    all), and meanwhile the extent of the first sheet and the count of shared strings.
    Returns what reading the workbook needs to know of it (``Workbook``)."""
    # Listing the directory costs about 1 KiB per member: count them first, by the signature
    # every directory entry must start with.
    if data.count(b"PK\x01\x02") > _MAX_MEMBERS:
        raise ReadError(
            XLSX_TOO_LARGE,
            f"arsip XLSX berisi lebih dari {_MAX_MEMBERS} bagian, bukan workbook biasa; ekspor "
            "ulang dari aplikasi sumber",
        )
    try:
        one_directory(data)
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        for member in members:
            read_alike(member)
        one_member_per_name(members)
    except Exception as exc:  # zipfile raises several types for a damaged directory
        raise unreadable_xlsx(exc) from exc
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
    try:
        workbook = _uncommented(archive.read("xl/workbook.xml"))
    except Exception:  # damaged: the spreadsheet reader will say; every sheet is checked
        workbook = b""
    sheet, first, others = _first_sheet(archive, workbook)
    strings, shared, merges, ignored = 0, SharedStrings(), [], []
    # The shared strings first: a sheet's cells are measured by their lengths.
    for member in sorted(members, key=lambda m: not _holds_strings(m)):
        extent = _SheetExtent()  # every member: a picture simply never shows sheet data
        holds_strings, pieces = _holds_strings(member), inflate(data, member)
        try:
            if holds_strings:
                pieces = shared.read(pieces, limits)
            for piece in pieces:
                extent.feed(piece, limits)
                strings += _count_tags(_STRING_TAGS, piece) if holds_strings else 0
            if extent.sheet_data:
                extent.check(data, member, limits)
                shared.check_copies(extent.values, inflate(data, member), limits)
                merges += extent.merges if member.filename == first else []
                if extent.values and member.filename in others:
                    ignored.append(member.filename)
        except (zlib.error, struct.error) as exc:
            raise unreadable_xlsx(exc) from exc
    if strings > limits.max_xlsx_cells:
        raise too_many_cells(f"{strings} teks berbeda", limits)
    date1904 = _date1904(workbook)
    names = [others[m] for m in others if m in ignored]  # in the workbook's order
    return Workbook(sheet, date1904, merges, names)


@dataclass(frozen=True)
class Workbook:
    """What the guard learnt of a workbook that the reading needs."""

    # The sheet to read: its position and the number of sheets (``_first_sheet``); None: not
    # known, then every worksheet was checked and the first is read.
    sheet: tuple[int, int] | None
    date1904: bool  # dates counted from 1904 (old Excel for Mac)
    merges: list[bytes]  # the merged ranges of that sheet ("B2:B8")
    ignored: list[str]  # the names of the other visible worksheets that hold values


_SETTINGS = re.compile(rb"""<(?:[\w.-]+:)?workbookPr\b(?:[^<>"']|"[^"]*"|'[^']*')*>""")
_ATTRIBUTE = re.compile(rb"""\s([\w.-]+:)?([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _date1904(workbook: bytes) -> bool:
    """Whether the workbook counts its dates from 1904 (old Excel for Mac). Its setting
    must be written plainly, once: the spreadsheet reader takes "1" and "true" as written
    (not " 1", "TRUE", "&#49;" or a prefixed name, which other programs take for 1904),
    and a second setting may be another program's choice. Otherwise every date could read
    four years and a day off: refused."""
    settings = _SETTINGS.findall(workbook)
    found = [
        (prefix, a or b)
        for tag in settings
        for prefix, name, a, b in _ATTRIBUTE.findall(tag)  # (quoted values passed over)
        if name == b"date1904"
    ]
    if (
        len(settings) > 1
        or len(found) > 1
        or any(prefix or value not in (b"0", b"1", b"true", b"false") for prefix, value in found)
    ):
        shown = b" ".join(settings)[:80].decode("utf-8", "replace")
        raise unreadable_xlsx(
            ValueError(
                f"sistem tanggal workbook ditulis tidak lazim ({shown!r}): program lain dapat "
                "membaca setiap tanggal bergeser empat tahun"
            )
        )
    return bool(found) and found[0][1] in (b"1", b"true")


def _uncommented(xml: bytes) -> bytes:
    """``xml`` without its comments: a setting, sheet or relationship written only inside one
    is none to the spreadsheet reader (a date system found there would shift every date)."""
    return re.sub(rb"<!--.*?(?:-->|\Z)", b"", xml, flags=re.S)


def _holds_strings(member: zipfile.ZipInfo) -> bool:
    return member.filename.casefold().endswith("sharedstrings.xml")


def _attributes(tag: bytes) -> dict[str, str]:
    """An XML start tag's attributes by local name, entities resolved."""
    found = re.findall(rb"\s(?:[\w.-]+:)?([\w.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", tag)
    return {k.decode(): html.unescape((a or b).decode("utf-8", "replace")) for k, a, b in found}


def _first_sheet(
    archive: zipfile.ZipFile, workbook: bytes
) -> tuple[tuple[int, int] | None, str | None, dict[str, str]]:
    """Which sheet a person sees first: the first worksheet of the workbook that is not
    hidden (a hidden sheet, often an old register or the lists of a template, and a chart
    tab are passed over), else its first worksheet. Returns its position among the
    workbook's sheets with their number (the spreadsheet reader is told the position: a
    name may be written twice, or be decoded otherwise), its member, and the names of the
    other visible worksheets by member. (None, None, {}): not found. ``workbook``: the bytes
    of xl/workbook.xml."""
    try:
        relations = _uncommented(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # missing or damaged: then every worksheet is checked
        return None, None, {}
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
    members = [(i, s, targets[s["id"]]) for i, s in visible or worksheets]
    present = [(i, s, m) for i, s, m in members if m in archive.namelist()]
    if not present:
        return None, None, {}
    index, _, first = present[0]
    others = {m: s.get("name", "") for _, s, m in present if m != first} if visible else {}
    return (index, len(sheets)), first, others


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
_ROW_END_TAGS = re.compile(rb"</row\s*>"), re.compile(rb"</[^\s<>/:=\"'!?]+:row\s*>")
_CELL_TAGS = _start_tags(b"c")
_STRING_TAGS = _start_tags(b"si")
# With an r attribute of its own (the attributes before it read whole, quotes respected: an
# "r=" inside another's value is no reference); "<" never stands inside a tag.
# (The reader takes an attribute right after the previous value's quote too.)
_CELL_TAGS_R = _start_tags(
    b"c", rb"""(?=\s)(?:\s*(?!r\s*=)[^\s=<>/"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*r\s*="""
)
_NOT_MARKS = bytes(b for b in range(256) if b not in (1, 2))
# A cell's value as the spreadsheet reader reads it: of a number, shared string, boolean or
# error, only the first text of <v> (a character reference "&#52;", an entity, a comment,
# a CDATA section or a tag ends it: "4601&#49;" reads 4601, "1&#50;" names string 1, not
# 12, "&#52;6011" reads empty); of any type, a CDATA section not at all; and the last child
# of the cell (a <f>, <v/> or <v> after the value empties it, or replaces it). Excel and
# other programs read each of these as XML says. A value is vouched for as writers write
# one: plain text in <v>, and <v> or <is> the cell's last child.
_P = rb"(?:[^\s<>/:!?=\"']+:)?"  # a namespace prefix
# The end of the cell (<cell>: an external workbook's values Excel keeps, never read as cells)
_CLOSED = rb"\s*</" + _P + rb"c(?:ell)?[\s>]"
# Values that are not plain text in <v> followed by the cell's end (or that go on with an
# entity): the plain form (found several times faster), any form.
_NOT_PLAIN = (
    re.compile(rb"<v>[^<&]*+(?!</v>" + _CLOSED + b")"),
    re.compile(b"<" + _P + rb"v(?:\s[^<>]*)?(?<!/)>[^<&]*+(?!</" + _P + rb"v\s*>" + _CLOSED + b")"),
)
_INLINE_NOT_LAST = (
    re.compile(rb"</is>(?!" + _CLOSED + b")"),
    re.compile(b"</" + _P + rb"is\s*>(?!" + _CLOSED + b")"),
)
# A shared string's index the reader reads as written: digits only (" 3", "+3" or "3.0" name
# string 0 to it, where other programs read string 3). Found from the cell's type on; a cell
# whose value is not all here yet matches too (its end is then told with the next data).
_NOT_AN_INDEX = (
    re.compile(rb't="s"[^<>]*>\s*(?:<v>(?!0*[0-9]{1,18}</v>)|<[^<>]*\Z|\Z)'),
    re.compile(
        rb"""\st\s*=\s*["']s["'][^<>]*>\s*(?:<""" + _P + rb"v(?:\s[^<>]*)?>"
        rb"(?!0*[0-9]{1,18}</" + _P + rb"v\s*>)|<[^<>]*\Z|\Z)"
    ),
)
_TEXT_WITH_ENTITIES = re.compile(rb"[^<]*</" + _P + rb"v\s*>" + _CLOSED)
_DECIDED = 256  # bytes after a value's text enough to tell whether its cell ends there
# A formula's text result ("str"): its cell's start tag, maybe its formula, then the value.
_TEXT_RESULT = re.compile(
    b"<" + _P + rb"c(?:ell)?\s(?:[^<>]*\s)?t\s*=\s*[\"']str[\"'][^<>]*(?<!/)>\s*"
    b"(?:<" + _P + rb"f\b[^<>]*/>\s*|<" + _P + rb"f\b[^<>]*>[^<]*</" + _P + rb"f\s*>\s*)?"
)
_LOOKBACK = 64 * KIB  # of the sheet before a value, to find its cell's start tag
_BEYOND = 10**8  # more rows or columns than any sheet can have


def _count_tags(tags: tuple[re.Pattern[bytes], ...], text: bytes) -> int:
    return sum(len(tag.findall(text)) for tag in tags)


def column_number(letters: bytes) -> int:
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
        self.values = 0  # value tags (<v>, <is>), at least
        # A value's text (then its end tag must follow), or its end (then the cell's must
        # follow), runs to the end of the data scanned so far; the sheet before that data.
        self.before = b""  # the last data scanned (up to ``_LOOKBACK``)
        self.undecided = b""  # a value near the end of that data: told with the next
        self.unvouched: bytes | None = None  # a value written otherwise (``_NOT_PLAIN``)
        self.plain = True  # every value of the data scanned last written plainly
        self.inline = False  # an inline string seen (then its end is searched too)
        self.undecided_plain = True  # and of the data ``undecided`` holds

    def feed(self, piece: bytes, limits: ReadLimits) -> None:
        text = self.carry + piece
        self.sheet_data = self.sheet_data or b"sheetData" in text  # before any is dropped
        cut = text.rfind(b"<")
        cut = len(text) if cut < 0 else cut
        chunk = text[:cut]
        self._scan(chunk)
        if self.sheet_data and self.unvouched is None:
            self._values(text, cut)
            before = self.before if cut < _LOOKBACK else b""
            self.before = before[-_LOOKBACK:] + text[max(0, cut - _LOOKBACK) : cut]
        self.carry = text[cut:]
        if len(self.carry) > 8 * limits.max_field_chars + 64 * KIB:
            if self.sheet_data:
                raise field_too_long(None, limits)  # a text or tag longer than any cell
            self.carry = self.carry[-64:]  # no sheet yet (a picture): only a tag's start

    def _scan(self, text: bytes) -> None:
        self._add(_references(text))
        starts, prefixed = text.count(b"<v"), text.count(b":v")
        inline = text.count(b"<is")
        self.values += starts + prefixed + inline
        self.inline = self.inline or inline > 0
        # Every value written plainly ("<v>", "</is>"): searched by the faster patterns.
        self.plain = not prefixed and starts == text.count(b"<v>") and b":is" not in text
        if b"mergeCell" in text and len(self.merges) < _MAX_MERGES:
            self.merges += _MERGE.findall(text)[: _MAX_MERGES - len(self.merges)]
        # Every writer puts r first in a cell tag; look closer only when some cell does not
        # (counted in C first: a search per tag costs twice the rest of the scan).
        written_plainly = text.count(b"<c") == text.count(b'<c r="') and b":c" not in text
        if not written_plainly:
            self.loose_cells += max(
                0, _count_tags(_CELL_TAGS, text) - _count_tags(_CELL_TAGS_R, text)
            )

    def _values(self, text: bytes, cut: int) -> None:
        """Finds a value of ``text[:cut]`` written otherwise than plain text in <v> or <is>
        followed by the end of its cell; ``text[cut:]`` (the start of the next data) only
        shows what follows. Searched in C; looked at closer only where a value goes on with
        an entity (a formula's text result may), or ends near the end of ``text`` (then it
        is told again with the next data: ``undecided``)."""
        before, plain = self.before, self.plain  # (``plain``: as ``_scan`` found)
        if self.undecided:
            before = before[: max(0, len(before) - len(self.undecided))]
            text, cut = self.undecided + text, len(self.undecided) + cut
            plain = plain and self.undecided_plain
        form = 0 if plain else 1
        # (every string type written t="s": its plain pattern, found faster)
        typed = b"'s'" not in text and text.count(b'"s"') == text.count(b't="s"')
        strings = 0 if plain and typed else 1
        patterns = [_NOT_PLAIN[form], _NOT_AN_INDEX[strings]] + (
            [_INLINE_NOT_LAST[form]] if self.inline or not plain else []
        )
        waiting = cut
        for pattern in patterns:
            found = pattern.search(text)
            while found and found.start() < cut:
                start, end = found.start(), found.end()
                vouched: bool | None  # (None: told with the next data)
                if text.startswith(b"&", end) and _TEXT_WITH_ENTITIES.match(text, end):
                    vouched = _text_result(before, text, start)  # (its entities are read)
                else:  # the tag after the value's text may not be all here yet
                    after = text.find(b"<", end)
                    vouched = None if after < 0 or len(text) - after <= _DECIDED else False
                if vouched is False:
                    self.unvouched = text[start : end + 20]
                    return
                waiting = min(waiting, start) if vouched is None else waiting
                found = pattern.search(text, end)
        self.undecided, self.undecided_plain = text[waiting:cut], plain

    def _add(self, references: list[tuple[bytes, bytes]]) -> None:
        if references:
            try:
                row = max(map(int, set(map(itemgetter(1), references))))
            except ValueError:  # more digits than Python converts
                row = _BEYOND
            self.max_row = max(self.max_row, min(row, _BEYOND))
        columns = [column_number(c) for c in set(map(itemgetter(0), references)) if c]
        if columns:
            self.max_column = max(self.max_column, *columns)
            self.min_column = min(self.min_column or _BEYOND, *columns)

    def check(self, data: bytes, member: zipfile.ZipInfo, limits: ReadLimits) -> None:
        self._scan(self.carry)
        if self.unvouched is None:
            self._values(self.carry, len(self.carry))
            self.unvouched = self.undecided or None  # (the sheet ends inside a value)
        rows, columns = self.extent()
        if self.loose_cells:  # rare: then rows and the widest row bound where they can land
            # (a row's first cell without r is in column A: columns count from A then)
            row_tags, widest = _rows_and_widest(inflate(data, member))
            rows, columns = rows + row_tags, self.max_column + widest
        elif not _within(rows, columns, limits):
            # Formatting reaching far (a border down to row 1,048,576, a row's height) marks
            # rows and cells with no value, which the reader does not allocate: counted
            # again, cells with a value only.
            rows, columns = _valued_extent(inflate(data, member), limits)
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
        if self.unvouched is not None:
            shown = self.unvouched.decode("utf-8", "replace")
            raise unreadable_xlsx(
                ValueError(
                    f"nilai sel ditulis tidak lazim ({shown!r}): pembaca XLSX dapat membacanya "
                    "kosong atau berbeda dari yang ditampilkan Excel"
                )
            )

    def extent(self) -> tuple[int, int]:
        return self.max_row, self.max_column - self.min_column + 1 if self.max_column else 0


def _text_result(before: bytes, text: bytes, value: int) -> bool:
    """Whether the <v> at ``value`` in ``text`` (after ``before``) is a formula's text result
    (``str``): its cell's start tag is one, two or three tags back (<f>, </f> between)."""
    start = value
    for _ in range(3):
        start = text.rfind(b"<", max(0, value - _LOOKBACK), start)
        if start < 0:  # its cell may start in the data scanned before
            return bool(before) and _text_result(b"", before + text[:value], len(before) + value)
        if _TEXT_RESULT.fullmatch(text, start, value):
            return True
    return False


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
    the rest goes. The reader also starts a row at every "</row>" (even one closing no row):
    rows are the more of the start and the end tags."""
    rows_seen = widest = open_row = ends = 0
    carry = b""
    for piece in chain(pieces, [b"<"]):
        text = carry + piece
        cut = text.rfind(b"<")
        marks = text[:cut]
        ends += _count_tags(_ROW_END_TAGS, marks)
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
    return max(rows_seen, ends), max(widest, open_row)
