"""A national-shaped landing for benchmarks: N real kabupaten/kota, each with its real desa
(``reference/nasional``, Kemendagri codes) and the exports a KPU kabupaten/kota makes in a
year, about 41 files and 21,000 rows per satker (most of them SIAKBA, seven KPPS members per
Pemilu TPS). Deterministic: the same N gives the same bytes and modification times.

    .venv/bin/python tests/benchmarks/national.py --satkers 50 --landing /tmp/landing

Satkers are taken in a fixed spread over the 514 (every province early), so N = 38 already
covers every province. Rows are valid, except a few per satker on purpose (a late PPID answer,
an unbalanced PDPB row, an under-age KPPS member) so that the checks and the IKU have work.
"""

from __future__ import annotations

import argparse
import os
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[2]
NASIONAL = ROOT / "warehouse" / "reference" / "nasional"
STAMP = datetime(2025, 12, 31, 18, 0)


def satkers(n: int) -> list[str]:
    """N kabupaten/kota codes without dots: round-robin over the provinces."""
    regencies = pl.read_csv(NASIONAL / "regencies.csv", infer_schema=False)
    by_province: dict[str, list[str]] = {}
    for code, province in regencies.select("code", "province_code").iter_rows():
        by_province.setdefault(province, []).append(code.replace(".", ""))
    order: list[str] = []
    queues = [list(v) for _, v in sorted(by_province.items())]
    while len(order) < len(regencies):
        for queue in queues:
            if queue:
                order.append(queue.pop(0))
    if not 1 <= n <= len(order):
        raise SystemExit(f"--satkers must be 1..{len(order)}")
    return order[:n]


def _villages() -> pl.DataFrame:
    return pl.read_csv(NASIONAL / "villages.csv", infer_schema=False)


def _write(
    landing: Path, satker: str, source: str, name: str, frame: pl.DataFrame, minute: int
) -> Path:
    path = landing / satker / source / name
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_csv(path, separator=";")
    stamp = (STAMP - timedelta(minutes=minute)).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _nik(kec: str, born: date, female: bool, serial: int) -> str:
    day = born.day + (40 if female else 0)
    return f"{kec[:6]}{day:02d}{born.month:02d}{born.year % 100:02d}{serial % 10000:04d}"


def write_satker(landing: Path, satker: str, desa: pl.DataFrame, rng: random.Random) -> list[Path]:
    """Every export of one satker; ``desa`` holds its villages (code, district_code, name)."""
    out: list[Path] = []
    codes = [c.replace(".", "") for c in desa["code"]]
    kec_codes = sorted({c.replace(".", "") for c in desa["district_code"]})
    names = list(desa["name"])
    w = pl.DataFrame(
        {
            "Kode Wilayah": [satker, *kec_codes, *codes],
            "Nama Wilayah": [f"Kabupaten {satker}", *[f"Kecamatan {k}" for k in kec_codes], *names],
            "Tingkat": ["kabupaten"] + ["kecamatan"] * len(kec_codes)
            + ["kelurahan" if c[6] == "1" else "desa" for c in codes],
        }
    )  # fmt: skip
    out.append(_write(landing, satker, "wilayah", "kode_wilayah.csv", w, 60))

    pemilu_tps = [rng.randint(10, 20) for _ in codes]
    tps_rows = [(d, n) for d, k in zip(codes, pemilu_tps, strict=True) for n in range(1, k + 1)]
    pilkada_rows = [
        (d, n) for d, k in zip(codes, pemilu_tps, strict=True) for n in range(1, k // 2 + 2)
    ]
    for name, election, rows in (
        ("tps_pemilu_2024.csv", "Pemilu 2024", tps_rows),
        ("tps_pilkada_2024.csv", "Pilkada 2024", pilkada_rows),
    ):
        t = pl.DataFrame(
            {
                "Jenis Pemilihan": [election] * len(rows),
                "Kode Desa": [d for d, _ in rows],
                "Nomor TPS": [f"{n:03d}" for _, n in rows],
                "Jumlah Pemilih": [rng.randint(150, 300) for _ in rows],
            }
        )
        out.append(_write(landing, satker, "tps", name, t, 59))

    for year in (2024, 2025):
        rows = []
        for i in range(1, 13 if year == 2024 else 9):
            start = date(year, i, 1)
            end = start + timedelta(days=20)
            late = rng.random() < 0.1
            rows.append(
                {"Kode Tahapan": f"T{year}-{i:02d}", "Nama Tahapan": f"Tahapan {i} tahun {year}",
                 "Jenis Pemilihan": "Pemilu 2024" if year == 2024 else "Pilkada 2024",
                 "Jadwal Mulai": _d(start), "Jadwal Selesai": _d(end), "Realisasi Mulai": _d(start),
                 "Realisasi Selesai": _d(end + timedelta(days=3 if late else 0)), "Keterangan": ""}
            )  # fmt: skip
        out.append(
            _write(landing, satker, "tahapan", f"tahapan_{year}.csv", pl.DataFrame(rows), 58)
        )

    gudang = ["Gudang Utama", "Gudang Kecamatan", "Gudang Arsip"]
    for g, lokasi in enumerate(gudang):
        rows = []
        for year in (2024, 2025):
            for b in range(1, 8):
                tersedia = rng.randint(50, 900)
                rusak = rng.randint(0, 5)
                cutoff = date(year, 2, 13) if year == 2024 else date(year, 12, 31)
                rows.append(
                    {"Tahun": year, "Kode Barang": f"B{b:03d}", "Nama Barang": f"Barang {b}",
                     "Kategori": "Barang Inventaris" if b < 6 else "Habis Pakai",
                     "Lokasi Gudang": lokasi, "Satuan": "buah", "Jumlah Kebutuhan": tersedia,
                     "Jumlah Tersedia": tersedia, "Jumlah Baik": tersedia - rusak, "Jumlah Rusak": rusak,
                     "Tanggal Inventarisasi": _d(cutoff - timedelta(days=rng.randint(5, 30))),
                     "Tanggal Pemeliharaan": _d(cutoff - timedelta(days=rng.randint(1, 40)))}
                )  # fmt: skip
        out.append(
            _write(landing, satker, "logistik", f"silog_{g + 1}.csv", pl.DataFrame(rows), 57)
        )

    for part in range(5):
        rows = []
        for i in range(rng.randint(8, 25)):
            received = date(2025, 1, 6) + timedelta(days=part * 70 + i * 2)
            late = rng.random() < 0.08
            rows.append(
                {"No Registrasi": f"{satker}/PPID/{part}-{i:03d}", "Tanggal Permohonan": _d(received),
                 "Nama Pemohon": "Pemohon", "NIK": "", "Pekerjaan": "Wiraswasta",
                 "Informasi yang Diminta": "Data pemilih", "Keputusan": "Diterima",
                 "Perpanjangan": "Tidak",
                 "Tanggal Pemberitahuan Tertulis": _d(received + timedelta(days=20 if late else 5))}
            )  # fmt: skip
        out.append(
            _write(landing, satker, "ppid", f"register_ppid_{part + 1}.csv", pl.DataFrame(rows), 56)
        )

    for tw in range(1, 5):
        rows = []
        pleno = date(2025, tw * 3, 28) + timedelta(days=7)
        for d, name in zip(codes, names, strict=True):
            awal_l, awal_p = rng.randint(300, 3000), rng.randint(300, 3000)
            baru_l, baru_p, tms_l, tms_p = (rng.randint(0, 40) for _ in range(4))
            rows.append(
                {"Tahun": 2025, "Triwulan": tw, "Kode Desa": d, "Nama Desa": name,
                 "Pemilih Awal L": awal_l, "Pemilih Awal P": awal_p,
                 "Pemilih Baru L": baru_l, "Pemilih Baru P": baru_p, "TMS L": tms_l, "TMS P": tms_p,
                 "Perbaikan Data": rng.randint(0, 10),
                 "Pemilih Akhir L": awal_l + baru_l - tms_l, "Pemilih Akhir P": awal_p + baru_p - tms_p,
                 "Tanggal Pleno": _d(pleno)}
            )  # fmt: skip
        rows[0]["Pemilih Akhir L"] += 1  # one unbalanced row per file: quarantined
        out.append(
            _write(landing, satker, "pemilih", f"pdpb_tw{tw}_2025.csv", pl.DataFrame(rows), 55)
        )

    for year in (2024, 2025):
        rows = []
        for o, jabatan in enumerate(("KPA", "PPK", "PPSPM", "Bendahara Pengeluaran")):
            nip = f"197{o}010120001{o + 1}{int(satker) % 10000:04d}"
            for month in range(1, 13):
                due = date(year, month, 10)
                rows.append(
                    {"NIP": nip, "Nama Pejabat": f"Pejabat {o + 1}", "Jabatan Perbendaharaan": jabatan,
                     "Jenis Laporan": "LPJ Bendahara", "Periode Laporan": f"{year}-{month:02d}",
                     "Batas Waktu": _d(due),
                     "Tanggal Penyampaian": _d(due - timedelta(days=-2 if rng.random() < 0.05 else 2))}
                )  # fmt: skip
        out.append(_write(landing, satker, "keuangan", f"lpj_{year}.csv", pl.DataFrame(rows), 54))

    nilai = [round(rng.uniform(55, 85), 2) for _ in range(2)]
    grade = ["BB" if n > 70 else "B" if n > 60 else "CC" for n in nilai]
    sakip = pl.DataFrame({"Tahun": [2024, 2025], "Nilai": nilai, "Predikat": grade})
    out.append(_write(landing, satker, "sakip", "nilai_sakip.csv", sakip, 53))

    # SIAKBA: seven KPPS members per Pemilu TPS, one file per kecamatan (the biggest source).
    by_kec: dict[str, list[dict[str, object]]] = {}
    serial = 0
    for d, n in tps_rows:
        for seat in range(7):
            serial += 1
            female = rng.random() < 0.45
            born = date(1970, 1, 1) + timedelta(days=rng.randint(0, 365 * 35))
            by_kec.setdefault(d[:6], []).append(
                {"No Registrasi": f"K{serial:06d}", "Jenis Pemilihan": "Pemilu 2024",
                 "NIK": _nik(d, born, female, serial), "Nama Lengkap": f"Anggota {serial}",
                 "Jenis Kelamin": "P" if female else "L", "Tanggal Lahir": _d(born),
                 "Pendidikan Terakhir": "SMA/Sederajat", "Kode Desa": d, "Nomor TPS": n,
                 "Jabatan": "Ketua" if seat == 0 else "Anggota", "Status Seleksi": "Lulus",
                 "Tanggal Pelantikan": _d(date(2024, 1, 25 if rng.random() > 0.02 else 27))}
            )  # fmt: skip
    for k, (kec, rows) in enumerate(sorted(by_kec.items())):
        out.append(
            _write(
                landing,
                satker,
                "siakba",
                f"kpps_pemilu_2024_{kec}.csv",
                pl.DataFrame(rows),
                50 - k % 40,
            )
        )
    return out


def write_landing(landing: Path, n: int) -> list[Path]:
    villages = _villages().with_columns(
        pl.col("code").str.slice(0, 5).str.replace(".", "", literal=True).alias("satker")
    )
    paths: list[Path] = []
    for satker in satkers(n):
        desa = villages.filter(pl.col("satker") == satker)
        paths += write_satker(landing, satker, desa, random.Random(int(satker)))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--satkers", type=int, default=1)
    parser.add_argument("--landing", type=Path, required=True)
    args = parser.parse_args()
    paths = write_landing(args.landing, args.satkers)
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} files, {size / 2**20:.1f} MiB in {args.landing}")


if __name__ == "__main__":
    main()
