"""Cell parsers: each tolerance of SPEC §2, and the refusals."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from sources import SOURCES
from sources.parse import (
    choice_parser,
    digits_parser,
    parse_boolean,
    parse_code,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_month,
    parse_nik,
    parse_quarter,
    parse_series,
    parse_tps_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-27", date(2025, 3, 27)),
        ("2025-03-27 00:00:00", date(2025, 3, 27)),  # an Excel date cell as text
        ("27/03/2025", date(2025, 3, 27)),
        ("7/3/2025", date(2025, 3, 7)),
        ("27-03-2025", date(2025, 3, 27)),
        ("27 Maret 2025", date(2025, 3, 27)),
        ("27 maret 2025", date(2025, 3, 27)),
        ("27 Mar 2025", date(2025, 3, 27)),
        ("5 Agu 2025", date(2025, 8, 5)),
        ("1 Desember 2024", date(2024, 12, 1)),
        ("17 Mei 2025", date(2025, 5, 17)),
        ("Kamis, 27 Maret 2025", date(2025, 3, 27)),
        ("27-Mar-2025", date(2025, 3, 27)),
        ("45743", date(2025, 3, 27)),  # Excel serial of a date cell that lost its format
    ],
)
def test_dates_in_every_office_form(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2025", "27 Maretz 2025", "kemarin", "2025/13/01", "27.03"])
def test_impossible_or_unknown_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_day_first_not_month_first() -> None:
    # Indonesian offices write day/month/year: 03/04/2025 is 3 April, not 4 March.
    assert parse_date("03/04/2025") == date(2025, 4, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234", 1234),
        ("12.345.678", 12345678),
        ("001", 1),
        ("0", 0),
        ("-3", -3),
        ("98 898", 98898),
    ],
)
def test_integers_with_thousands_dots(text: str, expected: int) -> None:
    assert parse_integer(text) == expected


@pytest.mark.parametrize("text", ["1,5", "1.5", "12.34", "abc", "1.2345"])
def test_integers_refuse_decimals_and_odd_grouping(text: str) -> None:
    with pytest.raises(ValueError):
        parse_integer(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("78,5", Decimal("78.5")),
        ("78.5", Decimal("78.5")),
        ("1.078,25", Decimal("1078.25")),
        ("70", Decimal(70)),
    ],
)
def test_decimal_comma_or_dot(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("4", 4),
        ("I", 1),
        ("iii", 3),
        ("IV", 4),
        ("Triwulan II", 2),
        ("TW 3", 3),
        ("triwulan iv", 4),
        ("Q1", 1),
    ],
)
def test_quarters_roman_or_arabic(text: str, expected: int) -> None:
    assert parse_quarter(text) == expected


@pytest.mark.parametrize("text", ["5", "0", "V", "Triwulan", "semester 1"])
def test_quarters_out_of_range(text: str) -> None:
    with pytest.raises(ValueError):
        parse_quarter(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03", date(2025, 3, 1)),
        ("Maret 2025", date(2025, 3, 1)),
        ("Mar 2025", date(2025, 3, 1)),
        ("03/2025", date(2025, 3, 1)),
        ("2025-03-01 00:00:00", date(2025, 3, 1)),
    ],
)
def test_reporting_month(text: str, expected: date) -> None:
    assert parse_month(text) == expected


def test_nik_stays_text_with_leading_zero() -> None:
    assert parse_nik("0204014101990001") == "0204014101990001"
    assert parse_nik("'6204014101990001") == "6204014101990001"  # Excel's text prefix
    assert parse_nik(" 6204 0141 0199 0001 ") == "6204014101990001"


@pytest.mark.parametrize(
    "text",
    [
        "6.20401E+15",
        "6,20401E+15",
        "6204014101990000.0",
        "204014101990001",
        "62040141019900011",
        "62040141O1990001",
    ],
)
def test_mangled_nik_is_refused_not_repaired(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_nik(text)
    assert text not in str(info.value)  # the message never repeats personal data


def test_kode_wilayah_with_or_without_dots() -> None:
    assert parse_code("62.04.01.2001") == "6204012001"
    assert parse_code("6204012001") == "6204012001"
    assert parse_code("62.04") == "6204"
    with pytest.raises(ValueError):
        parse_code("62.04.01.200")


def test_nomor_tps() -> None:
    assert parse_tps_number("001") == 1
    assert parse_tps_number("TPS 012") == 12
    assert parse_tps_number("901") == 901


def test_booleans() -> None:
    assert parse_boolean(" Ya ") is True
    assert parse_boolean("TIDAK") is False
    with pytest.raises(ValueError):
        parse_boolean("mungkin")


def test_categories_ignore_case_and_spaces() -> None:
    kategori = choice_parser(SOURCES["logistik"].column("Kategori"))
    assert kategori("  barang   INVENTARIS ") == "Barang Inventaris"
    assert kategori("Habis Pakai") == "Habis Pakai"
    with pytest.raises(ValueError):
        kategori("Barang Modal")
    pendidikan = choice_parser(SOURCES["siakba"].column("Pendidikan Terakhir"))
    assert pendidikan("sma") == "SMA/Sederajat"
    # An open category (new elections are added over time) keeps unknown values as written.
    jenis = choice_parser(SOURCES["siakba"].column("Jenis Pemilihan"))
    assert jenis("PEMILU 2024") == "Pemilu 2024"
    assert jenis("Pemilu  2029") == "Pemilu 2029"


def test_nip_is_18_digits() -> None:
    nip = digits_parser(18)
    assert nip("19800312 200501 1 002") == "198003122005011002"
    with pytest.raises(ValueError):
        nip("1.98003E+17")


def test_parse_series_reports_each_distinct_bad_value_once() -> None:
    column = SOURCES["ppid"].column("Tanggal Permohonan")
    typed, errors = parse_series(column, pl.Series(["27/03/2025", None, "x", "x", "2025-03-28"]))
    assert typed.to_list() == [date(2025, 3, 27), None, None, None, date(2025, 3, 28)]
    assert list(errors) == ["x"]


def test_fast_and_slow_paths_agree() -> None:
    nik = SOURCES["siakba"].column("NIK")
    typed, errors = parse_series(
        nik, pl.Series([" 6204014101990001 ", "'6204014101990002", "6.20401E+15", None])
    )
    assert typed.to_list() == ["6204014101990001", "6204014101990002", None, None]
    assert list(errors) == ["6.20401E+15"]
    count = SOURCES["pemilih"].column("Pemilih Awal L")
    typed, errors = parse_series(count, pl.Series(["1234", "1.234", "-5", "12,5", "1" * 16]))
    assert typed.to_list() == [1234, 1234, -5, None, None]
    assert sorted(errors) == ["1" * 16, "12,5"]
    text = SOURCES["ppid"].column("Pekerjaan")
    typed, _ = parse_series(text, pl.Series(["  Guru\t honorer \n"]))
    assert typed.to_list() == ["Guru honorer"]
