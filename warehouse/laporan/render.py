"""The three renderings of a report: HTML (Jinja2), PDF (Typst), XLSX (XlsxWriter)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import fields
from typing import Any, BinaryIO

import jinja2
import polars as pl
import typst
import xlsxwriter

from warehouse.laporan.charts import TEMPLATES
from warehouse.laporan.content import Laporan, _ya

FORMULA_START = ("=", "+", "-", "@")
# Rows of one sheet below its four heading rows: Excel holds 1,048,576 rows a sheet.
SHEET_ROWS = 1_048_576 - 4
IN_MEMORY_ROWS = 100_000  # an XLSX annex of more rows is written through (render_xlsx)

_HTML = jinja2.Environment(
    loader=jinja2.PackageLoader("warehouse", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(laporan: Laporan) -> str:
    return _HTML.get_template("lkjip.html.j2").render(l=laporan)


def render_pdf(laporan: Laporan) -> bytes:
    """Typst over the report's values (JSON) and charts (SVG), given as the document's
    inputs."""
    # The fields as they are (lists of plain dicts): ``asdict`` would deep-copy ``rows`` too,
    # every item of the year, only for them to be left out (0.2 s a report).
    values = {
        f.name: getattr(laporan, f.name)
        for f in fields(laporan)
        if f.name not in ("grafik", "rows")
    }
    values["judul"] = laporan.judul
    inputs = {"data": json.dumps(values, ensure_ascii=False), **laporan.grafik}
    main = TEMPLATES / "lkjip.typ"
    pdf = typst.compile(str(main), root=str(TEMPLATES), ignore_system_fonts=True, sys_inputs=inputs)
    return bytes(pdf)


def render_xlsx(laporan: Laporan, handle: BinaryIO) -> None:
    """The annex: one sheet per table; numbers as numbers with Indonesian display formats,
    dates as dates, every text cell written as text (a leading =, +, - or @ never becomes a
    formula: ``strings_to_formulas`` is off and such cells carry Excel's quote prefix)."""
    # A large annex is written row by row to temporary files (constant_memory) instead of
    # every cell staying in memory to the end: 1.6 GB for a satker of 2.3 million items. A
    # small one is faster in memory: 48 ms against 73 ms for a kabupaten's year.
    rows = sum(len(table) for table in laporan.rows.values())
    mode = "constant_memory" if rows > IN_MEMORY_ROWS else "in_memory"
    book = xlsxwriter.Workbook(
        handle, {mode: True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format(
        {"bold": True, "bg_color": "#DCE6F0", "border": 1, "text_wrap": True, "valign": "top"}
    )
    fmt = {
        "persen": book.add_format({"num_format": "#,##0.00", "valign": "top"}),
        "angka": book.add_format({"num_format": "#,##0", "valign": "top"}),
        "tanggal": book.add_format({"num_format": "dd/mm/yyyy", "valign": "top"}),
        "waktu": book.add_format({"num_format": "dd/mm/yyyy hh:mm", "valign": "top"}),
        "teks": book.add_format({"text_wrap": True, "valign": "top"}),
        "kutip": book.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True}),
    }

    def sheet(name: str, columns: Sequence[tuple[str, str, str, int]], rows: pl.DataFrame) -> None:
        """One table; rows beyond what an Excel sheet holds go on to ``<name> (2)`` and on."""
        for part, first in enumerate(range(0, max(len(rows), 1), SHEET_ROWS), start=1):
            rows_of(book.add_worksheet(name if part == 1 else f"{name} ({part})"), columns,
                    rows[first : first + SHEET_ROWS])  # fmt: skip

    def rows_of(ws: Any, columns: Sequence[tuple[str, str, str, int]], rows: pl.DataFrame) -> None:
        ws.write_string(0, 0, laporan.judul, title)
        ws.write_string(1, 0, f"Posisi data {laporan.tanggal_posisi}, run {laporan.run_id}", bold)
        for c, (header, _, _, width) in enumerate(columns):
            ws.write_string(3, c, header, head)
            ws.set_column(c, c, width)
        r = 3
        for r, row in enumerate(rows.iter_rows(named=True), start=4):
            for c, (_, key, kind, _) in enumerate(columns):
                value = row.get(key)
                if value is None:
                    ws.write_blank(r, c, None, fmt["teks"])
                elif isinstance(value, bool):  # before text: str(True) would read "True"
                    ws.write_string(r, c, _ya(value), fmt["teks"])
                elif kind == "teks" or isinstance(value, str):
                    text = str(value)
                    style = fmt["kutip"] if text.startswith(FORMULA_START) else fmt["teks"]
                    ws.write_string(r, c, text, style)
                elif kind in ("tanggal", "waktu"):
                    ws.write_datetime(r, c, value, fmt[kind])
                else:
                    ws.write_number(r, c, float(value), fmt[kind])
        ws.freeze_panes(4, 0)
        ws.autofilter(3, 0, max(r, 4), len(columns) - 1)

    P, A, T, D = "persen", "angka", "teks", "tanggal"
    sheet(
        "Pengukuran Kinerja",
        [("IKU", "kode_iku", T, 8), ("Sasaran Strategis", "sasaran_strategis", T, 40),
         ("Indikator Kinerja", "indikator", T, 50), ("Target (%)", "target", P, 10),
         ("Realisasi (%)", "realisasi", P, 11), ("Capaian (%)", "capaian", P, 11),
         ("Pembilang", "pembilang", A, 10), ("Penyebut", "penyebut", A, 10),
         (f"Realisasi {laporan.tahun - 1} (%)", "realisasi_tahun_lalu", P, 12),
         ("Tercapai", "tercapai", T, 9)],
        laporan.rows["pengukuran"],
    )  # fmt: skip
    sheet(
        "Per Triwulan",
        [("IKU", "kode_iku", T, 8), ("Triwulan", "triwulan", A, 9),
         ("Pembilang", "pembilang", A, 10), ("Penyebut", "penyebut", A, 10),
         ("Realisasi (%)", "realisasi", P, 12), ("Capaian (%)", "capaian", P, 12)],
        laporan.rows["triwulan"],
    )  # fmt: skip
    sheet(
        "Rincian Butir",
        [("IKU", "kode_iku", T, 8), ("Butir", "butir", T, 50), ("Batas Waktu", "batas_waktu", D, 12),
         ("Dihitung", "dihitung", T, 9), ("Tepat Waktu", "tepat_waktu", T, 11),
         ("Data Tidak Valid", "data_tidak_valid", T, 11), ("Alasan", "alasan", T, 60)],
        laporan.rows["butir"],
    )  # fmt: skip
    sheet(
        "Kualitas Data",
        [("Sumber", "sumber", T, 10), ("File", "nama_file", T, 40),
         ("Waktu File", "waktu_file", "waktu", 16), ("Baris Dibaca", "baris_dibaca", A, 11),
         ("Baris Diterima", "baris_diterima", A, 11),
         ("Baris Dikarantina", "baris_dikarantina", A, 12), ("Peringatan", "peringatan", A, 11),
         ("Ditolak", "ditolak", T, 8), ("Alasan Ditolak", "alasan_ditolak", T, 60)],
        laporan.rows["ekspor"],
    )  # fmt: skip
    sheet(
        "Temuan Data",
        [("Sumber", "sumber", T, 10), ("File", "nama_file", T, 36), ("Baris", "nomor_baris", A, 8),
         ("Kolom", "kolom", T, 16), ("Aturan", "aturan", T, 24), ("Tingkat", "tingkat", T, 9),
         ("Pesan", "pesan", T, 60), ("Saran", "saran", T, 50)],
        laporan.rows["masalah"],
    )  # fmt: skip
    book.close()
