"""Domain rules shared by several sources, as polars expressions over a file's typed rows.

Each builder returns the ``test`` of a ``Check``: per row True (passes), False (breaks the
rule) or null (does not apply). Column arguments are field names (``Column.field``).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from sources.model import Check, CheckContext

Test = Callable[[CheckContext], pl.Expr]

# NIK: 2 digits province, 2 kabupaten/kota, 2 kecamatan, DDMMYY of birth (DD + 40 for women),
# 4 digits serial (Permendagri on NIK; SPEC §2).
_PROVINCES = range(11, 97)


def _not_applicable() -> pl.Expr:
    return pl.lit(None, dtype=pl.Boolean)


def in_wilayah(field: str) -> Test:
    """The code is a desa/kelurahan of the satker (unknown wilayah: not applicable)."""

    def test(ctx: CheckContext) -> pl.Expr:
        if ctx.desa_codes is None:
            return _not_applicable()
        return pl.col(field).is_in(list(ctx.desa_codes))

    return test


def desa_known(column: str = "Kode Desa") -> Check:
    """The rule every source with a Kode Desa has: it is a desa/kelurahan of the satker."""
    return Check(
        "kode_desa_tidak_dikenal",
        "error",
        f"{column} bukan desa/kelurahan satker ini menurut data wilayah",
        column,
        in_wilayah("kode_desa"),
    )


def tps_exists(election: str, desa: str, number: str) -> Test:
    """The TPS is in the satker's TPS list of that election (unknown list: not applicable)."""

    def test(ctx: CheckContext) -> pl.Expr:
        if ctx.tps_keys is None:
            return _not_applicable()
        key = pl.concat_str(
            [pl.col(election), pl.col(desa), pl.col(number).cast(pl.String)], separator="|"
        )
        return key.is_in(list(ctx.tps_keys))

    return test


def nik_well_formed(field: str) -> Test:
    """Province code 11–96, birth day 1–31 (41–71 for women), birth month 1–12."""

    def test(ctx: CheckContext) -> pl.Expr:
        nik = pl.col(field)
        province = nik.str.slice(0, 2).cast(pl.Int32, strict=False)
        day = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
        month = nik.str.slice(8, 2).cast(pl.Int32, strict=False)
        ok = (
            province.is_between(_PROVINCES.start, _PROVINCES.stop - 1)
            & (day.is_between(1, 31) | day.is_between(41, 71))
            & month.is_between(1, 12)
        )
        return pl.when(nik.is_null()).then(None).otherwise(ok)

    return test


def nik_matches_person(nik: str, birth: str, sex: str) -> Test:
    """NIK digits 7–12 are the birth date DDMMYY, with 40 added to the day for women."""

    def test(ctx: CheckContext) -> pl.Expr:
        day = pl.col(birth).dt.day() + pl.when(pl.col(sex) == "P").then(40).otherwise(0)
        expected = pl.concat_str(
            [
                day.cast(pl.String).str.zfill(2),
                pl.col(birth).dt.month().cast(pl.String).str.zfill(2),
                (pl.col(birth).dt.year() % 100).cast(pl.String).str.zfill(2),
            ]
        )
        return pl.col(nik).str.slice(6, 6) == expected

    return test


def age_on_voting_day(birth: str, election: str, low: int, high: int) -> Test:
    """Age in whole years on the election's voting day lies in [low, high]."""

    def test(ctx: CheckContext) -> pl.Expr:
        if not ctx.voting_days:
            return _not_applicable()
        elections = list(ctx.voting_days)
        voting = pl.col(election).replace_strict(
            elections, [ctx.voting_days[e] for e in elections], default=None, return_dtype=pl.Date
        )
        born = pl.col(birth)
        had_birthday = (voting.dt.month() > born.dt.month()) | (
            (voting.dt.month() == born.dt.month()) & (voting.dt.day() >= born.dt.day())
        )
        age = voting.dt.year() - born.dt.year() - pl.when(had_birthday).then(0).otherwise(1)
        return age.is_between(low, high)

    return test


def balance(start: str, added: str, removed: str, end: str) -> Test:
    """``end = start + added − removed`` (the PDPB balance of one sex)."""

    def test(ctx: CheckContext) -> pl.Expr:
        return pl.col(end) == pl.col(start) + pl.col(added) - pl.col(removed)

    return test


def parts_sum(total: str, *parts: str) -> Test:
    def test(ctx: CheckContext) -> pl.Expr:
        return pl.col(total) == pl.sum_horizontal([pl.col(p) for p in parts])

    return test


def one_of(field: str, allowed: tuple[str, ...]) -> Test:
    def test(ctx: CheckContext) -> pl.Expr:
        return pl.col(field).is_in(list(allowed))

    return test


def known_election(field: str) -> Test:
    """The election is in the reference list of elections (ref.pemilihan)."""

    def test(ctx: CheckContext) -> pl.Expr:
        return pl.col(field).is_in(list(ctx.voting_days))

    return test


def sakip_grade(score: str, grade: str) -> Test:
    """The written grade agrees with the one the score gives (bands: ref.predikat_sakip)."""

    def test(ctx: CheckContext) -> pl.Expr:
        expected: pl.Expr = pl.lit(None, dtype=pl.String)
        value = pl.col(score)
        for band in ctx.sakip_grades:
            above = value >= float(band.lower) if band.lower_included else value > float(band.lower)
            inside = above & (value <= float(band.upper))
            expected = pl.when(inside).then(pl.lit(band.predikat)).otherwise(expected)
        return pl.col(grade) == expected

    return test
