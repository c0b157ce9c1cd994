"""The demo's real facts (regions, elections) and small helpers: dates, numbers, working days."""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from functools import cache
from typing import NamedTuple

import holidays

from sources.defaults import DEFAULTS_DIR, SATKER
from sources.indonesian import BULAN, tanggal

MARKER = ".iku-demo"
MARKER_TEXT = "Landing ini ditulis oleh `iku demo`: data demo, bukan ekspor asli KPU.\n"


WIB = timezone(timedelta(hours=7), "WIB")
D = date

Cell = str | int | float | date | None
DateText = Callable[[date], Cell]  # how a file writes a date: as text, or as a real Excel date


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


# The 93 desa/kelurahan and their Pemilu 2024 TPS: the embedded defaults of the wilayah and tps
# sources (Kemendagri codes from cahyadsn/wilayah, TPS counts from kawalpemilu/kp24).
def _villages() -> tuple[Village, ...]:
    with (DEFAULTS_DIR / "wilayah.csv").open(newline="", encoding="utf-8") as handle:
        regions = [r for r in csv.DictReader(handle) if r["tingkat"] in ("desa", "kelurahan")]
    with (DEFAULTS_DIR / "tps.csv").open(newline="", encoding="utf-8") as handle:
        regular = Counter(
            r["kode_desa"]
            for r in csv.DictReader(handle)
            if r["jenis_pemilihan"] == PEMILU and int(r["nomor_tps"]) < RUTAN_TPS
        )
    return tuple(
        Village(r["kode_wilayah"], r["nama_wilayah"], regular[r["kode_wilayah"]]) for r in regions
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
VILLAGES = _villages()

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def short_date(d: date) -> str:
    """'5 Agu 2025': the first three letters of the month."""
    return f"{d.day} {BULAN[d.month - 1][:3]} {d.year}"


def slash_date(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def dash_date(d: date) -> str:
    return d.strftime("%d-%m-%Y")


def excel_date(d: date) -> date:
    """A real Excel date cell (XLSX only)."""
    return d


def typed_date(d: date) -> str:
    """Typed by hand: mostly '27 Maret 2025', sometimes '5 Agu 2025'."""
    return short_date(d) if d.day % 4 == 1 else tanggal(d)


def maybe(fmt: DateText, d: date | None) -> Cell:
    return None if d is None else fmt(d)


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
def days_off() -> holidays.HolidayBase:
    """Indonesian holidays and cuti bersama; its ``get_nth_working_day`` and ``is_working_day``."""
    return holidays.Indonesia(years=(2024, 2025, 2026), categories=("public", "government"))


def random_working_day(rng: random.Random, first: date, last: date) -> date:
    while True:
        d = first + timedelta(days=rng.randrange((last - first).days + 1))
        if days_off().is_working_day(d):
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


def _rng(name: str) -> random.Random:
    """One seeded stream per part, so changing one source does not shift the others."""
    return random.Random(f"iku-demo-{SATKER}-{name}")
