"""The rules of the sources, each as a Great Expectations expectation (``Rule``).

A rule GX has natively is declared as that expectation over the typed columns: a value in a
set, between bounds, matching a pattern, not empty under a condition, equal to another column.
Where the value to compare is itself computed (the PDPB balance, the grade a SAKIP score
gives, a KPPS member's age on voting day), the rule computes that column with polars and GX
compares it. Only what no expectation can say is computed as a True/False column and
expected to be True: lookups in a satker's own reference lists (a join) and the NIK rules,
whose values must never reach GX's results or its Data Docs (personal data, SPEC §5).

Column arguments are field names (``Column.field``). Rows where a rule does not apply (a
value is empty, a satker has no reference list) are skipped: GX ignores empty values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import polars as pl

from sources.model import Check, CheckContext, Rule, Source

RuleOf = Callable[[CheckContext], Rule]


def _computed_true(name: str, test: pl.Expr) -> Rule:
    """A rule no expectation can state: its True/False column, expected to be True."""
    return Rule("ExpectColumnValuesToBeInSet", {"column": name, "value_set": [True]}, {name: test})


def in_set(field: str, allowed: tuple[str, ...]) -> RuleOf:
    return lambda ctx: Rule(
        "ExpectColumnValuesToBeInSet", {"column": field, "value_set": list(allowed)}
    )


def between(field: str, low: float, high: float) -> RuleOf:
    return lambda ctx: Rule(
        "ExpectColumnValuesToBeBetween", {"column": field, "min_value": low, "max_value": high}
    )


def present_when(field: str, condition: str) -> RuleOf:
    """``field`` is not empty on the rows where the boolean column ``condition`` is true."""
    return lambda ctx: Rule("ExpectColumnValuesToNotBeNull", {"column": field}, when=condition)


def matches(fields: tuple[str, ...], pattern: str) -> RuleOf:
    """The fields joined with ``|`` match ``pattern`` (rows with any field empty: skipped)."""
    name = "_" + "_".join(fields)
    value = pl.concat_str([pl.col(f).cast(pl.String) for f in fields], separator="|")
    return lambda ctx: Rule(
        "ExpectColumnValuesToMatchRegex", {"column": name, "regex": pattern}, {name: value}
    )


def equals_computed(field: str, name: str, value: Callable[[CheckContext], pl.Expr]) -> RuleOf:
    """``field`` equals the column ``name`` computed from the row (either empty: skipped)."""
    return lambda ctx: Rule(
        "ExpectColumnPairValuesToBeEqual",
        {"column_A": field, "column_B": name, "ignore_row_if": "either_value_is_missing"},
        {name: value(ctx)},
    )


def _lookup(lists: Mapping[str, frozenset[str]], value: pl.Expr) -> pl.Expr:
    """Whether ``value`` is in its satker's list; null for a satker without a list."""
    known = [f"{satker}|{v}" for satker, values in lists.items() for v in values]
    key = pl.concat_str([pl.col("kode_satker"), value], separator="|")
    return pl.when(pl.col("kode_satker").is_in(list(lists))).then(key.is_in(known))


def desa_known() -> Check:
    """The rule every source with a Kode Desa has: it is a desa/kelurahan of the satker."""
    return Check(
        "kode_desa_tidak_dikenal",
        "error",
        "Kode Desa bukan desa/kelurahan satker ini menurut data wilayah",
        "Kode Desa",
        lambda ctx: _computed_true("_desa_dikenal", _lookup(ctx.desa, pl.col("kode_desa"))),
        uses=frozenset({"desa"}),
    )


def tps_exists(election: str, desa: str, number: str) -> RuleOf:
    """The TPS is in the satker's TPS list of that election."""
    key = pl.concat_str(
        [pl.col(election), pl.col(desa), pl.col(number).cast(pl.String)], separator="|"
    )
    return lambda ctx: _computed_true("_tps_dikenal", _lookup(ctx.tps, key))


# NIK: 2 digits province, 2 kabupaten/kota, 2 kecamatan, DDMMYY of birth (DD + 40 for women),
# 4 digits serial (Permendagri on NIK; SPEC §2).
def nik_well_formed(field: str) -> RuleOf:
    """Province code 11–96, birth day 1–31 (41–71 for women), birth month 1–12."""
    nik = pl.col(field)
    province = nik.str.slice(0, 2).cast(pl.Int32, strict=False)
    day = nik.str.slice(6, 2).cast(pl.Int32, strict=False)
    month = nik.str.slice(8, 2).cast(pl.Int32, strict=False)
    ok = (
        province.is_between(11, 96)
        & (day.is_between(1, 31) | day.is_between(41, 71))
        & month.is_between(1, 12)
    )
    ok = pl.when(nik.is_null()).then(None).otherwise(ok)
    return lambda ctx: _computed_true("_nik_berbentuk_nik", ok)


def nik_matches_person(nik: str, birth: str, sex: str) -> RuleOf:
    """NIK digits 7–12 are the birth date DDMMYY, with 40 added to the day for women."""
    day = pl.col(birth).dt.day() + pl.when(pl.col(sex) == "P").then(40).otherwise(0)
    expected = day.cast(pl.String).str.zfill(2) + pl.col(birth).dt.strftime("%m%y")
    return lambda ctx: _computed_true("_nik_cocok_lahir", pl.col(nik).str.slice(6, 6) == expected)


def age_on_voting_day(birth: str, election: str, low: int, high: int) -> RuleOf:
    """Age in whole years on the election's voting day lies in [low, high]."""

    def rule(ctx: CheckContext) -> Rule:
        elections = list(ctx.voting_days)
        voting = pl.col(election).replace_strict(
            elections, [ctx.voting_days[e] for e in elections], default=None, return_dtype=pl.Date
        )
        born = pl.col(birth)
        had_birthday = (voting.dt.month() > born.dt.month()) | (
            (voting.dt.month() == born.dt.month()) & (voting.dt.day() >= born.dt.day())
        )
        age = voting.dt.year() - born.dt.year() - pl.when(had_birthday).then(0).otherwise(1)
        name = "_usia_hari_pemungutan"
        arguments = {"column": name, "min_value": low, "max_value": high}
        return Rule("ExpectColumnValuesToBeBetween", arguments, {name: age})

    return rule


def balance(start: str, added: str, removed: str, end: str) -> RuleOf:
    """``end = start + added − removed`` (the PDPB balance of one sex)."""
    return equals_computed(
        end, f"_{end}_seharusnya", lambda ctx: pl.col(start) + pl.col(added) - pl.col(removed)
    )


def parts_sum(total: str, *parts: str) -> RuleOf:
    """``total`` is the sum of ``parts`` (an empty part counts as 0)."""
    return equals_computed(
        total, f"_{total}_seharusnya", lambda ctx: pl.sum_horizontal([pl.col(p) for p in parts])
    )


def known_election(field: str) -> RuleOf:
    """The election is in the reference list of elections (ref.pemilihan)."""
    return lambda ctx: Rule(
        "ExpectColumnValuesToBeInSet", {"column": field, "value_set": list(ctx.voting_days)}
    )


def spelled_as_listed(source: Source, rows: pl.DataFrame, context: CheckContext) -> pl.DataFrame:
    """``rows`` with each election written as the reference list of elections spells it
    (ref.pemilihan, ``context.voting_days``) when it differs only in case: categorical values
    match ignoring case and spaces (SPEC §2), and the reader's own choices know only the
    elections of its declarations, not one an admin adds. The reader has already trimmed the
    spaces; other values stay as written."""
    listed = {" ".join(name.lower().split()): name for name in sorted(context.voting_days)}
    respelled = []
    for field in (c.field for c in source.columns if c.elections and c.field in rows.columns):
        # (a few distinct values per file: looked at in Python, the rows touched only when one
        # is written otherwise, which a query per file would cost at national scale)
        written = rows[field].drop_nulls().unique().to_list()
        spelled = {v: listed[v.lower()] for v in written if listed.get(v.lower(), v) != v}
        if spelled:
            respelled.append(rows[field].replace(spelled))
    return rows.with_columns(respelled) if respelled else rows


def sakip_grade(score: str, grade: str) -> RuleOf:
    """The written grade agrees with the one the score gives (bands: ref.predikat_sakip)."""

    def expected(ctx: CheckContext) -> pl.Expr:
        value: pl.Expr = pl.lit(None, dtype=pl.String)
        score_ = pl.col(score)
        for band in ctx.sakip_grades:
            lower = float(band.lower)
            above = score_ >= lower if band.lower_included else score_ > lower
            inside = above & (score_ <= float(band.upper))
            value = pl.when(inside).then(pl.lit(band.predikat)).otherwise(value)
        return value

    return equals_computed(grade, f"_{grade}_seharusnya", expected)
