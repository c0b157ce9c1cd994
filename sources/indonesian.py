"""Numbers and dates the way Indonesian readers write them: 95,45 · 1.234 · 27 Maret 2025
(for the report, the digest and the progress bars; Python's own formatting is English)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


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
