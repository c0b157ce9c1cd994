"""The LKjIP reports (SPEC §7): written by the demo run for every satker and year, the HTML
rendered in a real headless Chromium, the PDF read back with pdftotext, the XLSX with
openpyxl; each must show the figures of iku.capaian."""

from __future__ import annotations

import dataclasses
import importlib
import io
import os
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import polars as pl
import pytest

from sources.indonesian import bilangan, nilai, persen, tanggal
from warehouse.laporan import write_reports
from warehouse.laporan.charts import charts
from warehouse.laporan.content import Laporan, collect, satker_rows
from warehouse.laporan.render import render_html, render_xlsx

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _capaian(warehouse: Path) -> list[dict[str, Any]]:
    con = duckdb.connect(str(warehouse / "kinerja.duckdb"), read_only=True)
    try:
        cursor = con.execute(
            "SELECT kode_satker, tahun, kode_iku, realisasi, capaian, pembilang, penyebut "
            "FROM iku.capaian WHERE triwulan IS NULL ORDER BY ALL"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def _report(warehouse: Path, satker: str, year: int, suffix: str) -> Path:
    return warehouse / "laporan" / satker / f"lkjip_{satker}_{year}.{suffix}"


def _tool(name: str | None, package: str) -> str:
    """A Debian tool the test needs; .ci/run installs it, so in CI its absence fails."""
    if name:
        return name
    if os.environ.get("CI"):
        pytest.fail(f"{package} is not installed (.ci/run installs it with apt-get)")
    pytest.skip(f"{package} is not installed")


def test_numbers_and_dates_are_written_the_indonesian_way() -> None:
    assert persen(Decimal("95.45")) == "95,45"
    assert persen(1234.5) == "1.234,50"
    assert persen(None) == "–"
    assert nilai(Decimal("72.1500")) == "72,15"  # a SAKIP score: its own decimals, at least 2
    assert nilai(Decimal("90.0010")) == "90,001"
    assert nilai(Decimal("100.0000")) == "100,00"
    assert bilangan(1234567) == "1.234.567"
    assert tanggal(date(2025, 3, 27)) == "27 Maret 2025"


def test_the_run_writes_html_pdf_and_xlsx_for_every_satker_and_year(demo_run) -> None:  # type: ignore[no-untyped-def]
    result, warehouse = demo_run
    years = {(r["kode_satker"], r["tahun"]) for r in _capaian(warehouse)}
    assert years == {("6204", 2024), ("6204", 2025)}
    expected = {_report(warehouse, s, y, x) for s, y in years for x in ("html", "pdf", "xlsx")}
    assert set(result.reports) == expected
    assert sorted((warehouse / "laporan").glob("*/*")) == sorted(expected)
    assert all(path.stat().st_size > 1000 for path in expected)


def test_the_html_renders_in_chromium_with_the_figures_and_charts_and_fetches_nothing(
    demo_run,  # type: ignore[no-untyped-def]
) -> None:
    from playwright.sync_api import sync_playwright

    chromium = _tool(CHROMIUM, "chromium")
    _, warehouse = demo_run
    rows = _capaian(warehouse)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            for year in (2024, 2025):
                page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
                requests: list[str] = []
                page.on("request", lambda r, seen=requests: seen.append(r.url))
                url = _report(warehouse, "6204", year, "html").as_uri()
                page.goto(url, wait_until="load")
                assert requests == [url]  # no CSS, script, font or image from anywhere

                shown = page.eval_on_selector_all(
                    "#pengukuran tr[data-iku]",
                    "trs => trs.map(tr => [tr.dataset.iku, "
                    "tr.querySelector('.realisasi').innerText, tr.querySelector('.capaian').innerText])",
                )
                assert shown == [
                    [r["kode_iku"], persen(r["realisasi"]), persen(r["capaian"])]
                    for r in rows
                    if r["tahun"] == year
                ]
                charts = page.eval_on_selector_all(
                    "figure[data-grafik] svg",
                    "svgs => svgs.map(s => ({w: s.getBoundingClientRect().width, "
                    "h: s.getBoundingClientRect().height, marks: s.querySelectorAll('path').length, "
                    "text: s.textContent}))",
                )
                assert len(charts) == 2
                for chart in charts:
                    assert chart["w"] > 300 and chart["h"] > 150
                    assert chart["marks"] >= 6  # bars were drawn, not only axes
                    assert "IKU-1" in chart["text"] and "IKU-6" in chart["text"]
                # Readable on a phone: the page itself never scrolls sideways (wide tables
                # scroll inside their own box).
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 390
                text = page.inner_text("body")
                assert f"Tahun {year - 1}" in text  # the comparison with the year before
                assert "Kualitas Data (untuk admin)" in text
                assert "register_ppid_2025_06.xlsx" in text  # the rejected export, named
                page.close()
        finally:
            browser.close()


def test_the_pdf_holds_the_same_figures(demo_run) -> None:  # type: ignore[no-untyped-def]
    pdftotext = _tool(shutil.which("pdftotext"), "poppler-utils")
    result, warehouse = demo_run
    rows = _capaian(warehouse)
    for year in (2024, 2025):
        pdf = _report(warehouse, "6204", year, "pdf")
        assert pdf.read_bytes().startswith(b"%PDF")
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert f"Laporan Kinerja KPU Kabupaten Barito Selatan Tahun {year}" in text
        assert result.run_id in text
        table = text.split("A. Pengukuran Kinerja")[1].split("B. Realisasi")[0]
        for r in (r for r in rows if r["tahun"] == year):
            line = next(ln for ln in table.splitlines() if r["kode_iku"] in ln)
            figures = f"{persen(Decimal(100))} {persen(r['realisasi'])} {persen(r['capaian'])}"
            assert " ".join(line.split()).count(figures) == 1, (line, figures)


def test_the_xlsx_holds_the_same_figures_as_numbers(demo_run) -> None:  # type: ignore[no-untyped-def]
    _, warehouse = demo_run
    rows = _capaian(warehouse)
    for year in (2024, 2025):
        book = openpyxl.load_workbook(_report(warehouse, "6204", year, "xlsx"))
        sheet = book["Pengukuran Kinerja"]
        assert sheet.freeze_panes == "A5"
        header = [c.value for c in sheet[4]]
        got = [
            dict(zip(header, (c.value for c in row), strict=True))
            for row in sheet.iter_rows(min_row=5)
        ]
        want = [r for r in rows if r["tahun"] == year]
        assert [g["IKU"] for g in got] == [r["kode_iku"] for r in want]
        for g, r in zip(got, want, strict=True):
            for column, key in (("Realisasi (%)", "realisasi"), ("Capaian (%)", "capaian")):
                assert g[column] == (None if r[key] is None else float(r[key]))
            assert (g["Pembilang"], g["Penyebut"]) == (r["pembilang"], r["penyebut"])
        assert sheet["E5"].number_format == "#,##0.00"
        assert {"Per Triwulan", "Rincian Butir", "Kualitas Data", "Temuan Data"} <= set(
            book.sheetnames
        )
        butir = book["Rincian Butir"]
        assert butir.max_row > 4 and isinstance(butir["C5"].value, datetime)


def demo_report(warehouse: Path, year: int) -> Laporan:
    """The demo's report of satker 6204 and ``year``, collected as a run collects it."""
    con = duckdb.connect(str(warehouse / "kinerja.duckdb"), read_only=True)
    try:
        run = con.execute("SELECT run_id, tanggal_posisi FROM meta.run").fetchone()
        return collect(satker_rows(con, "6204"), "6204", year, run, datetime(2026, 1, 31, 2))
    finally:
        con.close()


@pytest.fixture
def hostile_report(demo_run) -> Laporan:  # type: ignore[no-untyped-def]
    """A real report whose export file names were chosen by someone hostile."""
    _, warehouse = demo_run
    report = demo_report(warehouse, 2025)
    names = [
        '=HYPERLINK("http://x.invalid","klik")',
        "+1+1",
        "@SUM(A1)",
        "<script>alert(1)</script>",
    ]
    rows = report.rows["ekspor"].head(len(names))
    ekspor = rows.with_columns(nama_file=pl.Series(names[: rows.height]))
    shown = [dict(e, nama_file=n) for e, n in zip(report.ekspor, names, strict=False)]
    grafik = charts(report.rows["pengukuran"].to_dicts(), report.rows["triwulan"].to_dicts())
    return dataclasses.replace(
        report, ekspor=shown, rows={**report.rows, "ekspor": ekspor}, grafik=grafik
    )


def test_formula_like_text_stays_text_in_the_xlsx(hostile_report: Laporan) -> None:
    handle = io.BytesIO()
    render_xlsx(hostile_report, handle)
    sheet = openpyxl.load_workbook(io.BytesIO(handle.getvalue()))["Kualitas Data"]
    cells = [sheet.cell(row=r, column=2) for r in range(5, 9)]
    assert [c.value for c in cells][:3] == [
        '=HYPERLINK("http://x.invalid","klik")',
        "+1+1",
        "@SUM(A1)",
    ]
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells[:3])


def test_yes_no_columns_of_the_xlsx_read_ya_or_tidak(hostile_report: Laporan) -> None:
    """Tercapai, Dihitung, Tepat Waktu, Data Tidak Valid, Ditolak are booleans in the rows:
    the annex shows them in Indonesian, as the HTML does, never Python's "True"/"False"."""
    handle = io.BytesIO()
    render_xlsx(hostile_report, handle)
    book = openpyxl.load_workbook(io.BytesIO(handle.getvalue()))
    for name, headers in (
        ("Pengukuran Kinerja", ["Tercapai"]),
        ("Rincian Butir", ["Dihitung", "Tepat Waktu", "Data Tidak Valid"]),
        ("Kualitas Data", ["Ditolak"]),
    ):
        sheet = book[name]
        header = [c.value for c in sheet[4]]
        for column in headers:
            values = {
                row[header.index(column)] for row in sheet.iter_rows(min_row=5, values_only=True)
            }
            assert values - {None} and values <= {"Ya", "Tidak", None}, (name, column, values)


@pytest.mark.parametrize("in_memory_rows", [100_000, 0])
def test_rows_beyond_what_an_excel_sheet_holds_continue_on_the_next_sheet(
    hostile_report: Laporan, monkeypatch: pytest.MonkeyPatch, in_memory_rows: int
) -> None:
    """Excel holds 1,048,576 rows a sheet: a satker with more items than that gets "Rincian
    Butir (2)" and on, with no item left out, whether the workbook is built in memory or
    written through. The limits are made small here."""
    # the module: warehouse.laporan.render is also the name of a function of the package
    module = importlib.import_module("warehouse.laporan.render")
    monkeypatch.setattr(module, "SHEET_ROWS", 5)
    monkeypatch.setattr(module, "IN_MEMORY_ROWS", in_memory_rows)
    handle = io.BytesIO()
    render_xlsx(hostile_report, handle)
    book = openpyxl.load_workbook(io.BytesIO(handle.getvalue()))
    butir = hostile_report.rows["butir"]
    parts = [n for n in book.sheetnames if n.startswith("Rincian Butir")]
    assert len(butir) > 10
    assert parts == ["Rincian Butir", *(f"Rincian Butir ({n})" for n in range(2, len(parts) + 1))]
    assert len(parts) == -(-len(butir) // 5)
    shown = [row[1] for n in parts for row in book[n].iter_rows(min_row=5, values_only=True)]
    assert shown == butir["butir"].to_list()


def test_the_html_escapes_what_exports_contain(hostile_report: Laporan) -> None:
    html = render_html(hostile_report)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.fixture
def copy(demo_run, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A warehouse holding a copy of the demo run's published database, and nothing else."""
    _, warehouse = demo_run
    copy = tmp_path / "warehouse"
    copy.mkdir()
    shutil.copy(warehouse / "kinerja.duckdb", copy / "kinerja.duckdb")
    return copy


def test_a_satker_year_without_data_loses_its_old_report(copy: Path) -> None:
    stale = _report(copy, "6204", 2019, "html")
    stale.parent.mkdir(parents=True)
    stale.write_text("laporan lama")
    written = write_reports(copy)
    assert not stale.exists()
    assert {p.name for p in written} == {
        f"lkjip_6204_{y}.{x}" for y in (2024, 2025) for x in ("html", "pdf", "xlsx")
    }


def test_a_report_whose_content_did_not_change_is_not_written_again(copy: Path) -> None:
    first = write_reports(copy)
    stamps = {p: p.stat().st_mtime_ns for p in first}
    # A report with a file missing is written again, whole; the other is left as it was.
    (copy / "laporan" / "6204" / "lkjip_6204_2024.pdf").unlink()
    again = write_reports(copy)
    assert again == first
    changed = {p.name for p in again if p.stat().st_mtime_ns != stamps[p]}
    assert changed == {f"lkjip_6204_2024.{x}" for x in ("html", "pdf", "xlsx")}


def test_a_damaged_fingerprint_store_makes_every_report_again(copy: Path) -> None:
    """The store of what each report was made from is the job's own, written atomically;
    damaged all the same (a disk fault, a hand edit), it is no store: every report is
    made again, never the run's reports lost to it."""
    first = write_reports(copy)
    for damaged in ("[]", '{"lkjip_6204_2024": '):
        stamps = {p: p.stat().st_mtime_ns for p in first}
        (copy / "laporan" / "sidik.json").write_text(damaged)
        again = write_reports(copy)
        assert again == first
        assert all(p.stat().st_mtime_ns != stamps[p] for p in again)


def test_a_report_is_written_again_when_a_row_it_shows_changed(copy: Path) -> None:

    def changed_after(sql: str) -> set[str]:
        stamps = {p: p.stat().st_mtime_ns for p in write_reports(copy)}
        with duckdb.connect(str(copy / "kinerja.duckdb")) as con:
            con.execute(sql)
        return {p.name for p in write_reports(copy) if p.stat().st_mtime_ns != stamps[p]}

    # A reason of one 2025 item: only the 2025 report shows it.
    butir = (
        "UPDATE iku.butir SET alasan = 'alasan baru' WHERE rowid = "
        "(SELECT min(rowid) FROM iku.butir WHERE tahun = 2025 AND triwulan IS NULL)"
    )
    assert changed_after(butir) == {f"lkjip_6204_2025.{x}" for x in ("html", "pdf", "xlsx")}
    # The freshness of a source is shown in every year's report.
    segar = "UPDATE laporan.kesegaran SET sumber = sumber || ' (diubah)'"
    assert changed_after(segar) == {
        f"lkjip_6204_{y}.{x}" for y in (2024, 2025) for x in ("html", "pdf", "xlsx")
    }
    assert "(diubah)" in _report(copy, "6204", 2024, "html").read_text()


def test_many_reports_are_rendered_in_worker_processes_to_the_same_files(
    demo_run,  # type: ignore[no-untyped-def]
    copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import warehouse.laporan as laporan

    _, warehouse = demo_run
    monkeypatch.setattr(laporan, "POOL_FROM", 1)  # the demo has two reports: use the pool
    written = write_reports(copy, datetime(2026, 1, 31, 2, 0))
    assert [p.name for p in written] == [
        f"lkjip_6204_{y}.{x}" for y in (2024, 2025) for x in ("html", "pdf", "xlsx")
    ]
    for path in written:
        assert path.stat().st_size > 1000
    html = _report(copy, "6204", 2025, "html").read_text()
    assert html == render_html_of(warehouse, 2025)


def render_html_of(warehouse: Path, year: int) -> str:
    """The HTML of one demo report rendered in this process."""
    from warehouse.laporan import render

    return render(demo_report(warehouse, year))["html"].decode()


def test_each_kind_of_finding_gets_its_own_advice(tmp_path: Path) -> None:
    """laporan.masalah.saran by the kind of finding: a whole file or source warned about is
    not told that "the row" is still loaded, a pull that failed points at its location."""
    from iku_helpers import build, new_database

    con = new_database(tmp_path)
    build(con, date(2025, 6, 30))
    con.execute(
        "INSERT INTO meta.run VALUES ('r1', DATE '2025-06-30', TIMESTAMP '2025-06-30', false)"
    )
    findings = [  # rule, file, row, severity
        ("belum_ada_ekspor", None, None, "warning"),
        ("penarikan_sebagian", None, None, "warning"),
        ("tautan_tidak_diikuti", "x.csv", None, "warning"),
        ("kolom_wajib", "y.csv", None, "error"),
        ("nik_tidak_sah", "y.csv", 7, "error"),
        ("jumlah_tidak_seimbang", "y.csv", 8, "warning"),
    ]
    con.executemany(
        "INSERT INTO dq.issue_history (run_id, source, kode_satker, file_name, row_number, rule, "
        "severity, message) VALUES ('r1', 'ppid', '6204', ?, ?, ?, ?, 'pesan')",
        [(name, row, rule, severity) for rule, name, row, severity in findings],
    )
    advice = dict(con.execute("SELECT aturan, saran FROM laporan.masalah").fetchall())
    assert advice == {
        "belum_ada_ekspor": "Ekspor data terbaru dari aplikasi sumber ke folder landing.",
        "penarikan_sebagian": "Periksa lokasi sumber di IKU_PULL_SOURCES dan file yang disebut "
        "pesan; ekspor lain tetap ditarik dan dimuat.",
        "tautan_tidak_diikuti": "Lakukan yang disebut pesan; temuan ini sendiri tidak "
        "mengarantina baris.",
        "kolom_wajib": "Perbaiki atau ekspor ulang file ini ke folder landing; seluruh isinya "
        "tidak dimuat sampai diperbaiki.",
        "nik_tidak_sah": "Perbaiki baris ini di aplikasi sumber lalu ekspor ulang; baris "
        "dikarantina dan tidak dihitung dalam IKU sampai diperbaiki.",
        "jumlah_tidak_seimbang": "Periksa nilai ini di aplikasi sumber; baris tetap dimuat dan "
        "dihitung.",
    }


def test_a_year_with_no_realisasi_in_it_or_the_year_before_is_rendered(demo_run) -> None:  # type: ignore[no-untyped-def]
    """A year whose IKU have no counted item yet, with no year before it (a satker's first
    year, or a year known only from its SAKIP score): every realisasi is empty, and the
    comparison chart, its bars all left out, was drawn infinitely wide, which Typst refused."""
    from warehouse.laporan import render

    _, warehouse = demo_run
    report = demo_report(warehouse, 2025)
    empty = {
        "pengukuran": report.rows["pengukuran"].with_columns(
            realisasi=None, realisasi_tahun_lalu=None
        ),
        "triwulan": report.rows["triwulan"].with_columns(realisasi=None),
    }
    rendered = render(dataclasses.replace(report, rows={**report.rows, **empty}))
    assert rendered["pdf"].startswith(b"%PDF")
    assert 'width="Infinity"' not in rendered["html"].decode()


def charts_failing_in_2024(ukur, per_tw):  # type: ignore[no-untyped-def]
    """The report's charts, which cannot be drawn for 2024."""
    if ukur[0]["tahun"] == 2024:
        raise ValueError("grafik 2024 tidak dapat digambar")
    return charts(ukur, per_tw)


def test_a_report_that_cannot_be_made_is_the_only_one_lost(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import warehouse.laporan as laporan

    before = write_reports(copy)
    (copy / "laporan" / "sidik.json").unlink()  # every report made again

    monkeypatch.setattr(laporan, "charts", charts_failing_in_2024)
    lost: list[str] = []
    written = write_reports(copy, failed=lost)
    assert lost == ["lkjip_6204_2024: ValueError: grafik 2024 tidak dapat digambar"]
    assert [p.name for p in written] == [f"lkjip_6204_2025.{x}" for x in ("html", "pdf", "xlsx")]
    # its old files are gone (they would show what the database no longer holds), and the
    # next run makes it again
    assert sorted(p.name for p in (copy / "laporan" / "6204").iterdir()) == sorted(
        p.name for p in written
    )
    with pytest.raises(laporan.ReportError, match="lkjip_6204_2024: ValueError"):
        write_reports(copy)  # without a list: raised once the others are written
    monkeypatch.setattr(laporan, "charts", charts)
    assert write_reports(copy) == before


def test_iku_laporan_names_a_report_it_could_not_make_and_ends_with_1(
    copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`iku laporan` writes the reports of the published database and says where they are;
    one that cannot be made is named on stderr and the command ends with 1 (the others
    written), so that a script calling it knows."""
    import warehouse.laporan as laporan
    from flows.cli import main

    assert main(["laporan", "--warehouse", str(copy)]) == 0
    said = capsys.readouterr().out
    assert f"Laporan LKjIP (2 satker-tahun, HTML + PDF + XLSX): {copy / 'laporan'}" in said
    assert f"  {_report(copy, '6204', 2025, 'html')}" in said
    (copy / "laporan" / "sidik.json").unlink()  # every report made again

    monkeypatch.setattr(laporan, "charts", charts_failing_in_2024)
    assert main(["laporan", "--warehouse", str(copy)]) == 1
    said = capsys.readouterr()
    assert said.err == (
        "laporan tidak ditulis: lkjip_6204_2024: ValueError: grafik 2024 tidak dapat digambar\n"
    )
    assert "Laporan LKjIP (1 satker-tahun, HTML + PDF + XLSX)" in said.out
