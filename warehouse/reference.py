"""Reference data: the ``ref`` schema the IKU views are built from.

The admin-editable CSV files in ``warehouse/reference/`` (see its README) fill the typed,
constrained and commented tables that ``sql/ref/00_referensi.sql`` declares in schema ``ref``.
DuckDB enforces the keys and constraints; this module reads the cells by their column's type
and turns a refusal into a message an admin can act on (file, line, column; in Indonesian),
which DuckDB's own CSV reader and constraint errors do not give. Next to them this module writes the as-of date
(``ref.parameter``), the days off (``ref.libur``: national holidays and cuti bersama from
the pinned ``holidays`` package, plus local days off) and a working-day calendar
(``ref.kalender``) that the IKU-3 deadlines are counted on.

The wilayah and TPS defaults in the same folder are not loaded here: they are staging data.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import duckdb
import holidays

from sources.model import SakipGrade
from warehouse import views
from warehouse.settings import DUE_SOON_DAYS, READ

SCHEMA = "ref"
DIRECTORY = Path(__file__).with_name("reference")
# All provinces and kabupaten/kota with their Kemendagri codes (README there: source, licence).
NASIONAL = DIRECTORY / "nasional"
REFERENCE_SQL = views.SQL_DIRECTORY / "ref"
# The tables of sql/ref/00_referensi.sql, each loaded from warehouse/reference/<name>.csv.
CSV_TABLES = ("satker", "iku", "pemilihan", "jadwal_pdpb", "predikat_sakip", "libur_lokal")

# First day of the working-day calendar by default: the earliest plausible date of an event
# the reader accepts (IKU_MIN_EVENT_DATE; a run passes its own setting), so that a request of
# an old register has its deadline too. The last day is 31 December two years after the
# as-of date, so every deadline of an item received up to the as-of date falls inside it.
CALENDAR_START = READ.min_event_date
CALENDAR_YEARS_AHEAD = 2

# holidays.Indonesia categories: "public" = libur nasional, "government" = cuti bersama.
HOLIDAY_CATEGORIES: dict[str, str] = {"public": "libur nasional", "government": "cuti bersama"}
LOCAL_DAY_OFF = "libur lokal"

# The six IKU every satker reports on; the IKU views are written for exactly these codes.
KODE_IKU = ("IKU-1", "IKU-2", "IKU-3", "IKU-4", "IKU-5", "IKU-6")


class ReferenceDataError(ValueError):
    """A reference file an admin must fix; the message names the file, row and column."""


Parser = Callable[[str], object]


def _integer(bits: int) -> Parser:
    """A whole number that fits the ``bits`` of its column (DuckDB refuses a larger one
    unexplained): 32 for INTEGER, 64 for BIGINT."""

    def parse(value: str) -> int:
        if not re.fullmatch(r"-?\d+", value):
            raise ValueError(f"bukan bilangan bulat: {value!r}")
        if not -(2 ** (bits - 1)) <= int(value) < 2 ** (bits - 1):
            raise ValueError(f"bilangan terlalu besar: {value!r}")
        return int(value)

    return parse


def _date(value: str) -> dt.date:
    """ISO 2025-03-27, or 27/03/2025 as Excel writes it when an admin saves the file."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"tanggal tidak dikenali: {value!r} (tulis YYYY-MM-DD)")


def _decimal(precision: int, scale: int) -> Parser:
    """A decimal with a comma or a dot, at most ``scale`` decimals and ``precision`` digits
    (DuckDB refuses a larger one unexplained, and rounding 1e400 raises)."""

    def parse(value: str) -> Decimal:
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation:
            raise ValueError(f"bukan angka: {value!r}") from None
        if number.is_finite() and abs(number) >= 10 ** (precision - scale):
            raise ValueError(f"paling banyak {precision - scale} angka sebelum koma: {value!r}")
        if not number.is_finite() or number != round(number, scale):
            raise ValueError(f"paling banyak {scale} desimal: {value!r}")
        return number

    return parse


def _yes_no(value: str) -> bool:
    answer = value.strip().casefold()
    if answer not in ("ya", "tidak"):
        raise ValueError(f"tulis ya atau tidak, bukan {value!r}")
    return answer == "ya"


def _parser(data_type: str) -> Parser:
    """How a cell of a column of this DuckDB type is read."""
    decimal = re.fullmatch(r"DECIMAL\((\d+),(\d+)\)", data_type)
    if decimal:
        return _decimal(int(decimal[1]), int(decimal[2]))
    types = {"INTEGER": _integer(32), "BIGINT": _integer(64), "DATE": _date, "BOOLEAN": _yes_no}
    return types.get(data_type, str)


@dataclass(frozen=True)
class _Column:
    """A column of a ``ref`` table, as its DDL declares it."""

    name: str
    parse: Parser
    nullable: bool
    comment: str
    key: bool  # part of the table's primary key


def _key(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The primary-key columns of a ``ref`` table."""
    row = con.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() "
        "WHERE schema_name = ? AND table_name = ? AND constraint_type = 'PRIMARY KEY'",
        [SCHEMA, table],
    ).fetchone()
    return list(row[0]) if row else []


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[_Column]:
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable, coalesce(comment, '') FROM duckdb_columns() "
        "WHERE schema_name = ? AND table_name = ? ORDER BY column_index",
        [SCHEMA, table],
    ).fetchall()
    key = _key(con, table)
    return [
        _Column(name, _parser(type_), nullable, comment, name in key)
        for name, type_, nullable, comment in rows
    ]


def _lines(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (lower case) and the non-blank lines (number, cells) of a reference CSV,
    separated by "," or by ";" (Excel in an Indonesian locale)."""
    if not path.is_file():
        raise ReferenceDataError(f"{path}: berkas referensi tidak ada")
    data = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:  # Excel's "CSV (Comma delimited)" is Windows-1252
        line = data[: error.start].count(b"\n") + 1
        raise ReferenceDataError(
            f"{path} baris {line}: bukan teks UTF-8; simpan berkas sebagai CSV UTF-8"
        ) from None
    first = text.partition("\n")[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().casefold() for h in next(reader, [])]
    lines = ((reader.line_num, row) for row in reader if any(c.strip() for c in row))
    return header, lines


def _refused(
    path: Path, line: int, columns: list[_Column], cells: dict[str, str], exc: Exception
) -> str:
    """Why DuckDB refused a row, in the admin's terms: the key already there (named from the
    row's cells: DuckDB words a duplicate inside the build's transaction without the columns),
    or the column a failed constraint names first (``a < b`` is about a), with its comment."""
    text = str(exc)
    key = [c.name for c in columns if c.key]
    if key and re.search(r"duplicate key", text, re.IGNORECASE):
        shown = ", ".join(f"{name} {cells[name]}" for name in key)
        return f"{path} baris {line}: {shown} sudah ada di baris sebelumnya"
    expression = "".join(re.findall(r"CHECK\((.*)\)", text))  # "" unless a CHECK failed
    where = {c: m.start() for c in columns if (m := re.search(rf"\b{c.name}\b", expression))}
    if where:
        column = min(where, key=where.__getitem__)
        return (
            f"{path} baris {line}, kolom {column.name}: {cells[column.name]!r} tidak memenuhi "
            f"ketentuan ({column.comment})"
        )
    return f"{path} baris {line}: {text}"


def _same_key_spelled_otherwise(
    path: Path,
    line: int,
    key: list[str],
    cells: dict[str, str],
    seen: dict[tuple[str, ...], tuple[int, tuple[str, ...]]],
) -> None:
    """Refuse a key an earlier line already has in another case or spacing (``PEMILU  2029``
    after ``Pemilu 2029``): exports match categorical values ignoring both (SPEC §2), so the
    two lines would be one election with two sets of dates, and which one a TPS gets would be
    chance. An exact repeat is left to the primary key, refused by DuckDB (`_refused`)."""
    written = tuple(cells[name] for name in key)
    folded = tuple(" ".join(cell.casefold().split()) for cell in written)
    earlier, first = seen.setdefault(folded, (line, written))
    if key and written != first:
        shown = ", ".join(f"{name} {cells[name]}" for name in key)
        raise ReferenceDataError(
            f"{path} baris {line}: {shown} sudah ada di baris {earlier} sebagai "
            f"{', '.join(first)} (huruf besar/kecil dan spasi tidak membedakan)"
        )


def load_file(con: duckdb.DuckDBPyConnection, path: Path, table: str) -> None:
    """Read one reference CSV into ``ref.<table>`` (created by sql/ref/00_referensi.sql);
    raise ReferenceDataError naming the file, line and column of the first problem."""
    columns = _columns(con, table)
    names = [c.name for c in columns]
    header, lines = _lines(path)
    if sorted(header) != sorted(names):
        raise ReferenceDataError(
            f"{path}: kolom harus persis {', '.join(names)}; ditemukan {', '.join(header)}"
        )
    insert = (
        f"INSERT INTO {SCHEMA}.{table} ({', '.join(header)}) "
        f"VALUES ({', '.join('?' for _ in header)})"
    )
    by_name = {c.name: c for c in columns}
    key = [c.name for c in columns if c.key]
    seen: dict[tuple[str, ...], tuple[int, tuple[str, ...]]] = {}
    for line, raw in lines:
        if len(raw) != len(header):
            raise ReferenceDataError(
                f"{path} baris {line}: {len(raw)} sel, seharusnya {len(header)}"
            )
        cells = dict(zip(header, (cell.strip() for cell in raw), strict=True))
        values: list[object] = []
        for name, cell in cells.items():
            column = by_name[name]
            if not cell and not column.nullable:
                raise ReferenceDataError(f"{path} baris {line}, kolom {name}: tidak boleh kosong")
            try:
                values.append(column.parse(cell) if cell else None)
            except ValueError as error:
                raise ReferenceDataError(f"{path} baris {line}, kolom {name}: {error}") from None
        _same_key_spelled_otherwise(path, line, key, cells, seen)
        try:
            con.execute(insert, values)
        except duckdb.ConstraintException as exc:
            raise ReferenceDataError(_refused(path, line, columns, cells, exc)) from None


def load_areas(con: duckdb.DuckDBPyConnection) -> None:
    """``ref.provinsi`` and ``ref.kabupaten_kota`` from the national area list shipped with
    the project (not admin-edited, so DuckDB's own CSV reader is enough)."""
    con.execute(
        f"INSERT INTO {SCHEMA}.provinsi SELECT code, name "
        "FROM read_csv(?, header = true, all_varchar = true)",
        [str(NASIONAL / "provinces.csv")],
    )
    con.execute(
        f"INSERT INTO {SCHEMA}.kabupaten_kota SELECT replace(code, '.', ''), province_code, name "
        "FROM read_csv(?, header = true, all_varchar = true)",
        [str(NASIONAL / "regencies.csv")],
    )


def load_tables(con: duckdb.DuckDBPyConnection, directory: Path | None = None) -> None:
    """(Re)create schema ``ref`` with the tables of the reference CSV files."""
    directory = directory if directory is not None else DIRECTORY
    con.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    con.execute(f"CREATE SCHEMA {SCHEMA}")
    views.run_file(con, REFERENCE_SQL / "00_referensi.sql")
    for table in CSV_TABLES:
        load_file(con, directory / f"{table}.csv", table)
    load_areas(con)
    codes = {code for (code,) in con.execute(f"SELECT kode_iku FROM {SCHEMA}.iku").fetchall()}
    if codes != set(KODE_IKU):
        raise ReferenceDataError(
            f"{directory / 'iku.csv'}: kode_iku harus tepat {', '.join(KODE_IKU)}; ditemukan "
            f"{', '.join(sorted(codes))}"
        )
    _grades_cover_every_score(con, directory / "predikat_sakip.csv")


def _grades_cover_every_score(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Every SAKIP score from 0 to 100 has exactly one grade: the bands, by batas_bawah, start
    at 0 (included) and each starts, excluded, where the one below ends, up to 100. A gap
    leaves a score ungraded; an overlap gives a year two rows in iku.sakip."""
    query = f"SELECT predikat, batas_bawah, bawah_termasuk, batas_atas FROM {SCHEMA}.predikat_sakip"
    below: tuple[str, Decimal] | None = None  # the band below: predikat, batas_atas
    for predikat, lower, included, upper in con.execute(query + " ORDER BY 2, 4").fetchall():
        start, start_included = (Decimal(0), True) if below is None else (below[1], False)
        if (lower, included) != (start, start_included):
            after = f"{start} (batas atas predikat {below[0]})" if below else "0"
            raise ReferenceDataError(
                f"{path}: predikat {predikat}: batas_bawah {lower}, bawah_termasuk "
                f"{'ya' if included else 'tidak'}; seharusnya batas_bawah {after}, bawah_termasuk "
                f"{'ya' if start_included else 'tidak'}: setiap nilai 0 sampai 100 harus "
                "mendapat tepat satu predikat"
            )
        below = (predikat, upper)
    if below is None or below[1] != 100:
        end = f"predikat {below[0]} berakhir di {below[1]}" if below else "tidak ada predikat"
        raise ReferenceDataError(f"{path}: {end}; nilai sampai 100 harus mendapat predikat")


def _query(table: str, query: str, areas: bool = False) -> list[tuple[Any, ...]]:
    """The rows of ``query`` over one reference table (and with ``areas`` the national area
    list), read from its file with the same types and constraints as the build (for what
    the checks and the alerts read)."""
    con = duckdb.connect()
    try:
        con.execute(f"CREATE SCHEMA {SCHEMA}")
        views.run_file(con, REFERENCE_SQL / "00_referensi.sql")
        load_file(con, DIRECTORY / f"{table}.csv", table)
        if areas:
            load_areas(con)
        return con.execute(query).fetchall()
    finally:
        con.close()


def days_off(first_year: int, last_year: int) -> list[tuple[dt.date, str, str]]:
    """(tanggal, nama_libur, jenis_libur) of the national holidays and cuti bersama."""
    result: list[tuple[dt.date, str, str]] = []
    for category, kind in HOLIDAY_CATEGORIES.items():
        calendar = holidays.Indonesia(
            years=range(first_year, last_year + 1), categories=(category,), language="id"
        )
        result += [(day, str(name), kind) for day, name in calendar.items()]
    return sorted(result)


def load(
    con: duckdb.DuckDBPyConnection,
    as_of: dt.date,
    directory: Path | None = None,
    due_soon_days: int = DUE_SOON_DAYS,
    calendar_start: dt.date = CALENDAR_START,
) -> None:
    """(Re)create schema ``ref``: the reference CSV files, the as-of date and the calendar;
    ``due_soon_days``: the working days ahead that ``iku.jatuh_tempo`` looks;
    ``calendar_start``: the calendar's first day (the earliest plausible event date; the
    as-of date when that is earlier)."""
    calendar_start = min(calendar_start, as_of)
    calendar_end = dt.date(as_of.year + CALENDAR_YEARS_AHEAD, 12, 31)
    load_tables(con, directory)
    views.run_file(con, REFERENCE_SQL / "10_kalender.sql")  # ref.parameter, ref.libur
    con.execute(
        f"INSERT INTO {SCHEMA}.parameter VALUES (?, ?, ?, ?, ?)",
        [as_of, calendar_start, calendar_end, holidays.__version__, due_soon_days],
    )
    national = days_off(calendar_start.year, calendar_end.year)
    con.executemany(f"INSERT INTO {SCHEMA}.libur VALUES (?, ?, ?)", national)
    con.execute(
        f"INSERT INTO {SCHEMA}.libur SELECT tanggal, keterangan, ? FROM {SCHEMA}.libur_lokal",
        [LOCAL_DAY_OFF],
    )
    views.run_file(con, REFERENCE_SQL / "20_kalender.sql")  # ref.kalender from them


def voting_days() -> dict[str, dt.date]:
    """Jenis Pemilihan -> hari pemungutan suara, from ``pemilihan.csv`` (for the checks)."""
    query = f"SELECT jenis_pemilihan, tanggal_pemungutan FROM {SCHEMA}.pemilihan"
    return dict(_query("pemilihan", query))


def satker_names() -> dict[str, str]:
    """kode_satker -> nama_satker, from ``satker.csv`` (for alert texts)."""
    query = f"SELECT kode_satker, nama_satker FROM {SCHEMA}.satker"
    return dict(_query("satker", query))


def known_satkers() -> frozenset[str]:
    """Every satker code the project knows (``antara.satker``): KPU RI, the provinces and
    kabupaten/kota of the national list, and those of ``satker.csv``."""
    query = (
        f"SELECT kode_satker FROM {SCHEMA}.satker UNION ALL "
        f"SELECT kode_provinsi FROM {SCHEMA}.provinsi UNION ALL "
        f"SELECT kode_kabupaten_kota FROM {SCHEMA}.kabupaten_kota"
    )
    return frozenset({"00", *(code for (code,) in _query("satker", query, areas=True))})


def sakip_grades() -> tuple[SakipGrade, ...]:
    """The SAKIP grade bands of ``predikat_sakip.csv`` (for the sakip check)."""
    query = (
        f"SELECT predikat, batas_bawah, bawah_termasuk, batas_atas FROM {SCHEMA}.predikat_sakip "
        "ORDER BY batas_bawah"
    )
    return tuple(SakipGrade(*row) for row in _query("predikat_sakip", query))
