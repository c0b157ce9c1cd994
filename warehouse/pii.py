"""Personal data: NIK becomes a keyed pseudonym before anything is published (SPEC §5).

HMAC-SHA256 keyed by ``IKU_PII_KEY``: the same NIK always gives the same pseudonym, so
analysts can count distinct people, but without the key no NIK can be recovered or
confirmed by trying candidates.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import polars as pl

from sources import Source
from sources.personal import MAYBE_PERSONAL, masked_cell

# Used only in demo mode, on demo data; never for real exports.
DEMO_KEY = "iku-demo-key-not-secret"
DEMO_WARNING = (
    "PERINGATAN: IKU_PII_KEY tidak diatur; mode demo memakai kunci demo yang tidak rahasia. "
    "Jangan pakai untuk data asli."
)


KEY_HINT = (
    "IKU_PII_KEY belum diatur: tanpa kunci NIK tidak dapat disamarkan. Atur kunci rahasia "
    "(mis. `export IKU_PII_KEY=$(openssl rand -hex 32)`, simpan baik-baik: kunci yang sama "
    "memberi pseudonim yang sama) lalu jalankan lagi, atau pakai --demo untuk data demo."
)


# What ``masked_cell`` writes for each value it masks (``[nomor disamarkan]``): a text shown
# masked holds it.
MASK_MARK = "disamarkan]"


def masked_apart(values: pl.Series) -> pl.Series:
    """Texts with their personal data masked (``masked_cell``) and a number after each text
    so masked, so that distinct texts stay distinct and equal ones equal: what Great
    Expectations compares (a key unique within its file, a choice in its list) gives the
    same verdicts, and what it shows (the values that broke a rule) holds no NIK, phone
    number, e-mail or street address (SPEC §5). No key is needed: the texts are numbered in
    the order they first appear, which tells nothing of them. A text that already reads as
    masked is numbered too, so that none can equal one masked here."""
    maybe = values.str.contains(MAYBE_PERSONAL) | values.str.contains(MASK_MARK, literal=True)
    shown = {v: masked_cell(v) for v in values.filter(maybe).unique(maintain_order=True)}
    changed = [v for v, m in shown.items() if m != v or MASK_MARK in v]
    if not changed:
        return values
    return values.replace(changed, [f"{shown[v]} ({n})" for n, v in enumerate(changed, 1)])


class MissingKeyError(RuntimeError):
    """The job refuses to run on real data without IKU_PII_KEY."""


def resolve_key(key: str | None, demo: bool) -> str:
    if key:
        return key
    if demo:
        return DEMO_KEY
    raise MissingKeyError(KEY_HINT)


class Pseudonymiser:
    def __init__(self, key: str) -> None:
        self._key = key.encode()
        self._keyed = hmac.new(self._key, digestmod=hashlib.sha256)  # copied for each value

    def __getstate__(self) -> dict[str, bytes]:
        return {"key": self._key}  # to a worker process: the key, the rest is made again

    def __setstate__(self, state: dict[str, bytes]) -> None:
        self.__init__(state["key"].decode())  # type: ignore[misc]

    @property
    def fingerprint(self) -> str:
        """Names the key without revealing it: what kept pseudonymised rows were made with."""
        return hmac.new(self._key, b"iku: sidik kunci", hashlib.sha256).hexdigest()[:16]

    def pseudonym(self, value: str) -> str:
        """HMAC-SHA256 of ``value``: the keyed state is copied, not keyed again (millions of
        NIKs at national scale)."""
        keyed = self._keyed.copy()
        keyed.update(value.encode())
        return keyed.hexdigest()

    def series(self, values: pl.Series) -> pl.Series:
        uniques = values.drop_nulls().unique().to_list()
        return values.replace_strict(
            old=uniques,
            new=[self.pseudonym(v) for v in uniques],
            default=None,
            return_dtype=pl.String,
        )

    def _token(self, kind: str, value: str) -> str:
        """A personal value found in a text, as its keyed pseudonym (12 hex digits): the same
        phone number written two ways is one token, two registrations stay two keys."""
        bare = value.casefold() if kind in ("email", "alamat") else re.sub(r"\D", "", value)
        return f"[{kind} {self.pseudonym(f'{kind}:{bare}')[:12]}]"

    def masked(self, values: pl.Series) -> pl.Series:
        """Free text with every NIK, phone number, e-mail and street address in it masked
        (``sources.personal.masked_cell``) by a keyed token (SPEC §5: a Keterangan can hold a
        phone number, a cell of a shifted column a number cell's phone number)."""
        maybe = values.filter(values.str.contains(MAYBE_PERSONAL)).unique().to_list()
        if not maybe:
            return values
        return values.replace(maybe, [masked_cell(v, self._token) for v in maybe])

    def publishable(self, source: Source, rows: pl.DataFrame) -> pl.DataFrame:
        """Drop personal columns and pseudonymise NIK columns; personal data in the other
        texts masked."""
        # Texts, not codes, NIPs, dates, nor the choices a column declares; looked at together
        # first: most files hold no personal data there (one look per file, not per column).
        texts = [c.field for c in source.columns if c.field in rows.columns and c.free_text]
        seen = pl.col(texts).str.contains(MAYBE_PERSONAL).any()
        maybe = bool(texts) and rows.select(pl.any_horizontal(seen)).item()
        out = []
        for column in source.columns:
            if column.field not in rows.columns or column.pii == "drop":
                continue
            series = rows[column.field]
            if column.pii == "pseudonym":
                series = self.series(series)
            elif maybe and column.field in texts:
                series = self.masked(series)
            out.append(series.alias(column.published_field or column.field))
        others = [rows[c] for c in rows.columns if c not in {col.field for col in source.columns}]
        return pl.DataFrame([*out, *others])
