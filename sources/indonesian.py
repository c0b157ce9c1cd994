"""Numbers and dates the way Indonesian readers write them: 95,45 · 1.234 · 27 Maret 2025
(for the report, the digest and the progress bars; Python's own formatting is English), and
the month names exports write (``MONTHS``, for the reader)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


# Month names as exports write them (case-folded): in full, short, in old spellings, and in
# English (Excel set to English).
MONTHS = {
    **{name.casefold(): number for number, name in enumerate(BULAN, start=1)},
    "jan": 1, "january": 1,
    "feb": 2, "pebruari": 2, "peb": 2, "february": 2,
    "mar": 3, "march": 3,
    "apr": 4,
    "may": 5,
    "jun": 6, "june": 6,
    "jul": 7, "july": 7,
    "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "sep": 9, "sept": 9,
    "okt": 10, "oct": 10, "october": 10,
    "nov": 11, "nop": 11, "nopember": 11,
    "des": 12, "dec": 12, "december": 12,
}  # fmt: skip


def persen(value: Decimal | float | None) -> str:
    """95,45 (two decimals, decimal comma, thousands dot); a dash when there is no figure."""
    if value is None:
        return "–"
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def bilangan(value: int | None) -> str:
    """1.234 (thousands dot); a dash when there is no figure."""
    return "–" if value is None else f"{value:,}".replace(",", ".")


def tanggal(value: date | None) -> str:
    """29 November 2026 (a datetime shows its date); a dash when there is none."""
    return "–" if value is None else f"{value.day} {BULAN[value.month - 1]} {value.year}"
