"""A write the disk refused (full, read-only, no permission, failing), said as the admin
needs it: what is wrong, where, and what to do. An office server's disk does fill up; the
bare ``OSError: [Errno 28] No space left on device`` says neither which disk nor what next.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from sources.personal import masked
from sources.sheet import causes, describe, first_line
from warehouse.escape import plain

AGAIN = "lalu jalankan iku refresh lagi (yang belum selesai dikerjakan run berikutnya)"
# The causes a write into the warehouse meets on a server, by errno: what it is, what to do.
REFUSALS = {
    errno.ENOSPC: (
        "disk penuh",
        "kosongkan ruang di disk itu (df -h; df -i bila yang habis inode, meski ruang masih ada): "
        "hapus file lain di sana, atau kurangi IKU_KEEP_DATABASES dan IKU_KEEP_DOCS",
    ),
    errno.EDQUOT: ("kuota disk pengguna ini habis", "naikkan kuotanya atau kosongkan ruang"),
    errno.EROFS: (
        "disk hanya-baca (read-only)",
        "pasang lagi disk itu dengan izin tulis (sistem memasangnya hanya-baca setelah "
        "kesalahan disk: periksa dengan fsck)",
    ),
    errno.EACCES: ("tidak ada izin", "beri pengguna yang menjalankan iku izin tulis di folder itu"),
    errno.EPERM: (
        "penulisan ditolak (izin, atau atribut immutable: lsattr)",
        "beri pengguna yang menjalankan iku izin tulis di folder itu (chattr -i bila immutable)",
    ),
    errno.EIO: ("kesalahan baca/tulis disk (I/O error)", "periksa disk itu (dmesg, fsck)"),
}
# DuckDB says it in its own words: 'Could not write file "<path>": No space left on device'.
_QUOTED = re.compile(r'file "([^"]+)"')


def refusal(exc: BaseException) -> tuple[int, str | None] | None:
    """The errno of a write the disk refused among the causes of ``exc``, and the file it
    concerned when known; None when ``exc`` is no such failure."""
    for cause in causes(exc):
        if isinstance(cause, OSError) and cause.errno in REFUSALS:
            name = cause.filename2 if cause.filename2 is not None else cause.filename
            return cause.errno, None if name is None else os.fsdecode(name)
        text = str(cause)
        for code in REFUSALS:  # DuckDB, GX and others that wrap the C library's message
            if not isinstance(cause, OSError) and os.strerror(code) in text:
                quoted = _QUOTED.search(text)
                return code, quoted[1] if quoted else None
    return None


def disk_problem(exc: BaseException, warehouse: Path | None = None) -> str | None:
    """One Indonesian sentence for a write the disk refused: the cause, the file (relative to
    ``warehouse`` when inside it), and what to do; None when ``exc`` is no such failure."""
    found = refusal(exc)
    if found is None:
        return None
    code, name = found
    what, todo = REFUSALS[code]
    where = "gudang data" if warehouse is None else f"gudang data {warehouse}"
    if name is not None:
        inside = None if warehouse is None else _within(Path(name), warehouse)
        where = f"{where} ({inside})" if inside is not None else name
    return plain(masked(f"{what} di {where}; {todo}, {AGAIN}"))


def _within(path: Path, warehouse: Path) -> Path | None:
    """``path`` relative to the warehouse, or None when it lies elsewhere."""
    for base in (warehouse, warehouse.absolute()):
        if path.is_relative_to(base):
            return path.relative_to(base)
    return None


def explain(exc: BaseException, warehouse: Path) -> str:
    """Why a step failed, for a person: ``disk_problem`` if it is one; an error of the
    project's own by its message alone (written for the admin, in Indonesian); any other
    with its type too (``describe``: "ParserException: …" tells where to look)."""
    if problem := disk_problem(exc, warehouse):
        return problem
    own = type(exc).__module__.partition(".")[0] in ("flows", "sources", "warehouse")
    return first_line(exc) if own else describe(exc)
