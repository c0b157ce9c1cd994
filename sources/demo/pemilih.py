"""Demo pemilih exports (IKU-4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from sources.demo.common import (
    VILLAGES,
    Cell,
    D,
    Village,
    _rng,
    at,
    columns,
    dash_date,
    dotted_code,
    kecamatan_of,
    slash_date,
)
from sources.demo.files import Export
from sources.demo.wilayah import Electorate
from sources.indonesian import bilangan, tanggal

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


def pdpb_row(r: Pdpb, lead: list[Cell], count: Callable[[int], Cell], *tail: Cell) -> list[Cell]:
    end_l, end_p = r.end
    if r.quarter == 3 and r.village.code == UNBALANCED_IN_Q3:  # last two digits swapped
        end_l = int(f"{end_l // 100}{end_l % 10}{end_l // 10 % 10}")
    return [*lead, *(count(n) for n in (*r.start, *r.new, *r.gone, r.fixes, end_l, end_p)), *tail]


def pemilih_exports(electorate: Electorate) -> list[Export]:
    """One file per quarter of 2025, each written differently."""
    rows = pdpb_rows(electorate)
    q1, q2, q3, q4 = ([r for r in rows if r.quarter == q] for q in range(1, 5))
    note = "Data Disdukcapil – coklit terbatas"
    q2 = [r for r in q2 if r.village.code != MISSING_IN_Q2]
    return [
        Export(
            "rekap_pdpb_tw1_2025.xlsx",
            (
                *columns("Tahun, Triwulan, Kecamatan, Kode Desa, Nama Desa"),
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
            "pdpb_triwulan_II_2025.csv",
            (
                *columns("TAHUN, TRIWULAN, KODE DESA/KELURAHAN, DESA/KELURAHAN"),
                *(c.upper() for c in PDPB_COUNTS),
                *columns("TANGGAL PLENO, KETERANGAN"),
            ),
            [
                pdpb_row(
                    r,
                    [2025, "Triwulan II", dotted_code(r.village.code), r.village.name.upper()],
                    bilangan,
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
            "rekap_pdpb_tw3_2025.xlsx",
            ("Tahun", "TW", "Kode Wilayah", "Nama Desa", *PDPB_COUNTS, "Tanggal Pleno"),
            [
                pdpb_row(
                    r, [2025, "III", r.village.code, r.village.name], int, tanggal(PLENO_2025[3])
                )
                for r in q3
            ],
            at(2025, 10, 3, 9),
            title=(*PDPB_TITLE, "TRIWULAN III TAHUN 2025"),
            sheet="TW III",
        ),
        Export(
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
