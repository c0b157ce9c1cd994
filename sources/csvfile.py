"""Reading a CSV export: its encoding (UTF-8, UTF-16, Windows-1252), its separator, its
first rows checked against the limits before it is split into cells."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator

import polars as pl

from sources.header import header_positions
from sources.model import Source
from sources.sheet import (
    DELIMITERS,
    FILE_EMPTY,
    FILE_UNREADABLE,
    FORMAT_UNSUPPORTED,
    HEADER_SEARCH_ROWS,
    LINE_TOO_LONG,
    MIB,
    OVERFLOW,
    TOO_MANY_COLUMNS,
    Issue,
    ReadError,
    ReadLimits,
    Sheet,
    field_too_long,
    too_many_rows,
)


def to_utf8(data: bytes) -> bytes:
    """A CSV export as UTF-8 without BOM. It is UTF-8 (with or without BOM), UTF-16 (with a
    BOM or, without one, recognised by its NUL bytes; or more of its letters beyond ASCII
    UTF-8 than not), or else read as Windows-1252. Bytes that are not text in the encoding
    found become U+FFFD."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :]
        return text if _is_utf8(text) else text.decode("utf-8", "replace").encode("utf-8")
    encoding = _utf16(data)
    if encoding is not None:
        return data.decode(encoding, errors="replace").encode("utf-8")
    if _is_utf8(data):
        return data
    # UTF-8 but for a few bytes (damaged on a disk or in a transfer) is UTF-8 with those bytes
    # U+FFFD: read as Windows-1252, every letter of its own would change, a key with one too.
    decoded = data.decode("utf-8", errors="replace")
    damaged = decoded.count("\ufffd")
    if len(decoded) - len(decoded.encode("ascii", errors="ignore")) - damaged > damaged:
        return decoded.encode("utf-8")
    return data.decode("cp1252", errors="replace").encode("utf-8")


def _lf_line_ends(text: bytes) -> bytes:
    """Line ends as polars splits them: a lone CR (Excel for Mac's "CSV (Macintosh)", or a
    file mixing both) becomes LF; CRLF stays. polars reads a CR-only file as one line."""
    if text.count(b"\r") == text.count(b"\r\n"):
        return text
    return re.sub(rb"\r(?!\n)", b"\n", text)


def _utf16(data: bytes) -> str | None:
    """UTF-16 by its BOM, or by text of which every other byte is NUL (LE: the odd ones)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    half = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if half >= 2 and odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if half >= 2 and even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _is_utf8(data: bytes) -> bool:
    """Checked a megabyte at a time, so that no text of the whole file is built."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), MIB):
            decoder.decode(view[start : start + MIB])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _has_long_line(text: bytes, limit: int) -> bool:
    """Whether a line is longer than ``limit`` bytes, in one search per ``limit`` bytes: the
    next window starts after the last line end found (LF: a lone CR is one by now)."""
    start = 0
    while len(text) - start > limit:
        last = text.rfind(b"\n", start, start + limit + 1)
        if last < 0:
            return True
        start = last + 1
    return False


def _csv_head(text: bytes, delimiter: str, limits: ReadLimits) -> tuple[list[list[str]], list[int]]:
    """The first rows under ``delimiter``, and the byte offset at which each ends (the body
    below the header is cut there: polars, counting rows itself, would take a quote in an
    unquoted title cell for the start of a quoted one). A row wider than ``max_columns`` is
    refused by counting the delimiters of its lines before the csv module splits it."""
    pending = 0  # delimiters since the last complete row: at most its cells minus one
    offset = 0  # bytes of the lines the csv module has taken

    def lines() -> Iterator[str]:
        nonlocal pending, offset
        for line in io.TextIOWrapper(io.BytesIO(text), encoding="utf-8", newline=""):
            offset += len(line.encode("utf-8"))
            pending += line.count(delimiter)
            if pending >= limits.max_columns:
                raise ReadError(
                    TOO_MANY_COLUMNS,
                    f"lebih dari {limits.max_columns} kolom di {HEADER_SEARCH_ROWS} baris pertama "
                    "(IKU_MAX_COLUMNS); hapus kolom yang tidak perlu sebelum ekspor atau naikkan "
                    "IKU_MAX_COLUMNS",
                )
            yield line

    rows: list[list[str]] = []
    ends: list[int] = []
    try:
        for row in csv.reader(lines(), delimiter=delimiter):
            rows.append(row)
            ends.append(offset)
            pending = 0
            if len(rows) == HEADER_SEARCH_ROWS:
                break
    except csv.Error as exc:  # only "field larger than field limit (131072)" in practice
        raise field_too_long(None, limits) from exc
    return rows, ends


def _by_csv_module(body: bytes, delimiter: str, width: int, keep: list[int]) -> pl.DataFrame:
    """The rows of ``body`` as Python's csv module reads them, as Excel does: a quote inside
    an unquoted cell is text (polars refuses such a file). The cells "c<i>" at the positions
    ``keep`` and "c<width>", the first cell beyond the header, if any; a few thousand rows
    at a time, so that memory stays near the frame's. A quote left open is the file's
    error."""
    lines = io.TextIOWrapper(io.BytesIO(body), encoding="utf-8", newline="")
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    positions = [*keep, width]
    schema = {f"c{i}": pl.String for i in positions}
    frames = [pl.DataFrame(schema=schema)]
    try:
        while chunk := list(itertools.islice(reader, 5_000)):
            cells = [[row[i] if i < len(row) else None for i in positions] for row in chunk]
            frames.append(pl.DataFrame(cells, schema=schema, orient="row"))
    except csv.Error as exc:
        raise ReadError(
            FILE_UNREADABLE,
            f"isi CSV tidak dapat diurai di baris ke-{reader.line_num} di bawah judul ({exc}): "
            "tanda kutip yang tidak ditutup? Perbaiki di aplikasi sumber lalu ekspor ulang",
        ) from exc
    return pl.concat(frames)


# The file's error when it ends inside a row: rejected, its rows quarantined by it (so that an
# item they name still counts, never on time, as in a file with too many bad rows).
CUT_SHORT = Issue(
    FILE_UNREADABLE,
    "error",
    "file terpotong: baris terakhirnya tidak lengkap (kolomnya kurang dari baris judul, tanpa "
    "akhir baris), jadi baris sesudahnya hilang, mis. saat disalin atau diunduh; seluruh file "
    "ditolak; salin ulang file ini dari aplikasi sumber",
)


def _cut_short(text: bytes, delimiter: str, width: int) -> bool:
    """Whether ``text`` (the rows below a header of ``width`` cells) ends inside its last row:
    no line end after it, and fewer cells than every other row, which all have the header's
    (their writer writes every cell of a row, as Excel, LibreOffice and Google Sheets do): a
    file cut short on a disk or in a transfer, whose rows after the cut are lost. A writer
    that leaves out a row's empty last cells is not judged (its rows differ in length)."""
    if not text or text.endswith(b"\n"):
        return False
    rows = csv.reader(io.StringIO(text.decode("utf-8"), newline=""), delimiter=delimiter)
    try:
        cells = [len(row) for row in rows if row]
    except csv.Error:  # a cell over the csv module's limit: the file is refused for it later
        return False
    return bool(cells) and cells[-1] < width and all(n == width for n in cells[:-1])


# A text formula, as web applications write a code or a date to keep Excel from turning it
# into a number: Excel shows ="001" as 001, and so it is read (one with a quote inside, or
# anything around it, is left as written: a value no parser takes).
_TEXT_FORMULA = r'^="([^"]*)"$'


def _as_excel_shows(rows: pl.LazyFrame, width: int, formulas: bool) -> pl.LazyFrame:
    """The cells as Excel shows them (a text formula ="001" is 001; looked for only in a file
    that holds one: it costs a third of the reading), and a row with a cell beyond the
    header's flagged (OVERFLOW)."""
    beyond = pl.col(f"c{width}").str.strip_chars().fill_null("") != ""
    rows = rows.with_columns(beyond.alias(OVERFLOW))
    if not formulas:
        return rows
    return rows.with_columns(
        pl.col(pl.String).exclude(f"c{width}").str.replace(_TEXT_FORMULA, "${1}")
    )


def read_csv_sheet(data: bytes, source: Source, limits: ReadLimits) -> Sheet:
    """The delimiter is the one under which the header is best recognised."""
    text = _lf_line_ends(to_utf8(data))
    if b"\x00" in text:
        raise ReadError(
            FORMAT_UNSUPPORTED,
            "file berisi byte NUL: bukan teks CSV, atau encoding-nya tidak dikenal (mis. "
            "UTF-32); ekspor ulang sebagai CSV (UTF-8) atau XLSX",
        )
    if not text or text.isspace():
        raise ReadError(FILE_EMPTY, "file kosong; ekspor ulang dari aplikasi sumber")
    lines = text.count(b"\n")  # the CSV parser spends ~20 B on each
    if lines > limits.max_rows:
        raise too_many_rows(lines, limits)
    if _has_long_line(text, limits.max_line_chars):
        raise ReadError(
            LINE_TOO_LONG,
            f"ada baris lebih panjang dari {limits.max_line_chars} karakter "
            "(IKU_MAX_LINE_CHARS); pastikan file ini ekspor tabel CSV biasa, atau naikkan "
            "IKU_MAX_LINE_CHARS",
        )
    best, best_score, best_head, refused = ",", -1, list[list[str]](), list[ReadError]()
    ends: list[int] = []
    for delimiter in DELIMITERS:  # under a wrong one, a line may be one long cell
        try:
            head, offsets = _csv_head(text, delimiter, limits)
        except ReadError as exc:
            refused.append(exc)
            continue
        score = max((len(header_positions(row, source)) for row in head), default=0)
        if score > best_score:
            best, best_score, best_head, ends = delimiter, score, head, offsets
    if refused and best_score <= 0:
        raise refused[0]
    longest = max((len(c) for row in best_head for c in row), default=0)
    if longest > limits.max_field_chars:
        raise field_too_long(longest, limits)

    formulas = b'="' in text

    def width(header_index: int) -> int:
        return max(len(best_head[header_index]), 1)

    notes: list[Issue] = []
    judged: set[int] = set()  # header rows below which a cut was looked for (a whole parse)

    def below(header_index: int, _dates: list[int], _texts: list[int]) -> pl.LazyFrame:
        if header_index not in judged:  # again for a footer: once is enough
            judged.add(header_index)
            cut = _cut_short(text[ends[header_index] :], best, width(header_index))
            if cut and CUT_SHORT not in notes:  # the rows read still stand for their items
                notes.append(CUT_SHORT)
        rows = pl.scan_csv(
            io.BytesIO(text[ends[header_index] :]),
            has_header=False,
            separator=best,
            # one cell beyond the header's: a row longer than that is flagged (OVERFLOW)
            schema={f"c{i}": pl.String for i in range(width(header_index) + 1)},
            truncate_ragged_lines=True,  # only the first cell beyond the header is looked at
            missing_columns="insert",  # a first row shorter than the header: NULLs
            extra_columns="ignore",
        )
        return _as_excel_shows(rows, width(header_index), formulas)

    def below_again(header_index: int, keep: list[int]) -> pl.LazyFrame:
        rows = _by_csv_module(text[ends[header_index] :], best, width(header_index), keep)
        return _as_excel_shows(rows.lazy(), width(header_index), formulas)

    return Sheet(best_head, below, limits, below_again, notes)
