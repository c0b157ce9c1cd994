"""One report's content: read from the published database, worded and formatted in
Indonesian for its reader (95,45 · 1.234 · 29 November 2026)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import polars as pl

from sources.indonesian import bilangan, nilai, persen, tanggal
from warehouse.laporan.charts import TRIWULAN

ITEMS_SHOWN = 30  # items listed per IKU in the HTML and PDF; the XLSX lists every item
ISSUES_SHOWN = 200  # findings listed in the HTML and PDF; the XLSX lists every finding


@dataclass(frozen=True)
class Laporan:
    """One report, worded and formatted for its reader. ``rows`` hold the raw values the
    XLSX writes as numbers and dates, as polars frames: a satker may have millions of items
    (as Python dicts, 2.3 million took 1.5 GB); every other field is display text."""

    kode_satker: str
    nama_satker: str
    tahun: int
    tanggal_posisi: str
    run_id: str
    dibuat_pada: str
    ringkasan: str
    sakip: str | None
    pengukuran: list[dict[str, Any]]
    triwulan: list[dict[str, Any]]
    analisis: list[dict[str, Any]]
    jatuh_tempo: list[dict[str, Any]]
    kesegaran: list[dict[str, Any]]
    ekspor: list[dict[str, Any]]
    masalah: list[dict[str, Any]]
    masalah_total: int
    grafik: dict[str, str] = field(default_factory=dict)  # name -> SVG
    rows: dict[str, pl.DataFrame] = field(default_factory=dict)

    @property
    def judul(self) -> str:
        return f"Laporan Kinerja {self.nama_satker} Tahun {self.tahun}"


def stem_of(kode_satker: str, tahun: int) -> str:
    """The name of a satker-year's report files, without the suffix."""
    return f"lkjip_{kode_satker}_{tahun}"


def _ya(value: bool | None) -> str:
    return "–" if value is None else ("Ya" if value else "Tidak")


@dataclass(frozen=True)
class Read:
    """What a satker's reports read from one table, over all its years (a report is one
    year): the columns and the order they are shown in; ``per_year``: rows carry ``tahun``
    and each report shows its own year's (the others are shown in every year's report)."""

    columns: str
    table: str
    order: str
    where: str = "true"
    per_year: bool = True

    def of_satker(self) -> str:
        return (
            f"SELECT {self.columns} FROM {self.table} WHERE kode_satker = ? AND {self.where} "
            f"ORDER BY {self.order}"
        )

    def digest(self, name: str) -> str:
        """Per satker (and year): how many rows, and the sum of their hashes (every column)."""
        tahun = "tahun" if self.per_year else "NULL::INTEGER"
        return (
            f"SELECT kode_satker, {tahun} AS tahun, '{name}:' || count(*) || ':' || "
            f"sum(hash(t)::HUGEINT) AS bagian FROM (SELECT * FROM {self.table} "
            f"WHERE {self.where}) AS t GROUP BY ALL"
        )


READS = {
    "ukur": Read("*", "laporan.pengukuran", "tahun, kode_iku"),
    "per_tw": Read(
        "tahun, kode_iku, triwulan, pembilang, penyebut, realisasi, capaian",
        "iku.capaian",
        "tahun, kode_iku, triwulan",
        where="triwulan IS NOT NULL",
    ),
    "penyebab": Read("*", "laporan.penyebab", "tahun, kode_iku, jumlah_butir DESC, penyebab"),
    "butir": Read(
        "tahun, kode_iku, butir, batas_waktu, dihitung, tepat_waktu, data_tidak_valid, alasan",
        "iku.butir",
        "tahun, kode_iku, batas_waktu NULLS LAST, butir, dihitung, tepat_waktu, alasan",
        where="triwulan IS NULL",
    ),
    "sakip": Read("tahun, nilai, predikat, sebutan, minimal_b", "iku.sakip", "tahun"),
    "due": Read("*", "iku.jatuh_tempo", "ALL", per_year=False),
    "segar": Read("*", "laporan.kesegaran", "sumber", per_year=False),
    "ekspor": Read("*", "laporan.ekspor", "sumber, waktu_file, nama_file, sha256", per_year=False),
    "masalah": Read(
        "*",
        "laporan.masalah",
        "tingkat, sumber, nama_file, nomor_baris NULLS FIRST, aturan, kolom, pesan",
        per_year=False,
    ),
}


def satker_rows(con: duckdb.DuckDBPyConnection, kode_satker: str) -> dict[str, pl.DataFrame]:
    """Everything one satker's reports show, every year at once (on a cursor of its own: a
    relation is refused on a connection that has a result not yet fetched)."""
    with con.cursor() as cursor:
        return {
            name: cursor.sql(read.of_satker(), params=[kode_satker]).pl()
            for name, read in READS.items()
        }


def digests(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int | None], str]:
    """For every satker and year (``None``: what all its years show), a digest of the rows
    its reports read, for every satker in one query: the same digests (and the same code)
    make the same report. A digest is a count and a sum of 64-bit row hashes, enough to
    notice a change; it is not a checksum against tampering."""
    union = " UNION ALL ".join(read.digest(name) for name, read in READS.items())
    found = con.execute(
        f"SELECT kode_satker, tahun, string_agg(bagian, ' ' ORDER BY bagian) FROM ({union}) "
        "GROUP BY ALL"
    ).fetchall()
    return {(satker, tahun): text for satker, tahun, text in found}


def collect(
    rows: dict[str, pl.DataFrame],
    kode_satker: str,
    tahun: int,
    run: tuple[str, date | None],
    made_at: datetime,
) -> Laporan:
    """One satker-year's report from its satker's rows (``satker_rows``); ``run``: the run id
    and as-of date of the published database. Charts are drawn when it is rendered
    (``render`` in ``warehouse/laporan/__init__.py``)."""
    run_id, as_of = run

    year = {n: rows[n].filter(pl.col("tahun") == tahun) for n in READS if READS[n].per_year}
    ukur, per_tw, penyebab, sakip = (
        year[n].to_dicts() for n in ("ukur", "per_tw", "penyebab", "sakip")
    )
    due, segar, ekspor = (rows[n].to_dicts() for n in ("due", "segar", "ekspor"))
    butir, masalah = year["butir"], rows["masalah"]  # frames: they may be long

    nama = ukur[0]["nama_satker"] if ukur and ukur[0]["nama_satker"] else f"Satker {kode_satker}"
    measured = [r for r in ukur if r["penyebut"]]
    met = [r for r in measured if r["tercapai"]]
    ringkasan = (
        f"{len(met)} dari {len(measured)} IKU yang sudah dapat diukur mencapai target; "
        f"{len(ukur) - len(measured)} IKU belum memiliki butir yang dihitung."
    )
    missed = butir.filter(
        pl.col("dihitung").fill_null(False) & ~pl.col("tepat_waktu").fill_null(False)
    )
    analisis = []
    for r in ukur:
        if not r["penyebut"] or r["tercapai"]:
            continue
        items = missed.filter(pl.col("kode_iku") == r["kode_iku"])
        analisis.append(
            {
                "kode_iku": r["kode_iku"],
                "indikator": r["indikator"],
                "ringkas": f"realisasi {persen(r['realisasi'])} % dari target "
                f"{persen(r['target'])} %: {bilangan(r['penyebut'] - r['pembilang'])} dari "
                f"{bilangan(r['penyebut'])} butir tidak tepat waktu",
                "penyebab": [
                    {"penyebab": p["penyebab"], "jumlah": bilangan(p["jumlah_butir"])}
                    for p in penyebab
                    if p["kode_iku"] == r["kode_iku"]
                ],
                "butir": [
                    {
                        "butir": b["butir"],
                        "batas_waktu": tanggal(b["batas_waktu"]),
                        "alasan": b["alasan"],
                    }
                    for b in items.head(ITEMS_SHOWN).iter_rows(named=True)
                ],
                "lainnya": max(0, items.height - ITEMS_SHOWN),
            }
        )
    return Laporan(
        kode_satker=kode_satker,
        nama_satker=nama,
        tahun=tahun,
        tanggal_posisi=tanggal(as_of),
        run_id=run_id,
        dibuat_pada=f"{tanggal(made_at)} {made_at:%H.%M} WIB",
        ringkasan=ringkasan,
        sakip=(
            f"Nilai SAKIP {nilai(sakip[0]['nilai'])}, predikat {sakip[0]['predikat']} "
            f"({sakip[0]['sebutan']}); minimal B: {_ya(sakip[0]['minimal_b'])}"
            if sakip and sakip[0]["nilai"] is not None
            else None
        ),
        pengukuran=[
            {
                "no": str(i),
                "kode_iku": r["kode_iku"],
                "sasaran": r["sasaran_strategis"],
                "indikator": r["indikator"],
                "target": persen(r["target"]),
                "realisasi": persen(r["realisasi"]),
                "capaian": persen(r["capaian"]),
                "butir": f"{bilangan(r['pembilang'])}/{bilangan(r['penyebut'])}",
                "tahun_lalu": persen(r["realisasi_tahun_lalu"]),
                "selisih": "–"
                if r["selisih_realisasi"] is None
                else f"{'+' if r['selisih_realisasi'] > 0 else ''}{persen(r['selisih_realisasi'])}",
                "status": "belum ada butir"
                if not r["penyebut"]
                else ("tercapai" if r["tercapai"] else "belum tercapai"),
            }
            for i, r in enumerate(ukur, start=1)
        ],
        triwulan=[
            {
                "kode_iku": r["kode_iku"],
                **{
                    TRIWULAN[t["triwulan"]]: persen(t["realisasi"])
                    for t in per_tw
                    if t["kode_iku"] == r["kode_iku"]
                },
            }
            for r in ukur
        ],
        analisis=analisis,
        jatuh_tempo=[
            {
                "kode_iku": d["kode_iku"],
                "butir": d["butir"],
                "batas_waktu": tanggal(d["batas_waktu"]),
                "sisa": bilangan(d["hari_kerja_tersisa"]),
            }
            for d in due
        ],
        kesegaran=[
            {
                "sumber": s["sumber"],
                "file": bilangan(s["jumlah_file"]),
                "ditolak": bilangan(s["file_ditolak"]),
                "dibaca": bilangan(s["baris_dibaca"]),
                "dikarantina": bilangan(s["baris_dikarantina"]),
                "terbaru": s["file_terbaru"],
                "tanggal": tanggal(s["waktu_file_terbaru"]),
                "umur": f"{bilangan(s['umur_hari'])} hari",
                "status": "terlambat" if s["terlambat"] else "baik",
            }
            for s in segar
        ],
        ekspor=[
            {
                "sumber": e["sumber"],
                "nama_file": e["nama_file"],
                "tanggal": tanggal(e["waktu_file"]),
                "dibaca": bilangan(e["baris_dibaca"]),
                "diterima": bilangan(e["baris_diterima"]),
                "dikarantina": bilangan(e["baris_dikarantina"]),
                "peringatan": bilangan(e["peringatan"]),
                "status": f"ditolak: {e['alasan_ditolak'] or 'lihat temuan'}"
                if e["ditolak"]
                else "dimuat",
            }
            for e in ekspor
        ],
        masalah=[
            {
                "sumber": m["sumber"],
                "nama_file": m["nama_file"] or "–",
                "baris": "seluruh file" if m["nomor_baris"] is None else str(m["nomor_baris"]),
                "aturan": m["aturan"],
                "tingkat": m["tingkat"],
                "pesan": m["pesan"],
                "saran": m["saran"],
            }
            for m in masalah.head(ISSUES_SHOWN).iter_rows(named=True)
        ],
        masalah_total=masalah.height,
        rows={
            "pengukuran": year["ukur"],
            "triwulan": year["per_tw"],
            "butir": butir,
            "ekspor": rows["ekspor"],
            "masalah": masalah,
        },
    )
