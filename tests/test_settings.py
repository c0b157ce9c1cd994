"""Settings from IKU_* variables: typed by pydantic-settings, and a value that cannot be used
named in one line an admin can act on."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Literal

import pytest
from pydantic import BaseModel, ValidationError

from warehouse.settings import Settings, SettingsError


def test_freshness_days_per_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IKU_FRESHNESS_DAYS", " ppid=7, pemilih = 100 ,")
    assert Settings.load().freshness_days == {"ppid": 7, "pemilih": 100}
    monkeypatch.setenv("IKU_FRESHNESS_DAYS", "")
    assert Settings.load().freshness_days == {}


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("ppid=tujuh", "IKU_FRESHNESS_DAYS (nilai: 'tujuh'): harus bilangan bulat"),
        ("ppid=0", "IKU_FRESHNESS_DAYS (nilai: '0'): harus lebih dari 0"),
        ("ppdi=7", "'ppdi=7' bukan <sumber>=<hari>"),
        ("ppid", "'ppid' bukan <sumber>=<hari>"),
    ],
)
def test_freshness_days_that_cannot_be_used_are_named(
    monkeypatch: pytest.MonkeyPatch, value: str, said: str
) -> None:
    monkeypatch.setenv("IKU_FRESHNESS_DAYS", value)
    with pytest.raises(SettingsError, match="pengaturan tidak valid") as raised:
        Settings.load()
    assert said in str(raised.value)


def test_a_secret_is_named_but_its_value_never_shown() -> None:
    with pytest.raises(ValueError) as raised:
        Settings(smtp_password=84_511_907, max_rows="banyak")  # type: ignore[arg-type]
    text = str(SettingsError.of(raised.value))  # type: ignore[arg-type]
    assert "IKU_SMTP_PASSWORD: harus teks" in text
    assert "84511907" not in text
    assert "IKU_MAX_ROWS (nilai: 'banyak')" in text


def test_pull_sources_are_locations_and_a_bad_entry_is_named_without_its_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "IKU_PULL_SOURCES", "6204/ppid=https://ppid.example/ekspor/\n62/tps=/mnt/tps"
    )
    assert [(p.kode_satker, p.source, p.url) for p in Settings.load().pull_sources] == [
        ("6204", "ppid", "https://ppid.example/ekspor/"),
        ("62", "tps", "/mnt/tps"),
    ]
    monkeypatch.setenv("IKU_PULL_SOURCES", "6204/ppdi=https://admin:sandi-rahasia@ppid.example/")
    with pytest.raises(SettingsError) as raised:
        Settings.load()
    text = str(raised.value)
    assert "IKU_PULL_SOURCES: entri tidak valid:\n- '6204/ppdi=" in text
    assert "sumber 'ppdi' tidak dikenal" in text and "admin:***@" in text
    assert "sandi-rahasia" not in text


def test_the_pull_deadline_reaches_the_pull_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.load().pull_limits.deadline == 600
    monkeypatch.setenv("IKU_PULL_DEADLINE", "90")
    assert Settings.load().pull_limits.deadline == 90


def test_a_build_memory_duckdb_reads_is_kept_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IKU_BUILD_MEMORY", "512MB")
    assert Settings.load().build_memory == "512MB"


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("IKU_MAX_ROWS", "banyak", "IKU_MAX_ROWS (nilai: 'banyak'): harus bilangan bulat"),
        ("IKU_MAX_XLSX_RATIO", "0", "IKU_MAX_XLSX_RATIO (nilai: '0'): harus lebih dari 0"),
        (
            "IKU_MAX_XLSX_MEMORY_BYTES",
            "500000000",
            "IKU_MAX_XLSX_MEMORY_BYTES (nilai: '500000000'): harus paling",
        ),
        ("IKU_ALERT_ON_WARNINGS", "mungkin", "harus true atau false"),
        ("IKU_MIN_EVENT_DATE", "kemarin", "IKU_MIN_EVENT_DATE (nilai: 'kemarin'): harus tanggal"),
        ("IKU_PULL_RETRY_DELAYS", "[-1]", "IKU_PULL_RETRY_DELAYS (nilai: '-1'): harus paling"),
        ("IKU_PULL_RETRY_DELAYS", "2;10", "IKU_PULL_RETRY_DELAYS (nilai: '2;10'): harus angka"),
        # An alert that can never be sent, or whose retries outlast the night, is refused
        # before the run, not found failed in the run's record afterwards.
        ("IKU_ALERT_TIMEOUT", "0", "IKU_ALERT_TIMEOUT (nilai: '0'): harus lebih dari 0"),
        ("IKU_ALERT_TIMEOUT", "-1", "IKU_ALERT_TIMEOUT (nilai: '-1'): harus lebih dari 0"),
        ("IKU_ALERT_RETRIES", "0", "IKU_ALERT_RETRIES (nilai: '0'): harus paling sedikit 1"),
        ("IKU_ALERT_RETRIES", "60", "IKU_ALERT_RETRIES (nilai: '60'): harus paling banyak 10"),
        ("IKU_ALERT_RETRY_DELAY", "-2", "IKU_ALERT_RETRY_DELAY (nilai: '-2'): harus paling"),
        ("IKU_SMTP_PORT", "70000", "IKU_SMTP_PORT (nilai: '70000'): harus paling banyak 65535"),
        ("IKU_MAX_ERROR_RATIO", "20", "IKU_MAX_ERROR_RATIO (nilai: '20'): harus paling banyak 1"),
        ("IKU_PULL_DEADLINE", "0", "IKU_PULL_DEADLINE (nilai: '0'): harus lebih dari 0"),
        ("IKU_BUILD_MEMORY", "1", "IKU_BUILD_MEMORY (nilai: '1'): harus ukuran memori seperti"),
        ("IKU_DASK_ADDRESS", "scheduler", "IKU_DASK_ADDRESS (nilai: 'scheduler'): harus alamat"),
    ],
)
def test_a_value_that_cannot_be_used_is_named_in_indonesian(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, said: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as raised:
        Settings.load()
    assert said in str(raised.value)


@pytest.mark.parametrize(
    ("value", "delays"), [("2,10", [2.0, 10.0]), ("[2, 10.5]", [2.0, 10.5]), ("[]", []), ("", [])]
)
def test_pull_retry_delays_are_read_as_a_list_or_as_json(
    monkeypatch: pytest.MonkeyPatch, value: str, delays: list[float]
) -> None:
    monkeypatch.setenv("IKU_PULL_RETRY_DELAYS", value)
    assert Settings.load().pull_retry_delays == delays


def test_every_bad_variable_is_named_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IKU_PULL_RETRY_DELAYS", "2 10")
    monkeypatch.setenv("IKU_MAX_ROWS", "banyak")
    with pytest.raises(SettingsError) as raised:
        Settings.load()
    assert "IKU_PULL_RETRY_DELAYS (nilai: '2 10')" in str(raised.value)
    assert "IKU_MAX_ROWS (nilai: 'banyak')" in str(raised.value)


def test_a_reason_pydantic_words_is_shown_as_it_is_braces_and_all() -> None:
    class Choice(BaseModel):
        mode: Literal["{semua}", "{baru}"]

    with pytest.raises(ValidationError) as raised:
        Choice(mode="lain")
    assert "IKU_MODE (nilai: 'lain'): Input should be '{semua}' or '{baru}'" in str(
        SettingsError.of(raised.value)
    )


def test_the_cli_sends_no_usage_data() -> None:
    """Prefect's SDK telemetry is off for every ``iku`` command, outside CI too (Prefect
    turns it off by itself under CI, which is why the environment below drops those names)."""
    from prefect._internal.analytics.ci_detection import CI_ENV_VARS

    env = {k: v for k, v in os.environ.items() if k not in CI_ENV_VARS | {"DO_NOT_TRACK"}}
    check = (
        "import flows.cli\n"
        "from prefect._internal.analytics.enabled import is_telemetry_enabled\n"
        "print(is_telemetry_enabled())"
    )
    out = subprocess.run(
        [sys.executable, "-c", check], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
