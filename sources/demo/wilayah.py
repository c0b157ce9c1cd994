"""Demo wilayah and tps exports, and the electorate (TPS and voters per desa) they share."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from typing import NamedTuple

from sources.defaults import DEFAULTS_DIR
from sources.demo.common import (
    KECAMATAN,
    MAX_VOTERS,
    PEMILU,
    PILKADA,
    PILKADA_REGULAR_TPS,
    RUTAN_TPS,
    RUTAN_VILLAGE,
    RUTAN_VOTERS,
    TPS_SPREAD,
    VILLAGES,
    Cell,
    Village,
    _rng,
    apportion,
    at,
    cap,
    columns,
    dotted_code,
    kecamatan_of,
    noisy,
    tps_number,
)
from sources.demo.files import Export


class Tps(NamedTuple):
    election: str
    village: Village
    number: int
    voters: int


@dataclass(frozen=True)
class Electorate:
    tps: dict[str, list[Tps]]  # per election, in village and number order
    voters: dict[str, tuple[int, int]]  # DPT Pilkada 2024 (L, P) per village code


def build_electorate() -> Electorate:
    rng = _rng("electorate")
    tps: dict[str, list[Tps]] = {PEMILU: [], PILKADA: []}
    voters: dict[str, tuple[int, int]] = {}
    # Pilkada: 233 regular TPS over the kabupaten, by Pemilu TPS share, at least 1 per village.
    pilkada = apportion(PILKADA_REGULAR_TPS, [v.tps for v in VILLAGES], minimum=1)
    pilkada_tps = {v.code: n for v, n in zip(VILLAGES, pilkada, strict=True)}
    for kec in KECAMATAN:
        villages = [v for v in VILLAGES if v.code.startswith(kec.code)]
        per_village = {}
        for election, total, counts in (
            (PEMILU, kec.dps, [v.tps for v in villages]),
            (PILKADA, kec.dpt_l + kec.dpt_p, [pilkada_tps[v.code] for v in villages]),
        ):
            per_village[election] = _village_voters(rng, election, villages, total, counts)
            tps[election] += _tps_of(rng, election, villages, per_village[election], counts)
        dpt = per_village[PILKADA]
        male = apportion(kec.dpt_l, noisy(rng, dpt, 0.03))
        for village, m, total in zip(villages, male, dpt, strict=True):
            voters[village.code] = (m, total - m)
    return Electorate(tps, voters)


def _rutan(election: str, village: Village) -> int:
    return RUTAN_VOTERS[election] if village.code == RUTAN_VILLAGE else 0


def _village_voters(
    rng: random.Random,
    election: str,
    villages: list[Village],
    total: int,
    counts: list[int],
) -> list[int]:
    """Voters per village, by Pemilu TPS share, never more than its TPS can hold."""
    weights = noisy(rng, [v.tps for v in villages], 0.08)
    room = [n * MAX_VOTERS[election] for n in counts]
    return cap(
        apportion(total, weights),
        [r + _rutan(election, v) for r, v in zip(room, villages, strict=True)],
    )


def _tps_of(
    rng: random.Random, election: str, villages: list[Village], voters: list[int], counts: list[int]
) -> list[Tps]:
    out: list[Tps] = []
    for village, total, n in zip(villages, voters, counts, strict=True):
        rutan = _rutan(election, village)
        weights = noisy(rng, [1.0] * n, TPS_SPREAD[election])
        sizes = cap(apportion(total - rutan, weights), [MAX_VOTERS[election]] * n)
        out += [Tps(election, village, i + 1, s) for i, s in enumerate(sizes)]
        if rutan:
            out.append(Tps(election, village, RUTAN_TPS, rutan))
    return out


def wilayah_exports() -> list[Export]:
    """The embedded real list (sources/defaults), written the way an office writes it."""
    with (DEFAULTS_DIR / "wilayah.csv").open(newline="", encoding="utf-8") as handle:
        rows: list[list[Cell]] = [
            [dotted_code(r["kode_wilayah"]), r["nama_wilayah"], r["tingkat"].capitalize(),
             dotted_code(r["kode_induk"])]
            for r in csv.DictReader(handle)
        ]  # fmt: skip
    header = columns("Kode Wilayah, Nama Wilayah, Tingkat, Kode Induk")
    return [Export("kode_wilayah_barito_selatan.csv", header, rows, at(2024, 1, 3))]


def tps_exports(electorate: Electorate) -> list[Export]:
    pemilu: list[list[Cell]] = []
    for i, t in enumerate(electorate.tps[PEMILU], start=1):
        where = [kecamatan_of(t.village.code).name, dotted_code(t.village.code), t.village.name]
        pemilu.append([i, t.election, *where, tps_number(t.number), t.voters])
    pilkada: list[list[Cell]] = [
        [t.election, t.village.code, t.village.name.upper(), tps_number(t.number), str(t.voters)]
        for t in electorate.tps[PILKADA]
    ]
    return [
        Export(
            "daftar_tps_pemilu_2024.xlsx",
            columns(
                "No, Jenis Pemilihan, Kecamatan, Kode Desa/Kelurahan, Nama Desa/Kelurahan, "
                "Nomor TPS, Jumlah Pemilih"
            ),
            pemilu,
            at(2024, 1, 8, 10),
            title=("DAFTAR TPS PEMILU TAHUN 2024", "KPU KABUPATEN BARITO SELATAN"),
            sheet="TPS",
        ),
        Export(
            "tps_pilkada_2024.csv",
            columns("JENIS PEMILIHAN, KODE DESA, NAMA DESA, NO TPS, DPT"),
            pilkada,
            at(2024, 9, 23, 14),
            sep="\t",
            encoding="utf-8-sig",
        ),
    ]
