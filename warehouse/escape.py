"""Text from exports (file names, cell values, messages quoting them) made safe for the medium
it is shown in. A file name can hold a newline, an ANSI escape or markup: shown raw it would
forge lines in the CLI summary, an alert or the Prefect Markdown artifact.

- :func:`plain`: terminals, log lines, e-mail text and JSON string values: every control
  character (C0, DEL, C1, and the Unicode line/paragraph separators and bidi overrides) is
  shown as a visible escape (``\\n``, ``\\x1b``, ``\\u202e``), so one value is one line.
- :func:`markdown`: :func:`plain`, then Markdown and HTML specials backslash-escaped, so a value
  in a table cell stays text in that cell.
- :func:`masked`: anything shaped like a NIK, a phone number, an e-mail address or a street
  address masked (cell values quoted in messages, free text published, and the alerts' second
  line of defence against personal data).

(The HTML report escapes with Jinja2's autoescape.) Hand-written because no dependency does
it: ``html.escape`` leaves control characters as they are, and Markdown has no standard
escaping function in the libraries the project has.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings/overrides/isolates,
# zero-width and BOM characters that hide or reorder text.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")


def plain(value: object) -> str:
    """One line of inert text: control characters shown as escapes (Python's own
    ``unicode_escape``: ``\\n``, ``\\x1b``, ``\\u202e``)."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode(), str(value))


def markdown(value: object) -> str:
    """Text for a Markdown page or table cell: nothing in it is read as markup."""
    return _MARKDOWN.sub(r"\\\1", plain(value))


_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[ .-]?\d){12,}(?!\d)")  # NIK (16), KK, NPWP, ...
_PHONE = re.compile(r"(?<!\d)(?:\+62|62|0)[ -]?8\d(?:[ .-]?\d){6,11}(?!\d)")
# A fixed line: the area code in brackets, (0525) 21234, or after +62, +62 536 3221234.
_LANDLINE = re.compile(
    r"(?:\(0\d{2,3}\)|(?<!\d)\+62[ -]?[1-79]\d{1,2})[ .-]?\d(?:[ .-]?\d){3,8}(?!\d)"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A street address: a street word (Jl., Jalan, Gg., Komplek, Perum, ...) and what follows it up
# to the next comma, quote or bracket; or an RT/RW pair.
_ADDRESS = re.compile(
    r"\b(?:jl|jln|jalan|gg|gang|lrg|lorong|komp|komplek|kompleks|perum|perumahan)\b\.?\s+"
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
        result = pattern.sub(
            lambda m, k=kind: token(k, m[0]) if token else f"[{k} disamarkan]",  # type: ignore[misc]
            result,
        )
    return result
