"""Demo exports for KPU Kabupaten Barito Selatan (satker 6204), 2024-2025, for all nine sources.

``iku demo`` calls :func:`write_demo`, which writes the files a secretariat would export by hand
from its applications into ``<landing>/6204/<source>/``: XLSX with title rows above the header,
real Excel date cells or Indonesian dates as text, CSV in UTF-8 (with or without BOM) or
Windows-1252, separated by ``,`` ``;`` or tab. The output is deterministic: the same bytes and
the same modification times on every run, so a second ``iku demo`` changes nothing.

One module per source writes its exports; ``common`` holds the real facts and small helpers,
``files`` the people and the file writers. The regions and the Pemilu 2024 TPS are real (read
from ``sources/defaults``); people, names, NIK, NIP and per-TPS voter counts are invented. Some
faults are made on purpose so that every check has something to find: the test oracle
``tests/demo_design.py`` lists them with the yearly results they give.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from sources.demo.common import MARKER, MARKER_TEXT, SATKER, at
from sources.demo.files import Export, write_export
from sources.demo.keuangan import keuangan_exports, sakip_exports
from sources.demo.logistik import logistik_exports
from sources.demo.pemilih import pemilih_exports
from sources.demo.ppid import ppid_exports
from sources.demo.siakba import siakba_exports
from sources.demo.tahapan import tahapan_exports
from sources.demo.wilayah import build_electorate, tps_exports, wilayah_exports

# Why a landing with the marker is not taken for a demo landing (told when the key is missing).
IGNORED_MARKER = "landing ini berisi file yang tidak ditulis `iku demo`, jadi bukan landing demo"


def is_demo_landing(landing: Path) -> bool:
    """A landing written by ``iku demo`` and holding nothing else: its runs may use the demo
    key. The marker lists every file the demo wrote with its sha256: one file more, or one
    changed (real exports put beside the demo's, in the default ``data/landing`` that
    ``make demo`` wrote), and the landing is no demo: a key everyone knows must never
    pseudonymise a real NIK."""
    try:
        lines = (landing / MARKER).read_text(encoding="utf-8").splitlines()[1:]
    except (OSError, UnicodeError):
        return False
    listed = {path: sha for sha, _, path in (line.partition("  ") for line in lines) if path}
    if not listed:
        return False
    for folder, _, names in os.walk(landing):  # (links to folders are not followed)
        for name in names:
            path = Path(folder, name)
            relative = path.relative_to(landing).as_posix()
            if relative == MARKER:
                continue
            if relative not in listed or path.is_symlink() or _sha256(path) != listed[relative]:
                return False
    return True


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def demo_exports() -> dict[str, list[Export]]:
    """Every demo export per source, in the order they are written."""
    electorate = build_electorate()
    return {
        "wilayah": wilayah_exports(),
        "tps": tps_exports(electorate),
        "tahapan": tahapan_exports(),
        "logistik": logistik_exports(electorate),
        "ppid": ppid_exports(),
        "pemilih": pemilih_exports(electorate),
        "keuangan": keuangan_exports(),
        "sakip": sakip_exports(),
        "siakba": siakba_exports(electorate),
    }


def write_demo(landing: Path) -> list[Path]:
    """Write the demo exports of satker 6204 into ``landing`` and return their paths.

    Files already there are overwritten with the same bytes and times; other files are left
    alone. The marker ``<landing>/.iku-demo`` (not in the returned list; it lists every file
    written, with its sha256) tells ``iku refresh`` that the landing holds demo data only.
    """
    paths = [
        write_export(landing / SATKER / source, export)
        for source, exports in demo_exports().items()
        for export in exports
    ]
    marker = landing / MARKER
    listing = [f"{_sha256(p)}  {p.relative_to(landing).as_posix()}\n" for p in paths]
    marker.write_text(MARKER_TEXT + "".join(listing), encoding="utf-8")
    stamp = at(2025, 12, 31, 23, 59).timestamp()
    os.utime(marker, (stamp, stamp))
    return paths
