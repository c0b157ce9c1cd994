"""Hostile files for a landing: each is something a real export folder can hold by accident or
by malice. Used by the containment tests and by ``tests/benchmarks/bench_hostile.py``, which
measures the peak memory of a run over them.

``write_hostile(landing, outside)`` returns, per landing path (relative), how the run must
treat it: ``"error"`` (refused or rejected, in dq.issues as an error), ``"warning"`` (not
followed, reported as a warning) or ``"rows"`` (loaded, with row errors in dq.issues).
``outside`` is a folder outside the landing that links point to.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import xlsxwriter

SATKER = "6204"
BIG_FIELD = 200 * 1024  # one CSV field over Python's csv limit of 128 KiB
WIDE = 100_000  # columns
BOMB_BYTES = 1 << 30  # what the zip bomb's sheet decompresses to


def _write(landing: Path, relative: str, body: bytes) -> str:
    path = landing / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    return relative


def _xlsx(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A valid-looking XLSX whose one sheet inflates to 1 GiB of spaces (about 1 MB on disk)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        book.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b" " * (1 << 20)
            for _ in range(BOMB_BYTES // len(block)):
                sheet.write(block)
    return buffer.getvalue()


def write_hostile(landing: Path, outside: Path, big_bytes: int | None = None) -> dict[str, str]:
    """Write the hostile files; ``big_bytes``: also a CSV of that size (for the size limit)."""
    expected: dict[str, str] = {}
    ppid_head = "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis;Pekerjaan\n"

    def add(relative: str, body: bytes, outcome: str) -> None:
        expected[_write(landing, f"{SATKER}/{relative}", body)] = outcome

    add("sakip/sakip_nilai_raksasa.csv", b"Tahun;Nilai;Predikat\n2023;1e309;A\n", "error")
    add(
        "ppid/ppid_kolom_panjang.csv",
        (ppid_head + "H-1;03/03/2025;10/03/2025;" + "x" * BIG_FIELD + "\n").encode(),
        "error",
    )
    header = ";".join(["No Registrasi", "Tanggal Permohonan", "Tanggal Pemberitahuan Tertulis"])
    add(
        "ppid/ppid_lebar.csv",
        (header + ";" * WIDE + "\nH-2;03/03/2025;10/03/2025\n").encode(),
        "error",
    )
    add("logistik/logistik_bom.xlsx", zip_bomb(), "error")
    add("ppid/catatan.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "error")
    add("keuangan/keuangan_lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096, "error")
    add(
        "ppid/ppid_kolom_ganda.csv",
        b"No Registrasi;NIK;No Identitas;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis\n"
        b"H-3;;;03/03/2025;10/03/2025\n",
        "error",
    )
    good = "".join(f"H-T{n};01/03/2025;10/03/2025;01/03/2025;10/03/2025\n" for n in range(10))
    add(
        "tahapan/tahapan\nPalsu <b>x<i> | ` # [a](b).csv",
        (
            "Kode Tahapan;Jadwal Mulai;Jadwal Selesai;Realisasi Mulai;Realisasi Selesai\n"
            "H-S1;00000;10/03/2025;01/03/2025;10/03/2025\n"  # text is never an Excel serial
            "H-S2;01/03/2025;9999-12-31;01/03/2025;10/03/2025\n" + good  # not a plausible date
        ).encode(),
        "rows",
    )
    add("ppid/kosong\nPalsu \x1b[31m.csv", b"", "error")  # rejected: listed by the CLI
    add("ppid/biner.csv", bytes(range(256)) * 64, "error")
    if big_bytes is not None:
        line = b"H-9;03/03/2025;10/03/2025;" + b"p" * 100 + b"\n"
        add(
            "ppid/ppid_raksasa.csv",
            ppid_head.encode() + line * (big_bytes // len(line) + 1),
            "error",
        )

    # Things the walk must not follow: links out of the landing, a pipe.
    secret = outside / "rahasia.csv"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(ppid_head + "RAHASIA;03/03/2025;10/03/2025;x\n")
    (outside / "folder").mkdir(exist_ok=True)
    (outside / "folder" / "lain.csv").write_text(ppid_head + "RAHASIA-2;03/03/2025;10/03/2025;x\n")
    link = landing / SATKER / "ppid" / "tautan.csv"
    link.symlink_to(secret)
    expected[str(link.relative_to(landing))] = "warning"
    folder_link = landing / SATKER / "ppid" / "tautan_folder"
    folder_link.symlink_to(outside / "folder", target_is_directory=True)
    expected[str(folder_link.relative_to(landing))] = "warning"
    pipe = landing / SATKER / "ppid" / "pipa.csv"
    os.mkfifo(pipe)
    expected[str(pipe.relative_to(landing))] = "warning"
    return expected
