"""What the demo is designed to contain: its faults and the yearly IKU figures they give.

The test oracle for `iku demo` (tests/test_demo.py, tests/test_refresh.py), kept with the
tests, not in the package that writes the demo.
"""

from __future__ import annotations

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
