"""The header row of an export: found below title rows by the declared column names, in any
case, spacing and punctuation, by their aliases, and by a name with a hint in brackets."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sources.model import Source, normalise_header
from sources.sheet import (
    COLUMN_DUPLICATE,
    HEADER_NOT_FOUND,
    HEADER_SEARCH_ROWS,
    ReadError,
)

_HINT = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def header_positions(row: Sequence[str | None], source: Source) -> dict[str, list[int]]:
    """Column name -> cell indexes, for the cells of a row that name a declared column. A
    name with a hint in brackets ("Tanggal Permohonan (dd/mm/yyyy)") names a column that no
    cell names plainly, when it is the only such cell: "Kode (BPS)" beside "Kode Wilayah"
    stays an extra column."""
    keys = source.header_names
    found: dict[str, list[int]] = {}
    hinted: dict[str, list[int]] = {}
    for index, cell in enumerate(row):
        if cell is None:
            continue
        name = keys.get(normalise_header(cell))
        if name is not None:
            found.setdefault(name, []).append(index)
        elif "(" in cell or "[" in cell:
            name = keys.get(normalise_header(_HINT.sub("", cell)))
            if name is not None:
                hinted.setdefault(name, []).append(index)
    found.update((n, cells) for n, cells in hinted.items() if n not in found and len(cells) == 1)
    return found


def find_header(
    cells: Sequence[Sequence[str | None]], source: Source
) -> tuple[int, dict[str, int]]:
    """The header row: the first with every required column, else the best-matching one.

    A declared column named twice in it (directly or by an alias: NIK and No Identitas) makes
    the file ambiguous: which of the two holds the values is unknown.
    """
    best_index, best_map = -1, dict[str, list[int]]()
    required = {c.name for c in source.required}
    for index, row in enumerate(cells[:HEADER_SEARCH_ROWS]):
        found = header_positions(row, source)
        if required <= found.keys():
            best_index, best_map = index, found
            break
        if len(found) > len(best_map):
            best_index, best_map = index, found
    if best_index < 0:
        expected = ", ".join(c.name for c in source.required)
        raise ReadError(
            HEADER_NOT_FOUND,
            f"baris judul kolom tidak ditemukan di {HEADER_SEARCH_ROWS} baris pertama "
            f"(kolom yang dicari: {expected})",
        )
    twice = [(name, positions) for name, positions in best_map.items() if len(positions) > 1]
    if twice:
        (name, (first, second, *_)), row = twice[0], cells[best_index]
        raise ReadError(
            COLUMN_DUPLICATE,
            f"kolom {name} muncul dua kali di baris judul (baris {best_index + 1}): kolom ke-"
            f"{first + 1} {(row[first] or '')[:40]!r} dan kolom ke-{second + 1} "
            f"{(row[second] or '')[:40]!r}; hapus atau ganti nama salah satunya",
        )
    return best_index, {name: positions[0] for name, positions in best_map.items()}
