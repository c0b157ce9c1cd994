"""What Excel shows in place of a cell's value, and a cell whose value the file does not hold:
texts the reader gives such cells, and what parsing makes of them."""

from __future__ import annotations

import re

# What Excel shows where a cell has no value to show: a formula's error, or "########" for a
# number no calendar holds in a date cell (the reader gives an XLSX cell so, and Excel's CSV
# writes the same). It names nothing: a column that must hold a value (a key) refuses it.
NOT_SHOWN = "########"
EXCEL_ERRORS = frozenset(
    {"#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", NOT_SHOWN}
)  # fmt: skip
# LibreOffice shows most of its formula errors by code ("Err:502" invalid argument, "Err:522"
# circular reference), and its CSV writes them so; its XLSX holds Excel's name instead.
LIBREOFFICE_ERROR = re.compile(r"err:5\d\d", re.IGNORECASE)
# What no cell holds as text: U+FFFD, which decoding leaves for bytes that are no text in the
# file's encoding (a byte damaged on a disk or in a transfer), and the control characters
# but the spaces (tab, line ends, and Word's line and page breaks pasted in, \v and \f). A
# key holding one is a damaged key, not an item of its own.
DAMAGED = r"[\x00-\x08\x0e-\x1f\x7f\ufffd]"

# An XLSX cell holding a formula whose result the file does not hold (a program that does not
# calculate wrote it, for Excel to calculate on opening): the reader gives it this text. Its
# value is not known: an error of its row, except in free text, which it leaves empty.
NOT_CALCULATED = "(rumus belum dihitung)"
NOT_CALCULATED_REASON = (
    "sel berisi rumus yang hasilnya tidak tersimpan di file (dibuat program yang tidak "
    "menghitung rumus; Excel menghitungnya saat file dibuka), jadi nilainya tidak diketahui; "
    "buka file di Excel lalu simpan ulang, atau ekspor nilainya, bukan rumusnya"
)


def parse_named(text: str) -> str:
    """Text a row cannot do without (a key: No Registrasi, Kode Barang): never what Excel
    shows in place of a value (``EXCEL_ERRORS``, LibreOffice's ``Err:502``), nor a damaged
    byte (``DAMAGED``), which would name an item of its own."""
    value = " ".join(text.split())  # (as free text: spaces and line breaks as one)
    if value.upper() in EXCEL_ERRORS or LIBREOFFICE_ERROR.fullmatch(value):
        raise ValueError(
            f"'{text}' bukan nilai: Excel atau LibreOffice menampilkannya untuk sel tanpa nilai "
            "(rumus yang gagal, mis. VLOOKUP yang tidak menemukan; atau angka yang tidak dapat "
            "ditampilkan); perbaiki sel ini di sumber"
        )
    if re.search(DAMAGED, text):
        raise ValueError(
            f"'{text}' memuat karakter rusak (byte yang bukan teks, mis. file rusak di disk atau "
            "saat dikirim); ekspor ulang file ini dari aplikasi sumber"
        )
    return value
