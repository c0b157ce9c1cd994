"""What an XLSX workbook means, read as Excel shows it: formulas, error cells, number formats
and tables, as office writers (Excel, openpyxl, XlsxWriter, ...) write them."""

from __future__ import annotations

import base64
import datetime as dt
import random
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import xlsxwriter
from exports import PPID, edited, read_export, write_xlsx

from sources import SOURCES
from sources.sheet import FILE_UNREADABLE, TABLE_BESIDE, VALUE_INVALID, ReadLimits, ReadResult
from sources.shown import NOT_CALCULATED
from sources.xlsxformats import Shown, shown_styles
from sources.xlsxformulas import FormulaCells

LIMITS = ReadLimits(as_of=dt.date(2025, 12, 31))
HEADER = [
    "No Registrasi",
    "Tanggal Permohonan",
    "Tanggal Pemberitahuan Tertulis",
    "Perpanjangan",
    "Keputusan",
]


def errors(result: ReadResult) -> list[tuple[int | None, str | None, str]]:
    return [(i.row_number, i.column, i.severity) for i in result.issues if i.rule == VALUE_INVALID]


# --- formulas whose result the file does not hold ------------------------------------------


def test_formulas_openpyxl_wrote_without_results_are_no_values(tmp_path: Path) -> None:
    """openpyxl writes a formula with an empty value (Excel calculates it on opening): the
    reader reads it empty. A date answered is not "not answered yet", a Ya is not Tidak: such
    a cell is its row's error; in free text it is left empty, with a warning. A row made
    only of formulas, which the reader does not give at all, is still a row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["001", dt.date(2025, 3, 3), "=B2+5", '=IF(C2<>"","Ya","Tidak")', "Diterima"])
    sheet.append(["002", dt.date(2025, 3, 4), dt.date(2025, 3, 5), "Tidak", '="Diterima"'])
    sheet.append(['="00"&ROW()', "=B3", "=B3+1"])  # a request computed whole
    sheet.append(["004", dt.date(2025, 3, 6), dt.date(2025, 3, 7), "Ya"])
    book.save(tmp_path / "a.xlsx")
    result = read_export(tmp_path / "a.xlsx", PPID, LIMITS)
    assert errors(result) == [
        (2, "Perpanjangan", "error"),
        (2, "Tanggal Pemberitahuan Tertulis", "error"),
        (3, "Keputusan", "warning"),
        (4, "No Registrasi", "error"),
        (4, "Tanggal Pemberitahuan Tertulis", "error"),
        (4, "Tanggal Permohonan", "error"),
    ]
    assert "hasilnya tidak tersimpan" in result.issues[0].message
    assert result.rows["_row_number"].to_list() == [2, 3, 4, 5]
    assert result.rows["keputusan"].to_list() == ["Diterima", None, None, None]
    assert result.rows["tanggal_pemberitahuan_tertulis"][1:].to_list() == [
        dt.date(2025, 3, 5), None, dt.date(2025, 3, 7)
    ]  # fmt: skip


def test_formulas_of_a_workbook_excel_recalculates_on_opening_are_no_values(
    tmp_path: Path,
) -> None:
    """XlsxWriter saves 0 as every formula's result and asks Excel to calculate them all on
    opening (fullCalcOnLoad): that 0 is no date (1899-12-31) and no Tidak. A result saved
    without that request is what Excel shows, and is read."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, HEADER)
    sheet.write_string(1, 0, "001")
    sheet.write_datetime(1, 1, dt.datetime(2025, 3, 3), day)
    sheet.write_formula(1, 2, "=B2+5", day)
    sheet.write_formula(1, 3, '=IF(C2<>"","Ya","Tidak")')
    sheet.write_formula(1, 4, '="Diterima"', None, "Diterima")
    book.close()
    result = read_export(path, PPID, LIMITS)
    assert errors(result) == [
        (2, "Keputusan", "warning"),
        (2, "Perpanjangan", "error"),
        (2, "Tanggal Pemberitahuan Tertulis", "error"),
    ]
    assert result.rows["perpanjangan"].to_list() == [None]
    # The same workbook saved by a program that calculated its formulas (Excel, LibreOffice).
    edited(path, "xl/workbook.xml", {' fullCalcOnLoad="1"': ""})
    formula = '<f>IF(C2&lt;&gt;"","Ya","Tidak")</f>'
    results = {
        "<f>B2+5</f><v>0</v>": "<f>B2+5</f><v>45724</v>",
        f'<c r="D2">{formula}<v>0</v>': f'<c r="D2" t="str">{formula}<v>Ya</v>',
    }
    result = read_export(edited(path, "xl/worksheets/sheet1.xml", results), PPID, LIMITS)
    assert result.issues == []
    assert result.rows.select("tanggal_pemberitahuan_tertulis", "perpanjangan", "keputusan").row(
        0
    ) == (dt.date(2025, 3, 8), True, "Diterima")


def test_formulas_outside_the_cells_are_no_cells(tmp_path: Path) -> None:
    """Excel writes formulas beside the cells too (a dropdown's list on another sheet, in
    the sheet's extensions): they neither mark a cell nor refuse the file."""
    book = openpyxl.Workbook()
    book.active.append(HEADER[:3])
    book.active.append(["001", "03/03/2025", "05/03/2025"])
    book.save(tmp_path / "a.xlsx")
    extension = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas'
        '.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation '
        'type="list"><x14:formula1><xm:f>Daftar!$A$1:$A$2</xm:f></x14:formula1><xm:sqref>D2'
        "</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>"
    )
    path = edited(tmp_path / "a.xlsx", "xl/worksheets/sheet1.xml", {"</worksheet>": extension})
    result = read_export(path, PPID, LIMITS)
    assert result.issues == []
    assert result.rows["tanggal_pemberitahuan_tertulis"].to_list() == [dt.date(2025, 3, 5)]


def test_a_formula_cell_that_cannot_be_placed_refuses_the_file(tmp_path: Path) -> None:
    """A formula without a result in a cell without its reference: which cell Excel
    calculates cannot be told, so the file is refused, never read with that cell empty."""
    book = openpyxl.Workbook()
    book.active.append(HEADER[:3])
    book.active.append(["001", "03/03/2025", "=B2"])
    book.save(tmp_path / "a.xlsx")
    path = edited(tmp_path / "a.xlsx", "xl/worksheets/sheet1.xml", {'<c r="C2">': "<c>"})
    result = read_export(path, PPID, LIMITS)
    assert [i.rule for i in result.issues] == [FILE_UNREADABLE]
    assert "rumus" in result.issues[0].message


def test_formula_cells_are_found_wherever_the_pieces_of_the_sheet_cut() -> None:
    cells = (
        '<c r="A2" t="str"><f>"00"&amp;ROW()</f><v>002</v></c><c r="B2" s="1"><f>B1</f>'
        '<v/></c><x:c r="C2"><x:f t="shared" si="0"/></x:c><c r="D2"><f>A</f><v></v></c>'
        '<c r="E2"><f>1</f><v>1</v></c><c r="AB12" t="str">\n  <f>X</f>\n  <v />\n</c>'
    )
    xml = (
        f'<worksheet><sheetData><row r="2">{cells}</row></sheetData><extLst><xm:f>A</xm:f>'
        "</extLst></worksheet>"
    ).encode()
    for recalculated, expected in [
        (False, [(2, 2), (2, 3), (2, 4), (12, 28)]),
        (True, [(2, 1), (2, 2), (2, 3), (2, 4), (2, 5), (12, 28)]),
    ]:
        for size in (1, 2, 3, 7, len(xml)):
            found = FormulaCells(recalculated)
            for start in range(0, len(xml), size):
                found.feed(xml[start : start + size])
            assert found.found() == expected, (recalculated, size)
    assert re.fullmatch(r"\(.+\)", NOT_CALCULATED)  # reads as no date, number or choice


# --- what Excel shows in place of a value ----------------------------------------------------


def test_what_excel_shows_in_place_of_a_value_names_no_item(tmp_path: Path) -> None:
    """A failed lookup where the registration number belongs (#N/A, as Excel shows it and
    writes it to CSV) names no request: it is the row's error, so the row is no item of its
    own (an answered "#N/A" beside the unanswered request it restates would raise IKU-3).
    Free text shows it as Excel does."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    book.set_calc_mode("manual")  # the results saved are what Excel shows
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_formula(1, 0, "=VLOOKUP(B2,Agenda!A:B,2,FALSE)", None, "#N/A")
    sheet.write_row(1, 1, ["11/12/2025", "15/12/2025", "Tidak", "Diterima"])
    sheet.write_row(2, 0, ["002", "11/12/2025", "15/12/2025", "Tidak"])
    sheet.write_formula(2, 4, "=Agenda!Z9", None, "#REF!")
    book.close()
    csv = tmp_path / "a.csv"
    csv.write_text(
        "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis;Keputusan\r\n"
        "#N/A;11/12/2025;15/12/2025;Diterima\r\n 002 ;11/12/2025;15/12/2025;#REF!\r\n"
        "########;11/12/2025;15/12/2025;\r\n"
    )
    for export, rows in ((path, 2), (csv, 3)):
        result = read_export(export, PPID, LIMITS)
        assert errors(result) == [(2, "No Registrasi", "error")] + (
            [(4, "No Registrasi", "error")] if rows == 3 else []
        )
        assert "'#N/A' bukan nilai" in result.issues[0].message
        assert result.rows["no_registrasi"].to_list() == [None, "002", None][:rows]
        assert result.rows["keputusan"].to_list() == ["Diterima", "#REF!", None][:rows]


# --- number formats ----------------------------------------------------------------------------


def test_numbers_padded_with_zeros_read_as_excel_shows_them(tmp_path: Path) -> None:
    """A register numbering its requests 1, 2, ... formatted 000 shows 001, as the CSV Excel
    saves holds it and as the next register is typed: read "1", the same request would be
    two items (one of each export). Read as shown, with the format's text around the digits;
    a number column reads the number, a quarter 03 is the third."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    book.set_calc_mode("manual")  # the results saved are what Excel shows
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    formats = ["000", '000"/PPID/XI/2025"', "\\R-0000", "0", "#,##0"]
    sheet.write_row(0, 0, HEADER[:3])
    for r, number_format in enumerate(formats, start=1):
        sheet.write_number(r, 0, r * 10 + 0.4, book.add_format({"num_format": number_format}))
        sheet.write_datetime(r, 1, dt.datetime(2025, 11, 3), day)
    sheet.write_formula(6, 0, "=ROW()-1", book.add_format({"num_format": "000"}), 6)
    sheet.write_datetime(6, 1, dt.datetime(2025, 11, 3), day)
    book.close()
    result = read_export(path, PPID, LIMITS)
    assert result.issues == []
    assert result.rows["no_registrasi"].to_list() == [
        "010", "020/PPID/XI/2025", "R-0030", "40.4", "50.4", "006"
    ]  # fmt: skip
    # openpyxl writes t="n"; a count or a quarter reads its number.
    book = openpyxl.Workbook()
    sheet = book.active
    pemilih = SOURCES["pemilih"]
    sheet.append([c.name for c in pemilih.required])
    sheet.append([2025, 3, "6204012001", 7, 0, 1, 0, 0, 0, 8, 0, "10/10/2025"])
    for cell in sheet[2][1:4]:
        cell.number_format = "00"
    book.save(tmp_path / "b.xlsx")
    result = read_export(tmp_path / "b.xlsx", pemilih, LIMITS)
    assert result.issues == []
    assert result.rows.select("triwulan", "kode_desa", "pemilih_awal_l").row(0) == (
        3, "6204012001", 7
    )  # fmt: skip


def test_a_workbook_that_lost_its_styles_or_strings_is_refused(tmp_path: Path) -> None:
    """A part the workbook names, lost on a disk or in a transfer: without its styles, a
    request numbered 031 by its format reads 31, another request than the 031 of an older
    export (both would count)."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, HEADER[:3])
    sheet.write_number(1, 0, 31, book.add_format({"num_format": '000"/PPID/2025"'}))
    sheet.write_datetime(1, 1, dt.datetime(2025, 11, 3), day)
    book.close()
    assert read_export(path, PPID, LIMITS).rows["no_registrasi"].to_list() == ["031/PPID/2025"]
    for lost in ("xl/styles.xml", "xl/sharedStrings.xml"):
        with zipfile.ZipFile(path) as archive:
            kept = {n: archive.read(n) for n in archive.namelist() if n != lost}
        damaged = tmp_path / "b.xlsx"
        with zipfile.ZipFile(damaged, "w") as archive:
            for name, body in kept.items():
                archive.writestr(name, body)
        result = read_export(damaged, PPID, LIMITS)
        assert result.rejected and result.issues[0].rule == FILE_UNREADABLE, lost
        assert f"'{lost}'" in result.issues[0].message


def test_a_score_shown_as_a_percent_is_no_score(tmp_path: Path) -> None:
    """A SAKIP score typed as 72,12% holds 0.7212: read so, it would publish 0,72 and grade D
    where Excel shows 72,12% (BB by the number a person reads). As in the CSV Excel saves,
    72,12% is no score of 0 to 100: its row's error, never a D."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Tahun", "Nilai"])
    sheet.write_row(1, 0, [2025, 0.7212])
    sheet.write_number(1, 1, 0.7212, book.add_format({"num_format": "0.00%"}))
    sheet.write_row(2, 0, [2024, 68.45])
    book.close()
    result = read_export(path, SOURCES["sakip"], LIMITS)
    assert errors(result) == [(2, "Nilai", "error")]
    assert "'72.12%'" in result.issues[0].message
    assert result.rows["nilai"].to_list() == [None, Decimal("68.45")]


def test_only_cell_styles_that_pad_or_show_a_percent_count() -> None:
    styles = (
        b'<styleSheet><numFmts count="4"><numFmt numFmtId="164" formatCode="000"/>'
        b'<numFmt numFmtId="165" formatCode="&quot;No. &quot;0000"/><numFmt numFmtId="166" '
        b'formatCode="0.00"/><numFmt numFmtId="167" formatCode="0.0%"/></numFmts>'
        b'<cellStyleXfs count="1"><xf numFmtId="164"/></cellStyleXfs><cellXfs count="6"><xf '
        b'numFmtId="0"/><xf numFmtId="166"/><xf numFmtId="165" applyNumberFormat="1"><alignment/>'
        b'</xf><xf numFmtId="164"/><xf numFmtId="9"/><xf numFmtId="167"/></cellXfs></styleSheet>'
    )
    found = shown_styles(styles)
    assert found == {
        2: Shown("No. ", 4, 0, False, ""),
        3: Shown("", 3, 0, False, ""),
        4: Shown("", 1, 0, True, ""),
        5: Shown("", 1, 1, True, ""),
    }
    assert [found[3].text(b"31"), found[3].text(b"-2.5"), found[2].text(b"1E+2")] == [
        "031", "-003", "No. 0100"
    ]  # fmt: skip
    assert [found[4].text(b"0.785"), found[5].text(b"0.7212"), found[5].text(b"2")] == [
        "79%", "72.1%", "200.0%"
    ]  # fmt: skip
    # beyond any number Excel holds, or no number at all (a hand-made "<v>1e</v>"): not
    # shown otherwise, never an error that would cost the file
    assert [found[3].text(b"1E+999"), found[4].text(b"1e"), found[2].text(b"-")] == [None] * 3


# --- tables --------------------------------------------------------------------------------------


def test_a_table_beside_the_register_is_named_not_lost_without_a_word(tmp_path: Path) -> None:
    """The second half-year pasted beside the first, lower down, under its own header: its
    rows are not read (one table per sheet), and a warning names the row of its header. A
    column of notes holding a word that names a column is no table."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*HEADER[:3], "Catatan"])
    sheet.append(["001", "03/03/2025", "05/03/2025", "Tanggal"])
    sheet.append(["002", "04/03/2025", "06/03/2025"])
    sheet.append([])
    sheet.append([None] * 5 + ["SEMESTER II"])
    sheet.append([None] * 5 + HEADER[:3])
    sheet.append([None] * 5 + ["003", "01/07/2025", "03/07/2025"])
    book.save(tmp_path / "a.xlsx")
    result = read_export(tmp_path / "a.xlsx", PPID, LIMITS)
    assert [(i.rule, i.severity, i.row_number) for i in result.issues] == [
        (TABLE_BESIDE, "warning", None)
    ]
    assert "baris 6 " in result.issues[0].message
    assert result.rows["no_registrasi"].to_list() == ["001", "002"]
    book.active.delete_rows(5, 3)  # the register alone
    book.save(tmp_path / "b.xlsx")
    assert read_export(tmp_path / "b.xlsx", PPID, LIMITS).issues == []


# --- size -----------------------------------------------------------------------------------


def test_a_register_larger_than_the_guards_pieces_reads_whole(tmp_path: Path) -> None:
    """The guard inflates each part a megabyte at a time, checking its size and CRC-32 as
    it goes: a register whose sheet inflates to many megabytes, and whose shared strings
    (texts that compress little) are more than a megabyte even compressed, reads every row,
    each value in its place, and is not taken for a cut or damaged file."""
    texts = random.Random(7)
    count = 25_000
    reasons = [base64.b64encode(texts.randbytes(48)).decode() for _ in range(count)]
    rows: list[list[object]] = [[*HEADER, "Alasan Penolakan"]]
    for n, reason in enumerate(reasons):
        asked = dt.date(2025, 1, 2) + dt.timedelta(days=n % 300)
        answered = asked + dt.timedelta(days=7)
        rows.append([f"{n:05d}/PPID/2025", asked, answered, "Tidak", "Ditolak", reason])
    path = write_xlsx(tmp_path / "register.xlsx", rows)
    with zipfile.ZipFile(path) as archive:
        parts = {p.filename: p for p in archive.infolist()}
    assert parts["xl/sharedStrings.xml"].compress_size > 1024 * 1024
    assert parts["xl/worksheets/sheet1.xml"].file_size > 4 * 1024 * 1024

    result = read_export(path, PPID, LIMITS)

    assert result.issues == []
    assert result.rows["alasan_penolakan"].to_list() == reasons
    assert result.rows["no_registrasi"][-1] == rows[-1][0] == f"{count - 1:05d}/PPID/2025"
    assert result.rows["tanggal_pemberitahuan_tertulis"][-1] == rows[-1][2]
