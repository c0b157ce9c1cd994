"""The demo's people (names, NIK) and how an export is written (XLSX, CSV)."""

from __future__ import annotations

import csv
import io
import os
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import xlsxwriter

from sources.demo.common import Cell

# A Banjar, Dayak (Ma'anyan, Dusun, Ngaju) and Javanese mix, as in Barito Selatan.
# fmt: off
MALE_NAMES = (
    "Muhammad", "Ahmad", "Rizky", "Agus", "Budi", "Yohanes", "Rahmat", "Hendra", "Supriadi",
    "Slamet", "Eko", "Fajar", "Dedi", "Rudi", "Yusuf", "Herman", "Ridwan", "Sutrisno", "Andreas",
    "Samuel", "Nanang", "Irwan", "Syahrani", "Abdul", "Wahyu", "Teguh", "Darmawan", "Anang",
    "Hairul", "Junaidi", "Gusti", "Rinto", "Yosep", "Heri", "Firdaus", "Taufik",
)
FEMALE_NAMES = (
    "Siti", "Nur", "Norhayati", "Rusmilawati", "Sri", "Dewi", "Elisabeth", "Maria", "Rina",
    "Yuliana", "Fitriani", "Rahmah", "Nurul", "Tri", "Lestari", "Wulan", "Herlina", "Marlina",
    "Indah", "Ayu", "Desy", "Novita", "Kristina", "Agustina", "Mariani", "Rosita", "Halimah",
    "Noor", "Erni", "Yanti",
)
MALE_SECOND = (
    "Fauzi", "Saputra", "Hidayat", "Ramadhan", "Santoso", "Wijaya", "Pratama", "Firmansyah",
    "Rahman", "Kurniawan", "Setiawan", "Riyadi", "Hakim", "Nugroho", "Arifin", "Maulana",
)
FEMALE_SECOND = (
    "Aini", "Rahmawati", "Handayani", "Wahyuni", "Safitri", "Hasanah", "Puspita", "Kartika",
    "Ningsih", "Anggraini", "Susanti", "Fitri", "Jannah", "Lestari", "Sari", "Oktaviani",
)
DAYAK_SURNAMES = (
    "Tingang", "Dohong", "Liwan", "Pampang", "Nyahu", "Ambun", "Sahay", "Umbing", "Bangkan",
)
# fmt: on


class Person(NamedTuple):
    name: str
    female: bool
    born: date
    nik: str


def person_name(rng: random.Random, female: bool) -> str:
    first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    roll = rng.random()
    if roll < 0.2:
        return first
    if roll < 0.45:
        return f"{first} {rng.choice(DAYAK_SURNAMES)}"
    return f"{first} {rng.choice(FEMALE_SECOND if female else MALE_SECOND)}"


class NikRegister(Counter[str]):
    """Hands out unique NIK: region (6), birth date DDMMYY with 40 added to DD for women, and a
    serial (4) that counts up per region and birth date."""

    def issue(self, region: str, born: date, female: bool) -> str:
        prefix = f"{region}{born.day + 40 * female:02d}{born:%m%y}"
        self[prefix] += 1
        return f"{prefix}{self[prefix]:04d}"


def new_person(
    rng: random.Random, niks: NikRegister, region: str, first: date, last: date
) -> Person:
    female = rng.random() < 0.48
    born = first + timedelta(days=rng.randrange((last - first).days + 1))
    return Person(person_name(rng, female), female, born, niks.issue(region, born, female))


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class Export:
    """One file as an office would export it."""

    name: str  # file name, .csv or .xlsx
    header: tuple[str, ...]
    rows: Sequence[Sequence[Cell]]
    exported_at: datetime  # becomes the file's modification time
    title: tuple[str, ...] = ()  # XLSX: title rows above the header, then one blank row
    sheet: str = "Sheet1"
    date_format: str = "dd/mm/yyyy"  # XLSX: number format of real date cells
    sep: str = ","  # CSV
    encoding: str = "utf-8"  # CSV: utf-8, utf-8-sig (with BOM) or cp1252 (Windows-1252)
    truncate: bool = False  # deliberate fault: only the first half of the bytes


def xlsx_bytes(export: Export) -> bytes:
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(buffer, options)
    created = export.exported_at.astimezone(UTC).replace(tzinfo=None)
    book.set_properties({"author": "Sekretariat KPU Kabupaten Barito Selatan", "created": created})
    sheet = book.add_worksheet(export.sheet)
    bold = book.add_format({"bold": True, "align": "center"})
    head = book.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter"})
    day = book.add_format({"num_format": export.date_format, "border": 1})
    plain = book.add_format({"border": 1})
    for r, line in enumerate(export.title):
        sheet.merge_range(r, 0, r, len(export.header) - 1, line, bold)
    top = len(export.title) + 1 if export.title else 0
    for c, name in enumerate(export.header):
        sheet.write_string(top, c, name, head)
        sheet.set_column(c, c, max(8, min(40, len(name) + 4)))
    for r, row in enumerate(export.rows, start=top + 1):
        for c, value in enumerate(row):
            if value is not None:  # str, number or date by its type; an empty cell stays unwritten
                sheet.write(r, c, value, day if isinstance(value, date) else plain)
    book.close()
    return buffer.getvalue()


def csv_bytes(export: Export) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=export.sep, lineterminator="\r\n")
    writer.writerow(export.header)
    for row in export.rows:
        if any(isinstance(v, date) for v in row):
            raise TypeError(f"{export.name}: a CSV needs its dates as text")
        writer.writerow(["" if v is None else v for v in row])
    return text.getvalue().encode(export.encoding)


def write_export(folder: Path, export: Export) -> Path:
    path = folder / export.name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = xlsx_bytes(export) if export.name.endswith(".xlsx") else csv_bytes(export)
    if export.truncate:
        data = data[: len(data) // 2]
    path.write_bytes(data)
    stamp = export.exported_at.timestamp()
    os.utime(path, (stamp, stamp))
    return path
