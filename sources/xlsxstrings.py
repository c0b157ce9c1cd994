"""An XLSX's shared strings, as the guard needs them: the length of each, and the text a sheet
makes by copying them into its cells (the spreadsheet reader copies a shared string into every
cell that uses it: one string of 30 KB in 160,000 cells is 5 GB)."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from xml.parsers import expat

from sources.sheet import XLSX_TOO_LARGE, ReadError, ReadLimits, field_too_long, size_text

# A character of two bytes in UTF-8. A part declared in ISO-8859-1 gives one of these for
# each byte over 127 to the XML parser here, and up to 3 bytes to the reader (which takes the
# label as windows-1252, as the web does: 0x80 is "€").
_TWO_BYTES = re.compile("[\u0080-\u07ff]")


class SharedStrings:
    """The length in UTF-8 bytes of every shared string of a workbook, read with an XML parser
    (comments, entities and character references as the spreadsheet reader reads them; a
    regular expression can be fooled by a "<si" inside a comment). A text outside any string
    is added to the string before it: a length is never too small. A part the parser refuses
    (not well-formed, or with a document type: no workbook writer makes either) gives every
    string three times that part's whole size."""

    def __init__(self) -> None:
        self.lengths = array("q")  # by index; with several parts, the longest of each index
        self.unknown = 0  # the size of the parts the parser refused

    def read(self, pieces: Iterable[bytes], limits: ReadLimits) -> Iterator[bytes]:
        """Reads one shared-strings part while passing its pieces on. Strings are told as the
        reader tells them: a string starts at a "si" outside any string and ends at the first
        "si" end tag, except inside a "t" or "rPh", whose tags the reader passes over up to
        the first end tag of the same name; a local name is what follows the first colon."""
        lengths, size = array("q"), 0
        inside, opaque = False, ""  # in a string; the name of the element passed over

        def start(name: str, _: object) -> None:
            nonlocal inside, opaque
            local = name.split(":", 1)[-1]
            if not inside:
                if local == "si":
                    lengths.append(0)
                    inside = True
            elif not opaque and local in ("t", "rPh"):
                opaque = name

        def end(name: str) -> None:
            nonlocal inside, opaque
            if opaque:
                opaque = "" if name == opaque else opaque
            elif name.split(":", 1)[-1] == "si":
                inside = False

        def text(data: str) -> None:
            if lengths:  # (a character of 2 bytes counts 3: see _TWO_BYTES)
                lengths[-1] += len(data.encode()) + len(_TWO_BYTES.findall(data))

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
            self.unknown = max(self.unknown, 3 * size)  # (3: a byte of latin1 in UTF-8)
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
        if _copied(sheet, self, budget) > budget:
            raise ReadError(
                XLSX_TOO_LARGE,
                f"sel-sel lembar XLSX menyalin lebih dari {size_text(budget)} teks bersama "
                "(sharedStrings), batas isi XLSX (IKU_MAX_XLSX_UNCOMPRESSED_BYTES): satu teks "
                "panjang dipakai di sangat banyak sel; pecah file, ekspor ulang dari aplikasi "
                "sumber, atau naikkan IKU_MAX_XLSX_UNCOMPRESSED_BYTES",
            )

    def length(self, index: int) -> int:
        found = self.lengths[index] if index < len(self.lengths) else 0
        return max(found, self.unknown)


# Start tags the reader may take for a cell (c) or a value (v) (a tag's local name is what
# follows the first colon); the start tags that a prefixed end tag looks like.
_TAGS = {tag: (re.compile(b"<" + tag + rb"[\s/>]"), re.compile(b":" + tag + rb"[\s/>]"),
               re.compile(rb"</[^\s<>/:]+:" + tag + rb"\s*>")) for tag in (b"c", b"v")}  # fmt: skip
# Cells as writers write them (with one prefix, as the Open XML SDK writes them): those that
# hold a value (a shared string's, giving the digits naming it, or a number's, a formula's
# result, ...), and the empty ones.
_P = rb"(?:[A-Za-z_][\w.-]*:)?"
_C = b"<" + _P + rb'c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?'
_MORE = rb'(?: (?:cm|vm|ph)="[0-9]+")*'  # (Excel 365: dynamic arrays, rich values)
_V, _END = b"<" + _P + b"v>", b"</" + _P + b"v></" + _P + b"c>"
_FORMULA = b"(?:<" + _P + rb"f\b[^<>]*/>|<" + _P + rb"f\b[^<>]*>[^<]*</" + _P + b"f>)?"
_VALUED_CELLS = re.compile(
    _C + b'(?: t="s"' + _MORE + b">" + _V + b"(?:0*([0-9]{1,18})" + _END + b"|[^<&]*" + _END
    + rb')|(?: t="(?:n|b|e|str|d)")?' + _MORE + b">" + _FORMULA + _V + b"[^<]*" + _END + b")"
)  # fmt: skip
# (a formula whose result was never saved holds no value, or an empty one)
_NO_VALUE = b"(?:/>|>" + _FORMULA + b"(?:<" + _P + b"v/>)?</" + _P + b"c>)"
_EMPTY_CELLS = re.compile(_C + rb'(?: t="[a-zA-Z]+")?' + _MORE + _NO_VALUE)
_CARRIED = 64 * 1024  # the most of a sheet carried to the next piece (a cell goes on)
_CELL_START = re.compile(rb"<(?:[^\s<>/:!?]+:)?c[\s/>]")


def _copied(sheet: Iterable[bytes], strings: SharedStrings, enough: int) -> int:
    """The bytes of shared text the cells of ``sheet`` copy, at most (counted only until they
    pass ``enough``). The reader takes a string cell's value as the index of a shared
    string, and a value that is not a number as 0. Where the cells are not all written
    plainly, every value counts as the longest string."""
    copied, carry = 0, b""
    for piece in sheet:
        if copied > enough:
            return copied
        text = carry + piece
        near = max(0, len(text) - _CARRIED)  # cut before the last cell that starts near the end
        cells = [m.start() for m in _CELL_START.finditer(text, near)]
        cut = cells[-1] if cells else text.rfind(b"<", near)
        cut = len(text) if cut < 0 else cut
        copied += _copied_by(text[:cut], strings)
        carry = text[cut:]
    return copied + _copied_by(carry, strings)


def _count(tag: bytes, text: bytes) -> int:
    """The start tags in ``text`` that the reader may take for ``tag``, at least (an empty
    value, "<v/>", is none: it names no string)."""
    plain, prefixed, ends = _TAGS[tag]
    count = len(plain.findall(text)) - (text.count(b"<v/>") if tag == b"v" else 0)
    if b":" + tag in text:  # (a prefix: the Open XML SDK, or anything odd)
        count += len(prefixed.findall(text)) - len(ends.findall(text))
        count -= text.count(b":v/>") if tag == b"v" else 0
    return count


def _copied_by(text: bytes, strings: SharedStrings) -> int:
    """The shared text the cells of ``text`` (a piece of a sheet, cut between cells) copy.
    Exact only if every start tag the reader may take for a cell or a value belongs to a
    plainly written cell (a cell with an unknown attribute, or one inside another, is not)."""
    values = _count(b"v", text)
    if not values:
        return 0
    found, cells = _VALUED_CELLS.findall(text), _count(b"c", text)
    valued = len(found)
    if valued != values or (cells != valued and cells != valued + len(_EMPTY_CELLS.findall(text))):
        return values * strings.longest()  # not every cell written plainly
    indexes = list(map(int, filter(None, found)))  # (all in C: fast)
    # The other string cells name string 0 (' t="s"' is in each, and may stand elsewhere).
    copied = max(0, text.count(b' t="s"') - len(indexes)) * strings.length(0)
    if strings.unknown or max(indexes, default=0) >= len(strings.lengths):
        return copied + sum(map(strings.length, indexes))
    return copied + sum(map(strings.lengths.__getitem__, indexes))
