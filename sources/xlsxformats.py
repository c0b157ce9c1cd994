"""Number formats that pad a number with zeros, as a register numbers its requests or codes
its items: `000` shows 31 as 031, `000"/PPID/2025"` as 031/PPID/2025. The spreadsheet reader
gives the bare number ("31"): another key than the 031 a person reads, types into the next
register and finds in the CSV Excel saves of the sheet. The cells of the first sheet so
formatted are found in its XML (``sources.xlsxguard``) and read as Excel shows them."""

from __future__ import annotations

import html
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from sources.xlsxformulas import whole_cells

_P = rb"(?:[\w.-]+:)?"
_NUM_FMT = re.compile(b"<" + _P + rb"numFmt\b[^<>]*>")
_CELL_XFS = re.compile(b"<" + _P + rb"cellXfs\b[^<>]*>(.*?)</" + _P + rb"cellXfs\s*>", re.S)
_XF = re.compile(b"<" + _P + rb"xf\b[^<>]*>")
_ATTRIBUTE = re.compile(rb"""\s(?:[\w.-]+:)?([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Zeros only, with text before and after ("...", \x, or a character Excel shows as it is):
# one section, no decimals.
_TEXT = r"""((?:"[^"]*"|\\.|[-$+/():!^&'~{}<>= ])*)"""
_PADDING = re.compile(_TEXT + "(0+)" + _TEXT)
_LITERAL = re.compile(r'"([^"]*)"|\\(.)')


def _attributes(tag: bytes) -> dict[bytes, str]:
    return {
        k: html.unescape((a or b).decode("utf-8", "replace")) for k, a, b in _ATTRIBUTE.findall(tag)
    }


def padded_styles(styles: bytes) -> dict[int, tuple[str, int, str]]:
    """Of a workbook's styles (xl/styles.xml), each cell style (by index) whose number format
    pads with zeros: (text before, digits, text after)."""
    formats = {}
    for tag in _NUM_FMT.findall(styles):
        found = _attributes(tag)
        padding = _PADDING.fullmatch(found.get(b"formatCode", ""))
        if padding and len(padding[2]) > 1 and found.get(b"numFmtId", "").isdigit():
            literal = [_LITERAL.sub(r"\1\2", padding[n]) for n in (1, 3)]
            formats[int(found[b"numFmtId"])] = (literal[0], len(padding[2]), literal[1])
    section = _CELL_XFS.search(styles)
    if not formats or section is None:
        return {}
    styled = (_attributes(tag).get(b"numFmtId", "") for tag in _XF.findall(section[1]))
    return {
        index: formats[int(number)]
        for index, number in enumerate(styled)
        if number.isdigit() and int(number) in formats
    }


class PaddedNumbers:
    """Feed a sheet's XML in pieces; ``found`` gives (row, column, text as Excel shows it) of
    its number cells in the ``padded`` styles (``padded_styles``), written as writers write
    them (a formula's saved result too)."""

    def __init__(self, padded: dict[int, tuple[str, int, str]]) -> None:
        self.padded = padded
        styles = b"|".join(str(index).encode() for index in padded)
        self.cell = re.compile(
            rb'<c r="([A-Z]{1,3})([0-9]{1,7})" s="(' + styles + rb')"(?: t="n")?>'
            rb"(?:<f>[^<]*</f>|<f\b[^<>]*/>)?<v>([-+0-9.eE]+)</v></c>"
        )
        self.carry = b""
        self.cells: list[tuple[int, int, str]] = []

    def feed(self, piece: bytes) -> None:
        text = self.carry + piece
        cut = whole_cells(text)
        self._scan(text[:cut])
        self.carry = text[cut:]

    def _scan(self, text: bytes) -> None:
        columns: dict[bytes, int] = {}
        for letters, row, style, value in self.cell.findall(text):
            if value.isdigit():  # (most: a whole number)
                number = int(value)
            else:  # shown rounded, half away from zero, as Excel shows it
                try:
                    number = int(Decimal(value.decode()).quantize(Decimal(1), ROUND_HALF_UP))
                except InvalidOperation:  # (beyond any number Excel holds)
                    continue
            column = columns.get(letters)
            if column is None:
                column = columns[letters] = sum(
                    (letter - 64) * 26**power for power, letter in enumerate(reversed(letters))
                )
            before, digits, after = self.padded[int(style)]
            sign = "-" if number < 0 else ""
            self.cells.append((int(row), column, f"{before}{sign}{abs(number):0{digits}}{after}"))

    def found(self) -> list[tuple[int, int, str]]:
        self._scan(self.carry)
        self.carry = b""
        return self.cells
