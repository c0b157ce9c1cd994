"""Demo tahapan exports (IKU-1)."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sources.demo.common import (
    PEMILU,
    PILKADA,
    Cell,
    D,
    DateText,
    at,
    columns,
    excel_date,
    maybe,
    typed_date,
)
from sources.demo.files import Export


class Stage(NamedTuple):
    code: str
    name: str
    election: str
    start: date
    end: date
    actual: tuple[date, date | None] | None = None  # None: as planned
    note: str | None = None


# Pemilu 2024 (PKPU 3/2022) and Pilkada 2024 (PKPU 2/2024) stages that end in 2024, from the
# project's domain notes, then the secretariat's post-election work in 2025. Assumed: the
# kecamatan recapitulation window, the logistics distribution window and the 2025 stages.
# fmt: off
STAGES: tuple[Stage, ...] = (
    Stage("PML-01", "Perencanaan program dan anggaran", PEMILU, D(2022, 6, 14), D(2024, 6, 14)),
    Stage("PML-02", "Pembentukan KPPS", PEMILU, D(2023, 12, 11), D(2024, 1, 25),
          note="Pelantikan KPPS serentak 25 Januari 2024"),
    Stage("PML-03", "Masa kampanye", PEMILU, D(2023, 11, 28), D(2024, 2, 10)),
    Stage("PML-04", "Pendistribusian logistik ke PPK, PPS dan KPPS", PEMILU,
          D(2024, 2, 1), D(2024, 2, 13), (D(2024, 1, 30), D(2024, 2, 13)),
          "Distribusi ke desa terjauh di Kec. Gunung Bintang Awai dimulai lebih awal"),
    Stage("PML-05", "Masa tenang", PEMILU, D(2024, 2, 11), D(2024, 2, 13)),
    Stage("PML-06", "Pemungutan suara", PEMILU, D(2024, 2, 14), D(2024, 2, 14)),
    Stage("PML-07", "Penghitungan suara di TPS", PEMILU, D(2024, 2, 14), D(2024, 2, 15)),
    Stage("PML-08", "Rekapitulasi hasil penghitungan suara tingkat kecamatan", PEMILU,
          D(2024, 2, 15), D(2024, 3, 2), (D(2024, 2, 15), D(2024, 3, 4)),
          "Rekapitulasi PPK Dusun Selatan selesai 4 Maret 2024"),
    Stage("PML-09", "Rekapitulasi hasil penghitungan suara tingkat kabupaten", PEMILU,
          D(2024, 2, 15), D(2024, 3, 20), (D(2024, 3, 5), D(2024, 3, 7))),
    Stage("PML-10", "Pengucapan sumpah/janji anggota DPR dan DPD", PEMILU,
          D(2024, 10, 1), D(2024, 10, 1)),
    Stage("PML-11", "Pengucapan sumpah/janji Presiden dan Wakil Presiden", PEMILU,
          D(2024, 10, 20), D(2024, 10, 20)),
    Stage("PKD-01", "Pembentukan PPK, PPS dan KPPS", PILKADA,
          D(2024, 4, 17), D(2024, 11, 5), (D(2024, 4, 17), D(2024, 11, 7)),
          "Pelantikan KPPS 7 November 2024"),
    Stage("PKD-02", "Pemberian dan sinkronisasi DP4", PILKADA, D(2024, 4, 24), D(2024, 5, 31)),
    Stage("PKD-03", "Pemutakhiran dan penyusunan daftar pemilih", PILKADA,
          D(2024, 5, 31), D(2024, 9, 23), (D(2024, 5, 31), D(2024, 9, 20)),
          "DPT 98.898 pemilih di 234 TPS"),
    Stage("PKD-04", "Pemenuhan persyaratan dukungan pasangan calon perseorangan", PILKADA,
          D(2024, 5, 5), D(2024, 8, 19)),
    Stage("PKD-05", "Pendaftaran pasangan calon", PILKADA, D(2024, 8, 27), D(2024, 8, 29)),
    Stage("PKD-06", "Penelitian persyaratan calon", PILKADA, D(2024, 8, 27), D(2024, 9, 21)),
    Stage("PKD-07", "Penetapan pasangan calon", PILKADA, D(2024, 9, 22), D(2024, 9, 22)),
    Stage("PKD-08", "Masa kampanye", PILKADA, D(2024, 9, 25), D(2024, 11, 23)),
    Stage("PKD-09", "Masa tenang", PILKADA, D(2024, 11, 24), D(2024, 11, 26)),
    Stage("PKD-10", "Pemungutan suara", PILKADA, D(2024, 11, 27), D(2024, 11, 27)),
    Stage("PKD-11", "Penghitungan suara dan rekapitulasi hasil", PILKADA,
          D(2024, 11, 27), D(2024, 12, 16),
          note="Termasuk PSU 2 Desember 2024 di TPS 018 Buntok Kota dan TPS 003 Bundar"),
    Stage("PSC-01", "Evaluasi penyelenggaraan Pemilihan 2024", PILKADA,
          D(2025, 1, 6), D(2025, 2, 28), (D(2025, 1, 6), D(2025, 2, 27))),
    Stage("PSC-02", "Penyusunan laporan penyelenggaraan Pemilihan 2024", PILKADA,
          D(2025, 2, 3), D(2025, 4, 30), (D(2025, 2, 3), D(2025, 5, 14)),
          "Menunggu laporan pertanggungjawaban dana hibah – selesai 14 Mei 2025"),
    Stage("PSC-03", "Penataan arsip Pemilu dan Pemilihan 2024", PEMILU,
          D(2025, 6, 2), D(2025, 9, 30), (D(2025, 6, 2), D(2025, 9, 26))),
    Stage("PSC-04", "Inventarisasi dan pemeliharaan logistik pasca pemilihan", PILKADA,
          D(2025, 7, 1), D(2025, 10, 31), (D(2025, 7, 14), D(2025, 10, 29))),
    Stage("PSC-05", "Penyusunan buku laporan Pemilu dan Pemilihan 2024", PILKADA,
          D(2025, 11, 3), D(2025, 12, 19), (D(2025, 11, 3), None),
          "Dalam proses penyuntingan – belum selesai"),
)
# fmt: on


def stage_row(s: Stage, fmt: DateText) -> list[Cell]:
    dates = [maybe(fmt, d) for d in (s.start, s.end, *(s.actual or (s.start, s.end)))]
    return [s.code, s.name, s.election, *dates, s.note]


def tahapan_exports() -> list[Export]:
    year_2024 = [s for s in STAGES if s.end.year == 2024]
    year_2025 = [s for s in STAGES if s.end.year == 2025]
    return [
        Export(
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
