"""The report's charts: Vega-Lite specifications rendered to SVG offline by vl-convert (the
Vega engine in a wheel: no browser, no network), numbers in Indonesian style."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from typing import Any

TEMPLATES = files("warehouse") / "templates"  # the reports' templates, these charts' among them

# d3-format in Indonesian style: 1.234,56 (vl-convert ships no id-ID locale).
ID_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}

TRIWULAN = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}


def _svg(spec: dict[str, Any]) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(spec, format_locale=ID_LOCALE))


@cache
def _specs() -> dict[str, dict[str, Any]]:
    """The two charts as Vega-Lite specifications (``templates/*.vl.json``, open them in the
    Vega editor); their rows are named datasets ("triwulan", "tahun"), given per report."""
    return {
        name: json.loads((TEMPLATES / f"{name}.vl.json").read_text(encoding="utf-8"))
        for name in ("triwulan", "perbandingan")
    }


def charts(ukur: Sequence[dict[str, Any]], per_tw: Sequence[dict[str, Any]]) -> dict[str, str]:
    """The report's two charts as SVG: realisasi per quarter per IKU against the target, and
    this year next to last year. A bar without a value keeps its place, empty (the
    comparison's mark has ``"invalid": null``): Vega would leave it out of its scales, and a
    year whose realisasi are all empty, as is the year before, had scales of nothing, drawn
    infinitely wide."""
    target = {r["kode_iku"]: float(r["target"]) for r in ukur}
    quarters = [
        {
            "IKU": t["kode_iku"],
            "Triwulan": TRIWULAN[t["triwulan"]],
            "Realisasi": None if t["realisasi"] is None else float(t["realisasi"]),
            "Target": target[t["kode_iku"]],
        }
        for t in per_tw
    ]
    years = []
    for r in ukur:
        tahun = int(r["tahun"])
        for label, value in ((tahun - 1, r["realisasi_tahun_lalu"]), (tahun, r["realisasi"])):
            years.append(
                {
                    "IKU": r["kode_iku"],
                    "Tahun": str(label),
                    "Realisasi": None if value is None else float(value),
                }
            )
    specs = _specs()
    return {
        "triwulan": _svg({**specs["triwulan"], "datasets": {"triwulan": quarters}}),
        "perbandingan": _svg({**specs["perbandingan"], "datasets": {"tahun": years}}),
    }
