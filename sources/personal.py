"""Personal data in free text (SPEC §5: NIK, phone numbers, e-mail addresses and street
addresses): the shapes they are written in, and text with them masked. Used where a text is
published or shown: a message quoting a cell (``sources.sheet``), free-text columns
(``warehouse.pii``, with keyed tokens), the admins' alerts (``warehouse.digest``); and where
a cell is typed (``sources.parse``: a phone number is no count and no code).
Hand-written patterns: no dependency knows Indonesian phone numbers, NIKs or street words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[ .-]?\d){12,}(?!\d)")  # NIK (16), KK, NPWP, ...
# Long runs of digits written in groups no NIK or phone number is written in: a BMN kode barang
# with its NUP (3.10.01.02.001.000005, 3.10.01.02.001-5), dates side by side (14-05-2025
# 20-05-2025, 2025-05-14 2025-05-20). A run holding anything else besides is masked whole.
_DATE = (
    r"(?:(?:0?[1-9]|[12]\d|3[01])[.-](?:0?[1-9]|1[0-2])[.-](?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)"
)
# A time stamp as export tools write it into a file name, ppid_20250301120000.csv: no NIK (16
# digits) or phone number (62 or 0 before the 8), and masked it would make the names of two
# exports saved in the same second equal, when the later name must win their tie (SPEC §2).
_STAMP = (
    r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ .-]?(?:[01]\d|2[0-3])[0-5]\d[0-5]\d"
)
_NO_NIK = re.compile(
    rf"[1-8]\.\d\d\.\d\d\.\d\d\.\d{{3}}[.-]\d{{1,6}}|{_DATE}(?: {_DATE})+|{_STAMP}"
)
# A mobile number: 0812-3456-7890, +62 812 3456 7890, and as typed by hand, (+62) 812-3456-7890,
# +62 (812) 3456 7890, 0812 - 3456 - 7890 (a space on either side of a separator).
_PHONE = re.compile(
    r"(?<!\d)(?:\(\+?62\)|\+62|62|0)[ -]?(?:\(8\d{1,3}\)|8\d)(?: ?[.-]? ?\d){6,11}(?!\d)"
)
# A fixed line: the area code in brackets, (0525) 21234, or after +62, +62 536 3221234.
_LANDLINE = re.compile(
    r"(?:\(0\d{2,3}\)|(?<!\d)\+62[ -]?[1-79]\d{1,2})[ .-]?\d(?:[ .-]?\d){3,8}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A street address: a street word (Jl., Jalan, Gg., Komplek, Perum, ...) and what follows it up
# to the next comma, quote or bracket; or an RT/RW pair. After the word's dot the space is often
# left out (Jl.Pahlawan No.12, Gg.Mawar).
_ADDRESS = re.compile(
    r"\b(?:jl|jln|jalan|gg|gang|lrg|lorong|komp|komplek|kompleks|perum|perumahan)\b(?:\.\s*|\s+)"
    r"[^,;'\"()\[\]\n]+|\brt\.?\s*\d{1,3}\s*/\s*rw\.?\s*\d{1,3}\b",
    re.IGNORECASE,
)
# What each kind of personal value is masked as, in this order (an e-mail address first: its
# digits are no phone number).
PERSONAL: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", _EMAIL),
    ("nomor", _PHONE),
    ("nomor", _LANDLINE),
    ("angka", _LONG_NUMBER),
    ("alamat", _ADDRESS),
)


def masked(text: object, token: Callable[[str, str], str] | None = None) -> str:
    """The text with anything shaped like a NIK, a phone number, an e-mail address or a street
    address masked: ``[nomor disamarkan]``, or what ``token(kind, value)`` makes of it (a keyed
    pseudonym, so that masked values stay distinct: ``warehouse.pii``)."""
    result = str(text)
    for kind, pattern in PERSONAL:
        result = pattern.sub(lambda m, k=kind: _mask(k, m[0], token), result)  # type: ignore[misc]
    return result


def _mask(kind: str, value: str, token: Callable[[str, str], str] | None) -> str:
    if kind == "angka" and _NO_NIK.fullmatch(value):
        return value  # a code or dates, no NIK
    return token(kind, value) if token else f"[{kind} disamarkan]"


# A phone number that lost its leading 0: a number cell keeps 0812 3456 7890 as 81234567890,
# and so does a CSV saved from it. Mobile numbers have 10 to 13 digits with the 0. Only a whole
# cell is taken for one (a sign typed before it too): within a text, a bare number may be
# anything.
_PHONE_WITHOUT_ZERO = re.compile(r"\s*[-+]?8\d(?:[ .-]?\d){7,10}\s*")


def masked_cell(text: object, token: Callable[[str, str], str] | None = None) -> str:
    """One cell with its personal data masked (``masked``): also a cell that is nothing but a
    phone number that lost its leading 0."""
    value = str(text)
    if _PHONE_WITHOUT_ZERO.fullmatch(value):
        return token("nomor", value) if token else "[nomor disamarkan]"
    return masked(value, token)


# A text that may hold a NIK, phone number, e-mail or street address (``masked_cell``): a
# superset, in the Rust regex polars runs, so that Python looks only at the few that do. (A
# phone number without "(0", "(8", "(62" or "+62" has nine digits at least: 08 and seven more,
# each with at most a space, a dot or dash and a space before it.)
MAYBE_PERSONAL = (
    r"@|\d(?: ?[.-]? ?\d){8}|\(0\d|\(8\d|\(\+?62|\+62|"
    r"(?i:\b(?:jl|jln|jalan|gg|gang|lrg|lorong|komp|komplek|kompleks|perum|perumahan|rt)\b)"
)
