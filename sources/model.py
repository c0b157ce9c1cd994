"""How a source is declared: its columns, their types and aliases, its key.

A source is declared once, in its own module under ``sources/``; the reader, the
staging table, the documentation and the checks all come from that declaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cached_property
from typing import Literal, NamedTuple

import polars as pl

Pii = Literal["pseudonym", "drop"] | None
Severity = Literal["error", "warning"]


class Kind(Enum):
    """The value types an export column can hold."""

    TEXT = "text"
    CODE = "code"  # kode wilayah: digits, dots allowed in the export
    DIGITS = "digits"  # NIP and the like: digits kept as text
    NIK = "nik"  # 16 digits, never a number
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    MONTH = "month"  # first day of the month
    QUARTER = "quarter"  # 1..4
    YEAR = "year"
    BOOLEAN = "boolean"  # Ya / Tidak
    CHOICE = "choice"  # one of the declared values, canonical spelling


# Kind.DECIMAL values: at most DECIMAL_PRECISION digits, DECIMAL_SCALE of them decimals.
# Four decimals, not the two a SAKIP score is usually written with: its grade bands exclude
# their lower bound, so 90,001 is AA and 60,005 is B; rounded to two decimals first they
# would read 90,00 (A) and 60,00 (CC), and the written grade would be flagged as wrong. The
# fifth decimal and beyond is only the noise of a formula's binary fraction (60,00000000001).
DECIMAL_PRECISION = 8
DECIMAL_SCALE = 4


def normalise_header(name: str) -> str:
    """Header key that ignores case, spaces and punctuation: 'No. Registrasi' -> 'noregistrasi'."""
    return re.sub(r"[^0-9a-z]", "", name.casefold())


@dataclass(frozen=True)
class Column:
    """One column of an export, as the office names it."""

    name: str  # the header as SPEC names it, e.g. "No Registrasi"
    kind: Kind
    doc: str  # Indonesian description, becomes the column COMMENT
    aliases: tuple[str, ...] = ()
    required: bool = False  # the file is rejected when the column is absent
    nullable: bool = True  # an empty cell is allowed
    pii: Pii = None  # personal data: pseudonymised or dropped before publishing
    choices: tuple[str, ...] = ()  # for Kind.CHOICE: canonical values
    choice_aliases: tuple[tuple[str, str], ...] = ()  # (written form, canonical value)
    open_choices: bool = False  # unknown values are kept as written instead of rejected
    default: object = None  # value when the column is absent from the file
    digits: int | None = None  # for Kind.DIGITS: exact length
    minimum: int | None = None  # counts: smallest allowed value (checked, severity error)
    # A value that cannot be read: "error" quarantines the row; "warning" (an optional column
    # the item does not depend on) drops the value (NULL, no pseudonym) and keeps the row.
    invalid: Severity = "error"
    birth_date: bool = False  # for Kind.DATE: checked against the birth-date window, not events
    # for Kind.CHOICE: an election, also read as ref.pemilihan spells one (``spelled_as_listed``)
    elections: bool = False

    @property
    def field(self) -> str:
        """The snake_case name used in staging: 'No Registrasi' -> 'no_registrasi'."""
        return re.sub(r"[^0-9a-z]+", "_", self.name.casefold()).strip("_")

    @property
    def longer_than_excel_numbers(self) -> bool:
        """Its values have more digits than an Excel number keeps (15): a NIK, a NIP. Only a
        text cell holds one intact."""
        return self.kind is Kind.NIK or (self.kind is Kind.DIGITS and (self.digits or 0) > 15)

    @property
    def header_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(normalise_header(n) for n in (self.name, *self.aliases)))

    @property
    def free_text(self) -> bool:
        """Its values are kept as written (text, or a choice not from a fixed list), so they
        may hold a NIK, phone number, e-mail or street address wherever someone typed one:
        masked wherever a value of it is shown or published (SPEC §5). The reader types the
        other kinds (dates, numbers, codes, NIPs of their length, choices of a fixed list) and
        refuses a phone number or a NIK written in them (``sources.parse``)."""
        return self.pii is None and (self.kind is Kind.TEXT or self.open_choices)

    @property
    def published_field(self) -> str | None:
        """Name in the published database, or None when the column never gets there."""
        if self.pii == "drop":
            return None
        if self.pii == "pseudonym":
            return f"{self.field}_pseudonim"
        return self.field


class SakipGrade(NamedTuple):
    """One SAKIP grade (ref.predikat_sakip): scores above ``lower`` (or from it, when
    ``lower_included``) up to and including ``upper``."""

    predikat: str
    lower: Decimal
    lower_included: bool
    upper: Decimal


@dataclass(frozen=True)
class CheckContext:
    """What the rules may know beyond the rows, for the whole run: the elections, the SAKIP
    bands and each satker's reference data. A satker missing from ``desa`` or ``tps`` has no
    such list: the lookups against it do not apply to that satker's rows."""

    as_of: date
    voting_days: Mapping[str, date]  # Jenis Pemilihan -> hari pemungutan suara
    desa: Mapping[str, frozenset[str]] = field(default_factory=dict)  # satker -> Kode Wilayah
    tps: Mapping[str, frozenset[str]] = field(default_factory=dict)  # satker -> TPS keys
    sakip_grades: tuple[SakipGrade, ...] = ()  # ref.predikat_sakip


@dataclass(frozen=True)
class Rule:
    """How a check is tested: one Great Expectations expectation, named by its class
    (``ExpectColumnValuesToBeBetween``) with its arguments, over the typed rows (fields by
    ``Column.field``) and the columns the rule computes first (name -> polars expression).
    With ``when`` (a boolean column), only the rows where it is true are checked."""

    expectation: str
    arguments: Mapping[str, object]
    computed: Mapping[str, pl.Expr] = field(default_factory=dict)
    when: str | None = None


@dataclass(frozen=True)
class Check:
    """A domain rule of a source; ``rule`` gives its expectation for the run's context."""

    name: str  # the rule as shown in dq.issues, e.g. "usia_kpps_17_55"
    severity: Severity
    message: str  # Indonesian: what is wrong and what to do; never a cell value
    column: str  # the column (by name) the finding is reported on
    rule: Callable[[CheckContext], Rule]
    # The satkers' reference lists of the context the rule reads ("desa", "tps"): only these
    # go with the source's rows to their checks, and only these decide its cached results.
    uses: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DateOrder:
    """``later`` must not be before ``earlier`` (rows where either is empty pass)."""

    earlier: str
    later: str
    severity: Severity = "error"


@dataclass(frozen=True)
class Source:
    """An export of one KPU application, landing under ``<landing>/<satker>/<name>/``."""

    name: str
    title: str  # Indonesian, becomes the staging table COMMENT
    feeds: str  # which IKU it feeds
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # column names (as in ``Column.name``) forming the business key
    freshness_days: int  # a new export is expected at least this often
    origin: str = ""  # the application the export comes from
    date_order: tuple[DateOrder, ...] = ()
    checks: tuple[Check, ...] = ()
    # When the rows of this source are IKU items: the columns besides the key an item needs
    # (its deadline and tanggal acuan). A quarantined row with its key and these readable
    # still stands for its item (counted once due, never on time, SPEC §4). None: the rows
    # are not items (their items come from reference data, e.g. IKU-4 and IKU-6).
    item_columns: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        missing = [k for k in self.key if k not in names]
        if missing:
            raise ValueError(f"source {self.name}: key columns {missing} are not declared")
        keys = [k for c in self.columns for k in c.header_keys]
        dupes = {k for k in keys if keys.count(k) > 1}
        if dupes:
            raise ValueError(f"source {self.name}: header names used twice: {sorted(dupes)}")
        named = [o.earlier for o in self.date_order] + [o.later for o in self.date_order]
        named += [c.column for c in self.checks]
        named += list(self.item_columns or ())
        unknown = sorted(set(named) - set(names))
        if unknown:
            raise ValueError(f"source {self.name}: rules name undeclared columns {unknown}")

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"source {self.name} has no column {name!r}")

    @cached_property
    def header_names(self) -> dict[str, str]:
        """Normalised header text -> column name, of every name and alias (worked out once:
        the header of every file is looked for with it)."""
        return {k: c.name for c in self.columns for k in c.header_keys}

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def key_fields(self) -> tuple[str, ...]:
        return tuple(self.column(k).field for k in self.key)

    @property
    def reference_lists(self) -> frozenset[str]:
        """The satkers' reference lists its checks read (``Check.uses``)."""
        return frozenset().union(*(check.uses for check in self.checks))

    @property
    def item_fields(self) -> tuple[str, ...] | None:
        """Key and item columns (by field) a row needs to stand for an item; None: no items."""
        if self.item_columns is None:
            return None
        return self.key_fields + tuple(self.column(c).field for c in self.item_columns)

    def is_key(self, column: Column) -> bool:
        return column.name in self.key
