"""Settings from the environment (and a ``.env`` file): one place, read once per run."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Annotated, Any

from pydantic import (
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    SecretStr,
    ValidationError,
    field_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from sources import SOURCES
from sources.sheet import MAX_ERROR_RATIO, MIB, ReadLimits
from warehouse.locations import parse_locations
from warehouse.transfer import Location, PullLimits

READ, PULL = ReadLimits(), PullLimits()  # the defaults of the limits are theirs
# iku.jatuh_tempo: the items due within this many working days after the as-of date.
DUE_SOON_DAYS = 5
KEEP_DOCS = 30  # runs whose Great Expectations Data Docs are kept (IKU_KEEP_DOCS)
KEEP_DATABASES = 5  # previous databases kept for iku rollback (IKU_KEEP_DATABASES)
# What DuckDB may hold in memory while it builds the database; beyond that it spills to
# <warehouse>/build/ (IKU_BUILD_MEMORY, DuckDB's own notation: "1GB", "512MB"). 1 GB keeps a
# no-change run at 514 satkers (11 M rows) under 1.7 GB in all, at the speed it had with 4 GB.
BUILD_MEMORY = "1GB"


class Settings(BaseSettings):
    """IKU_* environment variables (SPEC §1)."""

    model_config = SettingsConfigDict(
        env_prefix="IKU_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    pii_key: SecretStr | None = None
    smtp_host: str | None = None
    smtp_port: Annotated[int, Field(ge=1, le=65535)] = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    alert_email_from: str | None = None
    alert_email_to: Annotated[list[str], NoDecode] = []  # IKU_ALERT_EMAIL_TO: comma-separated

    @field_validator("alert_email_to", mode="before")
    @classmethod
    def _recipients(cls, value: Any) -> Any:
        if value is None or isinstance(value, str):
            return [a.strip() for a in (value or "").split(",") if a.strip()]
        return value

    alert_webhook_url: str | None = None
    # The share of rows in error above which a whole file is rejected.
    max_error_ratio: Annotated[float, Field(ge=0, le=1)] = MAX_ERROR_RATIO
    keep_docs: PositiveInt = KEEP_DOCS
    keep_databases: PositiveInt = KEEP_DATABASES
    build_memory: str = BUILD_MEMORY

    @field_validator("build_memory")
    @classmethod
    def _duckdb_memory(cls, value: str) -> str:
        """A size DuckDB reads, refused before the run rather than at its build. Asked of
        DuckDB (a connection: 30 ms) only for a value set in the environment."""
        if value == BUILD_MEMORY:
            return value
        import duckdb

        try:
            duckdb.connect(config={"memory_limit": value}).close()
        except duckdb.Error:
            raise ValueError("harus ukuran memori seperti 1GB atau 512MB") from None
        return value

    # A Dask scheduler (tcp://host:8786): reading and checking run on its workers (README,
    # "Running it every night"); unset, they run in worker processes, one per core, when
    # there are at least read_processes_from bytes of exports to read, else on two threads.
    dask_address: str | None = None

    @field_validator("dask_address")
    @classmethod
    def _scheduler(cls, value: str | None) -> str | None:
        """An address Dask can parse (tcp://host:8786), refused before the run starts."""
        from distributed.comm.addressing import parse_address, parse_host_port

        if value is None:
            return value
        try:
            parse_host_port(parse_address(value)[1])
        except ValueError:
            raise ValueError("harus alamat scheduler Dask seperti tcp://host:8786") from None
        return value

    read_processes_from: NonNegativeInt = 64 * MIB
    # Worker processes for reading: one per core, at most this many (each holds up to about
    # 650 MB while it reads a shard, measured at 514 satkers).
    read_processes: PositiveInt = 4

    # Limits (README, "Limits"): each is checked before the expensive work it protects.
    max_file_bytes: PositiveInt = READ.max_file_bytes  # one export, landed or pulled
    max_xlsx_uncompressed_bytes: PositiveInt = READ.max_xlsx_uncompressed_bytes  # zip directory
    max_xlsx_ratio: PositiveFloat = READ.max_xlsx_ratio  # uncompressed / compressed
    max_xlsx_cells: PositiveInt = READ.max_xlsx_cells  # rows x columns of the first sheet
    # The XLSX reader's child: below 1 GiB it cannot read even a small workbook.
    max_xlsx_memory_bytes: Annotated[int, Field(ge=1024 * MIB)] = READ.max_xlsx_memory_bytes
    max_columns: PositiveInt = READ.max_columns  # columns of one export
    max_rows: PositiveInt = READ.max_rows  # rows of one export
    max_field_chars: PositiveInt = READ.max_field_chars  # one cell
    max_line_chars: PositiveInt = READ.max_line_chars  # one line of a CSV
    max_findings_per_rule: PositiveInt = 1000  # dq.issues rows per file and rule, then a count
    min_event_date: date = READ.min_event_date  # earliest plausible date of an event
    max_years_ahead: PositiveInt = READ.max_years_ahead  # latest event date: as-of + years
    min_birth_date: date = READ.min_birth_date  # earliest plausible birth date (latest: as-of)
    max_listing_bytes: PositiveInt = PULL.max_listing_bytes  # one directory listing of a pull
    max_files: PositiveInt = PULL.max_files  # files taken from one pull location per run
    pull_timeout: PositiveFloat = PULL.timeout  # seconds to connect, and per wait for data
    pull_deadline: PositiveFloat = PULL.deadline  # seconds for one location in all
    # Seconds before each retry of a source that failed in a way another attempt may fix
    # (network, timeout, HTTP 5xx): one entry per retry. IKU_PULL_RETRY_DELAYS="2,10" (or
    # JSON, "[2, 10]"; "[]" or "" for none).
    pull_retry_delays: Annotated[list[NonNegativeFloat], NoDecode] = [2.0, 10.0]

    @field_validator("pull_retry_delays", mode="before")
    @classmethod
    def _delays(cls, value: Any) -> Any:
        """The text "2,10" or "[2, 10]" as ["2", "10"] (pydantic then checks each number):
        never JSON decoding, whose failure would hide every other bad variable."""
        if not isinstance(value, str):
            return value
        return [part for part in value.strip().strip("[]").split(",") if part.strip()]

    # Expected interval between exports per source, overriding the declarations:
    # IKU_FRESHNESS_DAYS="ppid=7,pemilih=100" (days).
    freshness_days: Annotated[dict[str, PositiveInt], NoDecode] = {}

    @field_validator("freshness_days", mode="before")
    @classmethod
    def _source_days(cls, value: Any) -> Any:
        """The text "ppid=7,pemilih=100" as {"ppid": "7", "pemilih": "100"}, each a known
        source (pydantic then checks the days)."""
        if not isinstance(value, str):
            return value
        found = {}
        for part in filter(str.strip, value.split(",")):
            name, equals, days = (p.strip() for p in part.partition("="))
            if not equals or name not in SOURCES:
                known = ", ".join(SOURCES)
                raise ValueError(f"'{part.strip()}' bukan <sumber>=<hari> (sumber: {known})")
            found[name] = days
        return found

    @classmethod
    def load(cls) -> Settings:
        """The settings, or :class:`SettingsError` naming each variable that cannot be used."""
        try:
            return cls()
        except ValidationError as exc:
            raise SettingsError.of(exc) from None

    def read_limits(self, as_of: date) -> ReadLimits:
        """The reader's limits: every field of ``ReadLimits`` has its ``IKU_`` variable here."""
        values = {f.name: getattr(self, f.name) for f in fields(ReadLimits) if f.name != "as_of"}
        return ReadLimits(**values, as_of=as_of)

    @property
    def pull_limits(self) -> PullLimits:
        return PullLimits(
            max_file_bytes=self.max_file_bytes,
            max_listing_bytes=self.max_listing_bytes,
            timeout=self.pull_timeout,
            deadline=self.pull_deadline,
            max_files=self.max_files,
        )

    due_soon_days: NonNegativeInt = DUE_SOON_DAYS  # iku.jatuh_tempo (IKU_DUE_SOON_DAYS)

    # Alerts (warehouse/alerts.py). Every configured channel gets the digest of a run.
    alert_on_warnings: bool = False  # also send a digest when a run has only new warnings
    # Attempts per channel before it is reported as failed; at most 10, so that the doubled
    # back-offs between them (from 2 s: 17 min in all) still end within the night.
    alert_retries: Annotated[int, Field(ge=1, le=10)] = 3
    alert_retry_delay: NonNegativeFloat = 2.0  # seconds before the 2nd attempt, then doubled
    alert_timeout: PositiveFloat = 20.0  # seconds per connection attempt (SMTP and webhook)
    smtp_starttls: bool | None = None  # None: STARTTLS when the server offers it
    smtp_ssl: bool | None = None  # implicit TLS (SMTPS); None: only on port 465
    smtp_ca_file: str | None = None  # CA bundle for a mail server with a private certificate

    # Where each source's exports are pulled from (warehouse/pull.py): comma- or newline-
    # separated "<kode_satker>/<source>=<location>", the location an http(s):// URL of a
    # directory listing or a local folder; e.g. "6204/ppid=https://ppid.example/ekspor/".
    pull_sources: Annotated[list[Location], NoDecode] = []

    @field_validator("pull_sources", mode="before")
    @classmethod
    def _locations(cls, value: Any) -> Any:
        """The text of IKU_PULL_SOURCES as locations (``parse_locations`` names each bad
        entry, a URL's password masked)."""
        return parse_locations(value) if isinstance(value, str) else value


class SettingsError(ValueError):
    """IKU_* variables that hold a value that cannot be used, each named (never a secret's
    value), in Indonesian where pydantic's reason is a common one."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("pengaturan tidak valid: " + "; ".join(lines))

    @classmethod
    def of(cls, error: ValidationError) -> SettingsError:
        lines = []
        for e in error.errors():
            field = str(e["loc"][0]) if e["loc"] else "*"
            shown = "" if field in SECRETS or "input" not in e else f" (nilai: {e['input']!r})"
            ours = REASONS.get(e["type"])  # pydantic's own text is never formatted again
            reason = ours.format(**e.get("ctx", {})) if ours else e["msg"]
            lines.append(f"IKU_{field.upper()}{shown}: {reason}")
        return cls(lines)


# pydantic's reasons in the admins' language (SPEC: what an admin reads is Indonesian).
REASONS = {
    "int_parsing": "harus bilangan bulat",
    "float_parsing": "harus angka (titik sebagai pemisah desimal)",
    "bool_parsing": "harus true atau false",
    "greater_than": "harus lebih dari {gt}",
    "greater_than_equal": "harus paling sedikit {ge}",
    "less_than_equal": "harus paling banyak {le}",
    "date_from_datetime_parsing": "harus tanggal YYYY-MM-DD",
    "date_parsing": "harus tanggal YYYY-MM-DD",
    "string_type": "harus teks",
    "value_error": "{error}",
}
# Never shown in a message: a URL of IKU_PULL_SOURCES may hold a password (parse_locations
# names its bad entries, masked).
SECRETS = ("pii_key", "smtp_password", "alert_webhook_url", "pull_sources")
