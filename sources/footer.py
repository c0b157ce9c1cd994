"""A register's footer: the totals row, notes and signature block that office registers put
below their table ("Jumlah", "Keterangan: ...", "Buntok, 31 Desember 2025", "Sekretaris ...",
"NIP ..."). They are no data rows: not typed, not checked, not counted in the file's error
ratio; one warning names their rows, never their contents (a NIP, a name).

The footer is found from the end of the sheet, looking only at its last rows:

- The table ends at its last row that can stand for an item: its key columns and the
  columns an item needs (``Source.item_columns``) all hold a value, and its key is not a
  totals label ("Jumlah" merged over the key column). Nothing from there up is ever footer,
  so no row that could count for an IKU is dropped, and a row without a key inside the
  table stays a row error.
- Below it, a totals row (one whose first non-empty cell, in any column, also one the
  source does not declare, "No", is a totals label: ``TOTALS_LABELS``) and everything under
  it are footer, whatever their cells hold (a note or a signature in the key column: none
  of these rows can stand for an item).
- Above the totals row, or to the end of the sheet when there is none (a signature block
  alone), a row still belongs to the table when a key column holds a value (a request
  whose date is missing) or when it looks like a data row that lost its key: it fills at
  least as many of the other declared columns as the median of the last register rows do
  (at least one; with no register row at all, every such row). The footer starts below the
  last such row: a signature fills one column or two, a register row most of them.
  A doubtful row is so kept as a row error, seen in the quarantine; a row dropped can never
  be an item, so dropping it never raises a figure, and the warning keeps it visible.
- More than ``MAX_FOOTER_ROWS`` rows below the table is no footer: a register whose rows
  lost their key, read as before.

The warning is given only when rows that would otherwise be read are dropped (a footer
written only in undeclared columns changes nothing). Cost: a register whose last row read is
one of its own costs a look at that row; otherwise the key and item columns are searched
and the rows below the table read again, every column (``Sheet.rows_after``).
"""

from __future__ import annotations

import re

import polars as pl

from sources.model import Source
from sources.sheet import FOOTER_SKIPPED, ROW_NUMBER, Issue, Sheet

# What registers write in the first cell of their totals row (matched ignoring case, spaces
# and a trailing colon).
TOTALS_LABELS = frozenset(
    re.sub(r"\s+", "", label.lower())
    for label in (
        "Jumlah",
        "Jumlah Total",
        "Jumlah Keseluruhan",
        "Jumlah Seluruhnya",
        "Total",
        "Total Jumlah",
        "Total Keseluruhan",
        "Grand Total",
    )
)
MAX_FOOTER_ROWS = 200  # rows read below the table's last register row
_MEDIAN_OF = 100  # register rows whose filled columns tell what a data row looks like
_LAST_TOTALS = 10  # totals rows looked through from the end ("Jumlah" merged over the key)


def is_totals_label(text: str | None) -> bool:
    return text is not None and re.sub(r"\s+", "", text.lower()).rstrip(":") in TOTALS_LABELS


def without_footer(
    cells: pl.DataFrame, source: Source, sheet: Sheet, header_index: int
) -> tuple[pl.DataFrame, list[Issue]]:
    """The data rows of ``cells`` (the body of ``sheet`` below its header row, one column per
    declared column it has, by name) without the sheet's footer, and the warning naming it."""
    key = [k for k in source.key if k in cells.columns]
    needed = key + [c for c in source.item_columns or () if c in cells.columns]
    if not key or not cells.height or _is_register_row(cells.row(-1, named=True), key, needed):
        return cells, []  # (a register that ends with a row of its own: found in microseconds)
    registered = _register_rows(cells, key, needed)
    last = registered[-1] if registered else -1
    below = cells.height - last - 1
    if below == 0 or below > MAX_FOOTER_ROWS:  # nothing below the table, or no footer
        return cells, []
    last_row = int(cells[ROW_NUMBER][last]) if registered else header_index + 1
    raw = sheet.rows_after(header_index, last_row)  # every column: the label may be in any
    positions = [c for c in raw.columns if c != ROW_NUMBER]
    label = pl.coalesce(positions).str.to_lowercase().str.replace_all(r"\s+", "")
    totals = raw.filter(label.str.strip_chars_end(":").is_in(sorted(TOTALS_LABELS)))
    if raw.height > MAX_FOOTER_ROWS:
        return cells, []
    end = totals[ROW_NUMBER][0] if totals.height else raw[ROW_NUMBER][-1] + 1
    others = [c for c in cells.columns if not c.startswith("_") and c not in key]
    filled = pl.sum_horizontal([pl.col(c).is_not_null() for c in others] or [pl.lit(0)])
    sample = cells[registered[-_MEDIAN_OF:]].select(filled).to_series()
    least = max(1, int(sample.median() or 0)) if sample.len() else 1  # type: ignore[arg-type]
    # Above the totals row (or to the end), the rows that still belong to the table.
    table = cells.slice(last + 1).filter(
        (pl.col(ROW_NUMBER) < end)
        & (pl.any_horizontal(pl.col(k).is_not_null() for k in key) | (filled >= least))
    )
    start = table[ROW_NUMBER][-1] + 1 if table.height else last_row + 1
    kept = cells.filter(pl.col(ROW_NUMBER) < start)
    if kept.height == cells.height:  # the footer holds no declared column: nothing to drop
        return cells, []
    footer = raw.filter(pl.col(ROW_NUMBER) >= start)[ROW_NUMBER]
    return kept, [_skipped(footer[0], footer[-1])]


def _is_register_row(row: dict[str, str | None], key: list[str], needed: list[str]) -> bool:
    """Whether a row can stand for an item: its key and item columns filled, its key no
    totals label ("Jumlah" merged over it)."""
    return all(row[c] is not None for c in needed) and not all(is_totals_label(row[k]) for k in key)


def _register_rows(cells: pl.DataFrame, key: list[str], needed: list[str]) -> list[int]:
    """The positions of the last rows that can stand for an item (``_is_register_row``)."""
    items = cells.select(pl.all_horizontal(pl.col(c).is_not_null() for c in needed))
    # (only the last ones are looked at: the table's end and the rows that tell its shape)
    positions: list[int] = items.to_series().arg_true().tail(_MEDIAN_OF + _LAST_TOTALS).to_list()
    for _ in range(_LAST_TOTALS):
        if not positions or not all(is_totals_label(cells[k][positions[-1]]) for k in key):
            break
        positions.pop()
    return positions


def _skipped(first: int, last: int) -> Issue:
    rows = f"baris {first}" if first == last else f"baris {first}–{last}"
    return Issue(
        FOOTER_SKIPPED,
        "warning",
        f"{rows} di bawah tabel tidak dibaca: penutup (jumlah, keterangan, tanda tangan). Bila "
        "di antaranya ada baris data, isi kolom kuncinya dan letakkan di atas baris jumlah "
        "dan tanda tangan",
    )
