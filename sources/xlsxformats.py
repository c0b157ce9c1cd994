"""Number formats that change what a number is to a person, applied as Excel applies them:
zeros that pad it, as a register numbers its requests or codes its items (`000` shows 31 as
031, `000"/PPID/2025"` as 031/PPID/2025), and percent (`0.00%` shows 0.7212 as 72.12%). The
spreadsheet reader gives the bare number ("31", "0.7212"): another key than the 031 a person
reads and finds in the CSV Excel saves of the sheet; a SAKIP score of 0.72 where Excel shows
72,12% (which, as in that CSV, is no score: its row's error). The cells of the first sheet
so formatted are found in its XML (``sources.xlsxguard``) and read as Excel shows them."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from sources.xlsxformulas import whole_cells
from sources.xlsxzip import attributes, column_number, start_tags

_P = rb"(?:[\w.-]+:)?"
_NUM_FMT, _XF = start_tags(b"numFmt"), start_tags(b"xf")
_CELL_XFS = re.compile(b"<" + _P + rb"cellXfs\b[^<>]*>(.*?)</" + _P + rb"cellXfs\s*>", re.S)
# One section: text before and after ("...", \x, or a character Excel shows as it is) around
# zeros, maybe decimals, maybe percent.
_TEXT = r"""((?:"[^"]*"|\\.|[-$+/():!^&'~{}<>= ])*)"""
_FORMAT = re.compile(_TEXT + r"(0+)(?:\.(0+))?(%?)" + _TEXT)
_LITERAL = re.compile(r'"([^"]*)"|\\(.)')


class Shown(NamedTuple):
    """How a format shows a number: zero-padded to ``digits``, rounded to ``decimals`` (half
    away from zero, as Excel rounds), times 100 and a "%" when ``percent``, between texts."""

    before: str
    digits: int
    decimals: int
    percent: bool
    after: str

    def text(self, value: bytes) -> str | None:
        """``value`` (a number cell's) as shown; None for a number beyond any Excel holds."""
        if value.isdigit() and not self.decimals and not self.percent:
            number = Decimal(int(value))  # (most: a whole number)
        else:
            try:
                number = Decimal(value.decode()).scaleb(2 if self.percent else 0)
                number = number.quantize(Decimal(1).scaleb(-self.decimals), ROUND_HALF_UP)
            except InvalidOperation:
                return None
        whole, _, fraction = f"{abs(number):f}".partition(".")
        shown = whole.zfill(self.digits) + (f".{fraction}" if fraction else "")
        sign = "-" if number < 0 else ""
        return f"{self.before}{sign}{shown}{'%' if self.percent else ''}{self.after}"


# Excel's own percent formats (no numFmt element names them).
_BUILT_IN = {9: Shown("", 1, 0, True, ""), 10: Shown("", 1, 2, True, "")}


def shown_styles(styles: bytes) -> dict[int, Shown]:
    """Of a workbook's styles (xl/styles.xml), each cell style (by index) whose number format
    pads the number with zeros or shows a percent (``Shown``)."""
    formats = dict(_BUILT_IN)
    for tag in _NUM_FMT.findall(styles):
        found = attributes(tag)
        written = _FORMAT.fullmatch(found.get("formatCode", ""))
        if written is None or not found.get("numFmtId", "").isdigit():
            continue
        before, zeros, decimals, percent, after = written.groups()
        if percent or (len(zeros) > 1 and not decimals):
            texts = [_LITERAL.sub(r"\1\2", text) for text in (before, after)]
            shown = Shown(texts[0], len(zeros), len(decimals or ""), bool(percent), texts[1])
            formats[int(found["numFmtId"])] = shown
    section = _CELL_XFS.search(styles)
    if section is None:
        return {}
    styled = (attributes(tag).get("numFmtId", "") for tag in _XF.findall(section[1]))
    return {
        index: formats[int(number)]
        for index, number in enumerate(styled)
        if number.isdigit() and int(number) in formats
    }


class ShownNumbers:
    """Feed a sheet's XML in pieces; ``found`` gives (row, column, text as Excel shows it) of
    its number cells in the ``shown`` styles (``shown_styles``), written as writers write
    them (a formula's saved result too)."""

    def __init__(self, shown: dict[int, Shown]) -> None:
        self.shown = shown
        styles = b"|".join(str(index).encode() for index in shown)
        self.cell = re.compile(
            rb'<c r="([A-Z]{1,3})([0-9]{1,7})" s="(' + styles + rb')"(?: t="n")?>'
            rb"(?:<f>[^<]*</f>|<f\b[^<>]*/>)?<v>([-+0-9.eE]+)</v></c>"
        )
        self.carry = b""
        self.cells: list[tuple[int, int, str]] = []

    def feed(self, piece: bytes) -> None:
        self.carry = whole_cells(self.carry + piece, self._scan)

    def _scan(self, text: bytes) -> None:
        for letters, row, style, value in self.cell.findall(text):
            shown = self.shown[int(style)].text(value)
            if shown is not None:
                self.cells.append((int(row), column_number(letters), shown))

    def found(self) -> list[tuple[int, int, str]]:
        self._scan(self.carry)
        self.carry = b""
        return self.cells
