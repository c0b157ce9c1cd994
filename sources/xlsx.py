"""Reading an XLSX export: the first sheet a person sees, as text, once the guard
(``sources.xlsxguard``) has found that the spreadsheet reader can open it within the limits."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Literal

import fastexcel
import polars as pl

from sources.personal import masked_cell
from sources.sheet import HEADER_SEARCH_ROWS, Issue, ReadLimits, Sheet
from sources.shown import NOT_CALCULATED, NOT_SHOWN
from sources.xlsxchild import in_child
from sources.xlsxguard import check_xlsx
from sources.xlsxsheet import Merge
from sources.xlsxzip import column_number

_DAYS_1900_TO_1904 = 1462  # between the two date systems' day 0
_NUMBER = r"^\s*-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\s*$"  # a number cell, as fastexcel writes it
_SIXTEEN = re.compile(r"[1-9]\d{14}[1-9](?:\.0+)?")  # 16 digits, the last not 0


def read_xlsx_sheet(data: bytes, limits: ReadLimits) -> Sheet:
    """The first visible worksheet, as text; row i of the frame is Excel row i + 1. A cell
    holding a formula error reads as Excel shows it ("#N/A"): never as an empty cell. The
    spreadsheet reader runs in a child process (``in_child``)."""
    workbook = check_xlsx(data, limits)
    date1904 = workbook.date1904
    memory = limits.max_xlsx_memory_bytes
    frame, absolute, name = in_child(memory, _sheet_as_text, data, workbook.sheet)
    frame = _with_cells(frame, _positions(absolute, workbook.shown))
    frame, absolute = _not_calculated(frame, absolute, workbook.not_calculated)
    frame = _merged_filled(frame, workbook.merges, absolute)
    head = frame.head(HEADER_SEARCH_ROWS).rows()

    def again(columns: list[int], dtype: Literal["date", "boolean"]) -> pl.DataFrame:
        """``columns`` (frame positions) read again, typed: a cell of another type is null
        (so is a row the reader did not give: ``_not_calculated`` may add some)."""
        typed = in_child(memory, _columns_typed, data, name, [absolute[i] for i in columns], dtype)
        missing = frame.height - typed.height
        return pl.concat([typed, typed.clear(missing)]) if missing > 0 else typed

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
                    shown = day.dt.to_string("%Y-%m-%d").fill_null(rows[:, i])
                    # (a formula's result the file holds is not Excel's when it calculates)
                    unknown = rows[:, i].eq_missing(NOT_CALCULATED)
                    changed.append(rows[:, i].zip_with(unknown, shown).alias(f"c{i}"))
        # A NIK or NIP in a number cell has lost digits (Excel keeps 15): it is shown as
        # Excel shows such a number ("6.20401E+15"), which the parser refuses, unless the
        # cell provably holds every digit (``_whole``).
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
                            if number is not None
                            and re.match(_NUMBER, text or "")
                            and not _whole(text or "")
                            else text
                            for text, number in zip(rows[:, i], found[:, k], strict=True)
                        ],
                        dtype=pl.String,
                    )
                    for k, i in enumerate(numbers)
                ]
        return rows.with_columns(changed).lazy()

    return Sheet(head, below, limits, notes=_ignored_sheets(workbook.ignored, name))


def _whole(number: str) -> bool:
    """A NIK in a number cell that has kept all 16 digits: Excel keeps 15 and writes a 16th
    as 0, so one whose last digit is not 0 never went through Excel's number cells; below
    2^53 a double holds it exactly (LibreOffice and Google Sheets save such numbers whole).
    One ending in 0 may be either: refused, never guessed."""
    return _SIXTEEN.fullmatch(number) is not None and int(number[:16]) < 2**53


def _sheet_as_text(
    data: bytes, sheet: tuple[int, int] | None
) -> tuple[pl.DataFrame, list[int], str]:
    """(In the child.) The sheet at position ``sheet`` (``Workbook.sheet``) as text, one
    column "c<i>" per used column, with each used column's position in the sheet and the
    sheet's name."""
    reader = fastexcel.read_excel(data)
    index, count = sheet or (0, len(reader.sheet_names))
    names = reader.sheet_names
    if count != len(names):  # not the sheets the guard saw: not read
        raise ValueError(f"{len(names)} lembar terbaca, {count} tercatat")
    if len(set(names)) != len(names):  # the reader finds a sheet by its name
        raise ValueError("dua lembar bernama sama")
    loaded = reader.load_sheet(index, header_row=None, dtypes="string", skip_rows=0)
    batch, errors = loaded.to_arrow_with_errors()
    frame = pl.DataFrame(pl.from_arrow(batch))
    frame.columns = [f"c{i}" for i in range(frame.width)]
    frame = _with_error_texts(frame, errors.errors if errors else [])
    # The sheet's column of each frame column: the frame starts at the first used one.
    return frame, [c.absolute_index for c in loaded.selected_columns], loaded.name


def _columns_typed(
    data: bytes, sheet: str, columns: list[int], dtype: Literal["date", "boolean"]
) -> pl.DataFrame:
    """(In the child.) The given columns (positions in the sheet) read as ``dtype``."""
    return (
        fastexcel.read_excel(data)
        .load_sheet(sheet, header_row=None, skip_rows=0, use_columns=columns, dtypes=dtype)
        .to_polars()
    )


SHEETS_IGNORED = "lembar_lain_tidak_dibaca"


def _ignored_sheets(names: list[str], read: str) -> list[Issue]:
    """A warning naming the other visible worksheets that hold values: only the first is an
    export's (SPEC), and rows on the others must not be lost without a word. A name is
    quoted as a cell is (``masked_cell``): the message is published."""
    if not names:
        return []
    listed = ", ".join(f"'{masked_cell(n)}'" for n in names)
    return [
        Issue(
            SHEETS_IGNORED,
            "warning",
            f"hanya lembar pertama ('{masked_cell(read)}') yang dibaca; lembar lain yang berisi data tidak "
            f"dibaca: {listed}. Bila lembar itu memuat baris ekspor ini, pindahkan ke lembar "
            "pertama atau simpan sebagai file tersendiri",
        )
    ]


# How Excel shows a formula's error (calamine's names for them).
_ERROR_TEXTS = {
    "NA": "#N/A", "Ref": "#REF!", "Div0": "#DIV/0!", "Value": "#VALUE!", "Name": "#NAME?",
    "Num": "#NUM!", "Null": "#NULL!", "GettingData": "#GETTING_DATA",
}  # fmt: skip


def _with_error_texts(frame: pl.DataFrame, errors: list[Any]) -> pl.DataFrame:
    """Each cell the reader could not give as text as Excel shows it: a formula error by its
    name ("#N/A"), any other (a date the reader cannot convert) as Excel shows a number it
    cannot show (a phone number typed into a date column), "########". Such a cell
    holds a value: it must never read as an empty one (an unanswered request, a stage not
    finished)."""
    cells: dict[int, dict[int, str]] = {}
    for error in errors:
        row, column = error.position
        kind = re.search(r"Error\((\w+)\)", error.detail)
        text = _ERROR_TEXTS.get(kind[1], f"#{kind[1]}") if kind else NOT_SHOWN
        cells.setdefault(column, {})[row] = text
    return _with_cells(frame, cells)


def _with_cells(frame: pl.DataFrame, cells: Mapping[int, Mapping[int, str | None]]) -> pl.DataFrame:
    """``frame`` with the given texts: column position -> row -> text."""
    return frame.with_columns(
        frame[:, column].clone().scatter(list(found), list(found.values()))
        for column, found in cells.items()
    )


def _positions(
    absolute: list[int], cells: list[tuple[int, int, str]]
) -> dict[int, dict[int, str | None]]:
    """Texts by sheet row and column (from 1) as ``_with_cells`` takes them: by frame column
    (``absolute``: the sheet column of each) and row; a cell outside the frame is passed over
    (the reader gives every cell holding a value)."""
    position = {a: i for i, a in enumerate(absolute)}
    found: dict[int, dict[int, str | None]] = {}
    for row, column, text in cells:
        if column - 1 in position:
            found.setdefault(position[column - 1], {})[row - 1] = text
    return found


def _not_calculated(
    frame: pl.DataFrame, absolute: list[int], cells: list[tuple[int, int]]
) -> tuple[pl.DataFrame, list[int]]:
    """``frame`` (with the sheet column of each of its columns) holding ``NOT_CALCULATED`` in
    each of ``cells`` (a formula whose result the file does not hold; row and column counted
    from 1), grown to hold them all: the reader gives no row or column of such cells alone,
    where Excel shows their results (a request computed whole, its row lost)."""
    if not cells:
        return frame, absolute
    rows, columns = {r for r, _ in cells}, {c - 1 for _, c in cells}
    layout = list(range(min([*absolute, *columns]), max([*absolute, *columns]) + 1))
    if layout != absolute or max(rows) > frame.height:
        height, empty = max(frame.height, *rows), pl.Series([], dtype=pl.String)
        held = dict(zip(absolute, frame.get_columns(), strict=True))
        frame = pl.DataFrame(
            [held.get(a, empty).extend_constant(None, height - len(held.get(a, empty)))
             .alias(f"c{i}") for i, a in enumerate(layout)]
        )  # fmt: skip
    unknown = [(row, column, NOT_CALCULATED) for row, column in cells]
    return _with_cells(frame, _positions(layout, unknown)), layout


def _merged_filled(frame: pl.DataFrame, merges: list[Merge], absolute: list[int]) -> pl.DataFrame:
    """Every cell of a merged range holding the range's value, as a person sees it (a TPS
    merged over its seven members' rows); empty when its first cell is, whatever the others
    hold (Excel shows none of them: a date hidden so must not answer a request). Sheet rows
    and columns count from 1."""
    position = {a: i for i, a in enumerate(absolute)}
    cells: dict[int, dict[int, str | None]] = {}
    # More filling than the sheet has cells, or than 32 million characters: not a register.
    budget, characters = frame.height * max(frame.width, 1), 32 * 2**20
    for first_column, first_row, last_column, last_row in merges:
        top, bottom = int(first_row) - 1, min(int(last_row), frame.height) - 1
        left = column_number(first_column) - 1
        columns = range(left, column_number(last_column))
        if not 0 <= top <= bottom:
            continue
        value = frame[top, position[left]] if left in position else None
        for column in [i for i, a in enumerate(absolute) if a in columns]:
            budget -= bottom - top + 1
            characters -= (bottom - top + 1) * len(value or "")
            if budget < 0 or characters < 0:
                continue
            cells.setdefault(column, {}).update(dict.fromkeys(range(top, bottom + 1), value))
    return frame if budget < 0 or characters < 0 else _with_cells(frame, cells)
