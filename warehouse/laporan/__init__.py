"""The performance report (SPEC §7): for each satker and year with data, the LKjIP chapter III
material as one self-contained HTML file, a PDF and an XLSX annex, under
``<warehouse>/laporan/<satker>/lkjip_<satker>_<year>.{html,pdf,xlsx}``.

Everything shown comes from the published database (``laporan.*``, ``iku.*``): the figures
are those of ``iku.capaian``, read back, never recomputed. One ``Laporan`` value holds a
report already worded and formatted for its reader; three renderers write it:
- HTML with Jinja2 (``templates/lkjip.html.j2``): inline CSS and the charts as inline SVG, so
  the file opens on a phone or a laptop without fetching anything;
- PDF with Typst (the ``typst`` package: a typesetting engine in the wheel, fonts included,
  no system packages; ``templates/lkjip.typ`` reads the same values as JSON);
- XLSX with XlsxWriter: numbers stay numbers, text is written as text (never a formula).
Charts are Altair specifications rendered to SVG offline by vl-convert (the Vega engine in a
wheel; no browser, no network).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import duckdb

from warehouse.history import atomic_write
from warehouse.laporan.content import collect
from warehouse.laporan.render import render_html, render_pdf, render_xlsx
from warehouse.layout import WarehouseLayout
from warehouse.runs import WIB


def _writer(data: bytes) -> Callable[[BinaryIO], object]:
    return lambda handle: handle.write(data)


def satker_years(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    rows = con.execute(
        "SELECT DISTINCT kode_satker, tahun FROM laporan.pengukuran ORDER BY ALL"
    ).fetchall()
    return [(str(s), int(t)) for s, t in rows]


def write_reports(warehouse: Path, made_at: datetime | None = None) -> list[Path]:
    """Write every satker-year's HTML, PDF and XLSX from the published database; return the
    files written. Each file is replaced atomically: a reader never sees half a report."""
    made_at = made_at or datetime.now(WIB)
    layout = WarehouseLayout(warehouse)
    con = duckdb.connect(str(layout.published), read_only=True)
    try:
        reports = [collect(con, s, t, made_at) for s, t in satker_years(con)]
    finally:
        con.close()
    written = []
    for laporan in reports:
        folder = layout.laporan / laporan.kode_satker
        xlsx = io.BytesIO()
        render_xlsx(laporan, xlsx)
        rendered = {
            "html": render_html(laporan).encode(),
            "pdf": render_pdf(laporan),
            "xlsx": xlsx.getvalue(),
        }
        for suffix, data in rendered.items():
            target = folder / f"{laporan.stem()}.{suffix}"
            atomic_write(target, _writer(data))
            written.append(target)
    # A satker-year that no longer has data loses its report: it would show figures the
    # published database no longer holds.
    for path in set(layout.laporan.glob("*/lkjip_*.*")) - set(written):
        path.unlink(missing_ok=True)
    return written
