"""The formula cells of a worksheet whose result the file does not hold: written by a program
that does not calculate (openpyxl leaves the value empty, XlsxWriter writes 0), for Excel
to calculate when it opens the file. The spreadsheet reader reads such a cell empty, or as
that 0, where Excel shows the result: a date answered read as "not answered yet", a Ya read
as Tidak, a row of formulas not read at all. Found in the sheet's XML, in pieces, as the
guard (``sources.xlsxguard``) inflates it."""

from __future__ import annotations

import re
from collections.abc import Callable

from sources.xlsxzip import column_number, unreadable_xlsx

_P = rb"(?:[^\s<>/:!?=\"']+:)?"  # a namespace prefix
_CELL_START = re.compile(b"<" + _P + rb"c[\s/>]")
_SHEET_DATA = re.compile(
    b"<(?P<end>/?)" + _P + rb"sheetData(?:\s[^<>]*?)?(?P<empty>/?)>"
)  # fmt: skip
# Formula start tags: plainly (searched in C, several times faster), with any prefix.
_FORMULAS = re.compile(rb"<f[\s/>]"), re.compile(b"<" + _P + rb"f[\s/>]")
# A cell's start tag (attributes read whole, quotes respected) right before its formula.
_CELL_TAG = re.compile(
    b"<" + _P + rb"""c((?:\s+[^\s=<>/"']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*>\s*"""
)
# What follows a formula (from its start tag): the formula, then an empty value or the cell's
# end (group "empty": no result saved), or anything else (a result).
_FORMULA = re.compile(
    b"<" + _P + rb"f\b(?:[^<>]*/>|[^<>]*>[^<]*</" + _P + rb"f\s*>)\s*(?P<empty><" + _P
    + rb"v(?:\s[^<>]*)?/>|<" + _P + rb"v(?:\s[^<>]*)?>\s*</" + _P + rb"v\s*>|</" + _P
    + rb"c\s*>)?"
)  # fmt: skip
# The end of a formula as writers write it, then a result, or none (the group: counted in C).
_THEN = rb"\s*(?:<v>\s*[^<\s]|(</c>|<v\s*/>|<v>\s*</v>))"
_ENDS = re.compile(rb"</f>" + _THEN), re.compile(rb"<f\b[^<>]*/>" + _THEN)
_REFERENCE = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Z]{1,3})([0-9]{1,7})["']""")
_CARRIED = 256 * 1024  # the most of a sheet carried to the next piece (a cell goes on)


def whole_cells(text: bytes, scan: Callable[[bytes], None]) -> bytes:
    """``scan`` given a piece of a sheet's XML (after what the last piece left) up to where
    every cell before is whole: before the last cell that starts near its end. Returns the
    rest, which goes on with the next piece."""
    near = max(0, len(text) - _CARRIED)
    cut = text.rfind(b"<c", near)
    if cut < 0 or not _CELL_START.match(text, cut):
        starts = [m.start() for m in _CELL_START.finditer(text, near)]
        cut = starts[-1] if starts else text.rfind(b"<", near)
    cut = len(text) if cut < 0 else cut
    scan(text[:cut])
    return text[cut:]


class FormulaCells:
    """Feed a sheet's XML in pieces; ``found`` then gives (row, column) of every cell, both
    counted from 1, whose formula result Excel shows but the file does not hold: none saved,
    or, in a workbook that asks Excel to calculate every formula when it opens it
    (``recalculated``: ``fullCalcOnLoad``), any (what was saved was not calculated)."""

    def __init__(self, recalculated: bool) -> None:
        self.recalculated = recalculated
        self.carry = b""
        self.state = "before"  # the cells (<sheetData>): before, inside, after them
        self.cells: list[tuple[int, int]] = []
        self.unplaced = 0  # formulas not found in a cell written as writers write one

    def feed(self, piece: bytes) -> None:
        if self.state == "inside" and b"f" not in piece and b"f" not in self.carry:
            # No formula here (told at once, as in most of most sheets): only the last cell
            # goes on, in case its formula comes with the next piece.
            last = piece.rfind(b"<c")
            if last >= 0 and b"sheetData" not in piece and _CELL_START.match(piece, last):
                self.carry = piece[last:]
                return
        self.carry = whole_cells(self.carry + piece, self._scan)

    def _scan(self, text: bytes) -> None:
        if self.state != "inside" or b"sheetData" in text:
            text = self._cells_of(text)
        if b"f" not in text:
            return
        prefixed = b":f" in text
        if not (self.recalculated or prefixed):
            # Every formula followed by a result, or by none (counted in C; those placed).
            ends = [pattern.findall(text) for pattern in _ENDS]
            if len(_FORMULAS[0].findall(text)) == sum(map(len, ends)):
                if any(any(found) for found in ends):
                    for pattern in _ENDS:
                        for end in pattern.finditer(text):
                            if end[1]:
                                self._place(text, text.rfind(b"<f", 0, end.start() + 2))
                return
        for formula in _FORMULAS[prefixed].finditer(text):
            self._place(text, formula.start())

    def _place(self, text: bytes, formula: int) -> None:
        """The cell of the formula starting at ``formula``, when its result must be known."""
        written = _FORMULA.match(text, formula)
        if written is None:
            self.unplaced += 1
            return
        if not (self.recalculated or written["empty"] is not None):
            return
        start = text.rfind(b"<", 0, formula)
        cell = _CELL_TAG.fullmatch(text, start, formula) if start >= 0 else None
        reference = _REFERENCE.search(cell[1]) if cell else None
        if reference is None:
            self.unplaced += 1
            return
        self.cells.append((int(reference[2]), column_number(reference[1])))

    def _cells_of(self, text: bytes) -> bytes:
        """The part of ``text`` within the sheet's cells (Excel writes formulas elsewhere too:
        a dropdown's list, a rule of conditional formatting); the state moved on."""
        start = 0
        for tag in _SHEET_DATA.finditer(text):
            if self.state == "before" and not tag["end"]:
                self.state, start = ("after" if tag["empty"] else "inside"), tag.end()
            elif self.state == "inside" and tag["end"]:
                self.state = "after"
                return text[start : tag.start()]
        return text[start:] if self.state == "inside" else b""

    def found(self) -> list[tuple[int, int]]:
        self._scan(self.carry)
        self.carry = b""
        if self.unplaced:
            raise unreadable_xlsx(
                ValueError(
                    f"{self.unplaced} sel rumus ditulis tidak lazim: hasilnya mungkin tidak "
                    "tersimpan dan tidak dapat ditandai; buka file di Excel lalu simpan ulang"
                )
            )
        return self.cells
