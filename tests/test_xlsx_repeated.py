"""sources.xlsxsheet: a sheet that writes a row or a cell twice is refused. The spreadsheet
reader keeps the last of the two and drops the first without a word, so a late request
written over by a row of the same number, on time, would raise IKU-3; Excel itself calls such
a file damaged."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from exports import PPID, edited, read_export, rules, write_xlsx

import sources.xlsxsheet
from sources.sheet import FILE_UNREADABLE, ReadLimits

SHEET = "xl/worksheets/sheet1.xml"
LIMITS = ReadLimits()
HEADER = ["No Registrasi", "Tanggal Permohonan", "Tanggal Pemberitahuan Tertulis"]
LATE = ["001", "06/01/2025", "30/01/2025"]  # answered after its deadline
ON_TIME = ["002", "07/01/2025", "08/01/2025"]


def register(tmp_path: Path, rows: list[list[str]]) -> Path:
    return write_xlsx(tmp_path / "register.xlsx", [HEADER, *rows])


def row_xml(path: Path, number: int) -> str:
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read(SHEET).decode()
    start = sheet.index(f'<row r="{number}"')
    return sheet[start : sheet.index("</row>", start) + len("</row>")]


def fed(path: Path, size: int) -> None:
    """The sheet of ``path`` scanned as the guard scans it, in pieces of ``size`` bytes."""
    data = path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo(SHEET)
        xml = archive.read(SHEET)
    extent = sources.xlsxsheet.SheetExtent(repeats=True)
    for start in range(0, len(xml), size):
        extent.feed(xml[start : start + size], LIMITS)
    extent.check(data, member, LIMITS)


def test_a_row_written_over_by_another_of_its_number_is_refused(tmp_path: Path) -> None:
    path = register(tmp_path, [LATE, ON_TIME])
    late, on_time = row_xml(path, 2), row_xml(path, 3)
    # After row 3, a row numbered 2 again: the reader would keep it and lose the late request.
    again = on_time.replace('r="3"', 'r="2"').replace('3"', '2"')
    edited(path, SHEET, {on_time: on_time + again})
    result = read_export(path, PPID)
    assert rules(result) == [FILE_UNREADABLE] and result.rows.is_empty()
    assert "baris 2 ditulis dua kali" in result.issues[0].message
    for size in (7, 64, 4096):  # wherever the pieces of the sheet cut
        with pytest.raises(sources.xlsxsheet.ReadError, match="ditulis dua kali"):
            fed(path, size)
    # Two cells C2 in one row: the first date is lost the same way.
    path = register(tmp_path, [LATE, ON_TIME])
    cell = late[late.index('<c r="C2"') :].removesuffix("</row>")
    edited(path, SHEET, {late: late.replace("</row>", cell + "</row>")})
    message = read_export(path, PPID).issues[0].message
    assert "sel C2 ditulis dua kali" in message
    with pytest.raises(sources.xlsxsheet.ReadError, match="sel C2"):
        fed(path, 9)


def test_rows_out_of_order_but_each_written_once_are_read(tmp_path: Path) -> None:
    path = register(tmp_path, [LATE, ON_TIME])
    late, on_time = row_xml(path, 2), row_xml(path, 3)
    edited(path, SHEET, {late + on_time: on_time + late})
    assert sorted(read_export(path, PPID).rows["no_registrasi"]) == ["001", "002"]
    for size in (7, 64, 4096):
        fed(path, size)


def test_what_is_no_cell_of_the_sheet_read_is_never_taken_for_a_repeat(tmp_path: Path) -> None:
    """An external link's cached sheets each restart at row 1 (a formula pointing at another
    workbook), a data validation's prompt may quote r="2" after the cells, and rows may be
    written without r (their cells name them): none of it is a row written twice."""
    path = register(tmp_path, [LATE, ON_TIME])
    cached = '<sheetData sheetId="{}"><row r="2"><cell r="A2"><v>1</v></cell></row></sheetData>'
    link = (
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<externalBook><sheetDataSet>{cached.format(0)}{cached.format(1)}</sheetDataSet>"
        "</externalBook></externalLink>"
    )
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/externalLinks/externalLink1.xml", link)
    prompt = "<dataValidations count=\"1\"><dataValidation prompt=\"isi r='2' dan r='3'\"/>"
    edited(path, SHEET, {"</sheetData>": "</sheetData>" + prompt + "</dataValidations>"})
    assert sorted(read_export(path, PPID).rows["no_registrasi"]) == ["001", "002"]
    for size in (7, 64, 4096):
        fed(path, size)
    # Rows without r: only their cells name them, and a row's cells are few to keep.
    unnamed = register(tmp_path, [LATE, ON_TIME])
    edited(unnamed, SHEET, {'<row r="2"': "<row", '<row r="3"': "<row"})
    assert sorted(read_export(unnamed, PPID).rows["no_registrasi"]) == ["001", "002"]
    extent = sources.xlsxsheet.SheetExtent(repeats=True)
    with zipfile.ZipFile(unnamed) as archive:
        extent.feed(archive.read(SHEET), LIMITS)
    assert len(extent.open_row) == 3  # the last row's cells, not the sheet's
