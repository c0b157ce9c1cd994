"""Demo keuangan and sakip exports (IKU-5)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sources.demo.common import (
    Cell,
    D,
    _rng,
    at,
    columns,
    maybe,
    random_working_day,
    slash_date,
)
from sources.demo.files import Export
from sources.indonesian import BULAN


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
    every = ((y, m) for y in range(first[0], last[0] + 1) for m in range(1, 13))
    return [month for month in every if first <= month <= last]


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
    return [*who, f"{BULAN[r.month[1] - 1]} {r.month[0]}", r.due, r.submitted]


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
    return [Export("nilai_sakip.csv", header, rows, when, sep=";", encoding="cp1252")]
