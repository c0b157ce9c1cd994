"""Hostile files: whatever the bytes, ``read_export`` returns (never raises), within the limits.

Each file is generated here. A file over a limit is rejected with the rule of that limit, a
value that cannot be stored is an error of its row, and anything unforeseen becomes the
rejection ``kesalahan_tak_terduga`` instead of ending the run.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import struct
import subprocess
import sys
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import fastexcel
import pytest
import xlsxwriter
from exports import PPID, PPID_HEADER, PPID_ROWS, read_export, rules, write_csv, write_xlsx

import sources.read
import sources.xlsx
import sources.xlsxchild
import sources.xlsxguard
import sources.xlsxsheet
import sources.xlsxstrings
import sources.xlsxzip
from sources import SOURCES
from sources.sheet import (
    COLUMN_DUPLICATE,
    FIELD_TOO_LONG,
    FILE_EMPTY,
    FILE_TOO_LARGE,
    FILE_UNREADABLE,
    FORMAT_UNSUPPORTED,
    LINE_TOO_LONG,
    TOO_MANY_COLUMNS,
    TOO_MANY_ROWS,
    UNEXPECTED_ERROR,
    VALUE_INVALID,
    XLSX_TOO_LARGE,
    ReadLimits,
    ReadResult,
)

AS_OF = dt.date(2025, 12, 31)
LIMITS = ReadLimits(as_of=AS_OF)
SAKIP = SOURCES["sakip"]
SIAKBA = SOURCES["siakba"]
SIAKBA_HEADER = [c.name for c in SIAKBA.columns]


def siakba_row(n: int, birth: str = "01/01/1999", pelantikan: str = "25/01/2024") -> list[str]:
    nik = f"62040141019900{n:02}"
    person = [f"R{n}", "Pemilu 2024", nik, "Ani", "P", birth, "SMA"]
    return [*person, "6204012001", "001", "Anggota", "Lulus", pelantikan]


def rejected_with(result: ReadResult, rule: str) -> str:
    """The message of the one file-level issue, which must be ``rule``."""
    assert result.rejected
    assert rules(result) == [rule], result.issues
    assert result.valid_rows().is_empty()
    return result.issues[0].message


def row_errors(result: ReadResult) -> list[tuple[int | None, str | None]]:
    return [(i.row_number, i.column) for i in result.issues if i.rule == VALUE_INVALID]


# --- XLSX built by hand, for what no spreadsheet writer would produce ------------------------

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_START = (
    b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"><sheetData>'
)
SHEET_END = b"</sheetData></worksheet>"


WORKBOOK_PARTS = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": RELS,
    "xl/workbook.xml": WORKBOOK,
    "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
}


def hand_made_xlsx(path: Path, write_sheet: Callable[[io.BufferedIOBase], object]) -> Path:
    """A minimal workbook whose first sheet's XML ``write_sheet`` streams in."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in WORKBOOK_PARTS.items():
            archive.writestr(part, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START)
            write_sheet(sheet)  # type: ignore[arg-type]
            sheet.write(SHEET_END)
    return path


def sheets_xlsx(path: Path, sheets: str, relations: str, parts: dict[str, bytes]) -> Path:
    """A workbook whose <sheets> and relationships are written as given, with ``parts``."""
    rels = WORKBOOK_RELS[WORKBOOK_RELS.index("<Relationship ") : WORKBOOK_RELS.index("</R")]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK.replace(
            '<sheet name="Data" sheetId="1" r:id="rId1"/>', sheets
        ))  # fmt: skip
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.replace(rels, relations))
        for name, body in parts.items():
            archive.writestr(name, body)
    return path


def sheet_xml(xml: str) -> Callable[[io.BufferedIOBase], object]:
    return lambda sheet: sheet.write(xml.encode())


def text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


PPID_XML_HEADER = '<row r="1">' + "".join(
    text_cell(f"{chr(65 + i)}1", name) for i, name in enumerate(PPID_HEADER)
)


BOMB_BYTES = 1 << 30
BOMB_CRC = 0x5B64C2B0  # zlib.crc32 of 1 GiB of zeros


def write_zip_bomb(path: Path) -> Path:
    """A valid XLSX of 1 MiB whose sheet decompresses to 1 GiB of zeros. The deflate stream
    is one compressed 16 MiB block of zeros repeated (each ends with a full flush, so the
    copies are identical), written over a stored placeholder of the same length."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflate.compress(bytes(16 * 1024 * 1024)) + deflate.flush(zlib.Z_FULL_FLUSH)
    stream = block * (BOMB_BYTES // (16 * 1024 * 1024)) + deflate.flush()
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path, "w") as archive:
        for part, text in WORKBOOK_PARTS.items():
            archive.writestr(part, text)
        archive.writestr(name, bytes(len(stream)))
        local = archive.getinfo(name).header_offset
    data = bytearray(path.read_bytes())
    begin = local + 30 + len(name)
    data[begin : begin + len(stream)] = stream
    entry = directory_entry(data, name)
    for method, crc, size in (
        (local + 8, local + 14, local + 22),
        (entry + 10, entry + 16, entry + 24),
    ):
        struct.pack_into("<H", data, method, zipfile.ZIP_DEFLATED)
        struct.pack_into("<II", data, crc, BOMB_CRC, len(stream))
        struct.pack_into("<I", data, size, BOMB_BYTES)
    path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_zip_bomb(tmp_path_factory.mktemp("bomb") / "bom.xlsx")


def test_the_zip_bomb_is_a_real_one(zip_bomb: Path) -> None:
    """Its directory tells the truth: it does decompress to 1 GiB, with the right CRC."""
    with zipfile.ZipFile(zip_bomb) as archive:
        assert archive.testzip() is None
        info = archive.getinfo("xl/worksheets/sheet1.xml")
        assert (info.file_size, info.compress_size < 2 * 1024 * 1024) == (BOMB_BYTES, True)


# --- limits ------------------------------------------------------------------------------


def test_file_over_max_file_bytes_is_rejected_unread(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [PPID_HEADER, *PPID_ROWS * 50])
    message = rejected_with(
        read_export(path, PPID, limits=ReadLimits(max_file_bytes=1000)), FILE_TOO_LARGE
    )
    assert "IKU_MAX_FILE_BYTES" in message


def test_zip_bomb_is_rejected_from_its_directory(zip_bomb: Path) -> None:
    message = rejected_with(read_export(zip_bomb, PPID), XLSX_TOO_LARGE)
    assert "IKU_MAX_XLSX_UNCOMPRESSED_BYTES" in message


def test_zip_bomb_under_the_size_limit_is_rejected_by_its_ratio(zip_bomb: Path) -> None:
    limits = ReadLimits(max_xlsx_uncompressed_bytes=2 * 1024**3)
    message = rejected_with(read_export(zip_bomb, PPID, limits=limits), XLSX_TOO_LARGE)
    assert "IKU_MAX_XLSX_RATIO" in message


def test_member_decompressing_to_more_than_its_declared_size_is_rejected(tmp_path: Path) -> None:
    """The spreadsheet reader decompresses a member's whole stream, whatever the zip directory
    declares: a bomb declares a small size (with the CRC of that much) and holds far more."""
    rows = "".join(f'<row r="{r}">{text_cell(f"A{r}", "x" * 50)}</row>' for r in range(2, 5000))
    path = hand_made_xlsx(tmp_path / "a.xlsx", sheet_xml(PPID_XML_HEADER + "</row>" + rows))
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(name).header_offset
        real = archive.read(name)
    data = bytearray(path.read_bytes())
    crc, size = struct.pack("<I", zlib.crc32(real[:1000])), struct.pack("<I", 1000)
    data[local + 14 : local + 18], data[local + 22 : local + 26] = crc, size
    entry = directory_entry(data, name)
    data[entry + 16 : entry + 20], data[entry + 24 : entry + 28] = crc, size
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(name).file_size == 1000
        assert len(archive.read(name)) == 1000  # Python's zipfile believes the directory
    message = rejected_with(read_export(path, PPID), XLSX_TOO_LARGE)
    assert "zip bomb" in message and "file rusak" in message  # either: damage inflates on too


def test_member_whose_bytes_changed_since_it_was_zipped_is_rejected(tmp_path: Path) -> None:
    """A byte changed on a disk or in a transfer may still inflate (a flipped bit read a name
    with another letter): the zip's CRC-32 tells, which the spreadsheet reader never checks."""
    written = write_xlsx(tmp_path / "a.xlsx", [PPID_HEADER, *PPID_ROWS])
    path = tmp_path / "b.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as stored:
        for member in source.infolist():  # stored, so that the changed byte is one we choose
            stored.writestr(member.filename, source.read(member))
    key = PPID_ROWS[0][0].encode()
    path.write_bytes(path.read_bytes().replace(key, key.replace(b"001", b"009")))
    message = rejected_with(read_export(path, PPID), FILE_UNREADABLE)
    assert "CRC" in message


def directory_entry(data: bytearray, name: str) -> int:
    """Where the central directory entry of member ``name`` starts."""
    at = -1
    while (at := data.find(b"PK\x01\x02", at + 1)) >= 0:
        (length,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46 : at + 46 + length] == name.encode():
            return at
    raise AssertionError(name)


def test_zip_with_too_many_members_is_rejected_before_listing_them(tmp_path: Path) -> None:
    """Each directory entry costs Python's zipfile about 1 KiB: 10^6 of them, a gigabyte."""
    path = tmp_path / "banyak.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for part, text in WORKBOOK_PARTS.items():
            archive.writestr(part, text)
        for n in range(10_001):
            archive.writestr(f"x/{n}", b"")
    assert "10000 bagian" in rejected_with(read_export(path, PPID), XLSX_TOO_LARGE)


def test_sparse_sheet_that_would_abort_the_spreadsheet_reader_is_rejected(tmp_path: Path) -> None:
    """Two cells, A1 and XFD1048576, in 1 KiB: calamine would allocate 512 GiB and abort."""
    xml = PPID_XML_HEADER + '</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    path = hand_made_xlsx(tmp_path / "a.xlsx", sheet_xml(xml))
    message = rejected_with(read_export(path, PPID), TOO_MANY_COLUMNS)
    assert "16384 kolom" in message
    assert "IKU_MAX_COLUMNS" in message


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="A2"r="XFD2"><v>1</v></c>',  # no space: the reader takes the last r
        '<c t="n"r="XFD2"><v>1</v></c>',
        "<c r = 'XFD2'><v>1</v></c>",
        '<c\tr="xfd2"><v>1</v></c>',
        '<x:c r="XFD2"><v>1</v></x:c>',
        '<c r="A2" r="XFD2"><v>1</v></c>',
        '<c r="XFD2" a="/>"><v>1</v></c>',  # not an empty cell: "/>" inside quotes
    ],
    ids=[
        "no-space",
        "after-attribute",
        "spaces-quotes",
        "tab-lowercase",
        "prefix",
        "twice",
        "quoted-close",
    ],
)
def test_references_in_any_form_the_reader_accepts_are_seen(tmp_path: Path, cell: str) -> None:
    path = hand_made_xlsx(
        tmp_path / "a.xlsx", sheet_xml(PPID_XML_HEADER + f"</row><row>{cell}</row>")
    )
    assert "16384 kolom" in rejected_with(read_export(path, PPID), TOO_MANY_COLUMNS)


def test_reference_not_first_in_the_tag_is_fine(tmp_path: Path) -> None:
    rows = "".join(
        f'<row r="{r}"><c s="0" t="inlineStr" r="A{r}"><is><t>{r:03}</t></is></c>'
        f'<c t="inlineStr" r="B{r}"><is><t>27/03/2025</t></is></c></row>'
        for r in range(2, 12)
    )
    header = '<row r="1">' + "".join(
        text_cell(f"{chr(65 + i)}1", name) for i, name in enumerate(PPID_HEADER)
    )
    path = hand_made_xlsx(tmp_path / "a.xlsx", sheet_xml(header + "</row>" + rows))
    result = read_export(path, PPID)
    assert (result.issues, result.rows.height) == ([], 10)


def test_tall_sheet_is_rejected_by_its_row_count(tmp_path: Path) -> None:
    xml = PPID_XML_HEADER + '</row><row r="900"><c r="A900"><v>1</v></c></row>'
    path = hand_made_xlsx(tmp_path / "a.xlsx", sheet_xml(xml))
    message = rejected_with(read_export(path, PPID, limits=ReadLimits(max_rows=899)), TOO_MANY_ROWS)
    assert "900 baris" in message
    # a row number of more digits than Python converts: as tall as can be, never a crash
    xml = PPID_XML_HEADER + '</row><row r="2"><c r="A' + "9" * 5000 + '"><v>1</v></c></row>'
    path = hand_made_xlsx(tmp_path / "b.xlsx", sheet_xml(xml))
    assert "IKU_MAX_ROWS" in rejected_with(read_export(path, PPID), TOO_MANY_ROWS)


def test_tall_sparse_sheet_is_rejected_by_its_cell_count(tmp_path: Path) -> None:
    xml = PPID_XML_HEADER + '</row><row r="1048576"><c r="J1048576"><v>1</v></c></row>'
    path = hand_made_xlsx(tmp_path / "a.xlsx", sheet_xml(xml))
    message = rejected_with(read_export(path, PPID), XLSX_TOO_LARGE)
    assert "1048576 baris × 10 kolom" in message
    assert "IKU_MAX_XLSX_CELLS" in message


@pytest.mark.parametrize(
    "far",
    [
        '<row r="1048576"><c r="XFD1048576" s="1"/></row>',  # a border with no value
        '<row r="1048576" ht="20" customHeight="1"/>',  # a row's height, no cell
    ],
    ids=["styled-empty-cell", "row-height"],
)
def test_formatting_reaching_far_without_values_is_no_extent(tmp_path: Path, far: str) -> None:
    """Formatted down to the last row (Ctrl+End lands there): the reader allocates cells with
    a value only, so the file loads."""
    row = '<row r="2">' + "".join(
        text_cell(f"{chr(65 + i)}2", value) for i, value in enumerate(PPID_ROWS[0])
    )
    xml = PPID_XML_HEADER + "</row>" + row + "</row>" + far
    limits = ReadLimits(max_xlsx_cells=1_000_000)  # below 1,048,576 rows × 4 columns
    result = read_export(hand_made_xlsx(tmp_path / "a.xlsx", sheet_xml(xml)), PPID, limits=limits)
    assert result.issues == [] and result.rows.height == 1


def two_sheets_of_one_name(path: Path) -> Path:
    """A workbook whose two sheets are both named "Data" (the first hidden)."""
    sheets = "".join(
        f'<sheet name="Data" sheetId="{n}" r:id="rId{n}"{hidden}/>'
        for n, hidden in ((1, ' state="hidden"'), (2, ""))
    )
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in (1, 2)
    )
    body = SHEET_START + (PPID_XML_HEADER + "</row>").encode() + SHEET_END
    parts = {f"xl/worksheets/sheet{n}.xml": body for n in (1, 2)}
    sheets_xlsx(path, sheets, relations, parts)
    return path


def test_two_sheets_of_one_name_are_refused(tmp_path: Path) -> None:
    """The spreadsheet reader finds a sheet by its name: with two of one name, the one read
    might not be the one checked."""
    path = two_sheets_of_one_name(tmp_path / "a.xlsx")
    assert "bernama sama" in rejected_with(read_export(path, PPID), FILE_UNREADABLE)


def test_where_no_reader_child_starts_the_file_is_read_here(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A child that cannot start (here: a memory limit too low for Python to load the reader
    in it; or a Python that can no longer be run) costs no file: the run says so and reads
    in its own process, and a file the reader refuses is still only that file's rejection."""
    starved = ReadLimits(as_of=AS_OF, max_xlsx_memory_bytes=64 * 1024 * 1024)
    good = write_xlsx(tmp_path / "good.xlsx", [PPID_HEADER, *PPID_ROWS])
    with caplog.at_level("WARNING", logger="iku"):
        result = read_export(good, PPID, limits=starved)
    assert result.issues == [] and result.rows.height == len(PPID_ROWS)
    assert "proses anak pembaca XLSX tidak siap; XLSX dibaca di proses ini" in caplog.messages
    refused = read_export(two_sheets_of_one_name(tmp_path / "a.xlsx"), PPID, limits=starved)
    assert "bernama sama" in rejected_with(refused, FILE_UNREADABLE)


FAR = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
# An empty far cell makes the guard count again, from cells that may hold a value: the
# valued cell beside it must still be seen, however its tag is written.
HIDDEN = {
    "quoted-r": '<row r="1048576"><c r="XFC1048576"/><c t="inlineStr" x=" r="><is><t>y</t></is></c></row>',
    "unicode-prefix": '<row r="1048576"><c r="XFC1048576"/><é:c t="inlineStr"><é:is><é:t>y</é:t></é:is></é:c></row>',
}  # fmt: skip


BIG_TEXT = "<r><t>" + "a" * 300_000 + "</t></r>"  # within the text between two tags


@pytest.mark.parametrize(
    ("members", "rels"),
    [
        ({"XL/WORKSHEETS/SHEET1.XML": FAR}, None),  # the reader finds names in any case
        ({"xl/worksheets/sheet1.xml": "x" + FAR}, None),  # junk before the XML
        (  # the reader and a regex read this relationship differently
            {"xl/worksheets/sheet1.xml": FAR, "xl/worksheets/sheet2.xml": ""},
            WORKBOOK_RELS.replace(
                'Target="worksheets/sheet1.xml"',
                'Target="worksheets/sheet1.xml" x:Target="worksheets/sheet2.xml"',
            ),
        ),
        ({"xl/worksheets/sheet1.xml": HIDDEN["quoted-r"]}, None),
        ({"xl/worksheets/sheet1.xml": HIDDEN["unicode-prefix"]}, None),
        (  # one shared string of 600 KB in 12,000 cells: the reader copies it into each
            {
                "xl/worksheets/sheet1.xml": '<row><c t="s"><v>0</v></c></row>' * 12_000,
                "xl/sharedStrings.xml": f"<sst><si>{BIG_TEXT * 2}</si></sst>",
            },
            None,
        ),
        (  # one of 30 KB (within a cell's limit) in 160,000 cells: 4.6 GB
            {
                "xl/worksheets/sheet1.xml": "".join(
                    f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c></row>' for n in range(2, 160_002)
                ),
                "xl/sharedStrings.xml": f"<sst><si><t>{'a' * 30_000}</t></si></sst>",
            },
            None,
        ),
        (  # one of 600 KB whose pieces a "<si" in comments made look short
            {
                "xl/worksheets/sheet1.xml": '<row><c t="s"><v>0</v></c></row>' * 12_000,
                "xl/sharedStrings.xml": "<sst><si><t>"
                + ("a" * 100_000 + "<!--<si>-->") * 6
                + "</t></si></sst>",
            },
            None,
        ),
    ],
    ids=[
        "member-case",
        "leading-junk",
        "prefixed-target",
        "quoted-r",
        "unicode-prefix",
        "shared-string-copies",
        "shared-string-in-many-cells",
        "shared-string-cut-by-comments",
    ],
)
def test_no_sheet_the_reader_could_open_escapes_the_guard(
    tmp_path: Path, members: dict[str, str], rels: str | None
) -> None:
    """Each of these once aborted the process (calamine asked for 512 GiB): read in a child
    process, so that a regression fails this test instead of ending the suite."""
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for part, text in WORKBOOK_PARTS.items():
            if part != "xl/_rels/workbook.xml.rels":
                archive.writestr(part, text)
        archive.writestr("xl/_rels/workbook.xml.rels", rels or WORKBOOK_RELS)
        for member, rows in members.items():
            if member.endswith("sharedStrings.xml"):
                archive.writestr(member, rows)
                continue
            junk, rows = (rows[0], rows[1:]) if rows.startswith("x") else ("", rows)
            body = PPID_XML_HEADER + "</row>" + rows
            archive.writestr(member, junk.encode() + SHEET_START + body.encode() + SHEET_END)
    rules = rules_in_a_child(path)
    assert TOO_MANY_COLUMNS in rules or FIELD_TOO_LONG in rules or XLSX_TOO_LARGE in rules


def rules_in_a_child(path: Path) -> str:
    """The rules of the issues of ``path`` read in a child process, which a regression of the
    guard ends instead of the suite."""
    child = read_in_a_child(path, "print([i.rule for i in result.issues])")
    assert child.returncode == 0, child.stderr[-500:]
    return child.stdout


def read_in_a_child(path: Path, then: str, first: str = "pass") -> subprocess.CompletedProcess[str]:
    """``path`` read as a PPID export by a new Python process, which runs ``first`` before
    and ``then`` after (the read's ``result`` at hand)."""
    code = (
        "import resource, sys; from pathlib import Path; from sources import SOURCES; "
        f"from sources.read import read_exports; {first}; "
        f"result = read_exports([Path(sys.argv[1])], SOURCES['ppid'])[0]; {then}"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[1],
    )  # fmt: skip


def workbook_bytes(sheet_rows: str, shared_strings: str) -> bytes:
    """A minimal workbook of one sheet (its rows) and its shared strings."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in WORKBOOK_PARTS.items():
            archive.writestr(part, text)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_START + sheet_rows.encode() + SHEET_END)
        archive.writestr("xl/sharedStrings.xml", shared_strings)
    return buffer.getvalue()


def reader_cell(data: bytes) -> str | None:
    """What the spreadsheet reader itself makes of cell A1 (the files here are tiny)."""
    frame = fastexcel.read_excel(data).load_sheet(0, header_row=None, dtypes="string")
    values = frame.to_polars().rows()
    return values[0][0] if values else None


SHARED = [  # shared strings written in ways a regular expression reads otherwise
    "<si><t>a</t></si>",
    "<si/>",
    "<si><r><t>bb</t></r><r><t>B</t></r></si>",
    "<si><t>c<!--<si><t>x</t></si>-->C</t><rPh><t>phonetic</t></rPh></si>",
    "<si><t><![CDATA[d<si>]]>&amp;&#233;</t></si>",
    "<si><t>e</t><si><t>nested</t></si>tail<t>E</t></si>",
    "<x:si><x:t>ffff</x:t></x:si>",
    "<si>text outside t<t>g</t></si>",
    "<si><t>h<si></si></t><si><t>H</t></si></si>",  # a "</si>" inside a text ends nothing
    "<a:b:si><t>not a string</t></a:b:si>",  # its local name is "b:si"
    # a text ends at the first </t>; then a string's first </si> ends it, and "J" is a string
    "<si><t>i<t>I</t><si></si><si><t>J</t></si>i</t></si>",
    "<si><rPh>k<rPh>K</rPh><si/><si><t>L</t></si>k</rPh></si>",  # a phonetic run likewise
    "<si><t>z</t></si>",
]


def test_shared_strings_are_measured_as_the_reader_reads_them() -> None:
    """Every shared string, however written, is at least as long as the reader's copy of
    it, under the index the reader gives it (one "<si" too many would shift every index)."""
    sst = '<sst xmlns:x="urn:x">' + "".join(SHARED) + "</sst>"
    data = workbook_bytes('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', sst)
    archive = zipfile.ZipFile(io.BytesIO(data))
    pieces = [sst.encode()[i : i + 7] for i in range(0, len(sst.encode()), 7)]  # tags split
    strings = sources.xlsxstrings.SharedStrings()
    list(strings.read(iter(pieces), LIMITS))
    assert archive.read("xl/sharedStrings.xml") == sst.encode()
    copies: list[str] = []
    while True:  # the reader's strings, until the index it does not have
        cell = f'<row r="1"><c r="A1" t="s"><v>{len(copies)}</v></c></row>'
        try:
            copies.append(reader_cell(workbook_bytes(cell, sst)) or "")
        except Exception:  # calamine: the index is not in the table
            break
    assert copies[-1] == "z" and len(copies) == len(SHARED) + 1  # (one "b:si", two more)
    assert len(strings.lengths) == len(copies) and strings.unknown == 0
    for index, copy in enumerate(copies):
        assert strings.lengths[index] >= len(copy.encode()), (index, copy)
    assert strings.lengths[0] == 1 and strings.lengths[6] == 4  # and not grossly more


@pytest.mark.parametrize(
    "value",
    ["2", "002", "x", "1.5", " 2", "+2", "", "&#50;", "<![CDATA[2]]>", "2<!--x-->", "1</v><v>2"],
)
def test_a_value_copies_no_more_than_the_guard_counts(value: str) -> None:
    """The reader takes a string cell's value as an index, and a value that is no number
    as 0: the guard's count of copied text is never below the reader's copy."""
    sst = f"<sst><si><t>{'a' * 10}</t></si><si><t>b</t></si><si><t>{'c' * 100}</t></si></sst>"
    strings = sources.xlsxstrings.SharedStrings()
    list(strings.read(iter([sst.encode()]), LIMITS))
    for cell in (
        f'<c r="A1" t="s"><v>{value}</v></c>',
        f'<x:c r="A1" t="s"><x:v>{value}</x:v></x:c>',  # as the Open XML SDK writes
        f'<c t="s"><x:v>{value}</x:v></c>',
        f'<c r="A1" t="s"><:v>{value}</:v></c>',  # local name: what follows the first colon
        f'<c r="A1" t="s"><v a=">">{value}</v></c>',
        f'<c r="A1" t="s"><v a="<">{value}</v></c>',
        f'<c r="A1" t="s"><c r="B1"><v>{value}</v></c></c>',  # the value is A1's
        f'<c r="A1" t="s"><f>X</f><v>{value}</v></c>',
        f'<c r="A1" t="s"><v/>{value}</c>',  # an empty value names nothing
    ):
        data = workbook_bytes(f'<row r="1">{cell}</row>', sst)
        sheet = iter([SHEET_START, f'<row r="1">{cell}</row>'.encode(), SHEET_END])
        counted = sources.xlsxstrings._copied(sheet, strings, 2**40)
        try:
            copy = reader_cell(data) or ""
        except Exception:  # a cell the reader refuses copies nothing
            copy = ""
        assert counted >= len(copy.encode()), (cell, copy)


def test_copied_shared_text_is_refused_beyond_the_limit() -> None:
    """A sheet that copies more shared text than an XLSX may hold unpacked is refused; a
    long string in a few cells is read, although every value could have named it."""
    limits = ReadLimits(max_xlsx_uncompressed_bytes=1024 * 1024)
    names = "".join(f"<si><t>Nama {n}</t></si>" for n in range(2_000))
    sst = f"<sst>{names}<si><t>{'x' * 20_000}</t></si></sst>"

    def sheet(copies: int) -> str:
        cells = [f'<c r="A{n}" t="s"><v>{n - 2}</v></c>' for n in range(2, 2_002)]
        cells += [f'<c r="A{n}" t="s"><v>2000</v></c>' for n in range(2_002, 2_002 + copies)]
        cells += [f'<c r="B{n}"><v>{n}.5</v></c>' for n in range(2, 2_002)]  # numbers
        cells += [  # formulas: a text result with an entity, and results never saved
            f'<c r="C{n}" t="str"><f>A{n}&amp;"1"</f><v>001 &amp; {n}</v></c>'
            f'<c r="D{n}"><f>B{n}</f></c><c r="E{n}"><f>B{n}</f><v/></c>'
            for n in range(2, 2_002)
        ]
        return "".join(f'<row r="{n}">{c}</row>' for n, c in enumerate(cells, 2))

    sources.xlsxguard.check_xlsx(workbook_bytes(sheet(10), sst), limits)  # 0.2 MB copied
    with pytest.raises(sources.sheet.ReadError, match="sharedStrings") as refused:
        sources.xlsxguard.check_xlsx(workbook_bytes(sheet(60), sst), limits)  # 1.2 MB
    assert refused.value.rule == XLSX_TOO_LARGE


def test_shared_strings_the_parser_refuses_count_whole() -> None:
    """With a document type (entities a regular expression cannot expand) or not
    well-formed, every string counts as the whole part."""
    for sst in (
        '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst><si><t>&a;&a;</t></si></sst>',
        "<sst><si><t>a</x></si></sst>",
    ):
        strings = sources.xlsxstrings.SharedStrings()
        list(strings.read(iter([sst.encode()]), LIMITS))
        assert strings.length(0) == strings.longest() == 3 * len(sst)


def test_a_byte_of_a_declared_latin1_counts_as_the_reader_decodes_it() -> None:
    """The reader takes ISO-8859-1 as windows-1252, as the web does: 0x80 is "€", 3 bytes
    in UTF-8 (the XML parser here gives U+0080, 2 bytes)."""
    sst = b'<?xml version="1.0" encoding="ISO-8859-1"?><sst><si><t>' + b"\x80" * 10
    sst += b"</t></si></sst>"
    strings = sources.xlsxstrings.SharedStrings()
    list(strings.read(iter([sst]), LIMITS))
    copy = reader_cell(workbook_bytes('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', sst))
    assert copy == "€" * 10 and strings.length(0) >= len(copy.encode())


def test_sheet_data_behind_a_long_run_without_tags_is_still_checked(tmp_path: Path) -> None:
    """<sheetData> as the last tag of the first megabyte, then 400 KiB of spaces, then the
    cells: the guard must not lose sight of the sheet while it skips the run."""
    noise = "<!--" + random.Random(2).randbytes(12_000).hex() + "-->"  # keeps the ratio low
    start = SHEET_START[: -len(b"<sheetData>")] + noise.encode()
    start += b" " * (1024 * 1024 - 400 * 1024 - len(start)) + b"<sheetData>"
    start += b" " * (1024 * 1024 + 1000 - len(start))
    # (and no </worksheet>: the only other "sheetData" is in the member's last tag)
    body = start + (PPID_XML_HEADER + "</row>" + FAR).encode() + b"</sheetData>"
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in WORKBOOK_PARTS.items():
            archive.writestr(part, text)
        archive.writestr("xl/worksheets/sheet1.xml", body)
    rules = rules_in_a_child(path)  # refused: for the run of spaces, or for the far cell
    assert FIELD_TOO_LONG in rules or TOO_MANY_COLUMNS in rules


def test_a_zip_whose_two_end_records_disagree_is_refused(tmp_path: Path) -> None:
    """A zip64 end record and the ordinary one pointing at different directories: Python's
    zipfile reads one, the spreadsheet reader's zip library the other."""
    good = hand_made_xlsx(tmp_path / "good.xlsx", sheet_xml(PPID_XML_HEADER + "</row>"))
    data = good.read_bytes()
    end = data.rfind(b"PK\x05\x06")
    count, size, offset = struct.unpack_from("<HII", data, end + 10)
    record = b"PK\x06\x06" + struct.pack("<QHHIIQQQQ", 44, 45, 45, 0, 0, count, count, size, offset)
    locator = b"PK\x06\x07" + struct.pack("<IQI", 0, end, 1)
    forged = data[:end] + record + locator + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0,
        count, count, size + 1, offset, 0)  # fmt: skip
    path = tmp_path / "a.xlsx"
    path.write_bytes(forged)
    assert "direktori berbeda" in rejected_with(read_export(path, PPID), FILE_UNREADABLE)
    path.write_bytes(data[:end] + record + locator + data[end:])  # the two agree: read
    assert read_export(path, PPID).issues == []


def forged_zip(data: bytes, how: str) -> bytes:
    """``data`` (a workbook) damaged or made foreign as ``how``
    says, with every other structure of the zip left valid."""
    forged, end = bytearray(data), data.rfind(b"PK\x05\x06")
    entry = directory_entry(forged, "xl/worksheets/sheet1.xml")
    if how == "lzma":  # compressed otherwise than deflated (Python's zipfile reads it)
        copy = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(copy, "w") as archive:
            for member in source.infolist():
                archive.writestr(member.filename, source.read(member), zipfile.ZIP_LZMA)
        return copy.getvalue()
    if how == "zip64 hilang":  # a zip64 locator pointing at no zip64 end record
        return data[:end] + b"PK\x06\x07" + struct.pack("<IQI", 0, 0, 1) + data[end:]
    if how == "zip64 tak ditulis":  # an offset saying "see the zip64 record", and none
        forged[end + 16 : end + 20] = b"\xff" * 4
    elif how == "bagian bergeser":  # the directory points one byte into a member
        (offset,) = struct.unpack_from("<I", forged, entry + 42)
        forged[entry + 42 : entry + 46] = struct.pack("<I", offset + 1)
    elif how == "kata sandi":  # a zip encrypted member's flag
        forged[entry + 8] |= 1
    return bytes(forged)


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("zip64 hilang", "catatan akhir ZIP64 tidak ada"),
        ("zip64 tak ditulis", "catatan akhir ZIP64 tidak ada"),
        ("bagian bergeser", "bagian 'xl/worksheets/sheet1.xml' rusak"),
        ("kata sandi", None),
        ("lzma", "metode kompresi 14"),
    ],
)
def test_a_zip_damaged_or_of_a_foreign_kind_is_refused_with_its_reason(
    tmp_path: Path, how: str, reason: str | None
) -> None:
    """The guard reads the zip's structures itself, as the spreadsheet reader's zip library
    will: an end record pointing at nothing, a member not where the directory says, a member
    encrypted or compressed otherwise than deflated or stored is refused, saying why."""
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in WORKBOOK_PARTS.items():
            archive.writestr(part, text)
        sheet = SHEET_START + (PPID_XML_HEADER + "</row>").encode() + SHEET_END
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    assert read_export(path, PPID).issues == []  # unforged, it reads
    path.write_bytes(forged_zip(path.read_bytes(), how))
    message = rejected_with(read_export(path, PPID), FILE_UNREADABLE)
    if reason is None:
        assert message == "XLSX dilindungi kata sandi; simpan ulang tanpa kata sandi"
    else:
        assert message == (
            f"file XLSX tidak dapat dibuka (rusak, terpotong, atau bukan XLSX): {reason}. "
            "Ekspor ulang dari aplikasi sumber"
        )


def test_a_zip64_field_must_agree_with_what_python_read() -> None:
    """Python's zipfile takes a zip64 size or offset only where the ordinary field is full;
    the spreadsheet reader's zip library takes every one present."""
    member = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
    member.file_size, member.compress_size, member.header_offset = 100, 50, 0
    member.extra = struct.pack("<HHQQQ", 1, 24, 100, 50, 0)
    sources.xlsxzip.read_alike(member)  # the same three: fine
    member.extra = struct.pack("<HHQQQ", 1, 24, 100, 50, 4096)  # another member's bytes
    with pytest.raises(ValueError, match="ZIP64"):
        sources.xlsxzip.read_alike(member)


def test_a_zip_member_named_otherwise_in_its_unicode_path_is_refused(tmp_path: Path) -> None:
    """Python's zipfile ignores the Unicode path field (0x7075); the reader's zip library
    takes it: shared strings stored as "xl/strings0.xml" would reach it unchecked."""
    sst = b"<sst><si><t>" + b"a" * 100_000 + b"</t></si></sst>"
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in WORKBOOK_PARTS.items():
            archive.writestr(part, text)
        rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' * 5_000
        archive.writestr("xl/worksheets/sheet1.xml", SHEET_START + rows.encode() + SHEET_END)
        for stored, named in (("xl/strings0.xml", "xl/sharedStrings.xml"),):
            member = zipfile.ZipInfo(stored, date_time=(2025, 1, 1, 0, 0, 0))
            field = b"\x01" + struct.pack("<I", zlib.crc32(stored.encode())) + named.encode()
            member.extra = struct.pack("<HH", 0x7075, len(field)) + field
            archive.writestr(member, sst, zipfile.ZIP_DEFLATED)
    assert "Unicode" in rejected_with(read_export(path, PPID), FILE_UNREADABLE)


def test_a_reader_that_dies_costs_one_file(tmp_path: Path) -> None:
    """The XLSX reader runs in a child process with a memory limit: when it aborts (here a
    sheet reaching XFD1048576 that limits raised too far let through: calamine asks for
    512 GiB), the file is rejected, and the next file is read by a new child."""
    loose = ReadLimits(max_xlsx_cells=10**12, max_rows=10**7, max_columns=20_000)
    far = hand_made_xlsx(tmp_path / "far.xlsx", sheet_xml(PPID_XML_HEADER + "</row>" + FAR))
    message = rejected_with(read_export(far, PPID, limits=loose), FILE_UNREADABLE)
    assert "berhenti mendadak" in message and "IKU_MAX_XLSX_MEMORY_BYTES" in message
    good = write_xlsx(tmp_path / "good.xlsx", [PPID_HEADER, *PPID_ROWS])
    assert read_export(good, PPID, limits=loose).issues == []


def test_a_memory_limit_set_from_outside_still_gets_a_child(tmp_path: Path) -> None:
    """Run under a lower hard limit on address space (ulimit -v), the child takes that one
    instead of failing to start (then the reader would run unprotected in the run's own
    process)."""
    good = write_xlsx(tmp_path / "good.xlsx", [PPID_HEADER, *PPID_ROWS])
    limited = "resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))"
    child = read_in_a_child(good, "print(result.rows.height)", first=limited)
    assert child.returncode == 0 and child.stdout.strip() == str(len(PPID_ROWS)), child.stderr
    assert "tidak dapat dimulai" not in child.stderr


def test_a_reader_that_never_ends_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    """A child that does not answer in time is ended, and the next work gets a new one."""
    monkeypatch.setattr(sources.xlsxchild, "_SECONDS", 1)
    memory = LIMITS.max_xlsx_memory_bytes
    with pytest.raises(sources.sheet.ReadError, match="tidak selesai membaca"):
        sources.xlsxchild.in_child(memory, time.sleep, 60)
    assert sources.xlsxchild.in_child(memory, abs, -7) == 7


def test_a_cell_without_reference_starts_in_column_a(tmp_path: Path) -> None:
    """Two cells in 1 KiB, one without r (the reader puts it in column A) and one at
    XFD1048576: the whole width counts, not the span of the referenced cells."""
    xml = '<row r="1"><c t="inlineStr"><is><t>x</t></is></c></row>' + FAR
    path = hand_made_xlsx(tmp_path / "a.xlsx", sheet_xml(xml))
    assert TOO_MANY_COLUMNS in rules_in_a_child(path)
    assert "16385 kolom" in rejected_with(read_export(path, PPID), TOO_MANY_COLUMNS)


def test_a_sheet_too_large_anywhere_in_the_workbook_refuses_it(tmp_path: Path) -> None:
    """Which sheet the spreadsheet reader opens cannot be proven from outside it (names,
    paths and relationships it reads its own way), and a sheet it cannot allocate ends the
    whole process: every sheet of the workbook is checked, read or not."""

    def workbook(path: Path, lookup_first: bool) -> Path:
        book = xlsxwriter.Workbook(str(path))
        sheets = [book.add_worksheet("Register"), book.add_worksheet("Lookup")]
        register, lookup = sheets[::-1] if lookup_first else sheets
        lookup.write_string(0, 0, "kode")
        lookup.write_string(1048575, 16383, "ujung")
        for r, row in enumerate([PPID_HEADER, *PPID_ROWS]):
            for c, value in enumerate(row):
                register.write_string(r, c, value)
        book.close()
        return path

    for n, lookup_first in enumerate((False, True)):
        result = read_export(workbook(tmp_path / f"{n}.xlsx", lookup_first), PPID)
        assert "16384 kolom" in rejected_with(result, TOO_MANY_COLUMNS)


def test_cells_without_reference_count_by_the_widest_row(tmp_path: Path) -> None:
    """A cell without r="…" (xr is another attribute) follows the previous one; 600 of them
    make a 600-column row."""
    wide = "<row>" + '<c xr="A1"><v>1</v></c>' * 600 + "</row>"
    path = hand_made_xlsx(tmp_path / "a.xlsx", sheet_xml(PPID_XML_HEADER + "</row>" + wide))
    assert "IKU_MAX_COLUMNS" in rejected_with(read_export(path, PPID), TOO_MANY_COLUMNS)
    narrow = "".join("<row>" + "<c><v>1</v></c>" * 4 + "</row>" for _ in range(600))
    path = hand_made_xlsx(tmp_path / "b.xlsx", sheet_xml(PPID_XML_HEADER + "</row>" + narrow))
    result = read_export(path, PPID)
    assert result.rows.height == 600  # read (its values are wrong, but it was read)
    assert not {TOO_MANY_COLUMNS, XLSX_TOO_LARGE} & set(rules(result))


def test_csv_with_100000_columns_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "lebar.csv"
    path.write_text(",".join(f"k{i}" for i in range(100_000)) + "\n" + "1," * 99_999 + "1\n")
    message = rejected_with(read_export(path, PPID), TOO_MANY_COLUMNS)
    assert "IKU_MAX_COLUMNS" in message


def test_header_wider_than_max_columns_is_rejected(tmp_path: Path) -> None:
    rows = [PPID_HEADER + [f"extra {i}" for i in range(20)], PPID_ROWS[0] + [""] * 20]
    path = write_csv(tmp_path / "a.csv", rows)
    assert not read_export(path, PPID).rejected
    rejected_with(read_export(path, PPID, limits=ReadLimits(max_columns=10)), TOO_MANY_COLUMNS)


@pytest.mark.parametrize("where", ["head", "body"])
@pytest.mark.parametrize("size", [200 * 1024, 40 * 1024])
def test_csv_field_longer_than_max_field_chars_is_rejected(
    tmp_path: Path, where: str, size: int
) -> None:
    """200 KiB is over the csv module's own limit (it raised and ended the run); 40 KiB is only
    over ours. In the head it is seen by the csv module, further down by polars."""
    long_row = ["001", "27/03/2025", "", "", '"' + "x" * size + '"']
    rows = [[*PPID_HEADER, "Alamat"]] + [
        [f"{i:03}", "27/03/2025", "", "", "Buntok"] for i in range(40)
    ]
    rows.insert(1 if where == "head" else 35, long_row)
    message = rejected_with(read_export(write_csv(tmp_path / "a.csv", rows), PPID), FIELD_TOO_LONG)
    assert "IKU_MAX_FIELD_CHARS" in message


def test_csv_line_longer_than_max_line_chars_is_rejected(tmp_path: Path) -> None:
    rows = [PPID_HEADER, PPID_ROWS[0], ["x;" * (600 * 1024)]]
    message = rejected_with(read_export(write_csv(tmp_path / "a.csv", rows), PPID), LINE_TOO_LONG)
    assert "IKU_MAX_LINE_CHARS" in message
    # Classic Mac line ends (CR only) are lines too.
    path = tmp_path / "cr.csv"
    path.write_bytes("\r".join(",".join(r) for r in [PPID_HEADER, *PPID_ROWS]).encode())
    assert LINE_TOO_LONG not in rules(
        read_export(path, PPID, limits=ReadLimits(max_line_chars=100))
    )


def test_xlsx_cell_longer_than_max_field_chars_rejects_the_file(tmp_path: Path) -> None:
    rows: list[list[object]] = [[*PPID_HEADER, "Alamat"], [*PPID_ROWS[0], "y" * 2000]]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    assert not read_export(path, PPID).rejected
    limits = ReadLimits(max_field_chars=1000)
    assert "2000 karakter" in rejected_with(read_export(path, PPID, limits=limits), FIELD_TOO_LONG)


# --- values ------------------------------------------------------------------------------


def test_decimal_too_large_is_a_row_error_and_other_rows_load(tmp_path: Path) -> None:
    rows = [["Tahun", "Nilai", "Predikat"], ["2019", "1e309", "A"]]
    rows += [[str(2020 + i), "78,5", "BB"] for i in range(5)]
    rows += [["2030", "123456", "A"], ["2031", "1e5", "A"]]
    path = write_csv(tmp_path / "sakip.csv", rows, sep=";")
    result = read_export(path, SAKIP)
    assert not result.rejected
    assert row_errors(result) == [(2, "Nilai"), (8, "Nilai"), (9, "Nilai")]
    assert "terlalu besar" in result.issues[0].message
    assert result.valid_rows()["tahun"].to_list() == [2020, 2021, 2022, 2023, 2024]


def test_integer_too_large_is_a_row_error(tmp_path: Path) -> None:
    source = SOURCES["pemilih"]
    header = [c.name for c in source.columns]
    row = ["2025", "1", "6204061008", "Buntok", *["10"] * 6, "", "10", "10", "02/10/2025"]
    assert len(row) == len(header)
    huge = [*row[:4], "9" * 400, *row[5:]]
    result = read_export(write_csv(tmp_path / "a.csv", [header, row, huge]), source)
    assert row_errors(result) == [(3, "Pemilih Awal L")]


def test_five_digit_text_in_a_csv_date_column_is_a_row_error(tmp_path: Path) -> None:
    rows = [PPID_HEADER] + [[f"{i:03}", "27/03/2025", "", ""] for i in range(10)]
    rows[2][1], rows[3][1] = "00000", "45743"
    result = read_export(write_csv(tmp_path / "a.csv", rows), PPID)
    assert not result.rejected
    assert row_errors(result) == [(3, "Tanggal Permohonan"), (4, "Tanggal Permohonan")]


def test_dates_outside_the_plausible_window_are_row_errors(tmp_path: Path) -> None:
    rows = [PPID_HEADER] + [[f"{i:03}", "27/03/2025", "", ""] for i in range(10)]
    rows[2][1] = "9999-12-31"
    rows[3][1] = "31/12/1999"  # before min_event_date
    rows[4][3] = "01/01/2028"  # more than two years after the as-of date
    rows[5][3] = "31/12/2027"  # exactly two years after: plausible
    result = read_export(write_csv(tmp_path / "a.csv", rows), PPID, limits=LIMITS)
    assert row_errors(result) == [
        (3, "Tanggal Permohonan"),
        (4, "Tanggal Permohonan"),
        (5, "Tanggal Pemberitahuan Tertulis"),
    ]
    assert "01-01-2000 sampai 31-12-2027" in result.issues[0].message
    wider = ReadLimits(as_of=AS_OF, min_event_date=dt.date(1990, 1, 1), max_years_ahead=3)
    result = read_export(tmp_path / "a.csv", PPID, limits=wider)
    assert row_errors(result) == [(3, "Tanggal Permohonan")]


def test_reporting_month_outside_the_window_is_a_row_error(tmp_path: Path) -> None:
    source = SOURCES["keuangan"]
    header = ["NIP", "Jenis Laporan", "Periode Laporan", "Batas Waktu", "Tanggal Penyampaian"]
    rows = [header] + [
        [f"19800312200501100{i + 1}", "SPJ", period, "10/04/2025", "09/04/2025"]
        for i, period in enumerate(["Maret 2025", "9999-12", "1999-12", "Mei 2025", "Juni 2025"])
    ]
    result = read_export(write_csv(tmp_path / "a.csv", rows), source, limits=LIMITS)
    assert row_errors(result) == [(3, "Periode Laporan"), (4, "Periode Laporan")]


def test_birth_dates_have_their_own_window_and_are_never_shown(tmp_path: Path) -> None:
    rows = [SIAKBA_HEADER] + [siakba_row(n) for n in range(1, 10)]
    rows[2] = siakba_row(2, birth="01/01/1850")
    rows[3] = siakba_row(3, birth="01/01/2026")  # after the as-of date
    rows[4] = siakba_row(4, birth="31/02/1990")  # no such day
    rows[5] = siakba_row(5, birth="01/01/1950")  # before 2000, but a birth date: plausible
    result = read_export(write_csv(tmp_path / "a.csv", rows), SIAKBA, limits=LIMITS)
    assert row_errors(result) == [(3, "Tanggal Lahir"), (4, "Tanggal Lahir"), (5, "Tanggal Lahir")]
    messages = " ".join(i.message for i in result.issues)
    assert "01-01-1900 sampai 31-12-2025" in messages
    for shown in ("1850", "01/01/2026", "31/02/1990"):
        assert shown not in messages


def test_birth_date_window_follows_the_column_declaration() -> None:
    column = SIAKBA.column("Tanggal Lahir")
    assert LIMITS.window(column) == (dt.date(1900, 1, 1), AS_OF)
    event = SIAKBA.column("Tanggal Pelantikan")
    assert LIMITS.window(event) == (dt.date(2000, 1, 1), dt.date(2027, 12, 31))
    renamed = type(event)("Tgl Lahir Anggota", event.kind, "", birth_date=True)
    assert LIMITS.window(renamed) == (dt.date(1900, 1, 1), AS_OF)
    assert ReadLimits(as_of=dt.date(2024, 2, 29)).window(event) == (
        dt.date(2000, 1, 1),
        dt.date(2026, 2, 28),
    )
    assert LIMITS.window(SIAKBA.column("NIK")) is None


def test_xlsx_serials_only_from_numeric_cells(tmp_path: Path) -> None:
    """A date cell or a number cell (a date whose format was lost) is a date; the same digits
    typed as text are not, and 0 (1899-12-30) is outside the window."""
    rows: list[list[object]] = [list(PPID_HEADER)]
    rows += [[f"{i:03}", dt.date(2025, 3, 27), "6204014101990001", None] for i in range(10)]
    rows[2][1] = 45743  # number cell
    rows[3][1] = 45743.5  # number cell with a time
    rows[4][1] = "45743"  # text cell
    rows[5][1] = 0  # number cell: 1899-12-30
    rows[6][1] = "28 Maret 2025"
    result = read_export(write_xlsx(tmp_path / "a.xlsx", rows), PPID, limits=LIMITS)
    assert row_errors(result) == [(5, "Tanggal Permohonan"), (6, "Tanggal Permohonan")]
    dates = result.rows["tanggal_permohonan"].to_list()
    assert dates[:3] == [dt.date(2025, 3, 27)] * 3
    assert dates[5] == dt.date(2025, 3, 28)
    assert "'1899-12-3" in result.issues[1].message  # shown as the date it stands for


def test_xlsx_serials_are_read_from_their_own_column_when_the_table_starts_right_of_a(
    tmp_path: Path,
) -> None:
    """Column A left empty as a margin: a date serial is still read from its own column."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(2, 1, ["No Registrasi", "Tanggal Permohonan", "Tanggal Pemberitahuan Tertulis"])
    for r, (number, asked, told) in enumerate(
        [("001", 3, 45730), ("002", 4, 45740), ("003", 5, None)]
    ):
        sheet.write_string(3 + r, 1, number)
        sheet.write_datetime(3 + r, 2, dt.datetime(2025, 3, asked), day)
        if told is not None:
            sheet.write_number(3 + r, 3, told)  # a date whose format was lost
    book.close()
    result = read_export(path, PPID, limits=LIMITS)
    assert result.issues == []
    assert result.rows["tanggal_pemberitahuan_tertulis"].to_list() == [
        dt.date(2025, 3, 14), dt.date(2025, 3, 24), None
    ]  # fmt: skip


def test_xlsx_merged_cells_hold_their_value_in_every_row_they_cover(tmp_path: Path) -> None:
    """A roster with each TPS merged over its members' rows reads as a person sees it."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.merge_range("A1:D1", "REGISTER PERMOHONAN INFORMASI PUBLIK")  # a banner
    sheet.write_row(1, 0, PPID_HEADER)
    for r in range(3):
        sheet.write_string(2 + r, 0, f"00{r + 1}")
        sheet.write_string(2 + r, 2, "6204014101990001")
    sheet.merge_range("B3:B5", "27/03/2025")  # one date for three requests
    sheet.merge_range("D3:D4", "02/04/2025")
    book.close()
    result = read_export(path, PPID, limits=LIMITS)
    assert result.issues == []
    assert result.rows["tanggal_permohonan"].to_list() == [dt.date(2025, 3, 27)] * 3
    assert result.rows["tanggal_pemberitahuan_tertulis"].to_list() == [
        dt.date(2025, 4, 2), dt.date(2025, 4, 2), None
    ]  # fmt: skip


def test_xlsx_merged_range_with_an_empty_first_cell_is_empty_throughout(tmp_path: Path) -> None:
    """Excel shows a merged range's first cell only: a date left in a cell the range covers
    is hidden, and must not answer a request (nor a value hidden under any first cell)."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>00{n}</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>01/12/2025</t></is></c>{cells}</row>'
        for n, cells in [
            (2, '<c r="D2"><v>46003</v></c>'),  # C2:D2, C2 empty (column C has no value)
            (3, ""),
            (4, '<c r="D4"><v>46003</v></c>'),  # D3:D4, D3 empty
            (5, '<c r="D5" t="inlineStr"><is><t>05/12/2025</t></is></c>'),
            (6, '<c r="D6"><v>46003</v></c>'),  # D5:D6: 05/12/2025 shown in both
        ]
    )
    merges = '<mergeCells count="3"><mergeCell ref="C2:D2"/><mergeCell ref="D3:D4"/>'
    merges += '<mergeCell ref="D5:D6"/></mergeCells>'
    path = tmp_path / "a.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for part, text in WORKBOOK_PARTS.items():
            archive.writestr(part, text)
        body = (PPID_XML_HEADER + "</row>" + rows).encode()
        sheet = (
            SHEET_START
            + body
            + SHEET_END.replace(b"</worksheet>", merges.encode() + b"</worksheet>")
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    result = read_export(path, PPID, limits=LIMITS)
    assert result.issues == []
    assert result.rows["tanggal_pemberitahuan_tertulis"].to_list() == [
        None, None, None, dt.date(2025, 12, 5), dt.date(2025, 12, 5)
    ]  # fmt: skip


def test_xlsx_of_the_1904_date_system_gives_the_same_dates(tmp_path: Path) -> None:
    """Old Excel for Mac counts days from 1904: a date cell and a bare serial both say so."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path, {"date_1904": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, PPID_HEADER)
    sheet.write_string(1, 0, "001")
    sheet.write_datetime(
        1, 1, dt.datetime(2025, 3, 27), book.add_format({"num_format": "d/m/yyyy"})
    )
    sheet.write_number(1, 3, 44287)  # 2 April 2025, counted from 1 January 1904
    book.close()
    result = read_export(path, PPID, limits=LIMITS)
    assert result.issues == []
    assert result.rows.select("tanggal_permohonan", "tanggal_pemberitahuan_tertulis").row(0) == (
        dt.date(2025, 3, 27), dt.date(2025, 4, 2)
    )  # fmt: skip


def with_settings(path: Path, settings: str) -> Path:
    """A register of one request whose Tanggal Permohonan is the bare serial 44255, in a
    workbook with ``settings`` (its date system) before its sheets."""
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>001</t></is></c><c r="B2"><v>44255</v></c>'
    body = SHEET_START + (PPID_XML_HEADER + "</row>" + row + "</row>").encode() + SHEET_END
    workbook = WORKBOOK.replace("<sheets>", settings + "<sheets>")
    parts = {**WORKBOOK_PARTS, "xl/workbook.xml": workbook}
    with zipfile.ZipFile(path, "w") as archive:
        for part, text in {**parts, "xl/worksheets/sheet1.xml": body}.items():
            archive.writestr(part, text)
    return path


@pytest.mark.parametrize(
    ("settings", "permohonan"),
    [
        ('<workbookPr date1904="1"/>', dt.date(2025, 3, 1)),  # 44255 days after 1904-01-01
        ('<!-- <workbookPr date1904="1"/> --><workbookPr/>', dt.date(2021, 2, 28)),
        ('<workbookPr x=">" date1904="1"/>', dt.date(2025, 3, 1)),  # ">" inside quotes
        ("<workbookPr x=' date1904=\"1\"'/>", dt.date(2021, 2, 28)),  # a value, not a setting
    ],
)
def test_the_date_system_is_the_workbooks_not_a_comments(
    tmp_path: Path, settings: str, permohonan: dt.date
) -> None:
    """A date system named only inside an XML comment is none: the reader ignores it, and so
    must the guard, or every bare serial would be read four years and a day off."""
    path = with_settings(tmp_path / "a.xlsx", settings)
    result = read_export(path, PPID, limits=LIMITS)
    assert result.rows["tanggal_permohonan"].to_list() == [permohonan]


@pytest.mark.parametrize(
    "settings",
    [
        '<workbookPr date1904="TRUE"/>',
        '<workbookPr date1904=" 1"/>',
        '<workbookPr date1904="&#49;"/>',
        '<workbookPr xmlns:x="urn:x" x:date1904="1"/>',
        '<workbookPr date1904="0"/><workbookPr date1904="1"/>',
    ],
    ids=["upper-case", "space", "reference", "prefixed", "twice"],
)
def test_a_date_system_not_written_plainly_is_refused(tmp_path: Path, settings: str) -> None:
    """The reader takes only "1" and "true" for the 1904 system, once; other programs take
    these for 1904 too (openpyxl), and the guard would: dates four years and a day apart."""
    path = with_settings(tmp_path / "a.xlsx", settings)
    message = rejected_with(read_export(path, PPID, limits=LIMITS), FILE_UNREADABLE)
    assert "sistem tanggal" in message


def test_xlsx_nik_or_nip_in_a_number_cell_is_refused_not_guessed(tmp_path: Path) -> None:
    """Excel keeps 15 digits of a number: a NIK or NIP typed into a number cell has lost its
    last digits (6204014101990001 -> 6204014101990000), whatever the cell shows."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, PPID_HEADER)
    sheet.write_row(1, 0, ["001", "27/03/2025", "6204014101990001"])  # a text cell: kept
    sheet.write_row(2, 0, ["002", "27/03/2025"])
    sheet.write_number(2, 2, 6204014101990000)
    book.close()
    result = read_export(path, PPID, limits=LIMITS)
    assert result.rows["nik"].to_list() == ["6204014101990001", None]
    assert [(i.row_number, i.column) for i in result.issues] == [(3, "NIK")]
    assert "rusak oleh Excel" in result.issues[0].message
    keuangan = SOURCES["keuangan"]
    path = tmp_path / "b.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    header = ["NIP", "Jenis Laporan", "Periode Laporan", "Batas Waktu", "Tanggal Penyampaian"]
    sheet.write_row(0, 0, header)
    for r, nip in enumerate([198503122010121001, 198503122010121002], start=1):
        sheet.write_number(r, 0, nip)
        sheet.write_row(r, 1, ["SPJ", "2025-03", "10/04/2025", "09/04/2025"])
    book.close()
    result = read_export(path, keuangan, limits=LIMITS)
    assert [(i.row_number, i.column) for i in result.issues] == [(2, "NIP"), (3, "NIP")]


def test_xlsx_nik_in_a_number_cell_that_kept_every_digit_is_read(tmp_path: Path) -> None:
    """LibreOffice and Google Sheets keep a 16-digit number whole (a double holds it below
    2^53): a last digit other than 0 proves Excel never cut it, and it is the NIK. One ending
    in 0 may have been cut, and one above 2^53 no double holds exactly: refused."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, PPID_HEADER)
    niks = [6204014101990001, 6204014101990010, 9471014101990001]
    for r, nik in enumerate(niks, start=1):
        sheet.write_row(r, 0, [f"00{r}", "27/03/2025"])
        sheet.write_number(r, 2, nik)
    book.close()
    result = read_export(path, PPID, limits=LIMITS)
    assert result.rows["nik"].to_list() == ["6204014101990001", None, None]
    assert [(i.row_number, i.column) for i in result.issues] == [(3, "NIK"), (4, "NIK")]


def test_xlsx_formula_errors_are_values_not_empty_cells(tmp_path: Path) -> None:
    """A failed lookup (#N/A) where a date belongs is the row's error, as in the CSV Excel
    saves of the same sheet; it never reads as "not answered yet"."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    book.set_calc_mode("manual")  # the results saved are what Excel shows, as Excel saves them
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, PPID_HEADER)
    sheet.write_row(1, 0, PPID_ROWS[0][:3])
    sheet.write_formula(1, 3, "=VLOOKUP(A2,Jawaban!A:B,2,FALSE)", None, "#N/A")
    sheet.write_row(2, 0, PPID_ROWS[1][:3])
    sheet.write_formula(2, 3, "=1/0", None, "#DIV/0!")
    book.close()
    result = read_export(path, PPID, limits=LIMITS)
    assert row_errors(result) == [(2, PPID_HEADER[3]), (3, PPID_HEADER[3])]
    assert "'#N/A'" in result.issues[0].message and "'#DIV/0!'" in result.issues[1].message


@pytest.mark.parametrize("value", [81234567890, 1e20])
def test_xlsx_date_cell_beyond_any_calendar_is_a_value_not_an_empty_cell(
    tmp_path: Path, value: float
) -> None:
    """A phone number typed into a date column formatted as dates: Excel shows "########"
    (and writes it so to CSV), the reader cannot convert it. It is the row's error; read as
    empty it would say "not answered yet", and, valid, replace an older row of the item."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, PPID_HEADER)
    sheet.write_row(1, 0, PPID_ROWS[0][:3])
    sheet.write_number(1, 3, value, book.add_format({"num_format": "dd/mm/yyyy"}))
    sheet.write_row(2, 0, PPID_ROWS[0])
    book.close()
    result = read_export(path, PPID, limits=LIMITS)
    assert row_errors(result) == [(2, PPID_HEADER[3])]
    assert "'########'" in result.issues[0].message


# A date cell written so that the spreadsheet reader reads it empty, or as another value,
# where Excel (and openpyxl) read 20/12/2025: the reader keeps only the first text of a <v>,
# drops a CDATA section, and takes the last child of a cell.
UNVOUCHED = {
    "reference-first": '<c r="D2"><v>&#52;6011</v></c>',  # read empty
    "reference-last": '<c r="D2"><v>4601&#49;</v></c>',  # read 4601: 1912-08-05
    "string-index": '<c r="D2" t="s"><v>1&#48;</v></c>',  # names string 1, not 10
    "string-index-spaced": '<c r="D2" t="s"><v> 3</v></c>',  # names string 0, not 3
    "string-index-signed": '<c r="D2" s="1" t="s"><v>+3</v></c>',
    "string-index-decimal": "<c r='D2' t='s'><v>3.0</v></c>",
    "string-index-type-spaced": '<c r="D2" t = "s"><v>3 </v></c>',
    "comment": '<c r="D2"><v><!-- -->46011</v></c>',
    "cdata": '<c r="D2"><v><![CDATA[46011]]></v></c>',
    "text-cdata": '<c r="D2" t="str"><v><![CDATA[20/12/2025]]></v></c>',
    "formula-after": '<c r="D2" t="str"><v>20/12/2025</v><f>X</f></c>',
    "empty-after": '<c r="D2"><v>46011</v><v/></c>',
    "inline-then-value": '<c r="D2" t="inlineStr"><is><t>20/12/2025</t></is><v>0</v></c>',
    "inline-then-empty": '<c r="D2" t="inlineStr"><is><t>20/12/2025</t></is><v/></c>',
    "prefixed": '<x:c r="D2"><x:v>46011</x:v><x:f/></x:c>',
}


@pytest.mark.parametrize("cell", UNVOUCHED.values(), ids=UNVOUCHED.keys())
def test_xlsx_value_written_so_the_reader_misreads_it_is_refused(tmp_path: Path, cell: str) -> None:
    """A date cell the reader would read empty ("not answered yet": an overdue request
    leaves the denominator) or as another date, where Excel shows the date: the file is
    refused, never read otherwise than it shows."""
    strings = "<sst>" + "".join(f"<si><t>{n}</t></si>" for n in range(10)) + "</sst>"
    strings = strings.replace("<t>0</t>", "<t>20/12/2025</t>")  # string 10 does not exist
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>001</t></is></c>'
    row += f'<c r="B2" t="inlineStr"><is><t>01/12/2025</t></is></c>{cell}</row>'
    path = tmp_path / "a.xlsx"
    path.write_bytes(workbook_bytes(PPID_XML_HEADER + "</row>" + row, strings))
    message = rejected_with(read_export(path, PPID, limits=LIMITS), FILE_UNREADABLE)
    assert "tidak lazim" in message
    # Each value is vouched for with its cell's end, wherever the pieces of the sheet cut.
    xml = SHEET_START + (PPID_XML_HEADER + "</row>" + row).encode() + SHEET_END
    for size in (1, 2, 3, 5, 8):
        extent = sources.xlsxsheet.SheetExtent()
        for start in range(0, len(xml), size):
            extent.feed(xml[start : start + size], LIMITS)
        with pytest.raises(sources.xlsxsheet.ReadError, match="tidak lazim"):
            extent.check(b"", zipfile.ZipInfo("x"), LIMITS)


def test_xlsx_shared_string_indexes_as_writers_write_them_are_read(tmp_path: Path) -> None:
    """Digits only, leading zeros too, however the cell's type and tags are spaced or quoted."""
    strings = "<sst>" + "".join(f"<si><t>0{n}/12/2025</t></si>" for n in range(1, 5)) + "</sst>"
    cells = [
        '<c r="D2" s="1" t="s"><v>0</v></c>',
        '<c r="D3" t="s"><v>01</v></c>',
        "<c r='D4' t='s'><v>2</v></c>",
        '<c r="D5" t = "s">\n  <v>3</v>\n</c>',
    ]
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>00{n}</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>01/12/2025</t></is></c>{cell}</row>'
        for n, cell in enumerate(cells, start=2)
    )
    path = tmp_path / "a.xlsx"
    path.write_bytes(workbook_bytes(PPID_XML_HEADER + "</row>" + rows, strings))
    result = read_export(path, PPID, limits=LIMITS)
    assert not result.issues
    assert result.rows["tanggal_pemberitahuan_tertulis"].to_list() == [
        dt.date(2025, 12, day) for day in (1, 2, 3, 4)
    ]


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def test_xlsx_values_as_writers_write_them_are_read(tmp_path: Path) -> None:
    """What the guard refuses is no writer's: a formula's text result holding an entity
    (indented, ":c " in its formula, or running on long after its first entity), values with
    a namespace prefix (Open XML SDK), indented XML, an empty value, the values of another
    workbook that Excel keeps for the formulas linking to it (<cell>, never read as cells)."""
    cells = [
        '<c r="D2" t="str"><f>TEXT(B2,"dd/mm/yyyy")</f><v>20/12/2025</v></c>'
        '<c r="E2" t="str"><f>"A &amp; B"</f><v>A &amp; B &#233;</v></c>',
        f'<x:c xmlns:x="{MAIN}" r="D3"><x:v>46011</x:v></x:c>'
        f'<x:c xmlns:x="{MAIN}" r="E3" t="str"><x:f>X</x:f><x:v>&lt;</x:v></x:c>',
        '\n  <c r="D4">\n    <f>B4</f>\n    <v>46011</v>\n  </c>\n  <c r="E4"><v/></c>',
        '<c r="D5"><v>46011</v></c>\n  <c r="E5" t="str">\n    <f>"Ket:c "&amp;A5</f>\n'
        "    <v>Ket:c &amp; 005</v>\n  </c>",
        f'<c r="D6"><v>46011</v></c><c r="E6" t="str"><f>A6&amp;REPT("x",3000)</f><v>006&amp;'
        f"{'x' * 3000}</v></c>",
    ]
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>00{n}</t></is></c>'
        f'<c r="B{n}" t="inlineStr"><is><t>01/12/2025</t></is></c>{cell}</row>'
        for n, cell in enumerate(cells, start=2)
    )
    body = PPID_XML_HEADER + '<c r="E1" t="inlineStr"><is><t>Catatan</t></is></c></row>'
    path = hand_made_xlsx(tmp_path / "a.xlsx", sheet_xml(body + rows))
    linked = (
        f'<externalLink xmlns="{MAIN}"><externalBook><sheetNames><sheetName val="Rekap"/>'
        '</sheetNames><sheetDataSet><sheetData sheetId="0"><row r="2"><cell r="B2" t="str">'
        '<v>A &amp; B</v></cell><cell r="C2"><v>12</v></cell></row></sheetData></sheetDataSet>'
        "</externalBook></externalLink>"
    )
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/externalLinks/externalLink1.xml", linked)
    result = read_export(path, PPID, limits=LIMITS)
    assert not result.issues
    assert result.rows["tanggal_pemberitahuan_tertulis"].to_list() == [dt.date(2025, 12, 20)] * 5
    # Wherever the pieces of the sheet cut (the end of a long value may come with the next).
    xml = SHEET_START + (body + rows).encode() + SHEET_END
    for cut in range(len(xml)):
        extent = sources.xlsxsheet.SheetExtent()
        extent.feed(xml[:cut], LIMITS)
        extent.feed(xml[cut:], LIMITS)
        extent.check(b"", zipfile.ZipInfo("x"), LIMITS)


def test_xlsx_first_sheet_is_the_first_a_person_sees(tmp_path: Path) -> None:
    """A hidden first sheet (an old register, a template's lists) and a chart tab are passed
    over: the first visible worksheet is read."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "='Register 2025'!$A$2:$A$2"})
    book.add_chartsheet("Grafik").set_chart(chart)
    old = book.add_worksheet("Register 2024")
    old.write_row(0, 0, PPID_HEADER)
    old.write_row(1, 0, ["099/PPID/2024", "03/03/2024"])
    old.hide()
    now = book.add_worksheet("Register 2025")
    now.write_row(0, 0, PPID_HEADER)
    now.write_row(1, 0, PPID_ROWS[0])
    now.activate()
    book.close()
    result = read_export(path, PPID, limits=LIMITS)
    assert result.issues == []
    assert result.rows["no_registrasi"].to_list() == [PPID_ROWS[0][0]]


def test_other_visible_sheets_with_values_are_named_in_a_warning(tmp_path: Path) -> None:
    """Only the first sheet is read (SPEC); rows on another visible sheet (a register kept
    one sheet a month) are not lost without a word. A hidden or empty sheet says nothing."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    for name, rows in (("Januari", PPID_ROWS[:1]), ("Februari", PPID_ROWS[1:2])):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, PPID_HEADER)
        for n, row in enumerate(rows, 1):
            sheet.write_row(n, 0, row)
    book.add_worksheet("Kosong").set_column(0, 3, 20)  # formatted, no value
    book.add_worksheet("Petunjuk").write_string(0, 0, "Isi satu baris per permohonan")
    lists = book.add_worksheet("Daftar")
    lists.write_column(0, 0, ["Ya", "Tidak"])
    lists.hide()
    book.close()
    result = read_export(path, PPID, limits=LIMITS)
    assert result.rows["no_registrasi"].to_list() == [PPID_ROWS[0][0]]
    assert [(i.rule, i.severity, i.row_number) for i in result.issues] == [
        (sources.xlsx.SHEETS_IGNORED, "warning", None)
    ]
    message = result.issues[0].message
    assert "'Januari'" in message and "'Februari', 'Petunjuk'" in message
    assert "Kosong" not in message and "Daftar" not in message


def test_a_cover_sheet_first_names_the_sheets_with_data(tmp_path: Path) -> None:
    """A workbook whose first sheet is a cover is rejected (only the first is read), and the
    rejection says which sheets hold data."""
    path = tmp_path / "a.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("Sampul").write_string(0, 0, "REGISTER PERMOHONAN INFORMASI PUBLIK")
    data = book.add_worksheet("Data")
    data.write_row(0, 0, PPID_HEADER)
    data.write_row(1, 0, PPID_ROWS[0])
    book.close()
    result = read_export(path, PPID, limits=LIMITS)
    assert result.rejected and "'Data'" in result.issues[1].message
    assert [i.rule for i in result.issues] == [
        "header_tidak_ditemukan",
        sources.xlsx.SHEETS_IGNORED,
    ]


def two_registers(path: Path, first: str, target: str, member: str) -> Path:
    """A workbook of two visible sheets, each a register of one request: the first (named
    ``first`` as written in the XML, its relationship's ``target``, its ``member`` in the
    zip) holds "001", the second ("Kedua") "002"."""
    sheets = (
        f'<sheet name="{first}" sheetId="1" r:id="rId1"/><sheet name="Kedua" sheetId="2" '
        'r:id="rId2"/>'
    )
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/relationships/worksheet" Target="{part}"/>'
        for n, part in ((1, target), (2, "worksheets/sheet2.xml"))
    )
    parts = {}
    for name, number in ((member, "001"), ("xl/worksheets/sheet2.xml", "002")):
        row = [number, "27/03/2025", "6204014101990001", "02/04/2025"]
        body = PPID_XML_HEADER + '</row><row r="2">'
        body += "".join(text_cell(f"{chr(65 + i)}2", v) for i, v in enumerate(row))
        parts[name] = SHEET_START + (body + "</row>").encode() + SHEET_END
    return sheets_xlsx(path, sheets, relations, parts)


@pytest.mark.parametrize("name", ["Data >2024", "Data <2024"])
def test_a_sheet_named_with_an_angle_bracket_is_still_the_first(tmp_path: Path, name: str) -> None:
    """A ">" may stand unescaped in a sheet's name ("Data >2024"), and the spreadsheet reader
    takes a "<" as written too: the sheet is still the first a person sees, and the one read
    (the guard once cut its tag at the ">", lost its relationship, and read the next sheet
    without a word; at a "<" it missed the sheet and refused the file)."""
    path = two_registers(tmp_path / "a.xlsx", name, "worksheets/sheet1.xml",
                         "xl/worksheets/sheet1.xml")  # fmt: skip
    result = read_export(path, PPID, limits=LIMITS)
    assert result.rows["no_registrasi"].to_list() == ["001"]
    assert rules(result) == [sources.xlsx.SHEETS_IGNORED]
    assert f"'{name}'" in result.issues[0].message and "'Kedua'" in result.issues[0].message


@pytest.mark.parametrize(
    ("target", "member", "read"),
    [
        ("worksheets/sheet1.xml", "XL/Worksheets/Sheet1.xml", "001"),  # found ignoring case
        ("worksheets/sheet1.xml", "xl\\worksheets\\sheet1.xml", "001"),  # written on Windows
        ("worksheets/lembar1.xml", "xl/worksheets/sheet1.xml", None),  # not in the archive
        ("worksheets/sheet%31.xml", "xl/worksheets/sheet1.xml", None),
        ("worksheets/sheet1.xml", "xl/./worksheets/sheet1.xml", None),
    ],
)
def test_a_first_sheet_whose_part_is_missing_refuses_the_file(
    tmp_path: Path, target: str, member: str, read: str | None
) -> None:
    """The first sheet is read where the spreadsheet reader (and Excel) find its part; a
    part not there at all refuses the file: the next sheet is not what a person sees (Excel
    reports the file damaged), and was once read instead without a word."""
    path = two_registers(tmp_path / "a.xlsx", "Data", target, member)
    result = read_export(path, PPID, limits=LIMITS)
    if read is None:
        assert "lembar pertama ('Data') tidak ada" in rejected_with(result, FILE_UNREADABLE)
    else:
        assert result.rows["no_registrasi"].to_list() == [read]
        assert rules(result) == [sources.xlsx.SHEETS_IGNORED]


def test_a_sheet_naming_its_part_twice_is_refused(tmp_path: Path) -> None:
    """A sheet tag with two relationship ids (r:id, and x:id of another namespace): Excel
    opens the one r names, the spreadsheet reader the last: refused, not the other sheet's
    rows read under this one's name."""
    path = two_registers(tmp_path / "a.xlsx", 'Data" x:id="rId2', "worksheets/sheet1.xml",
                         "xl/worksheets/sheet1.xml")  # fmt: skip
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<workbook ", b'<workbook xmlns:x="urn:lain" '
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert "atribut ganda" in rejected_with(read_export(path, PPID), FILE_UNREADABLE)


def test_duplicate_header_by_alias_is_rejected(tmp_path: Path) -> None:
    header = [
        "No Registrasi",
        "NIK",
        "Tanggal Permohonan",
        "No. Identitas",
        "Tanggal Pemberitahuan Tertulis",
    ]
    row = ["001", "6204014101990001", "27/03/2025", "6204014101990002", "02/04/2025"]
    message = rejected_with(
        read_export(write_csv(tmp_path / "a.csv", [header, row]), PPID), COLUMN_DUPLICATE
    )
    assert "NIK" in message and "No. Identitas" in message
    assert "ke-2" in message and "ke-4" in message
    assert "6204014101990001" not in message
    same = [*PPID_HEADER, "Tanggal Permohonan"]
    path = write_csv(tmp_path / "b.csv", [same, [*PPID_ROWS[0], "28/03/2025"]])
    assert "ke-2" in rejected_with(read_export(path, PPID), COLUMN_DUPLICATE)


# --- encodings and formats ---------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path: Path, encoding: str) -> None:
    header = [*PPID_HEADER, "Informasi yang Diminta"]
    rows = [header, [*PPID_ROWS[0], "Salinan SK – pleno ’rekap’"]]
    path = write_csv(tmp_path / "a.csv", rows, sep="\t", encoding=encoding)
    assert not path.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    result = read_export(path, PPID)
    assert result.issues == []
    assert result.rows["informasi_yang_diminta"].to_list() == ["Salinan SK – pleno ’rekap’"]


def test_format_is_told_by_bytes_not_by_name(tmp_path: Path) -> None:
    xlsx_named_csv = write_xlsx(tmp_path / "register.csv", [PPID_HEADER, PPID_ROWS[0]])
    csv_named_xlsx = write_csv(tmp_path / "register.xlsx", [PPID_HEADER, PPID_ROWS[0]])
    text_named_txt = write_csv(tmp_path / "register.txt", [PPID_HEADER, PPID_ROWS[0]])
    for path in (xlsx_named_csv, csv_named_xlsx, text_named_txt):
        result = read_export(path, PPID)
        assert result.issues == [], path.name
        assert result.rows["nik"].to_list() == ["6204014101990001"]


def test_invalid_utf8_after_a_utf8_bom_is_replaced_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    rows = [[*PPID_HEADER, "Pekerjaan"], [*PPID_ROWS[0], "Guru"]]
    path.write_bytes(
        b"\xef\xbb\xbf" + write_csv(tmp_path / "b.csv", rows).read_bytes()[:-4] + b"Gur\xe2\x80"
    )
    result = read_export(path, PPID)
    assert result.issues == []
    assert result.rows["pekerjaan"].to_list() == ["Gur\ufffd"]


def test_a_utf8_export_with_a_damaged_byte_stays_utf8(tmp_path: Path) -> None:
    """Read as Windows-1252, a UTF-8 file with one damaged byte would change every letter
    beyond ASCII, keys included ("Gudang – Buntok" another warehouse, its items counted
    twice beside an older export's). A Windows-1252 file with one UTF-8 letter pasted in is
    still Windows-1252."""
    logistik = SOURCES["logistik"]
    header = (
        "Tahun,Kode Barang,Kategori,Lokasi Gudang,Tanggal Inventarisasi,Tanggal Pemeliharaan,Satuan"
    )
    rows = [
        f"2025,LOG-0{n},Barang Inventaris,Gudang – Buntok,14/07/2025,20/08/2025,buah"
        for n in (1, 2)
    ]
    text = "\r\n".join([header, *rows]).encode()
    path = tmp_path / "a.csv"
    path.write_bytes(text.replace(b"buah", b"bu\xffh", 1))
    result = read_export(path, logistik)
    assert result.rows["lokasi_gudang"].to_list() == ["Gudang – Buntok"] * 2
    assert result.rows["satuan"].to_list() == ["bu\ufffdh", "buah"]
    path.write_bytes(text.decode().encode("cp1252").replace(b"buah", "buahé".encode(), 1))
    result = read_export(path, logistik)
    assert result.rows["lokasi_gudang"].to_list() == ["Gudang – Buntok"] * 2
    assert result.rows["satuan"].to_list() == ["buahÃ©", "buah"]


def test_a_damaged_byte_in_a_key_is_the_rows_error_never_an_item(tmp_path: Path) -> None:
    """A byte damaged on a disk or in a transfer reads as U+FFFD (no text in the file's
    encoding) or as a control character. In a key it would name a request of its own, and
    the request it was, restated by an older export, would count twice (IKU-3 rose)."""
    good = write_csv(tmp_path / "b.csv", [PPID_HEADER, *PPID_ROWS], encoding="utf-8-sig")
    key = PPID_ROWS[0][0].encode()
    path = tmp_path / "a.csv"
    for damaged in (key[:5] + b"\xff" + key[6:], b"\x10" + key[1:], key[:3] + b"\x7f" + key[4:]):
        path.write_bytes(good.read_bytes().replace(key, damaged))
        result = read_export(path, PPID)
        found = [(i.rule, i.row_number, i.column) for i in result.issues]
        assert found == [(VALUE_INVALID, 2, "No Registrasi")], damaged
        assert "karakter rusak" in result.issues[0].message
        assert result.rows["no_registrasi"].to_list() == [None, PPID_ROWS[1][0]]
    path.write_bytes(good.read_bytes().replace(key, key.replace(b"/", b"\x0b", 1)))  # from Word
    assert read_export(path, PPID).rows["no_registrasi"][0] == PPID_ROWS[0][0].replace("/", " ", 1)


@pytest.mark.parametrize(
    "unseen",
    ["\u00ad", "\u034f", "\u061c", "\u115f", "\u17b4", "\u180e", "\u3164", "\ufe0f", "\U000e0041"],
    ids=["soft-hyphen", "grapheme-joiner", "arabic-mark", "hangul-filler", "khmer-vowel",
         "mongolian-separator", "hangul-letter-filler", "variation-selector", "tag"],
)  # fmt: skip
def test_a_character_no_one_sees_in_a_key_names_no_item_of_its_own(
    tmp_path: Path, unseen: str
) -> None:
    """Characters Unicode leaves unshown (Default_Ignorable_Code_Point): Word's optional
    hyphen, pasted from a document or a web page, a filler that makes a blank name. In a key
    of a newer export, "001/PPID/III/2025" so written would be a request of its own, the
    one it restates counted beside it (late, and the newer on time: IKU-3 rose)."""
    key = PPID_ROWS[0][0]
    rows = [PPID_HEADER, [key[:3] + unseen + key[3:], *PPID_ROWS[0][1:]], PPID_ROWS[1]]
    result = read_export(write_csv(tmp_path / "a.csv", rows), PPID)
    assert result.issues == []
    assert result.rows["no_registrasi"].to_list() == [key, PPID_ROWS[1][0]]


def test_a_csv_cut_inside_its_last_row_is_rejected(tmp_path: Path) -> None:
    """A file cut short on a disk or in a transfer ends inside a row: the rows after the cut
    are lost (an official's late report among them raised IKU-5), so the file is refused,
    its rows read still items (never on time), as those of a file with too many bad rows.
    A last row written whole without a line end (Google Sheets), also one whose quoted cell
    holds a line break, is no cut: only a file whose other rows all have the header's cells
    is judged."""
    whole = write_csv(tmp_path / "whole.csv", [PPID_HEADER, *PPID_ROWS]).read_bytes()
    assert not whole.endswith(b"\n")
    path = tmp_path / "a.csv"
    for cut in (whole[:-12], whole[: whole.rindex(b",")], whole[: whole.rindex(b"\n") + 5]):
        path.write_bytes(cut)
        result = read_export(path, PPID)
        (refused,) = [i for i in result.issues if i.row_number is None]
        assert (refused.rule, refused.severity) == (FILE_UNREADABLE, "error"), cut
        assert "terpotong" in refused.message
        # its rows are read: each stays an item, quarantined by the file's error
        assert result.rows["_row_number"].to_list() == [2, 3]
        assert result.valid_rows().is_empty()
    header = [*PPID_HEADER, "Alamat"]
    rows = [header, [*PPID_ROWS[0], "Jl. Pahlawan"], [*PPID_ROWS[1], '"Jl. Merdeka\nRT 02"']]
    signed = [PPID_HEADER, *PPID_ROWS, ["Buntok, 31 Desember 2025"], ["Kepala Sekretariat"]]
    for body in (whole, write_csv(tmp_path / "b.csv", rows).read_bytes()):
        path.write_bytes(body)
        assert read_export(path, PPID).issues == []
    # a writer that leaves out empty cells (a footer of shorter lines) is not judged, nor a
    # cut in a footer (its place and date, its totals row), which lost no row
    totals = write_csv(tmp_path / "c.csv", [PPID_HEADER, *PPID_ROWS, ["Jumlah", "", "", "2"]])
    for body in (write_csv(tmp_path / "d.csv", signed).read_bytes(), totals.read_bytes()[:-2]):
        path.write_bytes(body)
        assert not read_export(path, PPID).rejected


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "simpan ulang sebagai .xlsx atau .csv"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        (bytes(random.Random(1).randbytes(4096)), "NUL"),
        (b"No Registrasi,NIK\n001,\x00\x00\n", "NUL"),
        ("No Registrasi,NIK\n".encode("utf-32"), "encoding"),
        (b"\xef\xbb\xbf<html><body><table><tr><td>No Registrasi</td></tr></table>", "HTML"),
        (
            b'<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            "HTML",
        ),
    ],
    ids=["xls", "pdf", "junk", "nul-in-csv", "utf-32", "html-as-excel", "xml-spreadsheet-2003"],
)
def test_files_that_are_neither_csv_nor_xlsx_are_rejected(
    tmp_path: Path, body: bytes, said: str
) -> None:
    path = tmp_path / "register.xls"
    path.write_bytes(body)
    assert said in rejected_with(read_export(path, PPID), FORMAT_UNSUPPORTED)


def test_zip_that_is_not_a_workbook_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "surat.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "bukan XLSX" in rejected_with(read_export(path, PPID), FORMAT_UNSUPPORTED)


@pytest.mark.parametrize(
    "body",
    [b"", b"\xef\xbb\xbf", b"\xff\xfe", b" \r\n\t\r\n"],
    ids=["empty", "bom", "utf16-bom", "spaces"],
)
def test_empty_files_are_rejected(tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(body)
    rejected_with(read_export(path, PPID), FILE_EMPTY)


def test_header_only_and_rows_of_empty_cells_give_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(",".join(PPID_HEADER) + "\n" + ",,,\n" * 200_000 + "\n" * 200_000)
    result = read_export(path, PPID)
    assert (result.issues, result.rows.height) == ([], 0)
    limits = ReadLimits(max_rows=300_000)  # the CSV parser spends ~20 B per line, even empty
    assert "IKU_MAX_ROWS" in rejected_with(read_export(path, PPID, limits=limits), TOO_MANY_ROWS)
    result = read_export(write_csv(tmp_path / "b.csv", [PPID_HEADER]), PPID)
    assert (result.issues, result.rows.height) == ([], 0)


def test_formula_like_text_is_kept_as_text(tmp_path: Path) -> None:
    formula = "=cmd|' /C calc'!A0"
    rows = [[*PPID_HEADER, "Pekerjaan"], [*PPID_ROWS[0], formula]]
    assert read_export(write_csv(tmp_path / "a.csv", rows), PPID).rows["pekerjaan"].to_list() == [
        formula
    ]
    result = read_export(write_xlsx(tmp_path / "a.xlsx", rows), PPID)
    assert result.rows["pekerjaan"].to_list() == [formula]


# --- unreadable, and the safety net ------------------------------------------------------


def test_directory_is_rejected_as_unreadable(tmp_path: Path) -> None:
    folder = tmp_path / "register.csv"
    folder.mkdir()
    assert "bukan file biasa" in rejected_with(read_export(folder, PPID), FILE_UNREADABLE)
    rejected_with(read_export(tmp_path / "hilang.csv", PPID), FILE_UNREADABLE)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_file_without_read_permission_is_rejected_as_unreadable(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [PPID_HEADER, *PPID_ROWS])
    path.chmod(0)
    try:
        rejected_with(read_export(path, PPID), FILE_UNREADABLE)
    finally:
        path.chmod(0o600)


def test_any_unexpected_exception_rejects_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("parser rusak 6204014101990001\nbaris kedua traceback")

    monkeypatch.setattr(sources.read, "parse_series", broken)
    message = rejected_with(
        read_export(write_csv(tmp_path / "a.csv", [PPID_HEADER, *PPID_ROWS]), PPID),
        UNEXPECTED_ERROR,
    )
    assert "RuntimeError: parser rusak" in message
    assert "baris kedua" not in message
    assert "6204014101990001" not in message


def test_a_panic_in_a_rust_library_rejects_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Rust panic (polars here; the XLSX reader's happen in its child) reaches Python as
    pyo3's PanicException, a BaseException."""

    class PanicException(BaseException):
        pass

    def panics(*args: object, **kwargs: object) -> None:
        raise PanicException("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(sources.read, "parse_series", panics)
    path = write_xlsx(tmp_path / "a.xlsx", [PPID_HEADER, *PPID_ROWS])
    assert "PanicException" in rejected_with(read_export(path, PPID), UNEXPECTED_ERROR)


def test_interrupts_are_not_swallowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(sources.read, "parse_series", interrupted)
    with pytest.raises(KeyboardInterrupt):
        read_export(write_csv(tmp_path / "a.csv", [PPID_HEADER, *PPID_ROWS]), PPID)


def test_damaged_copies_of_good_exports_never_raise(tmp_path: Path) -> None:
    """Bytes flipped, cut or repeated at random in a good CSV and a good XLSX."""
    good_xlsx = write_xlsx(tmp_path / "good.xlsx", [PPID_HEADER, *PPID_ROWS]).read_bytes()
    good_csv = write_csv(tmp_path / "good.csv", [PPID_HEADER, *PPID_ROWS * 5]).read_bytes()
    rng = random.Random(20251231)
    for n in range(150):
        data = bytearray(good_xlsx if n % 2 else good_csv)
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data))
            choice = rng.random()
            if choice < 0.6:
                data[at] = rng.randrange(256)
            elif choice < 0.8:
                del data[at:]
                data += bytes(rng.randrange(1, 50))
            else:
                data[at:at] = data[at : at + rng.randrange(1, 200)]
        path = tmp_path / f"rusak{n}.xlsx"
        path.write_bytes(bytes(data))
        result = read_export(path, PPID)
        assert isinstance(result, ReadResult)
        assert all(i.message for i in result.issues)


@pytest.mark.parametrize(
    "second",
    ["xl/worksheets/sheet1.xml", "xl/worksheets/Sheet1.xml", "xl\\worksheets\\sheet1.xml"],
)
def test_a_zip_holding_one_part_twice_is_refused(tmp_path: Path, second: str) -> None:
    """Two sheets stored under one name: the spreadsheet reader loads the second, another
    program may show the first. Which rows the export holds is not known: refused. (The
    reader reads a "\\" in a member's name as "/".)"""

    def rows(number: str) -> str:
        return PPID_XML_HEADER + '</row><row r="2">' + text_cell("A2", number) + "</row>"

    path = hand_made_xlsx(tmp_path / "a.xlsx", sheet_xml(rows("001")))
    with zipfile.ZipFile(path, "a") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name"
        archive.writestr(second, SHEET_START + rows("999").encode() + SHEET_END)
    assert "dua kali" in rejected_with(read_export(path, PPID), FILE_UNREADABLE)
