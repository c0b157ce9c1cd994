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

    @property
    def alert_recipients(self) -> list[str]:
        return [a.strip() for a in (self.alert_email_to or "").split(",") if a.strip()]
