"""Reference data: the ``ref`` schema the IKU views are built from.

The admin-editable CSV files in ``warehouse/reference/`` (see its README) become typed,
commented tables in schema ``ref``. Next to them this module writes the as-of date
(``ref.parameter``), the days off (``ref.libur``: national holidays and cuti bersama from
the pinned ``holidays`` package, plus local days off) and a working-day calendar
(``ref.kalender``) that the IKU-3 deadlines are counted on.

The wilayah and TPS defaults in the same folder are not loaded here: they are staging data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import duckdb
import holidays

from sources.model import SakipGrade
from warehouse import views
from warehouse.staging import _quote

SCHEMA = "ref"
DIRECTORY = Path(__file__).with_name("reference")
CALENDAR_SQL = views.SQL_DIRECTORY / "ref"

# First day of the working-day calendar; the last one is 31 December two years after the
# as-of date, so every deadline of an item received up to the as-of date falls inside it.
CALENDAR_START = dt.date(2015, 1, 1)
CALENDAR_YEARS_AHEAD = 2

# holidays.Indonesia categories: "public" = libur nasional, "government" = cuti bersama.
HOLIDAY_CATEGORIES: dict[str, str] = {"public": "libur nasional", "government": "cuti bersama"}
LOCAL_DAY_OFF = "libur lokal"

# The six IKU every satker reports on; the IKU views are written for exactly these codes.
KODE_IKU = ("IKU-1", "IKU-2", "IKU-3", "IKU-4", "IKU-5", "IKU-6")


class ReferenceDataError(ValueError):
    """A reference file an admin must fix; the message names the file, row and column."""


Parser = Callable[[str], object]


def _text(value: str) -> str:
    return value


def _integer(value: str) -> int:
    if not re.fullmatch(r"-?\d+", value):
        raise ValueError(f"bukan bilangan bulat: {value!r}")
    return int(value)


def _quarter(value: str) -> int:
    number = _integer(value)
    if not 1 <= number <= 4:
        raise ValueError(f"triwulan harus 1 sampai 4, bukan {value!r}")
    return number


def _date(value: str) -> dt.date:
    """ISO 2025-03-27, or 27/03/2025 as Excel writes it when an admin saves the file."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"tanggal tidak dikenali: {value!r} (tulis YYYY-MM-DD)")


def _target(value: str) -> Decimal:
    """A target in percent: more than 0, at most 100, at most two decimals (comma or dot)."""
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"bukan angka: {value!r}") from None
    if not 0 < number <= 100 or number != round(number, 2):
        raise ValueError(
            f"target harus lebih dari 0 sampai 100, paling banyak 2 desimal: {value!r}"
        )
    return number


def _score(value: str) -> Decimal:
    """A SAKIP score bound, 0 to 100 (comma or dot)."""
    try:
        number = Decimal(value.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"bukan angka: {value!r}") from None
    if not 0 <= number <= 100:
        raise ValueError(f"nilai harus 0 sampai 100: {value!r}")
    return number


def _yes_no(value: str) -> bool:
    answer = value.strip().casefold()
    if answer not in ("ya", "tidak"):
        raise ValueError(f"tulis ya atau tidak, bukan {value!r}")
    return answer == "ya"


@dataclass(frozen=True)
class RefColumn:
    """One column of a reference file and of its ``ref`` table."""

    name: str
    type: str  # DuckDB type
    doc: str  # Indonesian, becomes the column COMMENT
    parse: Parser = _text
    required: bool = True  # an empty cell is an error


@dataclass(frozen=True)
class RefTable:
    """A ``ref`` table loaded from one CSV file in ``warehouse/reference/``."""

    name: str
    doc: str  # Indonesian, becomes the table COMMENT
    columns: tuple[RefColumn, ...]
    key: tuple[str, ...]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"


CSV_TABLES: tuple[RefTable, ...] = (
    RefTable(
        "satker",
        "Daftar satuan kerja (satker) KPU. Sumber: warehouse/reference/satker.csv",
        (
            RefColumn("kode_satker", "VARCHAR", "Kode satker (kode Kemendagri tanpa titik)"),
            RefColumn("nama_satker", "VARCHAR", "Nama satker"),
        ),
        key=("kode_satker",),
    ),
    RefTable(
        "iku",
        "Enam Indikator Kinerja Utama (IKU) Sekretariat KPU Kabupaten Barito Selatan dengan "
        "target; teks dari dokumen IKU 2025. Sumber: warehouse/reference/iku.csv",
        (
            RefColumn("kode_iku", "VARCHAR", "Kode IKU, IKU-1 sampai IKU-6"),
            RefColumn("sasaran_strategis", "VARCHAR", "Sasaran strategis (teks dokumen IKU)"),
            RefColumn("indikator", "VARCHAR", "Indikator kinerja utama (teks dokumen IKU)"),
            RefColumn(
                "target", "DECIMAL(5,2)", "Target dalam persen (lebih dari 0 sampai 100)", _target
            ),
            RefColumn("cara_perhitungan", "VARCHAR", "Cara perhitungan (teks dokumen IKU)"),
            RefColumn("sumber_data", "VARCHAR", "Sumber data (teks dokumen IKU)"),
        ),
        key=("kode_iku",),
    ),
    RefTable(
        "pemilihan",
        "Pemilihan: hari pemungutan suara (batas IKU-2) dan batas pelantikan KPPS (batas "
        "IKU-6). Sumber: warehouse/reference/pemilihan.csv",
        (
            RefColumn(
                "jenis_pemilihan",
                "VARCHAR",
                "Jenis pemilihan, sama dengan Jenis Pemilihan di ekspor, mis. Pemilu 2024",
            ),
            RefColumn("tanggal_pemungutan", "DATE", "Hari pemungutan suara", _date),
            RefColumn(
                "batas_pelantikan_kpps", "DATE", "Batas waktu pelantikan KPPS (IKU-6)", _date
            ),
        ),
        key=("jenis_pemilihan",),
    ),
    RefTable(
        "jadwal_pdpb",
        "Pengecualian jadwal pleno PDPB per triwulan (IKU-4). Tanpa baris di sini berlaku "
        "aturan bawaan: batas waktu tanggal 14 bulan setelah triwulan berakhir, untuk setiap "
        "triwulan sejak 2025-I. Batas waktu kosong = triwulan itu tidak ada PDPB. "
        "Sumber: warehouse/reference/jadwal_pdpb.csv",
        (
            RefColumn("tahun", "INTEGER", "Tahun PDPB", _integer),
            RefColumn("triwulan", "INTEGER", "Triwulan PDPB, 1 sampai 4", _quarter),
            RefColumn(
                "batas_waktu",
                "DATE",
                "Batas waktu pleno triwulan ini; kosong = tidak ada PDPB triwulan ini",
                _date,
                required=False,
            ),
            RefColumn(
                "keterangan", "VARCHAR", "Dasar pengecualian (mis. surat edaran)", required=False
            ),
        ),
        key=("tahun", "triwulan"),
    ),
    RefTable(
        "predikat_sakip",
        "Predikat evaluasi SAKIP menurut rentang nilai (PermenPANRB 88/2021): AA >90-100, "
        "A >80-90, BB >70-80, B >60-70, CC >50-60, C >30-50, D 0-30. Dipakai oleh iku.sakip dan "
        "oleh pemeriksaan predikat ekspor sakip. Sumber: warehouse/reference/predikat_sakip.csv",
        (
            RefColumn("predikat", "VARCHAR", "Predikat: AA, A, BB, B, CC, C, D"),
            RefColumn("sebutan", "VARCHAR", "Sebutan predikat, mis. Baik"),
            RefColumn("batas_bawah", "DECIMAL(5,2)", "Batas bawah rentang nilai", _score),
            RefColumn(
                "bawah_termasuk",
                "BOOLEAN",
                "Benar bila batas bawah termasuk rentang (hanya D: 0-30); selain itu rentang "
                "dimulai di atas batas bawah",
                _yes_no,
            ),
            RefColumn("batas_atas", "DECIMAL(5,2)", "Batas atas rentang nilai (termasuk)", _score),
            RefColumn("minimal_b", "BOOLEAN", "Benar bila predikat B atau lebih baik", _yes_no),
        ),
        key=("predikat",),
    ),
    RefTable(
        "libur_lokal",
        "Hari libur lokal tambahan (bukan hari kerja) di luar libur nasional dan cuti "
        "bersama; berlaku untuk semua satker. Sumber: warehouse/reference/libur_lokal.csv",
        (
            RefColumn("tanggal", "DATE", "Tanggal libur lokal", _date),
            RefColumn("keterangan", "VARCHAR", "Nama atau dasar hari libur lokal"),
        ),
        key=("tanggal",),
    ),
)


def _comment_statements(table: str, doc: str, columns: Sequence[tuple[str, str]]) -> list[str]:
    statements = [f"COMMENT ON TABLE {SCHEMA}.{table} IS {_quote(doc)}"]
    statements += [
        f"COMMENT ON COLUMN {SCHEMA}.{table}.{name} IS {_quote(text)}" for name, text in columns
    ]
    return statements


def _create(
    con: duckdb.DuckDBPyConnection,
    table: str,
    doc: str,
    columns: Sequence[tuple[str, str, str]],
) -> None:
    """Create one commented ``ref`` table from (name, type, comment) triples."""
    body = ", ".join(f"{name} {type_}" for name, type_, _ in columns)
    con.execute(f"CREATE TABLE {SCHEMA}.{table} ({body})")
    for statement in _comment_statements(table, doc, [(n, c) for n, _, c in columns]):
        con.execute(statement)


def read_table(path: Path, table: RefTable) -> list[tuple[object, ...]]:
    """Parse and check one reference CSV; raise ReferenceDataError naming file, row, column."""
    if not path.is_file():
        raise ReferenceDataError(f"{path}: berkas referensi tidak ada")
    text = path.read_text(encoding="utf-8-sig")
    header_line = text.partition("\n")[0]
    # Excel in an Indonesian locale saves CSV with ";"
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().casefold() for h in next(reader, [])]
    expected = [c.name for c in table.columns]
    if sorted(header) != sorted(expected):
        raise ReferenceDataError(
            f"{path}: kolom harus persis {', '.join(expected)}; ditemukan {', '.join(header)}"
        )
    rows: list[tuple[object, ...]] = []
    seen: dict[tuple[object, ...], int] = {}
    for raw in reader:
        line_number = reader.line_num
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            raise ReferenceDataError(
                f"{path} baris {line_number}: {len(raw)} sel, seharusnya {len(header)}"
            )
        cells = dict(zip(header, (cell.strip() for cell in raw), strict=True))
        values: dict[str, object] = {}
        for column in table.columns:
            cell = cells[column.name]
            if not cell:
                if column.required:
                    raise ReferenceDataError(
                        f"{path} baris {line_number}, kolom {column.name}: tidak boleh kosong"
                    )
                values[column.name] = None
                continue
            try:
                values[column.name] = column.parse(cell)
            except ValueError as error:
                raise ReferenceDataError(
                    f"{path} baris {line_number}, kolom {column.name}: {error}"
                ) from None
        key = tuple(values[k] for k in table.key)
        if key in seen:
            raise ReferenceDataError(
                f"{path} baris {line_number}: {'/'.join(table.key)} {key} sudah ada di baris "
                f"{seen[key]}"
            )
        seen[key] = line_number
        rows.append(tuple(values[c.name] for c in table.columns))
    return rows


def _check_iku(rows: list[tuple[object, ...]], path: Path) -> None:
    codes = {row[0] for row in rows}
    if codes != set(KODE_IKU):
        raise ReferenceDataError(
            f"{path}: kode_iku harus tepat {', '.join(KODE_IKU)}; ditemukan "
            f"{', '.join(sorted(str(c) for c in codes))}"
        )


def days_off(first_year: int, last_year: int) -> list[tuple[dt.date, str, str]]:
    """(tanggal, nama_libur, jenis_libur) of the national holidays and cuti bersama."""
    result: list[tuple[dt.date, str, str]] = []
    for category, kind in HOLIDAY_CATEGORIES.items():
        calendar = holidays.Indonesia(
            years=range(first_year, last_year + 1), categories=(category,), language="id"
        )
        result += [(day, str(name), kind) for day, name in calendar.items()]
    return sorted(result)


def load(con: duckdb.DuckDBPyConnection, as_of: dt.date, directory: Path | None = None) -> None:
    """(Re)create schema ``ref``: the reference CSV files, the as-of date and the calendar."""
    directory = directory if directory is not None else DIRECTORY
    calendar_end = dt.date(as_of.year + CALENDAR_YEARS_AHEAD, 12, 31)
    if as_of < CALENDAR_START:
        raise ReferenceDataError(f"tanggal posisi {as_of} sebelum awal kalender {CALENDAR_START}")
    data = {t.name: read_table(directory / t.file_name, t) for t in CSV_TABLES}
    _check_iku(data["iku"], directory / "iku.csv")

    con.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
    con.execute(f"CREATE SCHEMA {SCHEMA}")
    for table in CSV_TABLES:
        _create(con, table.name, table.doc, [(c.name, c.type, c.doc) for c in table.columns])
        if data[table.name]:
            marks = ", ".join("?" for _ in table.columns)
            con.executemany(f"INSERT INTO {SCHEMA}.{table.name} VALUES ({marks})", data[table.name])

    views.run_file(con, CALENDAR_SQL / "10_kalender.sql")  # ref.parameter, ref.libur
    con.execute(
        f"INSERT INTO {SCHEMA}.parameter VALUES (?, ?, ?, ?)",
        [as_of, CALENDAR_START, calendar_end, holidays.__version__],
    )
    national = days_off(CALENDAR_START.year, calendar_end.year)
    local = [(row[0], row[1], LOCAL_DAY_OFF) for row in data["libur_lokal"]]
    con.executemany(f"INSERT INTO {SCHEMA}.libur VALUES (?, ?, ?)", national + local)
    views.run_file(con, CALENDAR_SQL / "20_kalender.sql")  # ref.kalender from them


def voting_days(directory: Path | None = None) -> dict[str, dt.date]:
    """Jenis Pemilihan -> hari pemungutan suara, from ``pemilihan.csv`` (for the checks)."""
    table = next(t for t in CSV_TABLES if t.name == "pemilihan")
    rows = read_table((directory or DIRECTORY) / table.file_name, table)
    names = [c.name for c in table.columns]
    election, voting = names.index("jenis_pemilihan"), names.index("tanggal_pemungutan")
    days: dict[str, dt.date] = {}
    for row in rows:
        day = row[voting]
        if isinstance(day, dt.date):
            days[str(row[election])] = day
    return days


def satker_names(directory: Path | None = None) -> dict[str, str]:
    """kode_satker -> nama_satker, from ``satker.csv`` (for alert texts)."""
    table = next(t for t in CSV_TABLES if t.name == "satker")
    rows = read_table((directory or DIRECTORY) / table.file_name, table)
    return {str(row[0]): str(row[1]) for row in rows}


def sakip_grades(directory: Path | None = None) -> tuple[SakipGrade, ...]:
    """The SAKIP grade bands of ``predikat_sakip.csv`` (for the sakip check)."""
    table = next(t for t in CSV_TABLES if t.name == "predikat_sakip")
    names = [c.name for c in table.columns]
    grades = []
    for row in read_table((directory or DIRECTORY) / table.file_name, table):
        value = dict(zip(names, row, strict=True))
        grades.append(
            SakipGrade(
                str(value["predikat"]),
                Decimal(str(value["batas_bawah"])),
                bool(value["bawah_termasuk"]),
                Decimal(str(value["batas_atas"])),
            )
        )
    return tuple(grades)
