"""Settings from the environment (and a ``.env`` file): one place, read once per run."""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """IKU_* environment variables (SPEC §1)."""

    model_config = SettingsConfigDict(
        env_prefix="IKU_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    pii_key: SecretStr | None = None
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    alert_email_from: str | None = None
    alert_email_to: str | None = None  # comma-separated
    alert_webhook_url: str | None = None
    max_error_ratio: float = 0.20  # share of rows in error above which a file is rejected
    # Expected interval between exports per source, overriding the declarations:
    # "ppid=7,pemilih=100" (days).
    freshness_days: str = ""

    @property
    def freshness_intervals(self) -> dict[str, int]:
        intervals = {}
        for part in self.freshness_days.split(","):
            if not part.strip():
                continue
            name, _, days = part.partition("=")
            intervals[name.strip()] = int(days)
        return intervals

    @property
    def alert_recipients(self) -> list[str]:
        return [a.strip() for a in (self.alert_email_to or "").split(",") if a.strip()]

    # Alerts (warehouse/alerts.py). Every configured channel gets the digest of a run.
    alert_on_warnings: bool = False  # also send a digest when a run has only new warnings
    alert_retries: int = 3  # attempts per channel before it is reported as failed
    alert_retry_delay: float = 2.0  # seconds before the 2nd attempt, doubled for each next one
    alert_timeout: float = 20.0  # seconds per connection attempt (SMTP and webhook)
    smtp_starttls: bool | None = None  # None: STARTTLS when the server offers it
    smtp_ssl: bool | None = None  # implicit TLS (SMTPS); None: only on port 465
    smtp_ca_file: str | None = None  # CA bundle for a mail server with a private certificate

    # Where each source's exports are pulled from (warehouse/pull.py): comma- or newline-
    # separated "<kode_satker>/<source>=<location>", the location an http(s):// URL of a
    # directory listing or a local folder; e.g. "6204/ppid=https://ppid.example/ekspor/".
    pull_sources: str = ""
