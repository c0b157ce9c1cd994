"""The sheet half of the XLSX guard (``sources.xlsxguard``): a worksheet's XML scanned in
pieces, as it inflates, for the grid the spreadsheet reader will allocate (rows, columns,
cells), its merged ranges, and every cell value written so that the reader reads it as Excel
shows it."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from itertools import chain
from operator import itemgetter

from sources.sheet import (
    KIB,
    TOO_MANY_COLUMNS,
    ReadError,
    ReadLimits,
    field_too_long,
    too_many_cells,
    too_many_rows,
)
from sources.xlsxzip import BEYOND, column_number, inflate, unreadable_xlsx

# References: r="B7" on a cell, r="7" on a row. The XML parser of the spreadsheet reader takes
# an attribute after white space or right after the previous value's quote, and the last of
# two r's. Found anywhere (even in a text), a reference only makes the estimate larger.
_REFERENCE = re.compile(rb"""[\s"']r\s*=\s*["']([A-Za-z]*)([0-9]+)""")
_PLAIN_REFERENCE = re.compile(rb' r="([A-Z]*)([0-9]+)"')
_SPACED_R = re.compile(rb"r\s+=")
_SHORT_TEXT = 256 * KIB
# A merged range by its two ends, each as column letters and row: "B2:B8" is (B, 2, B, 8).
_MERGE = re.compile(
    rb"""<(?:[\w.-]+:)?mergeCell\b[^<>]*?\sref\s*=\s*["']([A-Za-z]+)([0-9]+):([A-Za-z]+)([0-9]+)"""
)
Merge = tuple[bytes, bytes, bytes, bytes]
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
_CELLS_END = re.compile(rb"</(?:[^\s<>/:=\"'!?]+:)?sheetData\s*>")


def _count_tags(tags: tuple[re.Pattern[bytes], ...], text: bytes) -> int:
    return sum(len(tag.findall(text)) for tag in tags)


def string_tags(text: bytes) -> int:
    """The shared strings (<si> tags) a piece of sharedStrings.xml starts."""
    return _count_tags(_STRING_TAGS, text)


class SheetExtent:
    """The grid the spreadsheet reader (calamine) will allocate for a worksheet, from its XML.

    It allocates every cell from the first to the last column and row referenced, 32 bytes
    each, and aborts the whole process when that fails: cells A1 and XFD1048576 in a 7 KiB
    file ask for 512 GiB. A cell without a reference follows the previous one in its row, and
    a row without one follows the previous row.
    """

    def __init__(self, repeats: bool = False) -> None:
        self.carry = b""  # from the last "<" of the data fed so far: a tag may go on
        self.max_row = 0
        self.min_column = self.max_column = 0  # 0: no cell reference yet
        self.loose_cells = 0  # cells without a reference
        self.merges: list[Merge] = []  # merged ranges (``_MERGE``)
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
        # A cell or row written twice: the reader keeps the last, the first is lost without a
        # trace. ``open_row``: references of the row the data so far ends in (may go on).
        self.repeats = repeats  # looked for (the sheet read), until its cells end
        self.open_row: list[tuple[bytes, bytes]] = []
        self.repeated: tuple[bytes, bytes] | None = None
        self.unordered = False  # rows went back between two pieces: told by ``_rows_repeated``
        self.low_row = 0  # the first row the data scanned last names

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
        references, last_row = _references(text), self.max_row
        self._add(references)
        if self.repeats and self.sheet_data and self.repeated is None:
            end = _CELLS_END.search(text) if b"sheetData" in text else None
            if end:  # a data validation's prompt may quote r="5": only the cells count
                self.repeats, references = False, _references(text[: end.start()])
            self._repeats(references, last_row)
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

    def _repeats(self, references: list[tuple[bytes, bytes]], last_row: int) -> None:
        """Finds a reference written twice in this data or in the row it goes on with (one
        set, in C). Rows of other data are told apart by order: every writer writes them
        ascending, so a row before the last one seen (``last_row``) is looked for in
        ``check``."""
        found = self.open_row + references
        if len(set(found)) < len(found):
            self.repeated = next(r for r, n in Counter(found).items() if n > 1)
            return
        self.unordered = self.unordered or self.low_row < last_row
        # The references of the last row (its cells name it too: a row tag may have no r)
        last, row = len(found), found[-1][1] if found else b""
        while last and found[last - 1][1] == row:
            last -= 1
        self.open_row = found[last:]

    def _add(self, references: list[tuple[bytes, bytes]]) -> None:
        if references:
            try:
                rows = set(map(int, set(map(itemgetter(1), references))))
                self.low_row, row = min(rows), max(rows)
            except ValueError:  # more digits than Python converts
                self.low_row, row = 0, BEYOND
            self.max_row = max(self.max_row, min(row, BEYOND))
        columns = [column_number(c) for c in set(map(itemgetter(0), references)) if c]
        if columns:
            self.max_column = max(self.max_column, *columns)
            self.min_column = min(self.min_column or BEYOND, *columns)

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
        if self.repeated is None and self.unordered:
            self.repeated = _rows_repeated(inflate(data, member), limits)
        if self.repeated is not None:
            column, row = self.repeated
            what = f"sel {column.decode()}{row.decode()}" if column else f"baris {row.decode()}"
            raise unreadable_xlsx(
                ValueError(
                    f"{what} ditulis dua kali dalam satu lembar: pembaca XLSX hanya membaca "
                    "yang terakhir, isi yang pertama hilang tanpa jejak"
                )
            )
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


def _whole_tags(pieces: Iterator[bytes], limits: ReadLimits | None) -> Iterator[bytes]:
    """A sheet's XML again in pieces, each cut before its last "<" (a tag there may go on in
    the next); with ``limits``, a tag or text carried on longer than any cell is refused."""
    carry = b""
    for piece in chain(pieces, [b"<"]):
        text = carry + piece
        cut = text.rfind(b"<")
        yield text[:cut]
        carry = text[cut:]
        if limits is not None and len(carry) > 8 * limits.max_field_chars + 64 * KIB:
            raise field_too_long(None, limits)


def _valued_extent(pieces: Iterator[bytes], limits: ReadLimits) -> tuple[int, int]:
    """The rows and columns of a sheet whose every cell has a reference, from its cells that
    may hold a value (not the empty ``<c .../>``) and not from its rows."""
    extent = SheetExtent()
    for text in _whole_tags(pieces, limits):
        found = _REFERENCE.findall(_EMPTY_CELL_TAGS.sub(b"", text))
        extent._add([(column, row) for column, row in found if column])
    return extent.extent()


def _rows_repeated(pieces: Iterator[bytes], limits: ReadLimits) -> tuple[bytes, bytes] | None:
    """A row number written on two rows of a sheet whose rows are not in order (no writer
    writes them so: only such a sheet is scanned again for it)."""
    rows: set[int] = set()
    for text in _whole_tags(pieces, limits):
        end = _CELLS_END.search(text)
        for column, row in _REFERENCE.findall(text[: end.start()] if end else text):
            if not column and len(row) < 12:
                if int(row) in rows:
                    return column, row
                rows.add(int(row))
        if end:  # the cells ended: what follows is no row
            return None
    return None


def _rows_and_widest(pieces: Iterator[bytes]) -> tuple[int, int]:
    """The number of rows, and the most cells in one: row tags become \\x01, cell tags \\x02,
    the rest goes. The reader also starts a row at every "</row>" (even one closing no row):
    rows are the more of the start and the end tags."""
    rows_seen = widest = open_row = ends = 0
    for marks in _whole_tags(pieces, None):
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
    return max(rows_seen, ends), max(widest, open_row)
