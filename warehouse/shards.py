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
    )
    # The embedded defaults (real Barito Selatan data, sources/defaults) of their satker: its
    # own exports of that source, once any of them loads, replace them entirely.
    if source.name in defaults.FILES:
        loaded = {f.export.kode_satker for f in load.files if f.rows_valid}
        if defaults.SATKER in satkers and defaults.SATKER not in loaded:
            path = parts / f"{source.name}-bawaan-{code_version()}.parquet"
            rows = table_frame(source, default_rows(source))
            atomic_write(path, rows.write_parquet, durable=False)
            load.parts.append(path)
            load.defaults_used.append(defaults.SATKER)
    return load


# Rows per row group of a reference list's file: a shard reads only the groups of its satkers.
REFERENCE_ROW_GROUP = 16_384


def reference_lists(load: SourceLoad, folder: Path) -> dict[str, Path]:
    """What a reference source gives the checks of the other sources, as ``CheckContext``
    names it: ``desa`` (wilayah: the codes of each satker's desa/kelurahan) or ``tps`` (tps:
    each satker's TPS keys), as (kode_satker, value) in one Parquet file under ``folder``,
    in satker order. A file, not sets: at national scale (1.9 million TPS) the flow never
    holds it, and each shard reads its own satkers' rows only (``with_reference``)."""
    name = {"wilayah": "desa", "tps": "tps"}.get(load.source.name)
    if name is None or not load.parts:
        return {}
    rows = pl.scan_parquet(load.parts).filter(pl.col("sah"))
    if name == "desa":
        rows = rows.filter(pl.col("tingkat").is_in(["desa", "kelurahan"]))
        rows = rows.select("kode_satker", value="kode_wilayah")
    else:
        key = [pl.col("jenis_pemilihan"), pl.col("kode_desa"), pl.col("nomor_tps").cast(pl.String)]
        rows = rows.select("kode_satker", value=pl.concat_str(key, separator="|"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"referensi-{name}.parquet"
    rows.sort("kode_satker").sink_parquet(path, row_group_size=REFERENCE_ROW_GROUP)
    return {name: path}


def with_reference(
    context: CheckContext, lists: Mapping[str, Path], satkers: Collection[str]
) -> CheckContext:
    """The context with the reference lists (``reference_lists``) of ``satkers`` as sets,
    for the checks: made where a shard is read, and only while it runs."""

    def sets(name: str, otherwise: Mapping[str, frozenset[str]]) -> Mapping[str, frozenset[str]]:
        if name not in lists:
            return otherwise
        rows = pl.scan_parquet(lists[name]).filter(pl.col("kode_satker").is_in(list(satkers)))
        groups = rows.collect().group_by("kode_satker")
        return {s: frozenset(group["value"].to_list()) for (s,), group in groups}

    return replace(context, desa=sets("desa", context.desa), tps=sets("tps", context.tps))
