"""Demo exports for KPU Kabupaten Barito Selatan (satker 6204), 2024-2025, for all nine sources.

``iku demo`` calls :func:`write_demo`, which writes the files a secretariat would export by hand
from its applications into ``<landing>/6204/<source>/``: XLSX with title rows above the header,
real Excel date cells or Indonesian dates as text, CSV in UTF-8 (with or without BOM) or
Windows-1252, separated by ``,`` ``;`` or tab. The output is deterministic: the same bytes and
the same modification times on every run, so a second ``iku demo`` changes nothing.

The regions and the Pemilu 2024 TPS are real (see ``VILLAGES``); people, names, NIK, NIP and
per-TPS voter counts are invented. Some faults are made on purpose so that every check has
something to find: ``FAULTS`` lists them and ``EXPECTED_IKU`` gives the yearly results.
"""

from __future__ import annotations

import csv
import io
import os
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import NamedTuple

import holidays
import xlsxwriter

SATKER = "6204"
MARKER = ".iku-demo"
MARKER_TEXT = "Landing ini ditulis oleh `iku demo`: data demo, bukan ekspor asli KPU.\n"


def is_demo_landing(landing: Path) -> bool:
    """A landing written by ``iku demo``: its runs may use the demo key."""
    return (landing / MARKER).is_file()


WIB = timezone(timedelta(hours=7), "WIB")
D = date

Cell = str | int | float | date | None
DateText = Callable[[date], Cell]  # how a file writes a date: as text, or as a real Excel date

# --------------------------------------------------------------------------------------------
# Real reference facts
# --------------------------------------------------------------------------------------------


class Kecamatan(NamedTuple):
    code: str
    name: str
    dpt_l: int  # DPT Pilkada 2024, laki-laki
    dpt_p: int  # DPT Pilkada 2024, perempuan
    dps: int  # DPS Pemilu 2024 (5 Apr 2023); the DPT Pemilu per kecamatan was not found


class Village(NamedTuple):
    code: str  # Kemendagri code without dots; 7th digit 1 = kelurahan, 2 = desa
    name: str
    tps: int  # regular Pemilu 2024 TPS, numbered 001..tps


# From the project research, barito_selatan_kecamatan_ringkasan.csv (DPT Pilkada 2024:
# jenamas.baritoselatankab.go.id; DPS Pemilu 2024: kalteng.antaranews.com, 5 Apr 2023).
KECAMATAN: tuple[Kecamatan, ...] = (
    Kecamatan("620401", "Jenamas", 3230, 3174, 6477),
    Kecamatan("620402", "Dusun Hilir", 6158, 5685, 11900),
    Kecamatan("620403", "Karau Kuala", 5865, 5667, 11719),
    Kecamatan("620404", "Dusun Utara", 6446, 6045, 12828),
    Kecamatan("620405", "Gn. Bintang Awai", 7392, 6963, 14341),
    Kecamatan("620406", "Dusun Selatan", 21133, 21140, 42504),
)
KABUPATEN = ("6204", "Kabupaten Barito Selatan")

# The 93 desa/kelurahan and their Pemilu 2024 TPS, as in warehouse/reference/wilayah.csv and
# tps.csv (Kemendagri codes from cahyadsn/wilayah, TPS counts from kawalpemilu/kp24).
VILLAGES: tuple[Village, ...] = (
    Village("6204011003", "Rantau Kujang", 9),
    Village("6204012001", "Tampulang", 3),
    Village("6204012002", "Rantau Bahuang", 3),
    Village("6204012004", "Rangga Ilung", 7),
    Village("6204012005", "Tabatan", 1),
    Village("6204021003", "Mengkatip", 9),
    Village("6204022001", "Sungai Jaya", 5),
    Village("6204022002", "Mahajandau", 3),
    Village("6204022004", "Kalanis", 8),
    Village("6204022005", "Lehai", 5),
    Village("6204022006", "Damparan", 6),
    Village("6204022007", "Teluk Timbau", 6),
    Village("6204022008", "Batilap", 3),
    Village("6204022009", "Batampang", 5),
    Village("6204022010", "Mangkatir", 1),
    Village("6204031002", "Bangkuang", 13),
    Village("6204032001", "Salat Baru", 1),
    Village("6204032003", "Teluk Betung", 4),
    Village("6204032004", "Babai", 12),
    Village("6204032005", "Janggi", 1),
    Village("6204032006", "Malitin", 1),
    Village("6204032007", "Muara Arai", 2),
    Village("6204032008", "Talio", 5),
    Village("6204032009", "Tampijak", 2),
    Village("6204032010", "Bintang Kurung", 4),
    Village("6204032011", "Teluk Sampudau", 1),
    Village("6204041005", "Pendang", 10),
    Village("6204042001", "Sungai Telang", 2),
    Village("6204042002", "Majundre", 2),
    Village("6204042003", "Bundar", 4),
    Village("6204042004", "Talekoi", 1),
    Village("6204042006", "Marawan Lama", 5),
    Village("6204042007", "Marawan Baru", 2),
    Village("6204042008", "Reong", 3),
    Village("6204042009", "Tarusan", 5),
    Village("6204042010", "Panarukan", 2),
    Village("6204042011", "Maruga", 3),
    Village("6204042012", "Hingan", 1),
    Village("6204042013", "Danau Bambure", 1),
    Village("6204042014", "Tamparak", 3),
    Village("6204042015", "Hulu Tampang", 2),
    Village("6204042016", "Bantai Bambure", 3),
    Village("6204042017", "Rampa Mea", 2),
    Village("6204042018", "Gunung Rantau", 2),
    Village("6204042019", "Tamparak Layung", 2),
    Village("6204052001", "Baruang", 1),
    Village("6204052002", "Kayumban", 3),
    Village("6204052003", "Tabak Kanilan", 6),
    Village("6204052004", "Sarimbuah", 1),
    Village("6204052005", "Gagutur", 3),
    Village("6204052006", "Muka Haji", 2),
    Village("6204052007", "Sire", 2),
    Village("6204052008", "Muara Singan", 5),
    Village("6204052009", "Patas I", 8),
    Village("6204052010", "Patas II", 1),
    Village("6204052011", "Bintang Ara", 2),
    Village("6204052012", "Ugang Sayu", 3),
    Village("6204052013", "Ngurit", 3),
    Village("6204052014", "Wungkur Baru", 1),
    Village("6204052015", "Bipak Kali", 3),
    Village("6204052016", "Malungai Raya", 2),
    Village("6204052017", "Sei Paken", 2),
    Village("6204052018", "Palu Rejo", 8),
    Village("6204052019", "Wayun", 3),
    Village("6204052020", "Marga Jaya", 1),
    Village("6204052021", "Ruhing Raya", 2),
    Village("6204061006", "Jelapat", 8),
    Village("6204061007", "Hilir Seper", 41),
    Village("6204061008", "Buntok Kota", 44),
    Village("6204062001", "Danau Ganting", 2),
    Village("6204062002", "Muara Talang", 2),
    Village("6204062003", "Teluk Telaga", 2),
    Village("6204062004", "Baru", 12),
    Village("6204062005", "Danau Sadar", 3),
    Village("6204062009", "Pamait", 3),
    Village("6204062010", "Sababilah", 6),
    Village("6204062011", "Mangaris", 1),
    Village("6204062012", "Tetei Lanan", 2),
    Village("6204062013", "Pamangka", 1),
    Village("6204062014", "Sanggu", 3),
    Village("6204062015", "Lembeng", 2),
    Village("6204062016", "Muara Ripung", 2),
    Village("6204062017", "Madara", 2),
    Village("6204062018", "Murung Paken", 1),
    Village("6204062019", "Mabuan", 2),
    Village("6204062020", "Kalahien", 8),
    Village("6204062021", "Penda Asam", 6),
    Village("6204062022", "Pararapak", 3),
    Village("6204062023", "Teluk Mampun", 2),
    Village("6204062024", "Tanjung Jawa", 6),
    Village("6204062025", "Telang Andrau", 1),
    Village("6204062026", "Dangka", 1),
    Village("6204062027", "Danau Masura", 2),
)

# TPS lokasi khusus at Rutan Buntok in Kel. Buntok Kota: TPS 901 in Pemilu 2024 (kp24). The
# Pilkada 2024 one (234 TPS = 233 regular + 1 at the Rutan) gets the same number 901 here.
PEMILU, PILKADA = "Pemilu 2024", "Pilkada 2024"
RUTAN_VILLAGE, RUTAN_TPS = "6204061008", 901
RUTAN_VOTERS = {PEMILU: 184, PILKADA: 176}  # invented
PILKADA_REGULAR_TPS = 233
MAX_VOTERS = {PEMILU: 300, PILKADA: 600}  # per TPS (tribunnews, 7 Jun 2024)
TPS_SPREAD = {PEMILU: 0.06, PILKADA: 0.12}  # how unevenly voters spread over a desa's TPS
VOTING_DAY = {PEMILU: D(2024, 2, 14), PILKADA: D(2024, 11, 27)}
KPPS_INAUGURATION = {PEMILU: D(2024, 1, 25), PILKADA: D(2024, 11, 7)}

# fmt: off
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
# fmt: on

# --------------------------------------------------------------------------------------------
# What the demo is designed to contain
# --------------------------------------------------------------------------------------------

FAULTS: tuple[str, ...] = (
    "ppid/register_ppid_2025_06.xlsx: corrupt XLSX (only the first half of its bytes)",
    "logistik/silog_gudang_ppk_dusun_hilir_2025.csv: required column Tanggal Pemeliharaan missing",
    "logistik/laporan_logistik_2024.xlsx: Kotak Suara, Gudang PPK Karau Kuala: Jumlah Baik + "
    "Jumlah Rusak (226 + 2) differs from Jumlah Tersedia (230)",
    "pemilih/pdpb_triwulan_II_2025.csv: Tamparak Layung (6204042019) missing",
    "pemilih/rekap_pdpb_tw3_2025.xlsx: Hilir Seper (6204061007): Pemilih Akhir L is not "
    "Awal + Baru - TMS (last two digits swapped)",
    "siakba/kpps_pemilu_2024_jenamas.xlsx: NIK destroyed by Excel, written 6.20401E+15 "
    "(Rangga Ilung TPS 004)",
    "siakba/kpps_pemilu_2024_karau_kuala.xlsx: birth date in the NIK differs from Tanggal Lahir "
    "(Bangkuang TPS 006)",
    "siakba/kpps_pemilu_2024_gn_bintang_awai.xlsx: member aged 57 on voting day "
    "(Palu Rejo TPS 003)",
    "siakba Pemilu 2024: only 6 Lulus (Lehai TPS 003, Patas I TPS 007), no Ketua (Baru TPS 005), "
    "inaugurated late (Pendang TPS 002, Buntok Kota TPS 017)",
    "siakba Pilkada 2024: only 6 Lulus (Babai TPS 001, Bundar TPS 001), inaugurated late "
    "(Rantau Kujang TPS 001)",
)

# (pembilang, penyebut) of iku.capaian per IKU and year (triwulan NULL), for any --as-of from
# 2026-01-15 on, when every 2024-2025 deadline has passed.
EXPECTED_IKU: dict[tuple[str, int], tuple[int, int]] = {
    ("IKU-1", 2024): (19, 22),
    ("IKU-1", 2025): (3, 5),
    ("IKU-2", 2024): (6, 8),
    ("IKU-2", 2025): (5, 6),
    ("IKU-3", 2024): (32, 35),
    ("IKU-3", 2025): (25, 30),
    ("IKU-4", 2025): (370, 372),
    ("IKU-5", 2024): (4, 6),
    ("IKU-5", 2025): (4, 6),
    ("IKU-6", 2024): (629, 640),
}

# --------------------------------------------------------------------------------------------
# Small helpers: dates, numbers, codes, working days
# --------------------------------------------------------------------------------------------


def long_date(d: date) -> str:
    """'27 Maret 2025'."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def short_date(d: date) -> str:
    """'5 Agu 2025'."""
    return f"{d.day} {MONTHS_SHORT[d.month - 1]} {d.year}"


def slash_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def dash_date(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def iso_date(d: date) -> str:
    return d.isoformat()


def excel_date(d: date) -> date:
    """A real Excel date cell (XLSX only)."""
    return d


def typed_date(d: date) -> str:
    """Typed by hand: mostly '27 Maret 2025', sometimes '5 Agu 2025'."""
    return short_date(d) if d.day % 4 == 1 else long_date(d)


def maybe(fmt: DateText, d: date | None) -> Cell:
    return None if d is None else fmt(d)


def dotted(n: int) -> str:
    """Indonesian thousands dots: 1234 -> '1.234'."""
    return f"{n:,}".replace(",", ".")


def dotted_code(code: str) -> str:
    """'6204012001' -> '62.04.01.2001'."""
    return ".".join(p for p in (code[:2], code[2:4], code[4:6], code[6:]) if p)


def tps_number(n: int) -> str:
    return f"{n:03d}"


def columns(text: str) -> tuple[str, ...]:
    """Header names from one string: 'Tahun, Kode Barang' -> ('Tahun', 'Kode Barang')."""
    return tuple(name.strip() for name in text.split(","))


def at(y: int, m: int, d: int, hh: int = 15, mm: int = 0) -> datetime:
    """An export time in WIB; it becomes the file's modification time."""
    return datetime(y, m, d, hh, mm, tzinfo=WIB)


@cache
def _days_off() -> holidays.HolidayBase:
    return holidays.Indonesia(years=(2024, 2025, 2026), categories=("public", "government"))


def is_working_day(d: date) -> bool:
    return d.weekday() < 5 and d not in _days_off()


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (day 1 is the first working day after it)."""
    d, counted = start, 0
    while counted < n:
        d += timedelta(days=1)
        counted += is_working_day(d)
    return d


def random_working_day(rng: random.Random, first: date, last: date) -> date:
    while True:
        d = first + timedelta(days=rng.randrange((last - first).days + 1))
        if is_working_day(d):
            return d


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder), each at least ``minimum``."""
    quotas = [total * w / sum(weights) for w in weights]
    shares = [max(minimum, int(q)) for q in quotas]
    while (gap := total - sum(shares)) != 0:
        if gap > 0:  # the share furthest below its quota gets one more
            i = min(range(len(shares)), key=lambda k: shares[k] - quotas[k])
            shares[i] += 1
        else:  # the share furthest above its quota gives one back
            above = [k for k in range(len(shares)) if shares[k] > minimum]
            i = max(above, key=lambda k: shares[k] - quotas[k])
            shares[i] -= 1
    return shares


def cap(shares: Sequence[int], limits: Sequence[int]) -> list[int]:
    """Move anything above its limit to the shares with the most room, keeping the total."""
    out = list(shares)
    if sum(out) > sum(limits):
        raise ValueError(f"{sum(out)} does not fit in {sum(limits)}")
    for i in range(len(out)):
        while out[i] > limits[i]:
            j = max(range(len(out)), key=lambda k: limits[k] - out[k])
            move = min(out[i] - limits[i], limits[j] - out[j])
            out[i] -= move
            out[j] += move
    return out


def noisy(rng: random.Random, values: Iterable[float], spread: float) -> list[float]:
    return [v * rng.uniform(1 - spread, 1 + spread) for v in values]


def kecamatan_of(code: str) -> Kecamatan:
    return next(k for k in KECAMATAN if code.startswith(k.code))


def villages_of(kec: Kecamatan) -> list[Village]:
    return [v for v in VILLAGES if v.code.startswith(kec.code)]


def _rng(name: str) -> random.Random:
    """One seeded stream per part, so changing one source does not shift the others."""
    return random.Random(f"iku-demo-{SATKER}-{name}")


# --------------------------------------------------------------------------------------------
# People: names and NIK
# --------------------------------------------------------------------------------------------

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


def nik_for(region: str, born: date, female: bool, serial: int) -> str:
    """16 digits: region (6), birth date DDMMYY with 40 added to DD for women, serial (4)."""
    day = born.day + (40 if female else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


class NikRegister:
    """Hands out unique NIK: the serial counts up per region and birth date."""

    def __init__(self) -> None:
        self._serials: dict[str, int] = {}

    def issue(self, region: str, born: date, female: bool) -> str:
        prefix = nik_for(region, born, female, 0)[:12]
        self._serials[prefix] = self._serials.get(prefix, 0) + 1
        return nik_for(region, born, female, self._serials[prefix])


def new_person(
    rng: random.Random, niks: NikRegister, region: str, first: date, last: date
) -> Person:
    female = rng.random() < 0.48
    born = first + timedelta(days=rng.randrange((last - first).days + 1))
    return Person(person_name(rng, female), female, born, niks.issue(region, born, female))


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --------------------------------------------------------------------------------------------
# Writing files
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Export:
    """One file as an office would export it."""

    source: str
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
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
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
            if isinstance(value, str):
                sheet.write_string(r, c, value, plain)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, value, day)
            elif value is not None:
                sheet.write_number(r, c, value, plain)
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


def write_export(landing: Path, export: Export) -> Path:
    path = landing / SATKER / export.source / export.name
    path.parent.mkdir(parents=True, exist_ok=True)
    data = xlsx_bytes(export) if export.name.endswith(".xlsx") else csv_bytes(export)
    if export.truncate:
        data = data[: len(data) // 2]
    path.write_bytes(data)
    stamp = export.exported_at.timestamp()
    os.utime(path, (stamp, stamp))
    return path


# --------------------------------------------------------------------------------------------
# The electorate: TPS of both elections and voters per desa (for tps, pemilih, siakba)
# --------------------------------------------------------------------------------------------


class Tps(NamedTuple):
    election: str
    village: Village
    number: int
    voters: int


@dataclass(frozen=True)
class Electorate:
    tps: dict[str, list[Tps]]  # per election, in village and number order
    voters: dict[str, tuple[int, int]]  # DPT Pilkada 2024 (L, P) per village code


def build_electorate() -> Electorate:
    rng = _rng("electorate")
    tps: dict[str, list[Tps]] = {PEMILU: [], PILKADA: []}
    voters: dict[str, tuple[int, int]] = {}
    for kec in KECAMATAN:
        villages = villages_of(kec)
        counts = {PEMILU: [v.tps for v in villages], PILKADA: _pilkada_tps_counts(villages)}
        totals = {PEMILU: kec.dps, PILKADA: kec.dpt_l + kec.dpt_p}
        per_village = {}
        for election in (PEMILU, PILKADA):
            per_village[election] = _village_voters(
                rng, election, villages, totals[election], counts[election]
            )
            tps[election] += _tps_of(
                rng, election, villages, per_village[election], counts[election]
            )
        dpt = per_village[PILKADA]
        male = apportion(kec.dpt_l, noisy(rng, dpt, 0.03))
        for village, m, total in zip(villages, male, dpt, strict=True):
            voters[village.code] = (m, total - m)
    return Electorate(tps, voters)


def _pilkada_tps_counts(villages: list[Village]) -> list[int]:
    """Pilkada TPS per village: 233 regular over the kabupaten, by Pemilu TPS share, at least 1."""
    everywhere = apportion(PILKADA_REGULAR_TPS, [v.tps for v in VILLAGES], minimum=1)
    by_code = {v.code: n for v, n in zip(VILLAGES, everywhere, strict=True)}
    return [by_code[v.code] for v in villages]


def _rutan(election: str, village: Village) -> int:
    return RUTAN_VOTERS[election] if village.code == RUTAN_VILLAGE else 0


def _village_voters(
    rng: random.Random,
    election: str,
    villages: list[Village],
    total: int,
    counts: list[int],
) -> list[int]:
    """Voters per village, by Pemilu TPS share, never more than its TPS can hold."""
    weights = noisy(rng, [v.tps for v in villages], 0.08)
    room = [n * MAX_VOTERS[election] for n in counts]
    return cap(
        apportion(total, weights),
        [r + _rutan(election, v) for r, v in zip(room, villages, strict=True)],
    )


def _tps_of(
    rng: random.Random, election: str, villages: list[Village], voters: list[int], counts: list[int]
) -> list[Tps]:
    out: list[Tps] = []
    for village, total, n in zip(villages, voters, counts, strict=True):
        rutan = _rutan(election, village)
        weights = noisy(rng, [1.0] * n, TPS_SPREAD[election])
        sizes = cap(apportion(total - rutan, weights), [MAX_VOTERS[election]] * n)
        out += [Tps(election, village, i + 1, s) for i, s in enumerate(sizes)]
        if rutan:
            out.append(Tps(election, village, RUTAN_TPS, rutan))
    return out


# --------------------------------------------------------------------------------------------
# wilayah and tps
# --------------------------------------------------------------------------------------------


def wilayah_exports() -> list[Export]:
    rows: list[list[Cell]] = [[dotted_code(KABUPATEN[0]), KABUPATEN[1], "Kabupaten", "62"]]
    for kec in KECAMATAN:
        rows.append([dotted_code(kec.code), kec.name, "Kecamatan", dotted_code(SATKER)])
        for v in villages_of(kec):
            level = "Kelurahan" if v.code[6] == "1" else "Desa"
            rows.append([dotted_code(v.code), v.name, level, dotted_code(kec.code)])
    header = columns("Kode Wilayah, Nama Wilayah, Tingkat, Kode Induk")
    return [Export("wilayah", "kode_wilayah_barito_selatan.csv", header, rows, at(2024, 1, 3))]


def tps_exports(electorate: Electorate) -> list[Export]:
    pemilu: list[list[Cell]] = []
    for i, t in enumerate(electorate.tps[PEMILU], start=1):
        where = [kecamatan_of(t.village.code).name, dotted_code(t.village.code), t.village.name]
        pemilu.append([i, t.election, *where, tps_number(t.number), t.voters])
    pilkada: list[list[Cell]] = [
        [t.election, t.village.code, t.village.name.upper(), tps_number(t.number), str(t.voters)]
        for t in electorate.tps[PILKADA]
    ]
    return [
        Export(
            "tps",
            "daftar_tps_pemilu_2024.xlsx",
            columns(
                "No, Jenis Pemilihan, Kecamatan, Kode Desa/Kelurahan, Nama Desa/Kelurahan, "
                "Nomor TPS, Jumlah Pemilih"
            ),
            pemilu,
            at(2024, 1, 8, 10),
            title=("DAFTAR TPS PEMILU TAHUN 2024", "KPU KABUPATEN BARITO SELATAN"),
            sheet="TPS",
        ),
        Export(
            "tps",
            "tps_pilkada_2024.csv",
            columns("JENIS PEMILIHAN, KODE DESA, NAMA DESA, NO TPS, DPT"),
            pilkada,
            at(2024, 9, 23, 14),
            sep="\t",
            encoding="utf-8-sig",
        ),
    ]


# --------------------------------------------------------------------------------------------
# tahapan (IKU-1)
# --------------------------------------------------------------------------------------------


class Stage(NamedTuple):
    code: str
    name: str
    election: str
    planned: tuple[date, date]
    actual: tuple[date | None, date | None]
    note: str | None


def stage(
    code: str,
    name: str,
    election: str,
    start: date,
    end: date,
    actual: tuple[date | None, date | None] | None = None,
    note: str | None = None,
) -> Stage:
    return Stage(code, name, election, (start, end), actual or (start, end), note)


# Pemilu 2024 (PKPU 3/2022) and Pilkada 2024 (PKPU 2/2024) stages that end in 2024, from the
# project's domain notes, then the secretariat's post-election work in 2025. Assumed: the
# kecamatan recapitulation window, the logistics distribution window and the 2025 stages.
# fmt: off
STAGES: tuple[Stage, ...] = (
    stage("PML-01", "Perencanaan program dan anggaran", PEMILU, D(2022, 6, 14), D(2024, 6, 14)),
    stage("PML-02", "Pembentukan KPPS", PEMILU, D(2023, 12, 11), D(2024, 1, 25),
          note="Pelantikan KPPS serentak 25 Januari 2024"),
    stage("PML-03", "Masa kampanye", PEMILU, D(2023, 11, 28), D(2024, 2, 10)),
    stage("PML-04", "Pendistribusian logistik ke PPK, PPS dan KPPS", PEMILU,
          D(2024, 2, 1), D(2024, 2, 13), (D(2024, 1, 30), D(2024, 2, 13)),
          "Distribusi ke desa terjauh di Kec. Gunung Bintang Awai dimulai lebih awal"),
    stage("PML-05", "Masa tenang", PEMILU, D(2024, 2, 11), D(2024, 2, 13)),
    stage("PML-06", "Pemungutan suara", PEMILU, D(2024, 2, 14), D(2024, 2, 14)),
    stage("PML-07", "Penghitungan suara di TPS", PEMILU, D(2024, 2, 14), D(2024, 2, 15)),
    stage("PML-08", "Rekapitulasi hasil penghitungan suara tingkat kecamatan", PEMILU,
          D(2024, 2, 15), D(2024, 3, 2), (D(2024, 2, 15), D(2024, 3, 4)),
          "Rekapitulasi PPK Dusun Selatan selesai 4 Maret 2024"),
    stage("PML-09", "Rekapitulasi hasil penghitungan suara tingkat kabupaten", PEMILU,
          D(2024, 2, 15), D(2024, 3, 20), (D(2024, 3, 5), D(2024, 3, 7))),
    stage("PML-10", "Pengucapan sumpah/janji anggota DPR dan DPD", PEMILU,
          D(2024, 10, 1), D(2024, 10, 1)),
    stage("PML-11", "Pengucapan sumpah/janji Presiden dan Wakil Presiden", PEMILU,
          D(2024, 10, 20), D(2024, 10, 20)),
    stage("PKD-01", "Pembentukan PPK, PPS dan KPPS", PILKADA,
          D(2024, 4, 17), D(2024, 11, 5), (D(2024, 4, 17), D(2024, 11, 7)),
          "Pelantikan KPPS 7 November 2024"),
    stage("PKD-02", "Pemberian dan sinkronisasi DP4", PILKADA, D(2024, 4, 24), D(2024, 5, 31)),
    stage("PKD-03", "Pemutakhiran dan penyusunan daftar pemilih", PILKADA,
          D(2024, 5, 31), D(2024, 9, 23), (D(2024, 5, 31), D(2024, 9, 20)),
          "DPT 98.898 pemilih di 234 TPS"),
    stage("PKD-04", "Pemenuhan persyaratan dukungan pasangan calon perseorangan", PILKADA,
          D(2024, 5, 5), D(2024, 8, 19)),
    stage("PKD-05", "Pendaftaran pasangan calon", PILKADA, D(2024, 8, 27), D(2024, 8, 29)),
    stage("PKD-06", "Penelitian persyaratan calon", PILKADA, D(2024, 8, 27), D(2024, 9, 21)),
    stage("PKD-07", "Penetapan pasangan calon", PILKADA, D(2024, 9, 22), D(2024, 9, 22)),
    stage("PKD-08", "Masa kampanye", PILKADA, D(2024, 9, 25), D(2024, 11, 23)),
    stage("PKD-09", "Masa tenang", PILKADA, D(2024, 11, 24), D(2024, 11, 26)),
    stage("PKD-10", "Pemungutan suara", PILKADA, D(2024, 11, 27), D(2024, 11, 27)),
    stage("PKD-11", "Penghitungan suara dan rekapitulasi hasil", PILKADA,
          D(2024, 11, 27), D(2024, 12, 16),
          note="Termasuk PSU 2 Desember 2024 di TPS 018 Buntok Kota dan TPS 003 Bundar"),
    stage("PSC-01", "Evaluasi penyelenggaraan Pemilihan 2024", PILKADA,
          D(2025, 1, 6), D(2025, 2, 28), (D(2025, 1, 6), D(2025, 2, 27))),
    stage("PSC-02", "Penyusunan laporan penyelenggaraan Pemilihan 2024", PILKADA,
          D(2025, 2, 3), D(2025, 4, 30), (D(2025, 2, 3), D(2025, 5, 14)),
          "Menunggu laporan pertanggungjawaban dana hibah – selesai 14 Mei 2025"),
    stage("PSC-03", "Penataan arsip Pemilu dan Pemilihan 2024", PEMILU,
          D(2025, 6, 2), D(2025, 9, 30), (D(2025, 6, 2), D(2025, 9, 26))),
    stage("PSC-04", "Inventarisasi dan pemeliharaan logistik pasca pemilihan", PILKADA,
          D(2025, 7, 1), D(2025, 10, 31), (D(2025, 7, 14), D(2025, 10, 29))),
    stage("PSC-05", "Penyusunan buku laporan Pemilu dan Pemilihan 2024", PILKADA,
          D(2025, 11, 3), D(2025, 12, 19), (D(2025, 11, 3), None),
          "Dalam proses penyuntingan – belum selesai"),
)
# fmt: on


def stage_row(s: Stage, fmt: DateText) -> list[Cell]:
    dates = [maybe(fmt, d) for d in (*s.planned, *s.actual)]
    return [s.code, s.name, s.election, *dates, s.note]


def tahapan_exports() -> list[Export]:
    year_2024 = [s for s in STAGES if s.planned[1].year == 2024]
    year_2025 = [s for s in STAGES if s.planned[1].year == 2025]
    return [
        Export(
            "tahapan",
            "laporan_tahapan_2024.xlsx",
            columns(
                "No, Kode Tahapan, Nama Tahapan, Jenis Pemilihan, Jadwal Mulai, Jadwal Selesai, "
                "Realisasi Mulai, Realisasi Selesai, Keterangan"
            ),
            [[i, *stage_row(s, excel_date)] for i, s in enumerate(year_2024, start=1)],
            at(2024, 12, 20),
            title=(
                "LAPORAN PELAKSANAAN TAHAPAN PEMILU DAN PEMILIHAN",
                "KPU KABUPATEN BARITO SELATAN",
                "TAHUN 2024",
            ),
            sheet="Tahapan",
        ),
        Export(
            "tahapan",
            "laporan_tahapan_2025.csv",
            columns(
                "KODE TAHAPAN, URAIAN TAHAPAN, PEMILIHAN, JADWAL MULAI, JADWAL SELESAI, "
                "REALISASI MULAI, REALISASI SELESAI, KETERANGAN"
            ),
            [stage_row(s, typed_date) for s in year_2025],
            at(2025, 12, 30),
            sep=";",
            encoding="cp1252",
        ),
    ]


# --------------------------------------------------------------------------------------------
# logistik (IKU-2)
# --------------------------------------------------------------------------------------------

INVENTARIS, HABIS_PAKAI = "Barang Inventaris", "Habis Pakai"
SILOG_SPELLING = {INVENTARIS: "Inventaris", HABIS_PAKAI: "Barang Habis Pakai"}  # aliases


class Item(NamedTuple):
    code: str
    name: str
    category: str
    unit: str
    per_tps: int  # Pemilu need per TPS; 0 = ballots, 5 per voter plus 2%


ITEMS: tuple[Item, ...] = (
    Item("LOG-01", "Kotak Suara", INVENTARIS, "buah", 5),
    Item("LOG-02", "Bilik Suara", INVENTARIS, "buah", 4),
    Item("LOG-03", "Tinta Sidik Jari", HABIS_PAKAI, "botol", 2),
    Item("LOG-04", "Segel", HABIS_PAKAI, "lembar", 40),
    Item("LOG-05", "Sampul", HABIS_PAKAI, "lembar", 30),
    Item("LOG-06", "Formulir", HABIS_PAKAI, "set", 1),
    Item("LOG-07", "Surat Suara Pemilu 2024 (5 jenis)", HABIS_PAKAI, "lembar", 0),
)
KOTAK, BILIK = ITEMS[0], ITEMS[1]

# Warehouses of the Pemilu 2024 logistics and the kecamatan each one served.
GUDANG_KPU = "Gudang KPU Kabupaten Barito Selatan (Buntok)"
GUDANG_DUSUN_UTARA = "Gudang PPK Dusun Utara (Pendang)"
GUDANG_KARAU_KUALA = "Gudang PPK Karau Kuala (Bangkuang)"
GUDANG_GBA = "Gudang PPK Gunung Bintang Awai (Patas I)"
GUDANG_DUSUN_HILIR = "Gudang PPK Dusun Hilir (Mengkatip)"
GUDANG_SERVES = {
    GUDANG_KPU: ("620406", "620401", "620402"),
    GUDANG_DUSUN_UTARA: ("620404",),
    GUDANG_KARAU_KUALA: ("620403",),
    GUDANG_GBA: ("620405",),
}
# Inventory and upkeep dates of the Barang Inventaris lines. Cut-off 2024: 13 Feb 2024, the day
# before voting day; 2025 has no voting day, so 31 Dec 2025.
UPKEEP: dict[tuple[int, str, str], tuple[date, date | None]] = {
    (2024, GUDANG_KPU, "LOG-01"): (D(2024, 1, 8), D(2024, 1, 22)),
    (2024, GUDANG_KPU, "LOG-02"): (D(2024, 1, 8), D(2024, 1, 23)),
    (2024, GUDANG_DUSUN_UTARA, "LOG-01"): (D(2024, 1, 29), D(2024, 2, 2)),
    (2024, GUDANG_DUSUN_UTARA, "LOG-02"): (D(2024, 1, 29), D(2024, 2, 15)),  # after cut-off
    (2024, GUDANG_KARAU_KUALA, "LOG-01"): (D(2024, 1, 30), D(2024, 2, 5)),
    (2024, GUDANG_KARAU_KUALA, "LOG-02"): (D(2024, 1, 30), None),  # never maintained
    (2024, GUDANG_GBA, "LOG-01"): (D(2024, 2, 1), D(2024, 2, 6)),
    (2024, GUDANG_GBA, "LOG-02"): (D(2024, 2, 12), D(2024, 2, 12)),
    (2025, GUDANG_KPU, "LOG-01"): (D(2025, 7, 14), D(2025, 8, 20)),
    (2025, GUDANG_KPU, "LOG-02"): (D(2025, 7, 14), D(2025, 8, 21)),
    (2025, GUDANG_DUSUN_UTARA, "LOG-01"): (D(2025, 7, 22), D(2025, 9, 9)),
    (2025, GUDANG_DUSUN_UTARA, "LOG-02"): (D(2025, 7, 22), D(2025, 9, 9)),
    (2025, GUDANG_KARAU_KUALA, "LOG-01"): (D(2025, 7, 24), D(2025, 10, 14)),
    (2025, GUDANG_KARAU_KUALA, "LOG-02"): (D(2025, 7, 24), None),  # not maintained yet
}
UNBALANCED_LINE = (2024, GUDANG_KARAU_KUALA, "LOG-01")  # Baik + Rusak != Tersedia


class StockLine(NamedTuple):
    year: int
    item: Item
    gudang: str
    need: int | None
    available: int
    good: int
    broken: int
    inventoried: date | None
    maintained: date | None


def logistik_lines(electorate: Electorate) -> list[StockLine]:
    """2024: every item in the four Pemilu warehouses; 2025: kotak and bilik kept in three."""
    rng = _rng("logistik")
    lines: list[StockLine] = []
    for gudang, kecs in GUDANG_SERVES.items():
        served = [t for t in electorate.tps[PEMILU] if t.village.code[:6] in kecs]
        for item in ITEMS:
            need = item.per_tps * len(served) or round(sum(t.voters for t in served) * 5 * 1.02)
            broken = rng.randint(0, max(1, need // 150))
            good = need - broken
            if (2024, gudang, item.code) == UNBALANCED_LINE:
                good, broken = need - 4, 2
            day = random_working_day(rng, D(2024, 1, 8), D(2024, 2, 9))
            inventoried, maintained = UPKEEP.get((2024, gudang, item.code), (day, day))
            lines.append(
                StockLine(2024, item, gudang, need, need, good, broken, inventoried, maintained)
            )
    for (year, gudang, code), (inventoried, maintained) in UPKEEP.items():
        if year == 2025:
            before = next(s for s in lines if s.gudang == gudang and s.item.code == code)
            available = before.available - rng.randint(0, before.available // 40)
            broken = rng.randint(available // 30, available // 12)
            good = available - broken
            lines.append(
                StockLine(2025, before.item, gudang, None, available, good, broken, inventoried,
                          maintained)
            )  # fmt: skip
    return lines


# 2025 leftovers in the main warehouse, and the PPK Dusun Hilir store whose export is broken.
INK = Item("LOG-03", "Tinta Sidik Jari – kedaluwarsa", HABIS_PAKAI, "botol", 0)
BALLOTS = Item("LOG-08", "Surat Suara Pilkada 2024 – sisa dan rusak", HABIS_PAKAI, "lembar", 0)
LEFTOVERS_2025 = (
    StockLine(2025, INK, GUDANG_KPU, None, 211, 0, 211, D(2025, 7, 15), D(2025, 7, 15)),
    StockLine(2025, BALLOTS, GUDANG_KPU, None, 2472, 0, 2472, D(2025, 7, 15), D(2025, 7, 15)),
)
DUSUN_HILIR_2025 = (
    StockLine(2025, KOTAK, GUDANG_DUSUN_HILIR, None, 254, 241, 13, D(2025, 8, 12), None),
    StockLine(2025, BILIK, GUDANG_DUSUN_HILIR, None, 203, 198, 5, D(2025, 8, 12), None),
    StockLine(2025, ITEMS[3], GUDANG_DUSUN_HILIR, None, 380, 380, 0, D(2025, 8, 13), None),
)


def stock_row(s: StockLine, count: Callable[[int], Cell], fmt: DateText) -> list[Cell]:
    what: list[Cell] = [s.year, s.item.code, s.item.name, s.item.category, s.gudang, s.item.unit]
    amounts = [s.need, s.available, s.good, s.broken]
    dates = [maybe(fmt, s.inventoried), maybe(fmt, s.maintained)]
    return [*what, *(None if n is None else count(n) for n in amounts), *dates]


def silog_row(s: StockLine) -> list[Cell]:
    row = stock_row(s, dotted, slash_date)
    row[3] = SILOG_SPELLING[s.item.category]
    return row


def logistik_exports(electorate: Electorate) -> list[Export]:
    lines = logistik_lines(electorate)
    header = columns(
        "Tahun, Kode Barang, Nama Barang, Kategori, Lokasi Gudang, Satuan, Jumlah Kebutuhan, "
        "Jumlah Tersedia, Jumlah Baik, Jumlah Rusak, Tanggal Inventarisasi, Tanggal Pemeliharaan"
    )
    year_2024 = [s for s in lines if s.year == 2024]
    year_2025 = [s for s in lines if s.year == 2025] + list(LEFTOVERS_2025)
    return [
        Export(
            "logistik",
            "laporan_logistik_2024.xlsx",
            ("No", *header),
            [[i, *stock_row(s, int, excel_date)] for i, s in enumerate(year_2024, start=1)],
            at(2024, 3, 1, 9),
            title=(
                "LAPORAN INVENTARISASI DAN PEMELIHARAAN LOGISTIK",
                "KPU KABUPATEN BARITO SELATAN",
                "PEMILU TAHUN 2024",
            ),
            sheet="Logistik",
            date_format="dd-mm-yyyy",
        ),
        Export(
            "logistik",
            "silog_logistik_2025.csv",
            columns(
                "TAHUN, KODE BARANG, URAIAN, JENIS BARANG, GUDANG, SATUAN, KEBUTUHAN, TERSEDIA, "
                "BAIK, RUSAK, TANGGAL INVENTARISASI, TANGGAL PEMELIHARAAN"
            ),
            [silog_row(s) for s in year_2025],
            at(2025, 11, 5, 10),
            sep=";",
            encoding="cp1252",
        ),
        Export(
            "logistik",
            "silog_gudang_ppk_dusun_hilir_2025.csv",
            (*header[:-1], "Keterangan"),  # the Tanggal Pemeliharaan column got lost
            [
                [*stock_row(s, str, iso_date)[:-1], "dikembalikan dari PPK"]
                for s in DUSUN_HILIR_2025
            ],
            at(2025, 11, 6, 11),
        ),
    ]


# --------------------------------------------------------------------------------------------
# ppid (IKU-3)
# --------------------------------------------------------------------------------------------


class Timing(NamedTuple):
    received: date
    answer_day: int | None  # working day of the written answer; None = not answered
    notice_day: int | None = None  # working day the extension was notified (Perpanjangan = Ya)
    rejected: bool = False


# Requests whose timing is designed; every other request is answered in 2..9 working days.
PPID_DESIGNED: dict[int, tuple[Timing, ...]] = {
    2024: (
        Timing(D(2024, 2, 19), 13),  # late
        Timing(D(2024, 3, 4), 15, 9),  # extended in time, answered on day 15: on time
        Timing(D(2024, 4, 2), 15, 12),  # extension notified on day 12, too late: late
        Timing(D(2024, 6, 11), 6, rejected=True),
        Timing(D(2024, 9, 9), 16, 8),  # extended, on time
        Timing(D(2024, 12, 2), 12),  # late
        Timing(D(2024, 12, 23), 7),  # open in the 2024 register, answered 6 Jan 2025
    ),
    2025: (
        Timing(D(2025, 1, 14), 11),  # late
        Timing(D(2025, 2, 18), 5, rejected=True),  # the applicant files an objection
        Timing(D(2025, 3, 29), 10),  # a Saturday (Nyepi) before Idul Fitri; day 10 = 22 Apr
        Timing(D(2025, 6, 3), 15, 10),  # extension notified on day 10 exactly: on time
        Timing(D(2025, 8, 5), 13),  # late
        Timing(D(2025, 9, 22), 14, 9),  # extended; still open in the TW III snapshot
        Timing(D(2025, 12, 11), None),  # open at year end, overdue from 30 Dec 2025
        Timing(D(2025, 12, 17), None),
        Timing(D(2025, 12, 22), None),
    ),
}
PPID_COUNT = {2024: 35, 2025: 30}
PPID_LAST_ROUTINE = {2024: D(2024, 12, 6), 2025: D(2025, 11, 28)}  # answered within the year
PPID_MONTH_WEIGHTS = {
    2024: (3, 6, 5, 2, 2, 2, 2, 2, 4, 4, 5, 2),  # busier around both voting days
    2025: (3, 3, 3, 2, 2, 2, 3, 3, 2, 2, 2, 0),
}
JOBS = (
    "Mahasiswa", "Wartawan", "Karyawan Swasta", "Wiraswasta", "PNS", "Peneliti", "Guru",
    "Pegiat Pemilu (LSM)", "Pengurus Partai Politik", "Advokat",
)  # fmt: skip
WANTED = (  # Informasi yang Diminta, Tujuan Penggunaan
    ("Salinan DPT Pilkada 2024 per TPS Kecamatan Dusun Selatan (tanpa NIK)", "Bahan kajian"),
    ("Rekapitulasi hasil penghitungan suara Pemilu 2024 tingkat kabupaten", "Pemberitaan"),
    ("Daftar TPS Pilkada 2024 dan jumlah pemilih", "Bahan skripsi"),
    ("Salinan SK penetapan anggota PPK dan PPS", "Bahan kajian"),
    ("Jadwal dan lokasi kampanye pasangan calon", "Pemberitaan"),
    ("Laporan dana kampanye pasangan calon", "Pengawasan partisipatif"),
    ("Data partisipasi pemilih per kecamatan", "Penelitian"),
    ("Rekapitulasi daftar pemilih berkelanjutan triwulan terakhir", "Bahan kajian"),
    ("Salinan formulir Model D.Hasil Kecamatan", "Keperluan saksi partai"),
    ("Anggaran hibah Pilkada 2024 dan realisasinya", "Pengawasan anggaran"),
    ("Daftar anggota KPPS Kelurahan Buntok Kota", "Pemberitaan"),
    ("Peta daerah pemilihan DPRD Kabupaten Barito Selatan", "Bahan skripsi"),
)
HOW = ("Salinan softcopy melalui email", "Mengambil langsung", "Melihat/membaca di kantor")
REJECTION = "Informasi dikecualikan – memuat data pribadi (Pasal 17 huruf h UU 14/2008)"
STREETS = {
    "6204": ("Jl. Pahlawan", "Jl. Pelita Raya", "Jl. Ahmad Yani", "Jl. Tjilik Riwut",
             "Jl. Panglima Batur", "Jl. Merdeka", "Jl. Veteran"),
    "6271": ("Jl. RTA Milono", "Jl. G. Obos", "Jl. Yos Sudarso", "Jl. Diponegoro"),
    "6212": ("Jl. Ahmad Yani", "Jl. Tjilik Riwut", "Jl. Jenderal Sudirman"),
}  # fmt: skip
TOWNS = {"6204": "Buntok", "6271": "Palangka Raya", "6212": "Tamiang Layang"}


class Applicant(NamedTuple):
    person: Person
    address: str
    phone: str
    email: str | None
    job: str


class Request(NamedTuple):
    number: str
    received: date
    applicant: Applicant
    wanted: tuple[str, str]
    how: str
    rejected: bool
    notice: date | None  # extension notified (Perpanjangan = Ya)
    answered: date | None


def applicant(rng: random.Random, niks: NikRegister) -> Applicant:
    kab = rng.choices(("6204", "6271", "6212"), weights=(7, 2, 1))[0]
    region = f"{kab}{rng.randint(1, 6 if kab == '6204' else 5):02d}"
    person = new_person(rng, niks, region, D(1962, 1, 1), D(2004, 6, 30))
    address = f"{rng.choice(STREETS[kab])} No. {rng.randint(1, 120)}, {TOWNS[kab]}"
    digits = "".join(str(rng.randrange(10)) for _ in range(rng.choice((7, 8))))
    phone = f"08{rng.choice(('11', '12', '13', '21', '22', '52', '53', '77'))}{digits}"
    mailbox = f"{person.name.lower().replace(' ', '.')}{rng.randint(1, 99)}"
    email = f"{mailbox}@{rng.choice(('gmail.com', 'yahoo.co.id'))}" if rng.random() < 0.8 else None
    return Applicant(person, address, phone, email, rng.choice(JOBS))


def ppid_requests() -> list[Request]:
    rng = _rng("ppid")
    niks = NikRegister()
    pool = [applicant(rng, niks) for _ in range(48)]  # a few people ask more than once
    # The 2025 objector has an apostrophe in his name: the Windows-1252 register needs a ’.
    objector = pool.pop(0)
    objector = objector._replace(
        person=objector.person._replace(name="Muhammad Ma’ruf"),
        email="maruf.barsel@gmail.com",
        job="Wartawan",
    )
    out: list[Request] = []
    for year in (2024, 2025):
        timings = list(PPID_DESIGNED[year])
        while len(timings) < PPID_COUNT[year]:
            month = rng.choices(range(1, 13), weights=PPID_MONTH_WEIGHTS[year])[0]
            last = min(PPID_LAST_ROUTINE[year], D(year, month, 28))
            received = random_working_day(rng, D(year, month, 2), last)
            timings.append(Timing(received, rng.randint(2, 9)))
        timings.sort(key=lambda t: t.received)
        for seq, t in enumerate(timings, start=1):
            who = objector if t.rejected and year == 2025 else rng.choice(pool)
            out.append(
                Request(
                    number=f"{seq:03d}/PPID/{ROMAN[t.received.month - 1]}/{year}",
                    received=t.received,
                    applicant=who,
                    wanted=rng.choice(WANTED),
                    how=rng.choice(HOW),
                    rejected=t.rejected,
                    notice=_after(t.received, t.notice_day),
                    answered=_after(t.received, t.answer_day),
                )
            )
    return out


def _after(start: date, working_days: int | None) -> date | None:
    return None if working_days is None else add_working_days(start, working_days)


def ppid_row(r: Request, as_of: date, fmt: DateText, extension: bool = True) -> list[Cell]:
    """One register line as it stood on ``as_of``: later answers are not known yet."""
    answered = r.answered if r.answered and r.answered <= as_of else None
    notice = r.notice if r.notice and r.notice <= as_of else None
    decision = None if answered is None else "Ditolak" if r.rejected else "Diterima"
    objection = "Ya" if decision == "Ditolak" and r.received.year == 2025 else "Tidak"
    p = r.applicant
    who = [p.person.name, p.person.nik, p.address, p.phone, p.email, p.job]
    what = [*r.wanted, r.how, decision, REJECTION if decision == "Ditolak" else None]
    extended = ["Ya" if notice else "Tidak", maybe(fmt, notice)] if extension else []
    return [r.number, fmt(r.received), *who, *what, *extended, maybe(fmt, answered), objection]


PPID_HEADER = columns(
    "No Registrasi, Tanggal Permohonan, Nama Pemohon, NIK, Alamat, No Telepon, Email, Pekerjaan, "
    "Informasi yang Diminta, Tujuan Penggunaan, Cara Memperoleh, Keputusan, Alasan Penolakan, "
    "Perpanjangan, Tanggal Pemberitahuan Perpanjangan, Tanggal Pemberitahuan Tertulis, Keberatan"
)
# A simpler register: other spellings, no extension columns (absent Perpanjangan means Tidak).
PPID_SIMPLE_HEADER = columns(
    "NO. REGISTRASI, tanggal permohonan, Nama, No Identitas, Alamat, Nomor Kontak, E-mail, "
    "Pekerjaan, Rincian Informasi, Tujuan Penggunaan Informasi, Cara Memperoleh Informasi, "
    "Keputusan, Alasan Penolakan, Tanggal Pemberitahuan Tertulis, Keberatan"
)
PPID_TITLE = ("REGISTER PERMOHONAN INFORMASI PUBLIK", "KPU KABUPATEN BARITO SELATAN")


def ppid_exports() -> list[Export]:
    """A 2024 year-end register, then 2025 snapshots that restate and complete earlier ones."""
    requests = ppid_requests()

    def snapshot(as_of: date, fmt: DateText, extension: bool = True) -> list[list[Cell]]:
        known = [r for r in requests if r.received.year == as_of.year and r.received <= as_of]
        return [ppid_row(r, as_of, fmt, extension) for r in known]

    tw1_day = D(2025, 4, 8)
    carried = [
        r for r in requests if r.received.year == 2024 and r.answered and r.answered.year > 2024
    ]
    tw1 = [ppid_row(r, tw1_day, slash_date, False) for r in carried]
    return [
        Export(
            "ppid",
            "register_permohonan_informasi_2024.xlsx",
            PPID_HEADER,
            snapshot(D(2024, 12, 31), excel_date),
            at(2024, 12, 31, 14),
            title=(*PPID_TITLE, "TAHUN 2024"),
            sheet="Register 2024",
        ),
        Export(
            "ppid",
            "ppid_tw1_2025.csv",
            PPID_SIMPLE_HEADER,
            tw1 + snapshot(tw1_day, slash_date, extension=False),
            at(2025, 4, 8, 16),
            sep=";",
            encoding="cp1252",
        ),
        Export(
            "ppid",
            "register_ppid_2025_06.xlsx",
            PPID_HEADER,
            snapshot(D(2025, 6, 30), excel_date),
            at(2025, 7, 1, 9),
            title=(*PPID_TITLE, "TAHUN 2025"),
            truncate=True,
        ),
        Export(
            "ppid",
            "register_ppid_2025_tw3.xlsx",
            PPID_HEADER,
            snapshot(D(2025, 10, 1), typed_date),
            at(2025, 10, 1, 15, 30),
            title=(*PPID_TITLE, "TAHUN 2025", "Posisi 1 Oktober 2025"),
            sheet="Register",
        ),
        # The newest export has the name that sorts first: precedence must come from the mtime.
        Export(
            "ppid",
            "Register PPID 2025 - Desember.csv",
            PPID_HEADER,
            snapshot(D(2025, 12, 31), dash_date),
            at(2025, 12, 31, 15),
            sep="\t",
            encoding="utf-8-sig",
        ),
    ]


# --------------------------------------------------------------------------------------------
# pemilih (IKU-4)
# --------------------------------------------------------------------------------------------

PLENO_2025 = {1: D(2025, 4, 9), 2: D(2025, 7, 2), 3: D(2025, 10, 2), 4: D(2025, 12, 8)}
MISSING_IN_Q2 = "6204042019"  # Tamparak Layung: left out of the TW II file
UNBALANCED_IN_Q3 = "6204061007"  # Hilir Seper: Pemilih Akhir L mistyped in the TW III file
PDPB_COUNTS = columns(
    "Pemilih Awal L, Pemilih Awal P, Pemilih Baru L, Pemilih Baru P, TMS L, TMS P, "
    "Perbaikan Data, Pemilih Akhir L, Pemilih Akhir P"
)
PDPB_TITLE = (
    "REKAPITULASI PEMUTAKHIRAN DATA PEMILIH BERKELANJUTAN",
    "KPU KABUPATEN BARITO SELATAN",
)


class Pdpb(NamedTuple):
    quarter: int
    village: Village
    start: tuple[int, int]  # (L, P)
    new: tuple[int, int]
    gone: tuple[int, int]  # TMS
    fixes: int

    @property
    def end(self) -> tuple[int, int]:
        (start_l, start_p), (new_l, new_p), (gone_l, gone_p) = self.start, self.new, self.gone
        return start_l + new_l - gone_l, start_p + new_p - gone_p


def pdpb_rows(electorate: Electorate) -> list[Pdpb]:
    """The four quarters of 2025 per village, each starting where the one before ended."""
    rng = _rng("pemilih")
    rows: list[Pdpb] = []
    for village in VILLAGES:
        start = electorate.voters[village.code]  # DPT Pilkada 2024
        for quarter in range(1, 5):
            new_l, new_p = (round(n * rng.uniform(0.002, 0.011)) for n in start)
            gone_l, gone_p = (round(n * rng.uniform(0.002, 0.007)) for n in start)
            fixes = round(sum(start) * rng.uniform(0.0, 0.01))
            row = Pdpb(quarter, village, start, (new_l, new_p), (gone_l, gone_p), fixes)
            rows.append(row)
            start = row.end
    return rows


def swap_last_digits(n: int) -> int:
    text = str(n)
    if len(text) < 2 or text[-1] == text[-2]:
        return n + 10
    return int(text[:-2] + text[-1] + text[-2])


def pdpb_counts(r: Pdpb, count: Callable[[int], Cell]) -> list[Cell]:
    end_l, end_p = r.end
    if r.quarter == 3 and r.village.code == UNBALANCED_IN_Q3:
        end_l = swap_last_digits(end_l)
    return [count(n) for n in (*r.start, *r.new, *r.gone, r.fixes, end_l, end_p)]


def pdpb_row(r: Pdpb, lead: list[Cell], count: Callable[[int], Cell], *tail: Cell) -> list[Cell]:
    return [*lead, *pdpb_counts(r, count), *tail]


def pemilih_exports(electorate: Electorate) -> list[Export]:
    """One file per quarter of 2025, each written differently."""
    rows = pdpb_rows(electorate)
    q1, q2, q3, q4 = ([r for r in rows if r.quarter == q] for q in range(1, 5))
    note = "Data Disdukcapil – coklit terbatas"
    q2 = [r for r in q2 if r.village.code != MISSING_IN_Q2]
    return [
        Export(
            "pemilih",
            "rekap_pdpb_tw1_2025.xlsx",
            (
                "Tahun",
                "Triwulan",
                "Kecamatan",
                "Kode Desa",
                "Nama Desa",
                *PDPB_COUNTS,
                "Tanggal Pleno",
            ),
            [
                pdpb_row(
                    r,
                    [2025, 1, kecamatan_of(r.village.code).name, r.village.code, r.village.name],
                    int,
                    PLENO_2025[1],
                )
                for r in q1
            ],
            at(2025, 4, 9, 16),
            title=(*PDPB_TITLE, "TRIWULAN I TAHUN 2025"),
            sheet="TW I",
        ),
        Export(
            "pemilih",
            "pdpb_triwulan_II_2025.csv",
            (
                "TAHUN",
                "TRIWULAN",
                "KODE DESA/KELURAHAN",
                "DESA/KELURAHAN",
                *(c.upper() for c in PDPB_COUNTS),
                "TANGGAL PLENO",
                "KETERANGAN",
            ),
            [
                pdpb_row(
                    r,
                    [2025, "Triwulan II", dotted_code(r.village.code), r.village.name.upper()],
                    dotted,
                    slash_date(PLENO_2025[2]),
                    note if i % 9 == 0 else None,
                )
                for i, r in enumerate(q2)
            ],
            at(2025, 7, 2, 17),
            sep=";",
            encoding="cp1252",
        ),
        Export(
            "pemilih",
            "rekap_pdpb_tw3_2025.xlsx",
            ("Tahun", "TW", "Kode Wilayah", "Nama Desa", *PDPB_COUNTS, "Tanggal Pleno"),
            [
                pdpb_row(
                    r, [2025, "III", r.village.code, r.village.name], int, long_date(PLENO_2025[3])
                )
                for r in q3
            ],
            at(2025, 10, 3, 9),
            title=(*PDPB_TITLE, "TRIWULAN III TAHUN 2025"),
            sheet="TW III",
        ),
        Export(
            "pemilih",
            "pdpb_tw4_2025.csv",
            ("Tahun", "Triwulan", "Kode Desa", "Nama Desa", *PDPB_COUNTS, "Tanggal Pleno"),
            [
                pdpb_row(
                    r, ["2025", "4", r.village.code, r.village.name], str, dash_date(PLENO_2025[4])
                )
                for r in q4
            ],
            at(2025, 12, 8, 16),
            sep="\t",
            encoding="utf-8-sig",
        ),
    ]


# --------------------------------------------------------------------------------------------
# keuangan (IKU-5) and sakip
# --------------------------------------------------------------------------------------------


class Official(NamedTuple):
    nip: str  # born YYYYMMDD, appointed YYYYMM, sex 1 (man) or 2 (woman), serial
    name: str
    role: str
    report: str
    first: tuple[int, int]  # first reported month (year, month)
    last: tuple[int, int]


BPP = "Bendahara Pengeluaran Pembantu"
LPJ = "LPJ Bendahara"
# Invented officials: KPA (the secretary), PPK, PPSPM, the treasurer, two assistant treasurers
# (one only for the Pilkada grant, May-Dec 2024). Monthly reports due on the 10th of next month.
# fmt: off
OFFICIALS: tuple[Official, ...] = (
    Official("197503122002121004", "Hendra Wijaya, S.Sos., M.AP", "KPA", "SPJ",
             (2024, 1), (2025, 11)),
    Official("198108212009011002", "Ahmad Fauzan Noor, S.E.", "PPK", "SPJ", (2024, 1), (2025, 11)),
    Official("198605172011012003", "Siti Rahmawati, S.E.", "PPSPM", "SPJ", (2024, 1), (2025, 11)),
    Official("199002142014032001", "Nor Aini, A.Md.", "Bendahara Pengeluaran", LPJ,
             (2024, 1), (2025, 11)),
    Official("199209092019031005", "Eko Prasetyo Tingang, S.Kom.", BPP, LPJ, (2024, 5), (2024, 12)),
    Official("199411232020122002", "Rina Handayani, S.Ak.", BPP, LPJ, (2024, 1), (2025, 11)),
)
# fmt: on
# Reports that miss the deadline (None = not submitted when the register was exported).
LATE_REPORTS: dict[tuple[str, tuple[int, int]], date | None] = {
    ("199002142014032001", (2024, 3)): D(2024, 4, 16),  # due 10 Apr 2024, Idul Fitri leave
    ("199209092019031005", (2024, 11)): D(2024, 12, 13),  # due 10 Dec 2024, Pilkada rush
    ("198108212009011002", (2025, 6)): D(2025, 7, 14),  # due 10 Jul 2025
    ("199411232020122002", (2025, 11)): None,  # due 10 Dec 2025
}


class Report(NamedTuple):
    official: Official
    month: tuple[int, int]
    due: date
    submitted: date | None


def months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out, (y, m) = [], first
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def treasury_reports() -> list[Report]:
    rng = _rng("keuangan")
    out = []
    for official in OFFICIALS:
        for y, m in months(official.first, official.last):
            due = D(y + 1, 1, 10) if m == 12 else D(y, m + 1, 10)
            on_time = random_working_day(rng, due.replace(day=2), due)
            out.append(
                Report(official, (y, m), due, LATE_REPORTS.get((official.nip, (y, m)), on_time))
            )
    return out


def report_row_2024(r: Report) -> list[Cell]:
    who: list[Cell] = [r.official.nip, r.official.name, r.official.role, r.official.report]
    return [*who, f"{MONTHS[r.month[1] - 1]} {r.month[0]}", r.due, r.submitted]


def report_row_2025(r: Report) -> list[Cell]:
    role = "BPP" if r.official.role == BPP else r.official.role
    who: list[Cell] = [r.official.nip, r.official.name, role, r.official.report]
    period = f"{r.month[0]}-{r.month[1]:02d}"
    return [*who, period, slash_date(r.due), maybe(slash_date, r.submitted)]


def keuangan_exports() -> list[Export]:
    """2024 as an XLSX register with month names, 2025 as a CSV with YYYY-MM periods."""
    reports = treasury_reports()
    year_2024 = [r for r in reports if r.month[0] == 2024]
    year_2025 = [report_row_2025(r) for r in reports if r.month[0] == 2025]
    return [
        Export(
            "keuangan",
            "rekap_lpj_spj_2024.xlsx",
            columns(
                "No, NIP, Nama Pejabat, Jabatan Perbendaharaan, Jenis Laporan, Periode Laporan, "
                "Batas Waktu, Tanggal Penyampaian"
            ),
            [[i, *report_row_2024(r)] for i, r in enumerate(year_2024, start=1)],
            at(2025, 1, 15, 10),
            title=(
                "REKAPITULASI PENYAMPAIAN LPJ/SPJ PEJABAT PERBENDAHARAAN",
                "SEKRETARIAT KPU KABUPATEN BARITO SELATAN",
                "TAHUN ANGGARAN 2024",
            ),
            sheet="Rekap 2024",
        ),
        Export(
            "keuangan",
            "rekap_lpj_spj_2025.csv",
            columns("NIP, Nama, Jabatan, Jenis Laporan, Periode, Batas Waktu, Tanggal Penyampaian"),
            year_2025,
            at(2025, 12, 15, 10),
        ),
    ]


# Tahun, Nilai (decimal comma), Predikat, Keterangan; invented scores.
SAKIP: tuple[tuple[int, str, str, str], ...] = (
    (2024, "68,45", "B", "Hasil evaluasi AKIP – Inspektorat Utama KPU"),
    (2025, "71,20", "BB", "Evaluasi mandiri SAKIP – Desember 2025"),
)


def sakip_exports() -> list[Export]:
    header = columns("Tahun, Nilai, Predikat, Keterangan")
    rows: list[list[Cell]] = [list(score) for score in SAKIP]
    when = at(2025, 12, 16, 9)
    return [Export("sakip", "nilai_sakip.csv", header, rows, when, sep=";", encoding="cp1252")]


# --------------------------------------------------------------------------------------------
# siakba (IKU-6)
# --------------------------------------------------------------------------------------------

KPPS_SIZE = 7
EDUCATION = ("SMA/Sederajat", "S1", "D3", "D1", "S2", "D4")
EDUCATION_WEIGHTS = (50, 24, 9, 2, 2, 3)
SMA_SPELLINGS = ("SMA/Sederajat", "SLTA", "SMK", "SMA")  # aliases seen in the Pilkada file
BIRTH_RANGE = (D(1970, 1, 1), D(2005, 12, 31))  # 18 to 54 years old on both voting days
REUSE_SHARE = 0.45  # Pilkada members who also served in the Pemilu in the same desa

Seat = tuple[str, str, int]  # (election, village code, TPS number)
# Designed faults, see FAULTS.
SIX_LULUS: set[Seat] = {
    (PEMILU, "6204022005", 3),
    (PEMILU, "6204052009", 7),
    (PILKADA, "6204032004", 1),
    (PILKADA, "6204042003", 1),
}
NO_CHAIR: set[Seat] = {(PEMILU, "6204062004", 5)}
LATE_INAUGURATION: dict[Seat, date] = {
    (PEMILU, "6204041005", 2): D(2024, 1, 29),
    (PEMILU, "6204061008", 17): D(2024, 2, 1),
    (PILKADA, "6204011003", 1): D(2024, 11, 9),
}
EXCEL_NIK: Seat = (PEMILU, "6204012004", 4)
NIK_MISMATCH: Seat = (PEMILU, "6204031002", 6)
TOO_OLD: Seat = (PEMILU, "6204052018", 3)


class Member(NamedTuple):
    tps: Tps
    person: Person
    education: str
    chair: bool
    status: str
    inaugurated: date | None
    born_written: date  # Tanggal Lahir as written; differs from the NIK in one fault
    nik_written: str
    note: str | None = None


def kpps_members(electorate: Electorate) -> list[Member]:
    rng = _rng("siakba")
    niks = NikRegister()
    members: list[Member] = []
    veterans: dict[str, list[Person]] = {}  # clean Pemilu members per village
    for election in (PEMILU, PILKADA):
        for tps in electorate.tps[election]:
            region = tps.village.code[:6]
            pool = veterans.get(tps.village.code, []) if election == PILKADA else []
            team = []
            for seat in range(KPPS_SIZE):
                reuse = bool(pool) and rng.random() < REUSE_SHARE
                person = pool.pop() if reuse else new_person(rng, niks, region, *BIRTH_RANGE)
                team.append(kpps_member(rng, niks, tps, person, seat))
            if (roll := rng.random()) < 0.3:  # a reserve or a failed candidate
                person = new_person(rng, niks, region, *BIRTH_RANGE)
                status = "Cadangan" if roll < 0.22 else "Tidak Lulus"
                team.append(kpps_member(rng, niks, tps, person, KPPS_SIZE, status))
            members += team
            if election == PEMILU:
                veterans.setdefault(tps.village.code, []).extend(
                    m.person for m in team if _clean(m)
                )
    return members


def _clean(m: Member) -> bool:
    """A Lulus member without any designed fault, who may serve again in the Pilkada."""
    return (
        m.status == "Lulus"
        and m.note is None
        and (m.born_written, m.nik_written) == (m.person.born, m.person.nik)
        and age_on(m.person.born, VOTING_DAY[PILKADA]) <= 55
    )


def kpps_member(
    rng: random.Random,
    niks: NikRegister,
    tps: Tps,
    person: Person,
    seat: int,
    status: str = "Lulus",
) -> Member:
    """Seat 0 is the Ketua, 1-6 the Anggota, 7 a reserve; designed faults land on fixed seats."""
    key = (tps.election, tps.village.code, tps.number)
    region = tps.village.code[:6]
    inaugurated: date | None = KPPS_INAUGURATION[tps.election] if status == "Lulus" else None
    note = None
    if seat == KPPS_SIZE - 1 and key in SIX_LULUS:
        status, inaugurated, note = (
            "Mengundurkan Diri",
            None,
            "Mengundurkan diri sebelum pelantikan",
        )
    if seat == 3 and key in LATE_INAUGURATION:
        inaugurated, note = LATE_INAUGURATION[key], "Pengganti antarwaktu, dilantik menyusul"
    if seat == 2 and key == TOO_OLD:
        born = D(1966, 3, 3)
        person = person._replace(born=born, nik=niks.issue(region, born, person.female))
    born_written, nik_written = person.born, person.nik
    if seat == 4 and key == NIK_MISMATCH:
        born = D(1991, 8, 12)
        person = person._replace(born=born, nik=niks.issue(region, born, person.female))
        born_written, nik_written = D(1991, 8, 21), person.nik  # day digits swapped
    if seat == 5 and key == EXCEL_NIK:
        nik_written = "6.20401E+15"
    education = rng.choices(EDUCATION, weights=EDUCATION_WEIGHTS)[0]
    chair = seat == 0 and key not in NO_CHAIR
    return Member(
        tps, person, education, chair, status, inaugurated, born_written, nik_written, note
    )


KPPS_TITLE = ("DAFTAR ANGGOTA KPPS TERPILIH", "KPU KABUPATEN BARITO SELATAN")


def pemilu_kpps_row(m: Member) -> list[Cell]:
    """Jenis Pemilihan .. Keterangan, as in the Pemilu files: L/P, real dates, TPS '001'."""
    who: list[Cell] = [PEMILU, m.nik_written, m.person.name, "P" if m.person.female else "L"]
    where = [kecamatan_of(m.tps.village.code).name, m.tps.village.code, m.tps.village.name]
    role = ["Ketua" if m.chair else "Anggota", m.status, m.inaugurated, m.note]
    return [*who, m.born_written, m.education, *where, tps_number(m.tps.number), *role]


def pilkada_kpps_row(m: Member, rng: random.Random) -> list[Cell]:
    """PEMILIHAN .. TGL PELANTIKAN, as in the Pilkada file: other spellings, dates as text."""
    sex = "Perempuan" if m.person.female else "Laki-laki"
    who: list[Cell] = [PILKADA.upper(), m.nik_written, m.person.name, sex]
    education = rng.choice(SMA_SPELLINGS) if m.education == EDUCATION[0] else m.education
    where: list[Cell] = [dotted_code(m.tps.village.code), m.tps.village.name, m.tps.number]
    role = f"{'Ketua' if m.chair else 'Anggota'} KPPS"
    done = maybe(long_date, m.inaugurated)
    return [*who, dash_date(m.born_written), education, *where, role, m.status, done]


def siakba_exports(electorate: Electorate) -> list[Export]:
    """Pemilu 2024: one XLSX per kecamatan; Pilkada 2024: one XLSX with other spellings."""
    members = kpps_members(electorate)
    rng = _rng("siakba-spelling")
    exports = []
    for n, kec in enumerate(KECAMATAN):
        here = [
            m for m in members if m.tps.election == PEMILU and m.tps.village.code[:6] == kec.code
        ]
        rows = [
            [i, f"{i:04d}/KPPS-PML/{kec.code}/2023", *pemilu_kpps_row(m)]
            for i, m in enumerate(here, 1)
        ]
        exports.append(
            Export(
                "siakba",
                f"kpps_pemilu_2024_{kec.name.lower().replace('.', '').replace(' ', '_')}.xlsx",
                columns(
                    "No, No Registrasi, Jenis Pemilihan, NIK, Nama Lengkap, Jenis Kelamin, "
                    "Tanggal Lahir, Pendidikan Terakhir, Kecamatan, Kode Desa, Nama Desa, "
                    "Nomor TPS, Jabatan, Status Seleksi, Tanggal Pelantikan, Keterangan"
                ),
                rows,
                at(2024, 2, 2, 8, 10 * n),
                title=(
                    KPPS_TITLE[0],
                    "PEMILU TAHUN 2024",
                    f"KECAMATAN {kec.name.upper()}",
                    KPPS_TITLE[1],
                ),
                sheet="KPPS",
            )
        )
    chosen = [m for m in members if m.tps.election == PILKADA]
    pilkada = [
        [f"{i:04d}/KPPS-PKD/{SATKER}/2024", *pilkada_kpps_row(m, rng)]
        for i, m in enumerate(chosen, 1)
    ]
    exports.append(
        Export(
            "siakba",
            "kpps_pilkada_2024.xlsx",
            columns(
                "NO. REG, PEMILIHAN, NIK, NAMA, L/P, TGL LAHIR, PENDIDIKAN, KODE DESA/KELURAHAN, "
                "DESA/KELURAHAN, NO TPS, JABATAN, STATUS, TGL PELANTIKAN"
            ),
            pilkada,
            at(2024, 11, 12, 10),
            title=("DAFTAR ANGGOTA KPPS PEMILIHAN SERENTAK TAHUN 2024", KPPS_TITLE[1]),
            sheet="KPPS Pilkada",
        )
    )
    return exports


# --------------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------------


def demo_exports() -> list[Export]:
    """Every demo export, in the order they are written."""
    electorate = build_electorate()
    return [
        *wilayah_exports(),
        *tps_exports(electorate),
        *tahapan_exports(),
        *logistik_exports(electorate),
        *ppid_exports(),
        *pemilih_exports(electorate),
        *keuangan_exports(),
        *sakip_exports(),
        *siakba_exports(electorate),
    ]


def write_demo(landing: Path) -> list[Path]:
    """Write the demo exports of satker 6204 into ``landing`` and return their paths.

    Files already there are overwritten with the same bytes and times; other files are left
    alone. The marker ``<landing>/.iku-demo`` (not in the returned list) tells ``iku refresh``
    that the landing holds demo data.
    """
    landing = Path(landing)
    paths = [write_export(landing, export) for export in demo_exports()]
    marker = landing / MARKER
    marker.write_text(MARKER_TEXT, encoding="utf-8")
    stamp = at(2025, 12, 31, 23, 59).timestamp()
    os.utime(marker, (stamp, stamp))
    return paths
