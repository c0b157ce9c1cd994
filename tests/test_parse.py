"""Cell parsers: each tolerance of SPEC §2, and the refusals."""

from datetime import date
from decimal import Decimal

import polars as pl
import pytest

from sources import SOURCES
from sources.indonesian import parse_date, parse_month
from sources.parse import (
    choice_parser,
    digits_parser,
    parse_boolean,
    parse_code,
    parse_decimal,
    parse_integer,
    parse_nik,
    parse_quarter,
    parse_series,
    parse_tps_number,
    parse_year,
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
        # a date-time cell saved to CSV: the time of day is not part of the date
        ("27/03/2025 0:00", date(2025, 3, 27)),
        ("27-03-2025 14:30:05", date(2025, 3, 27)),
        ("27/03/2025 12:00:00 AM", date(2025, 3, 27)),
        ("27 Maret 2025 14.30", date(2025, 3, 27)),
        ("2025-03-27T08:00", date(2025, 3, 27)),
    ],
)
def test_dates_in_every_office_form(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    # A bare number is a date serial only in a numeric Excel cell (the reader converts those);
    # as text it is refused: '00000' once became 1899-12-30.
    [
        "31/02/2025",
        "27 Maretz 2025",
        "kemarin",
        "2025/13/01",
        "27.03",
        "45743",
        "00000",
        "45743.0",
        "27/03/2025 jam 9",
        "27/03/2025 0:00 lalu",
    ],
)
def test_impossible_or_unknown_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_dates_outside_the_window_are_row_errors() -> None:
    column = SOURCES["ppid"].column("Tanggal Permohonan")
    window = (date(2000, 1, 1), date(2027, 12, 31))
    typed, errors = parse_series(
        column,
        pl.Series(["2025-03-27", "9999-12-31", "31/12/1999", "2027-12-31", "2028-01-01"]),
        window,
    )
    assert typed.to_list() == [date(2025, 3, 27), None, None, date(2027, 12, 31), None]
    assert sorted(errors) == ["2028-01-01", "31/12/1999", "9999-12-31"]
    assert "01-01-2000 sampai 31-12-2027" in errors["9999-12-31"]
    month = SOURCES["keuangan"].column("Periode Laporan")
    typed, errors = parse_series(month, pl.Series(["Maret 2025", "9999-12"]), window)
    assert typed.to_list() == [date(2025, 3, 1), None]
    assert list(errors) == ["9999-12"]


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


@pytest.mark.parametrize("text", ["1,234.5", "8,125.00", "1,2.5"])
def test_a_comma_grouping_thousands_before_a_decimal_dot_is_refused(text: str) -> None:
    """1,234.5 is Excel set to English: read the Indonesian way it would be 1.23, silently."""
    with pytest.raises(ValueError, match="titik setelah koma"):
        parse_decimal(text)


def test_decimals_are_rounded_to_the_column_scale() -> None:
    assert parse_decimal("78,555") == Decimal("78.555")
    assert parse_decimal("78,55555") == Decimal("78.5556")  # half to even, as the database does
    assert parse_decimal("60,00000000000001") == Decimal("60.0000")  # a formula's binary noise
    assert parse_decimal("9999,99") == Decimal("9999.99")


@pytest.mark.parametrize("text", ["1e309", "1e5", "123456", "10000", "9999,99995", "-1e999999999"])
def test_decimals_too_large_for_decimal_8_4_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="terlalu besar"):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["NaN", "nan", "sNaN", "Infinity", "-inf"])
def test_not_a_number_as_a_program_writes_it_is_no_decimal(text: str) -> None:
    """An export written by a script holds "NaN" for a missing score: a row error, never a
    crash (a NaN cannot even be compared) nor a number."""
    with pytest.raises(ValueError, match=r"bukan angka desimal \(contoh: 78,5\)"):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["1899", "2101", "20244", "0"])
def test_a_year_outside_1900_2100_is_refused(text: str) -> None:
    """A typo (20244) or a missing digit is no year: never a year the IKU would count."""
    with pytest.raises(ValueError, match=f"^'{text}' bukan tahun$"):
        parse_year(text)


def test_a_key_starting_with_a_hash_that_is_no_excel_error_is_kept() -> None:
    """A register numbered "#12" names its item: only what Excel or LibreOffice shows in
    place of a value (#N/A, Err:502) is refused."""
    kode = SOURCES["ppid"].column("No Registrasi")
    typed, errors = parse_series(kode, pl.Series(["#12", " #RT  01 ", "#N/A", "Err:502"]))
    assert typed.to_list() == ["#12", "#RT 01", None, None]
    assert sorted(errors) == ["#N/A", "Err:502"]


def test_a_decimal_too_large_is_a_row_error_not_a_crash() -> None:
    nilai = SOURCES["sakip"].column("Nilai")
    typed, errors = parse_series(nilai, pl.Series(["78,5", "1e309", "123456", None]))
    assert typed.to_list() == [Decimal("78.50"), None, None, None]
    assert sorted(errors) == ["123456", "1e309"]


@pytest.mark.parametrize("text", ["1" * 16, "9" * 5000, "-" + "9" * 30, "1.000.000.000.000.000"])
def test_integers_too_large_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="terlalu besar"):
        parse_integer(text)


def test_integers_keep_sign_and_leading_zeros_and_fit_bigint() -> None:
    assert parse_integer("-1.234") == -1234
    assert parse_integer("0000000000000000000042") == 42
    assert parse_integer("999999999999") == 10**12 - 1


@pytest.mark.parametrize(
    "text",
    [
        "081234567890", "0812 3456 7890", "081.234.567.890", "62 812 3456 7890",
        "81234567890", "812345678", "-81234567890", "1234567890123",
    ],
)  # fmt: skip
def test_a_phone_number_or_nik_in_a_number_column_is_refused(text: str) -> None:
    """SPEC §5: a number column is published as it is (where a text is masked), so a phone
    number typed into it, with its 0 or as a number cell keeps it (812…), or a NIK-like
    number, is no number: its row is refused, the value never published."""
    for column in (SOURCES["tps"].column("Nomor TPS"), SOURCES["logistik"].column("Jumlah Baik")):
        typed, errors = parse_series(column, pl.Series([text, "7", "123456789", "80000000"]))
        assert typed.to_list() == [None, 7, 123456789, 80000000]
        assert list(errors) == [text] and "nomor telepon atau NIK" in errors[text]


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


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Maretz 2025", "nama bulan 'maretz' pada 'Maretz 2025' tidak dikenal"),
        ("2025-13", "bulan 13 pada '2025-13' tidak ada"),
        ("00/2025", "bulan 0 pada '00/2025' tidak ada"),
        (
            "akhir tahun",
            "'akhir tahun' bukan periode bulan; contoh yang diterima: 2025-03, Maret 2025",
        ),
    ],
)
def test_a_month_that_is_none_is_refused_saying_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_month(text)
    assert str(refused.value) == reason


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
        "6204014101990000",  # 6204014101990001 stored by Excel as a number (15 digits)
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


def test_a_phone_number_in_a_code_column_is_refused() -> None:
    """A ten-digit phone number has the length of a desa code: typed into Kode Desa or Kode
    Wilayah it would be published as it is (a code is not masked). No province code starts
    with 0, and Kalimantan Tengah has no kabupaten 62.8x: refused, never quoted. A code of
    Maluku (81) stays a code."""
    column = SOURCES["wilayah"].column("Kode Wilayah")
    cells = ["0812345678", "0812.3456.78", "6281234567", "8101012001", "6204012001", "62.81"]
    typed, errors = parse_series(column, pl.Series(cells))
    assert typed.to_list() == [None, None, None, "8101012001", "6204012001", "6281"]
    assert sorted(errors) == sorted(cells[:3])
    assert all("nomor telepon" in e for e in errors.values())


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
    # Its serial starts at 001: ending in 000, it went through an Excel number (15 digits).
    with pytest.raises(ValueError, match="Excel"):
        nip("198003122005011000")
    column = SOURCES["keuangan"].column("NIP")
    typed, errors = parse_series(column, pl.Series(["198003122005011000", "198003122005011001"]))
    assert typed.to_list() == [None, "198003122005011001"] and list(errors) == [
        "198003122005011000"
    ]


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


@pytest.mark.parametrize(
    ("source", "name", "ascii"),
    [
        ("siakba", "NIK", "6204014101990001"),
        ("keuangan", "NIP", "198003122005011002"),
        ("siakba", "Kode Desa", "6204012001"),
    ],
)
def test_identifiers_take_only_ascii_digits(source: str, name: str, ascii: str) -> None:
    # Full-width digits (an input method's '６２０４…') are digits to Python and to polars'
    # regex, but another text: kept as written, the key and the pseudonym would differ.
    wide = ascii.translate({ord("0") + d: 0xFF10 + d for d in range(10)})
    column = SOURCES[source].column(name)
    typed, errors = parse_series(column, pl.Series([ascii, wide]))
    assert typed.to_list() == [ascii, None]
    assert list(errors) == [wide]
