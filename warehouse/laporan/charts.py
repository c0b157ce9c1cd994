"""The report's charts: Altair specifications rendered to SVG offline by vl-convert (the Vega
engine in a wheel: no browser, no network), numbers in Indonesian style."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

# d3-format in Indonesian style: 1.234,56 (vl-convert ships no id-ID locale).
ID_LOCALE = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}

TRIWULAN = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}


def _svg(spec: dict[str, Any]) -> str:
    import vl_convert

    return str(vl_convert.vegalite_to_svg(spec, format_locale=ID_LOCALE))


@cache
def _specs() -> dict[str, dict[str, Any]]:
    """The two charts as Vega-Lite specifications, built with Altair once per process: their
    rows are named datasets ("triwulan", "tahun"), given per report (``charts``). Building
    and validating them took a quarter of the time a report's charts took."""
    import altair as alt  # here, not at the top: a run that writes no report never loads it

    y = alt.Y("Realisasi:Q", title="Realisasi (%)", scale=alt.Scale(domain=[0, 100]))
    x = alt.X("Triwulan:N", title=None, sort=list(TRIWULAN.values()), axis=alt.Axis(labelAngle=0))
    base = alt.Chart()
    per_quarter = (
        alt.layer(
            base.mark_bar(color="#1f5f8b").encode(x=x, y=y),
            base.mark_text(dy=-6, fontSize=10).encode(
                x=x, y=y, text=alt.Text("Realisasi:Q", format=",.2f")
            ),
            base.mark_rule(color="#c0392b", strokeDash=[4, 3]).encode(y="Target:Q"),
            data=alt.Data(name="triwulan"),
        )
        .properties(width=220, height=140)
        .facet(facet=alt.Facet("IKU:N", title=None), columns=3)
        .properties(title="Realisasi per triwulan (garis merah: target)")
    )
    compare = (
        alt.Chart(alt.Data(name="tahun"))
        .mark_bar()
        .encode(
            x=alt.X("IKU:N", title=None, axis=alt.Axis(labelAngle=0)),
            xOffset="Tahun:N",
            y=alt.Y("Realisasi:Q", title="Realisasi (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "Tahun:N",
                scale=alt.Scale(range=["#9fb8cc", "#1f5f8b"]),
                legend=alt.Legend(orient="top", title=None),
            ),
        )
        .properties(width=640, height=220, title="Realisasi tahun ini dan tahun sebelumnya")
    )
    return {"triwulan": per_quarter.to_dict(), "tahun": compare.to_dict()}


def charts(ukur: Sequence[dict[str, Any]], per_tw: Sequence[dict[str, Any]]) -> dict[str, str]:
    """The report's two charts as SVG: realisasi per quarter per IKU against the target, and
    this year next to last year."""
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
        "perbandingan": _svg({**specs["tahun"], "datasets": {"tahun": years}}),
    }
