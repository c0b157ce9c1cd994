"""Demo logistik exports (IKU-2)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from sources.demo.common import (
    PEMILU,
    Cell,
    D,
    DateText,
    _rng,
    at,
    columns,
    excel_date,
    maybe,
    random_working_day,
    slash_date,
)
from sources.demo.files import Export
from sources.demo.wilayah import Electorate
from sources.indonesian import bilangan

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
    row = stock_row(s, bilangan, slash_date)
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
            "silog_gudang_ppk_dusun_hilir_2025.csv",
            (*header[:-1], "Keterangan"),  # the Tanggal Pemeliharaan column got lost
            [
                [*stock_row(s, str, date.isoformat)[:-1], "dikembalikan dari PPK"]
                for s in DUSUN_HILIR_2025
            ],
            at(2025, 11, 6, 11),
        ),
    ]
