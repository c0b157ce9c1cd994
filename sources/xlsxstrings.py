"""An XLSX's shared strings, as the guard needs them: the length of each, and the text a sheet
makes by copying them into its cells (the spreadsheet reader copies a shared string into every
cell that uses it: one string of 30 KB in 160,000 cells is 5 GB)."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from itertools import chain
from xml.parsers import expat

from sources.sheet import XLSX_TOO_LARGE, ReadError, ReadLimits, field_too_long, size_text


class SharedStrings:
    """The length in UTF-8 bytes of every shared string of a workbook, read with an XML parser
    (comments, entities and character references as the spreadsheet reader reads them; a
    regular expression can be fooled by a "<si" inside a comment). A text outside any string
    is added to the string before it: a length is never too small. A part the parser refuses
    (not well-formed, or with a document type: no workbook writer makes either) gives every
    string that part's whole size."""

    def __init__(self) -> None:
        self.lengths = array("q")  # by index; with several parts, the longest of each index
        self.unknown = 0  # the size of the parts the parser refused

    def read(self, pieces: Iterable[bytes], limits: ReadLimits) -> Iterator[bytes]:
        """Reads one shared-strings part while passing its pieces on."""
        lengths, inside, size = array("q"), False, 0

        def start(name: str, _: object) -> None:
            nonlocal inside
            if not inside and name.rpartition(":")[2] == "si":
                lengths.append(0)  # (the reader ends a string at the first </si>)
                inside = True

        def end(name: str) -> None:
            nonlocal inside
            inside = inside and name.rpartition(":")[2] != "si"

        def text(data: str) -> None:
            if lengths:
                lengths[-1] += len(data.encode())

        def doctype(*_: object) -> None:
            raise ValueError("document type")

        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.StartElementHandler, parser.EndElementHandler = start, end
        parser.CharacterDataHandler, parser.StartDoctypeDeclHandler = text, doctype
        parsed = True
        for piece in pieces:
            size += len(piece)
            if parsed:
                try:
                    parser.Parse(piece, False)
                except Exception:  # expat's error, or the document type refused above
                    parsed = False
            yield piece
        if not parsed:
            self.unknown = max(self.unknown, size)
            return
        if max(lengths, default=0) > 4 * limits.max_field_chars:  # (4: UTF-8's longest)
            raise field_too_long(None, limits)
        shorter, longer = sorted((self.lengths, lengths), key=len)
        self.lengths = array("q", map(max, shorter, longer)) + longer[len(shorter) :]

    def longest(self) -> int:
        return max(self.unknown, max(self.lengths, default=0))

    def check_copies(self, values: int, sheet: Iterable[bytes], limits: ReadLimits) -> None:
        """Refuse a sheet whose cells copy more shared text than an XLSX may hold unpacked.
        ``values``: at least the number of its value tags (then most sheets need no second
        look); ``sheet``: the sheet's XML, in pieces."""
        budget = limits.max_xlsx_uncompressed_bytes
        if values * self.longest() <= budget:
            return
        copied = _copied(sheet, self)
        if copied > budget:
            raise ReadError(
                XLSX_TOO_LARGE,
                f"sel-sel lembar XLSX menyalin teks bersama (sharedStrings) sebanyak "
                f"{size_text(copied)}, melebihi batas {size_text(budget)} "
                "(IKU_MAX_XLSX_UNCOMPRESSED_BYTES): satu teks panjang dipakai di sangat banyak "
                "sel; pecah file, ekspor ulang dari aplikasi sumber, atau naikkan "
                "IKU_MAX_XLSX_UNCOMPRESSED_BYTES",
            )

    def length(self, index: int) -> int:
        found = self.lengths[index] if index < len(self.lengths) else 0
        return max(found, self.unknown)


# A value tag, any prefix, and its text up to the next tag, with that tag's start.
_VALUE = re.compile(rb"<(?:[^\s<>/:=\"'!?]+:)?v(?:\s[^<>]*)?>([^<]*)(<[/!?]?)?")
# Cells as every writer writes them: a shared string's (all, and those naming one by digits),
# and the others that hold a value (a number, a formula's result, ...).
_CELL = rb'<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?'
_STRING_CELLS = re.compile(_CELL + rb' t="s"><v>[^<&]*</v>')
_STRING_INDEXES = re.compile(_CELL + rb' t="s"><v>0*([0-9]{1,18})</v>')
_OTHER_CELLS = re.compile(
    _CELL + rb'(?: t="(?:n|b|e|str|d)")?>(?:<f\b[^<>]*/>|<f\b[^<>]*>[^<]*</f>)?<v>[^<&]*</v>'
)


def _copied(sheet: Iterable[bytes], strings: SharedStrings) -> int:
    """The bytes of shared text the cells of ``sheet`` copy, at most. The reader takes a
    string cell's value as the index of a shared string, and a value that is not a number
    as 0. Where cells are not written plainly, every value counts, whatever its cell's type;
    one with an entity, or not closed at once (a comment, CDATA), as the longest string."""
    copied, carry, longest = 0, b"", strings.longest()
    for piece in chain(sheet, [b"<"]):
        text = carry + piece
        cut = text.rfind(b"<")
        cell = text.rfind(b"<c ", 0, cut)
        if cell >= 0 and text.find(b"</c>", cell, cut) < 0:
            cut = cell  # a cell running into the cut waits for the rest of it
        text, carry = text[:cut], text[cut:]
        cells = len(_STRING_CELLS.findall(text))
        if cells + len(_OTHER_CELLS.findall(text)) == text.count(b"<v") and b":v" not in text:
            indexes = list(map(int, _STRING_INDEXES.findall(text)))  # (all in C: fast)
            copied += (cells - len(indexes)) * strings.length(0)
            if strings.unknown or max(indexes, default=0) >= len(strings.lengths):
                copied += sum(map(strings.length, indexes))
            else:
                copied += sum(map(strings.lengths.__getitem__, indexes))
            continue
        for value, after in _VALUE.findall(text):
            if after != b"</" or b"&" in value:
                copied += longest
            elif value:
                digits = value.lstrip(b"0") or b"0"
                plain = value.isdigit() and len(digits) <= 18
                copied += strings.length(int(digits) if plain else 0)
    return copied
