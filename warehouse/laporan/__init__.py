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
Charts are Vega-Lite specifications (``templates/*.vl.json``) rendered to SVG offline by
vl-convert (the Vega engine in a wheel; no browser, no network).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from functools import cache
from multiprocessing import get_context
from pathlib import Path
from typing import BinaryIO

import duckdb
import polars as pl

from sources import indonesian
from warehouse.disk import explain
from warehouse.history import atomic_write, read_json, write_json
from warehouse.laporan.charts import charts
from warehouse.laporan.content import Laporan, collect, digests, satker_rows, stem_of
from warehouse.laporan.render import render_html, render_pdf, render_xlsx
from warehouse.layout import WarehouseLayout
from warehouse.runs import WIB

SUFFIXES = ("html", "pdf", "xlsx")
RENDER_WORKERS = max(1, min(2, os.cpu_count() or 1))
POOL_FROM = 8  # reports in a run from which they are rendered in worker processes


FINGERPRINTS = "sidik.json"  # in <warehouse>/laporan/: stem -> sha256 of its content


class ReportError(RuntimeError):
    """Reports that could not be written, each named with its cause; the others were."""


def _writer(data: bytes) -> Callable[[BinaryIO], object]:
    return lambda handle: handle.write(data)


@cache
def _renderer_version() -> str:
    """A digest of the code and templates that turn a report into its files."""
    digest = hashlib.sha256()
    here = Path(__file__).parent
    drawn = [p for glob in ("lkjip.*", "*.vl.json") for p in (here.parent / "templates").glob(glob)]
    words = Path(indonesian.__file__)  # 95,45 · 1.234 · 27 Maret 2025
    for path in sorted([*here.glob("*.py"), *drawn, words]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(digests: dict[tuple[str, int | None], str], satker: str, year: int) -> str:
    """What one satker-year's report says, before it is put into words, and how it is
    drawn: the rows it reads (``content.digests``) and the code and templates that turn them
    into files. The same fingerprint makes the same report, so its files need not be made
    again; only reports whose fingerprint changed are read and rendered at all."""
    every_year, this_year = digests.get((satker, None), ""), digests.get((satker, year), "")
    text = "\n".join((_renderer_version(), satker, str(year), every_year, this_year))
    return hashlib.sha256(text.encode()).hexdigest()


def render(laporan: Laporan) -> dict[str, bytes]:
    """The three files of one report, its charts drawn first."""
    laporan = replace(
        laporan,
        grafik=charts(laporan.rows["pengukuran"].to_dicts(), laporan.rows["triwulan"].to_dicts()),
    )
    xlsx = io.BytesIO()
    render_xlsx(laporan, xlsx)
    return {
        "html": render_html(laporan).encode(),
        "pdf": render_pdf(laporan),
        "xlsx": xlsx.getvalue(),
    }


def _save(stem: Path, rendered: dict[str, bytes]) -> None:
    """Each rendered file beside the others: ``<stem>.html``, ``.pdf``, ``.xlsx``."""
    for suffix, data in rendered.items():
        target = stem.with_suffix(f".{suffix}")
        atomic_write(target, _writer(data))
        target.chmod(0o644)  # a report is for reading, unlike the history


@contextmanager
def _renderers(reports: int) -> Iterator[ProcessPoolExecutor | None]:
    """Worker processes for many reports (rendering is CPU-bound Python: threads would take
    turns); none for a few, whose rendering costs less than starting a process."""
    if reports < POOL_FROM:
        yield None
        return
    with ProcessPoolExecutor(RENDER_WORKERS, mp_context=get_context("spawn")) as pool:
        yield pool


def write_reports(
    warehouse: Path, made_at: datetime | None = None, failed: list[str] | None = None
) -> list[Path]:
    """Write the HTML, PDF and XLSX of every satker-year of the published database whose
    content changed since they were last written (or whose files are missing); return the
    report files as they now stand, written or kept. Each file is replaced atomically: a
    reader never sees half a report. A kept report names the run that last changed it.

    A report that cannot be made is one report lost, not all: the others are written, its
    old files removed (they would show figures the database no longer holds) and its
    fingerprint forgotten, so the next run tries it again. Each is named in ``failed``
    (``<stem>: <cause>``); without that list, a :class:`ReportError` names them once the
    others are written."""
    made_at = made_at or datetime.now(WIB)
    layout = WarehouseLayout(warehouse)
    store = layout.laporan / FINGERPRINTS
    known = read_json(store) or {}
    current: dict[str, str] = {}
    files: list[Path] = []
    problems: list[str] = []

    @contextmanager
    def contained(stem: Path) -> Iterator[None]:
        """One report's step: its failure loses that report only."""
        try:
            yield
        except Exception as exc:  # what one report holds: the others are written
            problems.append(f"{stem.name}: {explain(exc, warehouse)}")
            del current[stem.name]
            for suffix in SUFFIXES:
                files.remove(target := stem.with_suffix(f".{suffix}"))
                target.unlink(missing_ok=True)

    con = duckdb.connect(str(layout.published), read_only=True)
    try:
        run = con.execute("SELECT run_id, tanggal_posisi FROM meta.run").fetchone() or ("?", None)
        satker_years = con.execute(
            "SELECT DISTINCT kode_satker, tahun FROM laporan.pengukuran ORDER BY ALL"
        ).fetchall()
        signs = digests(con)
        changed: list[tuple[str, int, Path]] = []  # satker, year, stem: to be written
        for satker, year in satker_years:
            stem = layout.laporan / satker / stem_of(satker, year)
            targets = [stem.with_suffix(f".{suffix}") for suffix in SUFFIXES]
            current[stem.name] = sign = fingerprint(signs, satker, year)
            files += targets
            if known.get(stem.name) != sign or not all(t.is_file() for t in targets):
                changed.append((satker, year, stem))
        with _renderers(len(changed)) as pool:
            pending: deque[tuple[Path, Future[dict[str, bytes]]]] = deque()
            rows: tuple[str, dict[str, pl.DataFrame]] | None = None  # of one satker
            for satker, year, stem in changed:
                if rows is None or rows[0] != satker:  # a satker's years come one after another
                    rows = (satker, satker_rows(con, satker))
                with contained(stem):
                    laporan = collect(rows[1], satker, year, run, made_at)
                    if pool is None:
                        _save(stem, render(laporan))
                    else:
                        pending.append((stem, pool.submit(render, laporan)))
                while len(pending) > 2 * RENDER_WORKERS:  # bounded: a few reports in flight
                    done, future = pending.popleft()
                    with contained(done):
                        _save(done, future.result())
            for done, future in pending:
                with contained(done):
                    _save(done, future.result())
    finally:
        con.close()
    # A satker-year that no longer has data loses its report: it would show figures the
    # published database no longer holds.
    for path in set(layout.laporan.glob("*/lkjip_*.*")) - set(files):
        path.unlink(missing_ok=True)
    write_json(store, dict(sorted(current.items())), indent=0)
    if failed is not None:
        failed.extend(problems)
    elif problems:
        raise ReportError("; ".join(problems))
    return files
