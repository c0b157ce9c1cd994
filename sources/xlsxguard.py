"""The guard that runs before the spreadsheet reader opens an XLSX: the zip directory
(members, sizes, compression ratio), every member inflated within its declared size, the
workbook's settings and first sheet, and every sheet scanned (``sources.xlsxsheet``)."""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

from sources.sheet import (
    FILE_UNREADABLE,
    FORMAT_UNSUPPORTED,
    MIB,
    XLSX_TOO_LARGE,
    ReadError,
    ReadLimits,
    size_text,
    too_many_cells,
)
from sources.xlsxformats import ShownNumbers, shown_styles
from sources.xlsxformulas import FormulaCells
from sources.xlsxsheet import Merge, SheetExtent, string_tags
from sources.xlsxstrings import SharedStrings
from sources.xlsxzip import (
    ATTRIBUTE,
    attributes,
    inflate,
    one_directory,
    one_member_per_name,
    read_alike,
    start_tags,
    unreadable_xlsx,
)

_RATIO_FLOOR = MIB  # an archive or member smaller than this is harmless whatever its ratio
_MAX_MEMBERS = 10_000  # a workbook has tens of parts (plus its pictures)


def check_xlsx(data: bytes, limits: ReadLimits) -> Workbook:
    """Refuse an XLSX the spreadsheet reader could not open within the limits, before it
    tries, in the steps the module's docstring names; return what reading the workbook needs
    to know of it (``Workbook``)."""
    # Listing the directory costs about 1 KiB per member: count them first, by the signature
    # every directory entry must start with.
    if data.count(b"PK\x01\x02") > _MAX_MEMBERS:
        raise ReadError(
            XLSX_TOO_LARGE,
            f"arsip XLSX berisi lebih dari {_MAX_MEMBERS} bagian, bukan workbook biasa; ekspor "
            "ulang dari aplikasi sumber",
        )
    try:
        one_directory(data)
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
        for member in members:
            read_alike(member)
        one_member_per_name(members)
    except Exception as exc:  # zipfile raises several types for a damaged directory
        raise unreadable_xlsx(exc) from exc
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise ReadError(
            FORMAT_UNSUPPORTED,
            "arsip ZIP ini bukan XLSX (tidak ada xl/workbook.xml; mungkin DOCX, ODS, atau ZIP "
            "biasa); simpan sebagai .xlsx atau .csv",
        )
    declared = sum(m.file_size for m in members)
    if declared > limits.max_xlsx_uncompressed_bytes:
        raise ReadError(
            XLSX_TOO_LARGE,
            f"isi XLSX setelah diekstrak {size_text(declared)}, melebihi batas "
            f"{size_text(limits.max_xlsx_uncompressed_bytes)} (IKU_MAX_XLSX_UNCOMPRESSED_BYTES): "
            "kemungkinan zip bomb, atau lembar kerja terlalu besar; pecah menjadi beberapa file "
            "atau naikkan IKU_MAX_XLSX_UNCOMPRESSED_BYTES",
        )
    packed = sum(m.compress_size for m in members)
    parts = [("seluruh arsip", declared, packed)]
    parts += [(f"bagian {m.filename[:60]!r}", m.file_size, m.compress_size) for m in members]
    for what, size, compressed in parts:
        if size > _RATIO_FLOOR and size > limits.max_xlsx_ratio * max(compressed, 1):
            raise ReadError(
                XLSX_TOO_LARGE,
                f"{what} XLSX terkompresi {size / max(compressed, 1):.0f} kali, melebihi batas "
                f"{limits.max_xlsx_ratio:g} (IKU_MAX_XLSX_RATIO): kemungkinan zip bomb; ekspor "
                "ulang dari aplikasi sumber atau naikkan IKU_MAX_XLSX_RATIO",
            )
    # Every member holding sheet data is checked, whatever its name: which one the
    # spreadsheet reader opens cannot be proven from outside it (it reads names, paths and
    # relationships its own way), and a sheet it cannot allocate ends the whole process.
    workbook = _uncommented(_part(archive, "xl/workbook.xml"))
    relations = _relations(archive)
    # The reader finds a part whatever the case of its name, "\\" read as "/" (as Excel
    # does: part names compare ignoring case).
    members_by_key = {_part_key(m): m for m in archive.namelist()}
    sheet, first, others = _first_sheet(workbook, relations, members_by_key)
    _named_parts_present(relations, members_by_key)
    strings, shared, merges, ignored = 0, SharedStrings(), [], []
    formulas = FormulaCells(_recalculated(workbook))
    shown = ShownNumbers(shown_styles(_part(archive, "xl/styles.xml")))
    # The shared strings first: a sheet's cells are measured by their lengths.
    for member in sorted(members, key=lambda m: not _holds_strings(m)):
        read = member.filename == first
        # Every member (a picture simply never shows sheet data); a repeated cell looked for
        # in the sheet read only (an external link's cached sheets each restart at row 1).
        extent = SheetExtent(repeats=read)
        holds_strings, pieces = _holds_strings(member), inflate(data, member)
        try:
            if holds_strings:
                pieces = shared.read(pieces, limits)
            for piece in pieces:
                extent.feed(piece, limits)
                strings += string_tags(piece) if holds_strings else 0
                if read:
                    formulas.feed(piece)
                    if shown.shown:
                        shown.feed(piece)
            if extent.sheet_data:
                extent.check(data, member, limits)
                shared.check_copies(extent.values, inflate(data, member), limits)
                merges += extent.merges if read else []
                if extent.values and member.filename in others:
                    ignored.append(member.filename)
        except (zlib.error, struct.error) as exc:
            raise unreadable_xlsx(exc) from exc
    if strings > limits.max_xlsx_cells:
        raise too_many_cells(f"{strings} teks berbeda", limits)
    date1904 = _date1904(workbook)
    names = [others[m] for m in others if m in ignored]  # in the workbook's order
    return Workbook(sheet, date1904, merges, names, formulas.found(), shown.found())


@dataclass(frozen=True)
class Workbook:
    """What the guard learnt of a workbook that the reading needs."""

    # The sheet to read: its position and the number of sheets (``_first_sheet``); None: not
    # known, then every worksheet was checked and the first is read.
    sheet: tuple[int, int] | None
    date1904: bool  # dates counted from 1904 (old Excel for Mac)
    merges: list[Merge]  # the merged ranges of that sheet
    ignored: list[str]  # the names of the other visible worksheets that hold values
    # The cells of that sheet whose formula result Excel shows but the file does not hold
    # (``FormulaCells``): (row, column), counted from 1.
    not_calculated: list[tuple[int, int]]
    # Its number cells shown padded with zeros or as a percent (``ShownNumbers``): (row,
    # column, as shown).
    shown: list[tuple[int, int, str]]


_SETTINGS, _SHEET, _RELATIONSHIP = map(start_tags, (b"workbookPr", b"sheet", b"Relationship"))
_CALCULATION = start_tags(b"calcPr")


def _date1904(workbook: bytes) -> bool:
    """Whether the workbook counts its dates from 1904 (old Excel for Mac). Its setting
    must be written plainly, once: the spreadsheet reader takes "1" and "true" as written
    (not " 1", "TRUE", "&#49;" or a prefixed name, which other programs take for 1904),
    and a second setting may be another program's choice. Otherwise every date could read
    four years and a day off: refused."""
    settings = _SETTINGS.findall(workbook)
    found = [
        (prefix, a or b)
        for tag in settings
        for prefix, name, a, b in ATTRIBUTE.findall(tag)  # (quoted values passed over)
        if name == b"date1904"
    ]
    if (
        len(settings) > 1
        or len(found) > 1
        or any(prefix or value not in (b"0", b"1", b"true", b"false") for prefix, value in found)
    ):
        shown = b" ".join(settings)[:80].decode("utf-8", "replace")
        raise unreadable_xlsx(
            ValueError(
                f"sistem tanggal workbook ditulis tidak lazim ({shown!r}): program lain dapat "
                "membaca setiap tanggal bergeser empat tahun"
            )
        )
    return bool(found) and found[0][1] in (b"1", b"true")


def _recalculated(workbook: bytes) -> bool:
    """Whether the workbook asks Excel to calculate every formula when it opens it
    (``fullCalcOnLoad``, as programs that do not calculate write it): then no formula's
    saved result is what Excel shows."""
    return any(
        name == b"fullCalcOnLoad" and (a or b).strip() in (b"1", b"true")
        for tag in _CALCULATION.findall(workbook)
        for _, name, a, b in ATTRIBUTE.findall(tag)
    )


def _part(archive: zipfile.ZipFile, name: str) -> bytes:
    """A part of the workbook; empty when it is missing or damaged (the spreadsheet reader
    will say; for the workbook, every sheet is then checked)."""
    try:
        return archive.read(name)
    except Exception:  # zipfile raises several types
        return b""


def _uncommented(xml: bytes) -> bytes:
    """``xml`` without its comments: a setting, sheet or relationship written only inside one
    is none to the spreadsheet reader (a date system found there would shift every date)."""
    return re.sub(rb"<!--.*?(?:-->|\Z)", b"", xml, flags=re.S)


def _holds_strings(member: zipfile.ZipInfo) -> bool:
    return member.filename.casefold().endswith("sharedstrings.xml")


def _relations(archive: zipfile.ZipFile) -> list[tuple[str, str | None, str]] | None:
    """The workbook's relationships: each one's type, id and the name of the part it names
    (normalised, as in the archive); None when xl/_rels/workbook.xml.rels is missing or
    damaged."""
    try:
        relations = _uncommented(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:
        return None
    found = []
    for relation in _RELATIONSHIP.finditer(relations):
        values = attributes(relation[0])
        target = values.get("Target", "")
        name = target[1:] if target.startswith("/") else posixpath.join("xl", target)
        found.append((values.get("Type", ""), values.get("Id"), posixpath.normpath(name)))
    return found


def _first_sheet(
    workbook: bytes, relations: list[tuple[str, str | None, str]] | None, parts: dict[str, str]
) -> tuple[tuple[int, int] | None, str | None, dict[str, str]]:
    """Which sheet a person sees first: the first worksheet of the workbook that is not
    hidden (a hidden sheet, often an old register or the lists of a template, and a chart
    tab are passed over), else its first worksheet. Returns its position among the
    workbook's sheets with their number (the spreadsheet reader is told the position: a
    name may be written twice, or be decoded otherwise), its member, and the names of the
    other visible worksheets by member. (None, None, {}): not found. ``workbook``: the bytes
    of xl/workbook.xml, ``parts`` the archive's members by ``_part_key``. A first sheet whose
    part is not in the archive refuses the file: the next sheet is not what Excel shows (it
    repairs the file, or shows that sheet)."""
    if relations is None:  # missing or damaged: then every worksheet is checked
        return None, None, {}
    targets = {id_: name for kind, id_, name in relations if kind.endswith("/worksheet")}
    tags = [s[0] for s in _SHEET.finditer(workbook)]
    for tag in tags:  # the reader takes the last of two (r:id, x:id), Excel the one it names
        names = [name for _, name, _, _ in ATTRIBUTE.findall(tag)]
        if len(names) != len(set(names)):
            shown = tag[:120].decode("utf-8", "replace")
            raise unreadable_xlsx(
                ValueError(
                    f"lembar ditulis dengan atribut ganda ({shown!r}): pembaca XLSX dapat membaca "
                    "lembar lain dari yang ditampilkan Excel"
                )
            )
    sheets = list(map(attributes, tags))
    worksheets = [(i, s) for i, s in enumerate(sheets) if s.get("id") in targets]
    visible = [(i, s) for i, s in worksheets if s.get("state", "visible") == "visible"]
    members = [(i, s, parts.get(_part_key(targets[s["id"]]))) for i, s in visible or worksheets]
    if not members:
        return None, None, {}
    index, sheet, first = members[0]
    if first is None:
        raise ReadError(
            FILE_UNREADABLE,
            f"lembar pertama ('{sheet.get('name', '')[:60]}') tidak ada di arsip XLSX (bagian "
            f"{targets[sheet['id']][:80]!r} tidak ditemukan): file rusak, dan lembar lain tidak "
            "dibaca sebagai gantinya; ekspor ulang dari aplikasi sumber",
        )
    others = {m: s.get("name", "") for _, s, m in members if m not in (None, first)}
    return (index, len(sheets)), first, others if visible else {}


def _named_parts_present(
    relations: list[tuple[str, str | None, str]] | None, parts: dict[str, str]
) -> None:
    """Refuse a workbook whose relationships name its styles or shared strings where the
    archive holds no such part (lost on a disk or in a transfer): the spreadsheet reader reads
    on without them, a number padded by its format ("031/PPID/2025") as 31, another key.
    Relationships missing or damaged: the first sheet's check says what it can."""
    for kind, _, name in relations or []:
        if kind.rsplit("/", 1)[-1] in ("styles", "sharedStrings") and _part_key(name) not in parts:
            raise ReadError(
                FILE_UNREADABLE,
                f"bagian {name[:80]!r} yang disebut workbook tidak ada di arsip XLSX: file rusak "
                "(format angka, tanggal, atau teks selnya hilang); ekspor ulang dari aplikasi "
                "sumber",
            )


def _part_key(name: str) -> str:
    return name.replace("\\", "/").encode().lower().decode()
