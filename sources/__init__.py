"""The nine sources of the IKU warehouse, each declared once in its own module."""

from sources import keuangan, logistik, pemilih, ppid, sakip, siakba, tahapan, tps, wilayah
from sources.model import Column, Kind, Source

SOURCES: dict[str, Source] = {
    m.SOURCE.name: m.SOURCE
    for m in (wilayah, tps, tahapan, logistik, ppid, pemilih, keuangan, sakip, siakba)
}

# Reference sources are read first, in this order: the checks of the others look codes up in
# them (Kode Desa in wilayah, TPS in tps).
REFERENCE_SOURCES = ("wilayah", "tps")

__all__ = ["REFERENCE_SOURCES", "SOURCES", "Column", "Kind", "Source"]
