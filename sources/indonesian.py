"""Numbers and dates the way Indonesian readers write them: 95,45 · 1.234 · 27 Maret 2025
(for the report, the digest and the progress bars; Python's own formatting is English), and
dates and months as exports write them (``parse_date``, ``parse_month``, for the reader)."""

from __future__ import annotations

import re
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


def persen(value: Decimal | float | None, places: int = 2) -> str:
    """95,45 (two decimals, decimal comma, thousands dot); a dash when there is no figure."""
    if value is None:
        return "–"
    return f"{value:,.{places}f}".replace(",", "_").replace(".", ",").replace("_", ".")


def nilai(value: Decimal | None) -> str:
    """A score as persen, with the further decimals it has (90,001): shown as 90,00, a score
    just above a SAKIP grade's lower bound would seem to contradict its grade."""
    exponent = value.normalize().as_tuple().exponent if value is not None else 0
    return persen(value, max(2, -exponent) if isinstance(exponent, int) else 2)


def bilangan(value: int | None) -> str:
    """1.234 (thousands dot); a dash when there is no figure."""
    return "–" if value is None else f"{value:,}".replace(",", ".")


def tanggal(value: date | None) -> str:
    """29 November 2026 (a datetime shows its date); a dash when there is none."""
    return "–" if value is None else f"{value.day} {BULAN[value.month - 1]} {value.year}"


DATE_FORMATS = "2025-03-27, 27/03/2025, 27-03-2025, 27 Maret 2025 atau 27 Mar 2025"

# A time of day after the date, as a date-time cell saved to CSV shows it ("27/03/2025 0:00",
# "27 Maret 2025 14.30", "2025-03-27T08:00"; the text is case-folded): ignored. A month-first
# "3/27/2025 12:00:00 AM" is still refused.
_TIME = r"(?:[ t]\d{1,2}[:.]\d{2}(?:[:.]\d{2}(?:\.\d+)?)?(?:\s*[ap]m)?)?"
_ISO = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}$")
_DMY = re.compile(rf"^(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{4}}){_TIME}$")
_D_MONTH_Y = re.compile(rf"^(\d{{1,2}})[\s.-]+([a-z]+)\.?[\s.-]+(\d{{4}}){_TIME}$")
# dd/mm/yy: LibreOffice set to Indonesian writes a date cell so into the CSV it saves.
_SHORT_YEAR = re.compile(rf"^\d{{1,2}}([/.-])\d{{1,2}}\1\d{{2}}{_TIME}$")
_WEEKDAY = re.compile(r"^(senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad)\s*,?\s*")


def _date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"tanggal '{text}' tidak ada di kalender") from None


def parse_date(text: str) -> date:
    """ISO, dd/mm/yyyy, dd-mm-yyyy, '27 Maret 2025', 'Kamis, 27 Mar 2025'.

    A bare number ('45743', '00000') is refused: it is a date only in a numeric Excel cell,
    which the reader has already turned into an ISO date.
    """
    value = _WEEKDAY.sub("", text.strip().casefold())
    if m := _ISO.match(value):
        return _date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _DMY.match(value):
        return _date(int(m[4]), int(m[3]), int(m[1]), text)
    if m := _D_MONTH_Y.match(value):
        month = MONTHS.get(m[2])
        if month is None:
            raise ValueError(f"nama bulan '{m[2]}' pada '{text}' tidak dikenal")
        return _date(int(m[3]), month, int(m[1]), text)
    if _SHORT_YEAR.match(value):
        raise ValueError(
            f"'{text}' ditulis dengan tahun dua digit, yang tidak pasti abadnya, maka tidak "
            "dibaca; format kolom tanggal dengan tahun empat digit (mis. DD/MM/YYYY) sebelum "
            "menyimpan CSV, atau simpan sebagai XLSX"
        )
    raise ValueError(f"'{text}' bukan tanggal; format yang diterima: {DATE_FORMATS}")


_YM = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_MONTH_Y = re.compile(r"^([a-z]+)\.?[\s.-]+(\d{4})$")


def parse_month(text: str) -> date:
    """A reporting month: '2025-03', '03/2025', 'Maret 2025', 'Mar 2025' or a date in it."""
    value = text.strip().casefold()
    year = month = None
    if m := _YM.match(value):
        year, month = int(m[1]), int(m[2])
    elif m := _MY.match(value):
        year, month = int(m[2]), int(m[1])
    elif m := _MONTH_Y.match(value):
        if m[1] not in MONTHS:
            raise ValueError(f"nama bulan '{m[1]}' pada '{text}' tidak dikenal")
        year, month = int(m[2]), MONTHS[m[1]]
    else:
        try:
            return parse_date(text).replace(day=1)
        except ValueError:
            raise ValueError(
                f"'{text}' bukan periode bulan; contoh yang diterima: 2025-03, Maret 2025"
            ) from None
    if not 1 <= month <= 12:
        raise ValueError(f"bulan {month} pada '{text}' tidak ada")
    return date(year, month, 1)
