"""A source's exports in shards of whole satkers, read side by side (``warehouse.load``,
each shard its own task run, in a worker process or on a Dask cluster) and combined into the
source's load; and the reference lists that go with each shard to its checks."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from pathlib import Path

import polars as pl

from sources import Source, defaults
from sources.model import CheckContext
from warehouse.cache import code_version
from warehouse.history import Export, atomic_write
from warehouse.load import SourceLoad
from warehouse.staging import table_frame
from warehouse.verdict import default_rows

# The embedded defaults (real Barito Selatan data, sources/defaults) and the satker they belong
# to. A satker's own exports of that source, once any of them loads, replace them entirely.
DEFAULTS = defaults.FILES
DEFAULT_SATKER = defaults.SATKER


def shards(
    exports: list[Export], shard_bytes: int, size: Callable[[Export], int] | None = None
) -> list[list[Export]]:
    """The exports of one source in shards of about ``shard_bytes`` each (by ``size``, the
    bytes of each export by default), to be loaded side by side (``load_exports``) and then
    ``combine``d. A satker's exports stay in one shard: what decides its rows (its reference
    data, its newest export) is its own."""
    size = size or (lambda export: export.size)
    by_satker: dict[str, list[Export]] = {}
    for export in exports:
        by_satker.setdefault(export.kode_satker, []).append(export)
    found: list[list[Export]] = []
    total = shard_bytes
    for group in by_satker.values():
        if total >= shard_bytes:
            found.append([])
            total = 0
        found[-1] += group
        total += sum(size(e) for e in group)
    return found


def combine(
    source: Source, exports: list[Export], loads: list[SourceLoad], satkers: Collection[str],
    parts: Path,
) -> SourceLoad:  # fmt: skip
    """One source's load from the loads of its shards, its files in the order of
    ``exports``, with the embedded defaults where they apply.

    ``satkers``: the satkers with any export in the history. The embedded reference rows
    belong to satker 6204 and apply only when 6204 is one of them and has no export of this
    source of its own: a landing without 6204 publishes nothing for 6204."""
    order = {export: index for index, export in enumerate(exports)}
    load = SourceLoad(
        source,
        files=sorted((f for s in loads for f in s.files), key=lambda f: order[f.export]),
        parts=[p for s in loads for p in s.parts],
        rule_results=[r for s in loads for r in s.rule_results],
        files_checked=sum(s.files_checked for s in loads),
        named_by_content=all(s.named_by_content for s in loads),
    )
    if source.name in DEFAULTS:
        loaded = {f.export.kode_satker for f in load.files if f.rows_valid}
        if DEFAULT_SATKER in satkers and DEFAULT_SATKER not in loaded:
            path = parts / f"{source.name}-bawaan-{code_version()}.parquet"
            rows = table_frame(source, default_rows(source))
            atomic_write(path, rows.write_parquet, durable=False)
            load.parts.append(path)
            load.defaults_used.append(DEFAULT_SATKER)
    return load


def reference_lists(load: SourceLoad) -> dict[str, pl.DataFrame]:
    """What a reference source gives the checks of the other sources, as ``CheckContext``
    names it: ``desa`` (wilayah: the codes of each satker's desa/kelurahan) or ``tps`` (tps:
    each satker's TPS keys), one frame of (kode_satker, value). A frame, not sets: compact
    at national scale (1.9 million TPS), made into sets per shard (``with_reference``)."""
    rows = load.valid() if load.source.name in ("wilayah", "tps") else pl.DataFrame()
    if rows.is_empty():
        return {}
    if load.source.name == "wilayah":
        desa = rows.filter(pl.col("tingkat").is_in(["desa", "kelurahan"]))
        return {"desa": desa.select("kode_satker", value="kode_wilayah")}
    key = pl.concat_str(
        [pl.col("jenis_pemilihan"), pl.col("kode_desa"), pl.col("nomor_tps").cast(pl.String)],
        separator="|",
    )
    return {"tps": rows.select("kode_satker", value=key)}


def lists_of(
    lists: Mapping[str, pl.DataFrame], satkers: Collection[str]
) -> dict[str, pl.DataFrame]:
    """The reference lists (``reference_lists``) of ``satkers`` only: what the checks of
    their rows need, and all that goes with a shard of their exports to a worker."""
    return {
        name: rows.filter(pl.col("kode_satker").is_in(list(satkers)))
        for name, rows in lists.items()
    }


def with_reference(context: CheckContext, lists: Mapping[str, pl.DataFrame]) -> CheckContext:
    """The context with the reference lists as sets, for the checks: made where a shard is
    read, from its own satkers' lists (``lists_of``; as sets, 514 satkers' TPS take 760 MB)."""

    def sets(name: str, otherwise: Mapping[str, frozenset[str]]) -> Mapping[str, frozenset[str]]:
        if name not in lists:
            return otherwise
        groups = lists[name].group_by("kode_satker")
        return {s: frozenset(group["value"].to_list()) for (s,), group in groups}

    return replace(context, desa=sets("desa", context.desa), tps=sets("tps", context.tps))
