"""Turning the text of one export cell into a typed value, the way office exports write it.

Every parser takes the cell as text (empty cells never reach it) and returns the value or
raises ``ValueError`` with an Indonesian message an admin can act on. ``parse_series`` applies
a parser to a whole column, calling it once per distinct value.

A value is refused, never truncated or wrapped: a number that does not fit its column type,
or a date outside the plausible window the reader passes in, is an error of its row. Text is
never taken for an Excel date serial: the reader turns real Excel date and number cells into
ISO dates before they get here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

import polars as pl

from sources.indonesian import parse_date, parse_month
from sources.model import DECIMAL_PRECISION, DECIMAL_SCALE, Column, Kind
from sources.personal import masked, masked_cell
from sources.shown import (
    DAMAGED,
    LIBREOFFICE_ERROR,
    NOT_CALCULATED,
    NOT_CALCULATED_REASON,
    parse_named,
)

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# A lone dash is how Indonesian registers leave a cell empty: outside text, it is nothing.
NOTHING = ("-", "–", "—")
# (TRUE and FALSE as a boolean cell shows, also in Indonesian: BENAR, SALAH in Excel and
# LibreOffice set to Indonesian, and so in the CSV they save)
YES = {"ya", "y", "yes", "true", "benar", "1", "ada"}
NO = {"tidak", "t", "tdk", "no", "n", "false", "salah", "0", "tidak ada"}

_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_PLAIN_INT = re.compile(r"^-?\d+$")
MAX_DECIMAL = Decimal(10) ** (DECIMAL_PRECISION - DECIMAL_SCALE)  # DECIMAL(8,4): < 10 000
_DECIMAL_STEP = Decimal(1).scaleb(-DECIMAL_SCALE)  # 0.0001


def parse_integer(text: str) -> int:
    """Whole numbers, with Indonesian thousands dots: '1.234' is 1234; '001' is 1. Never a
    phone number or NIK: as a number it would be published in clear, where text is masked."""
    value = text.strip().replace(" ", "")
    digits = value.replace(".", "").removeprefix("-")
    if not (_PLAIN_INT.match(value) or _THOUSANDS.match(value)):
        raise ValueError(
            f"'{text}' bukan bilangan bulat (titik hanya sebagai pemisah ribuan: 1.234)"
        )
    significant = digits.lstrip("0")
    if len(significant) > 15:  # 10**15 and more: far inside BIGINT, but no real count
        raise ValueError(f"'{text}' terlalu besar untuk sebuah jumlah; periksa angkanya di sumber")
    shape = "0" + significant if digits.startswith("0") else significant  # 0812…, never 00…042
    if masked_cell(shape) != shape:  # a phone number (0812…, 62812…, 812…), 13 digits or more
        raise ValueError(
            f"'{text}' berbentuk nomor telepon atau NIK, bukan angka; periksa kolomnya di sumber"
        )
    return -int(digits) if value.startswith("-") else int(digits)


def parse_decimal(text: str) -> Decimal:
    """Decimal comma or dot: '78,5' and '78.5'; with both, the dot groups thousands."""
    value = text.strip().replace(" ", "")
    if "," in value and "." in value[value.index(",") :]:
        # 1,234.5: a comma grouping thousands (Excel set to English), not a decimal comma
        raise ValueError(f"'{text}' bukan angka desimal: titik setelah koma (tulis 1234,5)")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"'{text}' bukan angka desimal (contoh: 78,5)") from None
    if not number.is_finite():
        raise ValueError(f"'{text}' bukan angka desimal (contoh: 78,5)")
    # Rounded to the column's scale as the database would (a huge exponent cannot even be
    # rounded, so the size is compared first and again after rounding: 9999,999 -> 10000).
    if number.copy_abs() < MAX_DECIMAL:
        number = number.quantize(_DECIMAL_STEP, ROUND_HALF_EVEN)
    if number.copy_abs() >= MAX_DECIMAL:
        raise ValueError(
            f"'{text}' terlalu besar: kolom ini menampung paling banyak "
            f"{DECIMAL_PRECISION - DECIMAL_SCALE} digit sebelum koma; periksa angkanya di sumber"
        )
    return number


def parse_year(text: str) -> int:
    value = parse_integer(text.removesuffix(".0"))
    if not 1900 <= value <= 2100:
        raise ValueError(f"'{text}' bukan tahun")
    return value


_QUARTER = re.compile(r"^(?:triwulan|tw|trw|q|kuartal)?\s*[-.]?\s*0*([1-4]|iv|iii|ii|i)$")


def parse_quarter(text: str) -> int:
    """1–4, I–IV, 'Triwulan II', 'TW 3', 'Q4'; '03' as a number formatted 00 shows."""
    m = _QUARTER.match(text.strip().casefold().removesuffix(".0"))
    if not m:
        raise ValueError(f"'{text}' bukan triwulan (1–4, I–IV, atau 'Triwulan II')")
    token = m[1]
    return int(token) if token.isdigit() else ROMAN[token]


def parse_boolean(text: str) -> bool:
    value = " ".join(text.strip().casefold().split())
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValueError(f"'{text}' bukan Ya/Tidak")


def ascii_digits(value: str) -> bool:
    """Only 0–9: a code, NIK or NIP is kept as text, and '６２０４' (full-width digits, as an
    input method may type them) would be another value than '6204' for every key and
    pseudonym."""
    return value.isascii() and value.isdigit()


def parse_code(text: str) -> str:
    """A Kemendagri code with or without dots: '62.04.01.2001' and '6204012001' are equal."""
    value = re.sub(r"[\s.]", "", text.strip().removeprefix("'"))
    if not ascii_digits(value) or len(value) not in (2, 4, 6, 10):
        raise ValueError(f"'{text}' bukan kode wilayah Kemendagri (mis. 62.04.01.2001)")
    if masked(value) != value:  # 0812345678: no province code starts with 0 (nor 62.8x)
        raise ValueError(f"'{text}' berbentuk nomor telepon, bukan kode wilayah; periksa sumbernya")
    return value


# Excel keeps 15 digits of a number: typed into a number cell, a NIK ends in 0 and, when its
# serial (the last four digits, from 0001) was small, in 0000; a NIP (18 digits, its serial
# the last three, from 001) always ends in 000.
EXCEL_DIGITS = 15
NIK_FROM_EXCEL_NUMBER = r"^[0-9]{12}0000$"


def parse_nik(text: str) -> str:
    """A NIK is 16 digits kept as text. A number Excel has mangled cannot be repaired."""
    value = re.sub(r"\s", "", text.strip().removeprefix("'"))
    if re.fullmatch(r"[0-9]{16}", value):
        if re.match(NIK_FROM_EXCEL_NUMBER, value):
            raise ValueError(
                "NIK berakhir 0000 (nomor urut NIK mulai 0001): rusak oleh Excel, yang hanya "
                "menyimpan 15 digit angka; perbaiki di sumber dengan format sel Teks"
            )
        return value
    if re.search(r"[eE][+-]?\d+$", value) or re.fullmatch(r"\d+\.\d+", value):
        raise ValueError(
            "NIK rusak oleh Excel (tertulis sebagai angka ilmiah, digit terakhir hilang); "
            "perbaiki di sumber dengan format sel Teks"
        )
    if ascii_digits(value):
        raise ValueError(
            f"NIK harus 16 digit, tertulis {len(value)} digit (nol di depan hilang?); "
            "perbaiki di sumber"
        )
    raise ValueError("NIK harus 16 digit angka; perbaiki di sumber")


def digits_parser(length: int | None) -> Callable[[str], str]:
    def parse_digits(text: str) -> str:
        value = re.sub(r"[\s.]", "", text.strip().removeprefix("'"))
        if not ascii_digits(value) or (length is not None and len(value) != length):
            expected = f"{length} digit" if length else "angka"
            raise ValueError(f"'{text}' harus {expected} (tanpa spasi; bukan angka ilmiah Excel)")
        if length is not None and length > EXCEL_DIGITS and value.endswith(lost(length)):
            raise ValueError(
                f"'{text}' berakhir {lost(length)}: rusak oleh Excel, yang hanya menyimpan "
                f"{EXCEL_DIGITS} digit angka; perbaiki di sumber dengan format sel Teks"
            )
        return value

    return parse_digits


def lost(length: int) -> str:
    """The zeros a number of ``length`` digits ends in once Excel has stored it."""
    return "0" * (length - EXCEL_DIGITS)


def choice_parser(column: Column) -> Callable[[str], str]:
    """Categorical values match ignoring case and surrounding or repeated spaces."""
    lookup = {" ".join(c.casefold().split()): c for c in column.choices}
    lookup.update({" ".join(a.casefold().split()): c for a, c in column.choice_aliases})

    def parse_choice(text: str) -> str:
        value = " ".join(text.split())
        found = lookup.get(value.casefold())
        if found is not None:
            return found
        if column.open_choices:
            return value
        raise ValueError(f"'{text}' bukan nilai yang dikenal; pilihan: {', '.join(column.choices)}")

    return parse_choice


def parse_tps_number(text: str) -> int:
    return parse_integer(re.sub(r"^tps\s*", "", text.strip().casefold()))


def parser_for(column: Column) -> Callable[[str], object]:
    if column.name == "Nomor TPS":
        return parse_tps_number
    if column.kind is Kind.DIGITS:
        return digits_parser(column.digits)
    if column.kind is Kind.CHOICE:
        return choice_parser(column)
    if column.kind is Kind.TEXT:  # (a nullable one's cells are all typed by ``_fast_path``)
        return parse_named
    parsers: dict[Kind, Callable[[str], object]] = {
        Kind.CODE: parse_code,
        Kind.NIK: parse_nik,
        Kind.INTEGER: parse_integer,
        Kind.DECIMAL: parse_decimal,
        Kind.DATE: parse_date,
        Kind.MONTH: parse_month,
        Kind.QUARTER: parse_quarter,
        Kind.YEAR: parse_year,
        Kind.BOOLEAN: parse_boolean,
    }
    return parsers[column.kind]


POLARS_TYPES: dict[Kind, pl.DataType] = {
    Kind.TEXT: pl.String(),
    Kind.CODE: pl.String(),
    Kind.DIGITS: pl.String(),
    Kind.NIK: pl.String(),
    Kind.INTEGER: pl.Int64(),
    Kind.DECIMAL: pl.Decimal(DECIMAL_PRECISION, DECIMAL_SCALE),
    Kind.DATE: pl.Date(),
    Kind.MONTH: pl.Date(),
    Kind.QUARTER: pl.Int32(),
    Kind.YEAR: pl.Int32(),
    Kind.BOOLEAN: pl.Boolean(),
    Kind.CHOICE: pl.String(),
}


def _fast_path(column: Column, cells: pl.Expr) -> pl.Expr | None:
    """The common, canonical spellings of a kind, typed without a Python call per value;
    null where the slow parser must look (and decide whether the value is an error)."""
    stripped = cells.str.strip_chars()
    kind = column.kind
    if kind is Kind.TEXT:
        text = stripped.str.replace_all(r"\s+", " ")
        if column.nullable:
            return text
        named = ~text.str.starts_with("#")
        named &= ~text.str.contains(f"^(?i){LIBREOFFICE_ERROR.pattern}$")
        named &= ~cells.str.contains(DAMAGED)
        return pl.when(named).then(text)  # (parse_named: "#N/A", "Err:502", U+FFFD, ...)
    if kind is Kind.NIK:
        whole = stripped.str.contains(r"^[0-9]{16}$")
        whole &= ~stripped.str.contains(NIK_FROM_EXCEL_NUMBER)
        return pl.when(whole).then(stripped)
    if kind is Kind.CODE:  # 08… and 628… may be phone numbers: the parser looks at those
        return pl.when(
            stripped.str.contains(r"^[0-9]+$")
            & stripped.str.len_chars().is_in([2, 4, 6, 10])
            & ~stripped.str.contains(r"^(?:0|62)8")
        ).then(stripped)
    if kind is Kind.DIGITS and column.digits:
        whole = stripped.str.contains(rf"^[0-9]{{{column.digits}}}$")
        if column.digits > EXCEL_DIGITS:
            whole &= ~stripped.str.ends_with(lost(column.digits))
        return pl.when(whole).then(stripped)
    if kind is Kind.INTEGER:  # no phone number has fewer than 9 digits: the parser looks at those
        return (
            pl.when(stripped.str.contains(r"^-?\d{1,8}$"))
            .then(stripped)
            .cast(pl.Int64, strict=False)
        )
    return None


# The words of a date refused for its window: a later as-of date may accept it
# (warehouse.cache reads such an export again).
OUTSIDE_WINDOW = "di luar rentang yang masuk akal"


def within(parse: Callable[[str], date], window: tuple[date, date]) -> Callable[[str], date]:
    """``parse``, refusing a date outside ``window`` (both ends included)."""
    low, high = window

    def parse_within(text: str) -> date:
        value = parse(text)
        if not low <= value <= high:
            raise ValueError(
                f"tanggal {OUTSIDE_WINDOW} ({low:%d-%m-%Y} sampai "
                f"{high:%d-%m-%Y}); periksa tahunnya di sumber"
            )
        return value

    return parse_within


def parse_series(
    column: Column, cells: pl.Series, window: tuple[date, date] | None = None
) -> tuple[pl.Series, dict[str, str]]:
    """Parse a column of cell texts (nulls for empty cells).

    Returns the typed series (null where the cell was empty or invalid) and, for every
    distinct invalid text, the reason it was refused. The parser is called once per distinct
    value that the vectorised fast path of its kind does not already settle. For a DATE or
    MONTH column, ``window`` is the range of plausible values; any other is refused.
    """
    dtype = POLARS_TYPES[column.kind]
    errors: dict[str, str] = {}
    unknown = cells.eq_missing(NOT_CALCULATED)
    if unknown.any():
        errors[NOT_CALCULATED] = NOT_CALCULATED_REASON
        cells = cells.zip_with(~unknown, pl.repeat(None, len(cells), dtype=pl.String, eager=True))
    fast_expr = _fast_path(column, pl.col("v"))
    frame = pl.DataFrame({"v": cells})
    fast = (
        frame.select(fast_expr.cast(dtype)).to_series()
        if fast_expr is not None
        else pl.Series([None] * len(cells), dtype=dtype)
    )
    pending = cells.filter(fast.is_null() & cells.is_not_null())
    parse = parser_for(column)
    if window is not None and column.kind in (Kind.DATE, Kind.MONTH):
        parse = within(parse_date if column.kind is Kind.DATE else parse_month, window)
    values: dict[str, object] = {}
    for text in pending.unique().to_list():
        if text.strip() in NOTHING:
            continue  # null, and no error
        try:
            values[text] = parse(text)
        except ValueError as exc:
            errors[text] = str(exc)
    if not values:
        return fast, errors
    slow = cells.replace_strict(
        old=list(values), new=list(values.values()), default=None, return_dtype=dtype
    )
    return fast.fill_null(slow), errors
