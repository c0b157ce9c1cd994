"""What every reader shares: the rules a file can break, its issues and limits, a sheet of cells."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from sources.model import Column, Kind, Severity, Source, normalise_header
from sources.personal import masked, masked_cell

HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t", "|")
ROW_NUMBER = "_row_number"
# True for a CSV row with a cell beyond the header row's last: its values may have shifted.
OVERFLOW = "_sel_di_luar_judul"
MAX_ERROR_RATIO = 0.20
KIB = 1024
MIB = 1024 * KIB

# Rule names, shared with the checks and shown to admins in dq.issues.
FILE_UNREADABLE = "file_tidak_terbaca"
FORMAT_UNSUPPORTED = "format_tidak_didukung"
HEADER_NOT_FOUND = "header_tidak_ditemukan"
REQUIRED_COLUMN_MISSING = "kolom_wajib_tidak_ada"
TOO_MANY_ERRORS = "terlalu_banyak_baris_salah"
VALUE_INVALID = "nilai_tidak_valid"
VALUE_MISSING = "nilai_wajib_kosong"
KEY_DUPLICATE = "kunci_ganda_dalam_file"
FILE_EMPTY = "file_kosong"
FILE_TOO_LARGE = "file_terlalu_besar"
XLSX_TOO_LARGE = "xlsx_terlalu_besar"
TOO_MANY_COLUMNS = "kolom_terlalu_banyak"
LINE_TOO_LONG = "baris_terlalu_panjang"
TOO_MANY_ROWS = "baris_terlalu_banyak"
FIELD_TOO_LONG = "sel_terlalu_panjang"
COLUMN_DUPLICATE = "kolom_ganda"
CELLS_BEYOND_HEADER = "sel_di_luar_judul"
HEADER_AGAIN = "judul_kolom_berbeda_di_bawah"
TABLE_BESIDE = "tabel_lain_tidak_dibaca"
FOOTER_SKIPPED = "baris_penutup_tidak_dibaca"
UNEXPECTED_ERROR = "kesalahan_tak_terduga"
log = logging.getLogger("iku")


@dataclass(frozen=True)
class Issue:
    """Something wrong in an export: the whole file (row_number None) or one row."""

    rule: str
    severity: Severity
    message: str
    row_number: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:
        # The message is published (dq.issues, mentah.<source>.pesan): whatever it quotes (a
        # cell, a sheet or header name) holds no NIK, phone number, e-mail or street address.
        object.__setattr__(self, "message", masked(self.message))


@dataclass
class ReadResult:
    """The typed rows of one export and what was wrong with it."""

    source: Source
    path: Path
    rows: pl.DataFrame  # one column per declared column (by field) plus _row_number
    issues: list[Issue] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return any(i.row_number is None and i.severity == "error" for i in self.issues)

    def error_rows(self) -> set[int]:
        return {
            i.row_number for i in self.issues if i.row_number is not None and i.severity == "error"
        }

    def valid_rows(self) -> pl.DataFrame:
        """Rows without any error; none at all when the file is rejected."""
        if self.rejected:
            return self.rows.clear()
        bad = self.error_rows()
        return self.rows.filter(~pl.col(ROW_NUMBER).is_in(list(bad))) if bad else self.rows


class ReadError(Exception):
    """The file as a whole cannot be used; the message says why."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


@dataclass(frozen=True)
class ReadLimits:
    """What the reader accepts. Sizes guard memory and time (each is named, with its
    environment variable, in the message of a file that exceeds it); the date windows say
    which dates are plausible at all."""

    max_file_bytes: int = 64 * MIB  # IKU_MAX_FILE_BYTES
    max_xlsx_uncompressed_bytes: int = 256 * MIB  # IKU_MAX_XLSX_UNCOMPRESSED_BYTES
    max_xlsx_ratio: float = 100  # IKU_MAX_XLSX_RATIO: uncompressed / compressed size
    max_xlsx_cells: int = 5_000_000  # IKU_MAX_XLSX_CELLS: rows x columns of the first sheet
    max_xlsx_memory_bytes: int = 4 * 1024 * MIB  # IKU_MAX_XLSX_MEMORY_BYTES: the reader's child
    max_columns: int = 500  # IKU_MAX_COLUMNS
    max_rows: int = 2_000_000  # IKU_MAX_ROWS: lines of a CSV, rows of a sheet
    max_field_chars: int = 32 * KIB  # IKU_MAX_FIELD_CHARS: one cell
    max_line_chars: int = 1 * MIB  # IKU_MAX_LINE_CHARS: one CSV line (counted in UTF-8 bytes)
    min_event_date: date = date(2000, 1, 1)
    max_years_ahead: int = 2  # event dates up to as-of plus this many years
    min_birth_date: date = date(1900, 1, 1)  # birth dates from here up to as-of
    as_of: date | None = None  # None: today

    def window(self, column: Column) -> tuple[date, date] | None:
        """The plausible values of a DATE or MONTH column (None for other kinds)."""
        if column.kind not in (Kind.DATE, Kind.MONTH):
            return None
        today = self.as_of or date.today()
        if column.birth_date:
            return self.min_birth_date, today
        try:
            latest = today.replace(year=today.year + self.max_years_ahead)
        except ValueError:  # 29 February
            latest = today.replace(year=today.year + self.max_years_ahead, day=28)
        return self.min_event_date, latest


DEFAULT_LIMITS = ReadLimits()


def size_text(n: float) -> str:
    """A size in MiB the Indonesian way: '64,0 MiB'."""
    return f"{n / MIB:.1f} MiB".replace(".", ",")


# --- the sheet ---------------------------------------------------------------------------


_CANDIDATE = "_mungkin_judul"
_BESIDE = "_judul_di_samping"

# Characters no one sees in a cell (zero-width spaces and joiners, a byte-order mark pasted
# from the web or another file, the marks of writing direction a phone or Word leaves around
# a pasted number, invisible operators, Word's optional hyphen, the fillers that make a name
# look blank): gone, so that a "Ya" is Ya, a date a date and "001" the request 001. They are
# Unicode's Default_Ignorable_Code_Point, which fonts show as nothing.
_INVISIBLE = (
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


@dataclass
class Sheet:
    """The cells of an export: the first rows (to find the header) and the body below it."""

    head: Sequence[Sequence[str | None]]  # blank cells as they are: they name no column
    # Every row below the header row (index given), one text column "c<i>" per position; in
    # the date columns (positions given) an XLSX date or number cell comes as an ISO date, so
    # that only a real Excel cell is ever read as a date serial; in the text columns (given
    # next: a NIK, a NIP) an XLSX number cell comes as Excel shows it, "6.20401E+15".
    _below: Callable[[int, list[int], list[int]], pl.LazyFrame]
    limits: ReadLimits
    # The same rows read again by a slower, more forgiving parser, for a body the first one
    # refuses (CSV: a quote inside an unquoted cell, as Excel reads it); None: none.
    _below_again: Callable[[int, list[int]], pl.LazyFrame] | None = None
    # What reading found: warnings, or the error of a file refused with its rows (cut short)
    notes: list[Issue] = field(default_factory=list)
    _parsed_again: bool = False  # the body was read by ``_below_again``

    def body(
        self,
        header_index: int,
        columns: Sequence[int],
        date_columns: Sequence[int] = (),
        text_columns: Sequence[int] = (),
        column_names: Collection[str] = (),
    ) -> pl.DataFrame:
        """The rows below the header row with a value in one of ``columns`` (positions), as
        ``_row_number`` (numbered as in the file: the header row is ``header_index + 1``) and
        one text column "c<i>" per position, an empty or all-space cell NULL. The header
        repeated below is no row, and a header of other columns refuses the file
        (``_headers_again``; ``column_names``: the declared names and aliases); a header
        in other columns (a table beside this one, whose rows are not read) is named in a
        warning (``notes``). Streamed, so that a million rows of empty cells cost nothing."""
        positions = sorted(set(columns))
        names = [f"c{i}" for i in positions]
        titles = [self.head[header_index][i] or "" for i in positions]
        # A row that may name columns: two cells written as a title is (found in a hash
        # lookup per cell; the closer look, at every cell normalised, costs half the read).
        written = {v for t in (*titles, *column_names) for v in (t, t.upper(), t.lower())}
        candidate = pl.sum_horizontal(
            pl.col(n).is_in(sorted(written)).fill_null(False) for n in names
        )

        def rows_of(below: pl.LazyFrame) -> pl.DataFrame:
            schema = below.collect_schema()
            flag = [OVERFLOW] if OVERFLOW in schema else []
            data = pl.any_horizontal(pl.col(n).is_not_null() for n in names)
            # A row naming columns beside the header's: the header of a table beside this one.
            # (A CSV flags every cell beyond its header, OVERFLOW: its rows are not lost.)
            cells = [c for c in schema if c[0] == "c" and c[1:].isdigit()]
            others = [] if flag else [c for c in cells if c not in names]
            beside, kept = [], data
            if others:
                named = (pl.col(c).is_in(sorted(written)).fill_null(False) for c in others)
                beside = [pl.sum_horizontal(named).ge(min(3, len(names))).alias(_BESIDE)]
                kept = data | pl.col(_BESIDE)
            rows = (
                below.select(*names, *flag, *beside)
                .with_row_index(ROW_NUMBER, offset=header_index + 2)
                .with_columns(_cleaned(names))
                .filter(kept)
                .with_columns(candidate.alias(_CANDIDATE))
                .collect(engine="streaming")
            )
            if others:
                tables = rows.filter(pl.col(_BESIDE))[ROW_NUMBER]
                self.notes += [_table_beside(tables[0], header_index + 1)] if len(tables) else []
                rows = rows.filter(data).drop(_BESIDE)
            maybe = rows.filter(pl.col(_CANDIDATE) >= min(2, len(names)))
            headers = _headers_again(maybe, names, titles, column_names, header_index + 1)
            return rows.filter(~pl.col(ROW_NUMBER).is_in(headers)).drop(_CANDIDATE)

        try:
            rows = rows_of(self._below(header_index, list(date_columns), list(text_columns)))
        except pl.exceptions.PolarsError as exc:
            if self._below_again is None:
                raise ReadError(
                    FILE_UNREADABLE,
                    "isi file tidak dapat diurai; periksa file di aplikasi sumber lalu ekspor ulang",
                ) from exc
            rows = rows_of(self._below_again(header_index, positions))
            self._parsed_again = True
        longest = rows.select(pl.max_horizontal(pl.col(names).str.len_chars().max())).item()
        if longest is not None and longest > self.limits.max_field_chars:
            raise field_too_long(longest, self.limits)
        return rows

    def rows_after(self, header_index: int, row_number: int) -> pl.DataFrame:
        """Every cell ("c<i>", in the sheet's order, an empty or all-space cell NULL) of the
        rows below row ``row_number`` that hold one, numbered as ``body`` numbers them; read
        as ``body`` read them. Meant for the last rows of a sheet (``sources.footer``)."""
        skipped = max(row_number - header_index - 1, 0)
        if self._parsed_again and self._below_again is not None:
            width = len(self.head[header_index])
            below = self._below_again(header_index, list(range(width)))
        else:
            below = self._below(header_index, [], [])
        cells = [c for c in below.collect_schema() if c[0] == "c" and c[1:].isdigit()]
        cells.sort(key=lambda c: int(c[1:]))
        return (
            below.slice(skipped)
            .select(_cleaned(cells))
            .with_row_index(ROW_NUMBER, offset=header_index + 2 + skipped)
            .filter(pl.any_horizontal(pl.col(c).is_not_null() for c in cells))
            .collect()
        )


def _cleaned(names: Sequence[str]) -> list[pl.Expr]:
    """Each cell of ``names`` without the characters no one sees (``_INVISIBLE``), an empty
    or all-space cell NULL."""
    visible = [pl.col(n).str.replace_all(_INVISIBLE, "") for n in names]
    return [
        pl.when(v.str.strip_chars() == "").then(None).otherwise(v).alias(n)
        for v, n in zip(visible, names, strict=True)
    ]


def _table_beside(row: int, header_row: int) -> Issue:
    return Issue(
        TABLE_BESIDE,
        "warning",
        f"baris {row} berisi judul kolom di kolom lain dari baris judul (baris {header_row}): "
        "tabel lain di samping tabel ini, yang barisnya tidak dibaca; pindahkan barisnya ke "
        "bawah tabel ini, di kolom yang sama, atau simpan sebagai file tersendiri",
    )


def _headers_again(
    rows: pl.DataFrame,
    names: list[str],
    titles: list[str],
    column_names: Collection[str],
    header_row: int,
) -> list[int]:
    """Of ``rows`` (cells ``names`` below the header, row ``header_row``, of ``titles``;
    ``column_names``: the declared names and aliases), the header repeated (a page break of a
    printed register: two cells, in any case or spacing, name their own columns and none
    another's; in a header merged over two rows of an XLSX the others may hold a hint).
    A row naming three columns, one of them another's (a second table, two exports joined,
    their columns in another order) refuses the file: the rows under it would be read under
    the first header, a value in a column not its own."""
    if not rows.height:
        return []
    keys = [normalise_header(t) for t in titles]
    known = sorted({*map(normalise_header, column_names), *keys})
    cells = [pl.col(n).str.to_lowercase().str.replace_all("[^0-9a-z]+", "") for n in names]
    own = [(c == k).fill_null(False) for c, k in zip(cells, keys, strict=True)]
    naming = [c.is_in(known).fill_null(False) for c in cells]
    elsewhere = pl.any_horizontal(n & ~o for n, o in zip(naming, own, strict=True))
    found = rows.select(
        ROW_NUMBER,
        repeated=(pl.sum_horizontal(own) >= min(2, len(names))) & ~elsewhere,
        other=(pl.sum_horizontal(naming) >= min(3, len(names))) & elsewhere,
    )
    other = found.filter("other")
    if other.height:
        raise ReadError(
            HEADER_AGAIN,
            f"baris {other[ROW_NUMBER][0]} berisi judul kolom lagi, dengan kolom yang berbeda "
            f"dari baris judul (baris {header_row}): tabel kedua "
            "atau ekspor yang digabung dengan urutan kolom lain, yang nilainya akan terbaca di "
            "kolom yang salah; pisahkan tiap tabel ke file sendiri",
        )
    return found.filter("repeated")[ROW_NUMBER].to_list()


# --- limits ------------------------------------------------------------------------------


def field_too_long(length: int | None, limits: ReadLimits) -> ReadError:
    """``length`` None: longer than the limit, by how much is not known."""
    contents = "lebih banyak" if length is None else f"{length}"
    return ReadError(
        FIELD_TOO_LONG,
        f"ada sel berisi {contents} karakter, melebihi batas {limits.max_field_chars} "
        "(IKU_MAX_FIELD_CHARS); periksa sel itu (teks sangat panjang, atau tanda kutip yang "
        "tidak berpasangan di CSV) atau naikkan IKU_MAX_FIELD_CHARS",
    )


def too_many_rows(rows: int, limits: ReadLimits) -> ReadError:
    return ReadError(
        TOO_MANY_ROWS,
        f"file berisi {rows} baris, melebihi batas {limits.max_rows} (IKU_MAX_ROWS); hapus "
        "baris kosong di bawah data, pecah file, atau naikkan IKU_MAX_ROWS",
    )


def too_many_cells(what: str, limits: ReadLimits) -> ReadError:
    return ReadError(
        XLSX_TOO_LARGE,
        f"lembar XLSX mencakup {what}, melebihi batas {limits.max_xlsx_cells} sel "
        "(IKU_MAX_XLSX_CELLS); hapus baris dan kolom kosong di luar data (Ctrl+End di Excel "
        "menunjukkan sel terakhir yang terpakai), pecah file, atau naikkan IKU_MAX_XLSX_CELLS",
    )


# --- rows --------------------------------------------------------------------------------


def shown_value(column: Column, text: str) -> str:
    """A cell as it may appear in a message: personal data is never repeated, and a long
    text is cut short."""
    if column.pii:
        return "(disembunyikan)"
    text = masked_cell(text)  # before cutting it short: a cut phone number is no longer one
    return text if len(text) <= 60 else text[:57] + "..."


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message, cut short, with what a library may quote
    from a cell masked: personal data (``masked``: a phone number written with dashes, an
    e-mail address; before the cut, which could leave half of one), and long digit runs
    (a NIP)."""
    lines = str(exc).strip().splitlines()
    return re.sub(r"\d{6,}", "…", masked(lines[0])[:200]) if lines else type(exc).__name__


def causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and the ones it was raised from (httpx wraps the ssl and socket errors)."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return
        yield seen
        seen = seen.__cause__ or seen.__context__


def describe(exc: BaseException) -> str:
    """``Type: first line`` of an exception, for a message or a run record."""
    line = first_line(exc)
    return type(exc).__name__ if line == type(exc).__name__ else f"{type(exc).__name__}: {line}"
