"""An XLSX's zip archive read as the spreadsheet reader's zip library reads it: one central
directory where its end record says, every member inflated within its declared size; and the
start tags of its XML parts (the workbook, its relationships, its styles)."""

from __future__ import annotations

import html
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator

from sources.sheet import FILE_UNREADABLE, MIB, XLSX_TOO_LARGE, ReadError, first_line

_CHUNK = MIB


ATTRIBUTE = re.compile(rb"""\s([\w.-]+:)?([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def attributes(tag: bytes) -> dict[str, str]:
    """An XML start tag's attributes by local name, entities resolved."""
    found = ATTRIBUTE.findall(tag)
    return {k.decode(): html.unescape((a or b).decode("utf-8", "replace")) for _, k, a, b in found}


def start_tags(name: bytes) -> re.Pattern[bytes]:
    """Start tags ``name``, maybe prefixed, read whole: a ">" may stand in a quoted value (a
    sheet named "Data >2024"), and cutting the tag there would lose the attributes after it;
    so may a "<", which the spreadsheet reader takes as written."""
    return re.compile(rb"<(?:[\w.-]+:)?" + name + rb"""\b(?:[^<>"']|"[^"]*"|'[^']*')*>""")


BEYOND = 10**8  # more rows or columns than any sheet can have


def column_number(letters: bytes) -> int:
    """The number of a column by its letters in a cell reference (A is 1)."""
    if len(letters) > 3:  # beyond XFD, Excel's last column
        return BEYOND
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def unreadable_xlsx(exc: Exception) -> ReadError:
    detail = first_line(exc)
    return ReadError(
        FILE_UNREADABLE,
        f"file XLSX tidak dapat dibuka (rusak, terpotong, atau bukan XLSX): {detail}. "
        "Ekspor ulang dari aplikasi sumber",
    )


def one_directory(data: bytes) -> None:
    """Refuse a zip whose central directory does not end where its end record stands (data
    before the archive, or a second directory): Python's zipfile and the reader's zip library
    could then read two different archives, and only one would be checked."""
    end = data.rfind(b"PK\x05\x06")
    if end < 0 or len(data) < end + 22:
        raise ValueError("catatan akhir ZIP tidak ada")
    size, offset = struct.unpack_from("<II", data, end + 12)
    if end >= 20 and data[end - 20 : end - 16] == b"PK\x06\x07":
        # zip64 (Python's zipfile then reads its own end record, the other library may read
        # the ordinary one): both must give the same directory
        (end,) = struct.unpack_from("<Q", data, end - 12)
        if data[end : end + 4] != b"PK\x06\x06" or len(data) < end + 56:
            raise ValueError("catatan akhir ZIP64 tidak ada")
        size64, offset64 = struct.unpack_from("<QQ", data, end + 40)
        if not all(a in (b, 0xFFFFFFFF) for a, b in ((size, size64), (offset, offset64))):
            raise ValueError("dua catatan akhir ZIP menunjuk direktori berbeda")
        size, offset = size64, offset64
    elif 0xFFFFFFFF in (size, offset):
        raise ValueError("catatan akhir ZIP64 tidak ada")
    if offset + size != end:
        raise ValueError("direktori ZIP tidak di tempatnya (ada data sebelum atau di antaranya)")


def read_alike(member: zipfile.ZipInfo) -> None:
    """Refuse a member whose extra fields make the reader's zip library read it otherwise
    than Python's zipfile: a zip64 field giving other sizes or another offset (Python takes
    them only where the ordinary field is full, the library every one present), or a
    Unicode path naming it otherwise (Python ignores it: the library would find, say, the
    shared strings under a name the guard never saw)."""
    extra = member.extra
    while len(extra) >= 4:
        kind, length = struct.unpack_from("<HH", extra)
        if kind == 1:  # zip64: uncompressed size, compressed size, local header offset
            known = (member.file_size, member.compress_size, member.header_offset)
            given = struct.unpack_from(f"<{min(length, 24) // 8}Q", extra, 4)
            if any(g != k for g, k in zip(given, known, strict=False)):
                raise ValueError(f"ukuran ZIP64 bagian {member.filename[:60]!r} tidak cocok")
        if kind == 0x7075 and extra[9 : 4 + length].decode("utf-8", "replace") != member.filename:
            raise ValueError(f"bagian {member.filename[:60]!r} bernama lain di kolom Unicode")
        extra = extra[4 + length :]


def one_member_per_name(members: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip holding two members of one name (part names compare ignoring case in a
    workbook's package): which of the two a program opens is its own choice (the spreadsheet
    reader takes the last one, Excel may show the first), so the rows loaded could be other
    than those the admin sees. The reader also reads a "\\" in a name as "/"."""
    seen: set[str] = set()
    for member in members:
        name = member.filename.replace("\\", "/").casefold()
        if name in seen:
            raise ValueError(f"bagian {member.filename[:60]!r} ada dua kali di arsip")
        seen.add(name)


def inflate(data: bytes, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """The bytes of one member, a megabyte at a time, as the spreadsheet reader will get
    them: its whole compressed stream, refused as soon as it gives more than the declared
    size (a zip bomb can declare a small size and decompress to gigabytes), and at its end
    when its CRC-32 is not the one the zip records (the spreadsheet reader does not check
    it: a flipped byte read a name with another letter)."""
    start = member.header_offset
    if data[start : start + 4] != b"PK\x03\x04" or len(data) < start + 30:
        raise unreadable_xlsx(ValueError(f"bagian {member.filename[:60]!r} rusak"))
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    packed = memoryview(data)[begin : begin + member.compress_size]
    if member.flag_bits & 1:
        raise ReadError(
            FILE_UNREADABLE, "XLSX dilindungi kata sandi; simpan ulang tanpa kata sandi"
        )
    if member.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = (
            bytes(packed[i : i + _CHUNK]) for i in range(0, len(packed), _CHUNK)
        )
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        pieces = _deflated(packed)
    else:
        raise unreadable_xlsx(ValueError(f"metode kompresi {member.compress_type}"))
    size = crc = 0
    for piece in pieces:
        size += len(piece)
        crc = zlib.crc32(piece, crc)
        if size > member.file_size:
            raise ReadError(
                XLSX_TOO_LARGE,
                f"bagian {member.filename[:60]!r} XLSX berisi lebih banyak dari yang tercatat di "
                "direktori zip: file rusak (mis. di disk atau saat dikirim) atau zip bomb; "
                "ekspor ulang dari aplikasi sumber",
            )
        yield piece
    if size != member.file_size or len(packed) != member.compress_size:
        raise unreadable_xlsx(ValueError(f"bagian {member.filename[:60]!r} terpotong"))
    if crc != member.CRC:  # a byte damaged on a disk or in a transfer, which may inflate still
        raise unreadable_xlsx(ValueError(f"bagian {member.filename[:60]!r} rusak (CRC berbeda)"))


def _deflated(packed: memoryview) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for start in range(0, len(packed), _CHUNK):
        piece = inflater.decompress(packed[start : start + _CHUNK], _CHUNK)
        yield piece
        while inflater.unconsumed_tail or len(piece) == _CHUNK:
            piece = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            yield piece
            if not piece:
                break
