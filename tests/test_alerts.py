"""The data-quality digest: its texts, and delivery to a real SMTP server and a real webhook.

No mocks: an aiosmtpd server and an ``http.server`` run on 127.0.0.1 for each test. The STARTTLS
and SMTPS tests use a throw-away self-signed certificate made with ``cryptography``. Delivery
goes through the real Prefect tasks (``flows.after.deliver_digest``, one task per channel
retried by Prefect) on Prefect's test server.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import json
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from loopback import MailSink, Smtp, Webhook, free_port, server_tls, start_smtp
from pydantic import SecretStr

from warehouse.alerts import ChannelResult, retry_delays
from warehouse.digest import WEBHOOK_TEXT_CHARS, Digest, render_text, render_webhook, should_send
from warehouse.settings import Settings

pytestmark = pytest.mark.usefixtures("clean_environment")

SENDER = "iku@kpu-barsel.example"
RECIPIENTS = ["admin.data@kpu-barsel.example", "sekretaris@kpu-barsel.example"]
SATKER = {"6204": "KPU Kabupaten Barito Selatan"}

# Personal data planted in the fixture rows: none of it may reach a message.
TRAP_NIK = "6204015507950001"
TRAP_PHONE = "081234567890"
TRAP_EMAIL = "budi.santoso@contoh.example"
TRAP_ADDRESS = "Jl. Pahlawan No. 12, Buntok"
TRAPS = (TRAP_NIK, TRAP_PHONE, "0812-3456-7890", TRAP_EMAIL, TRAP_ADDRESS)
PERSONAL = {"NIK": TRAP_NIK, "No Telepon": TRAP_PHONE, "Email": TRAP_EMAIL, "Alamat": TRAP_ADDRESS}


def issue(
    source: str,
    file_name: str | None,
    row: int | None,
    rule: str,
    message: str,
    severity: str = "error",
    new: bool = True,
    satker: str = "6204",
) -> dict[str, Any]:
    """An issue row as the flow hands it over, with personal data in columns not to be shown."""
    return {
        "source": source,
        "kode_satker": satker,
        "file_name": file_name,
        "sha256": None if file_name is None else hashlib.sha256(file_name.encode()).hexdigest(),
        "row_number": row,
        "column_name": None,
        "rule": rule,
        "severity": severity,
        "message": message,
        "file_baru": new,
        "data": dict(PERSONAL),  # a careless caller's extra column
        **PERSONAL,
    }


def run_issues() -> list[dict[str, Any]]:
    found = [
        issue("ppid", "ppid_2025.xlsx", None, "kolom_wajib_tidak_ada", "kolom wajib tidak ada: Tanggal Permohonan"),
        issue("tahapan", "tahapan_2025.csv", None, "terlalu_banyak_baris_salah", "8 dari 10 baris (80%) salah, melebihi batas 20%: seluruh file ditolak"),
        *(
            issue("tahapan", "tahapan_2025.csv", r, "tanggal_tidak_valid", "Jadwal Mulai bukan tanggal")
            for r in range(2, 10)
        ),
        # An upstream bug put personal data in a message: it must still not go out.
        issue("siakba", "kpps_pilkada_2024.xlsx", 5, "nik_tidak_sesuai", f"NIK {TRAP_NIK} tidak sesuai tanggal lahir; hubungi 0812-3456-7890 atau {TRAP_EMAIL}"),
        issue("siakba", "kpps_pilkada_2024.xlsx", 8, "nik_tidak_sesuai", "NIK tidak sesuai jenis kelamin"),
        issue("siakba", "kpps_pilkada_2024.xlsx", 13, "usia_kpps", "usia 61 tahun pada hari pemungutan suara, di luar 17–55"),
        *(
            issue("siakba", "kpps_pilkada_2024.xlsx", r, "tps_tidak_ada", "Nomor TPS tidak ada di tps")
            for r in range(100, 130)
        ),
        issue("logistik", "logistik_2025.xlsx", 3, "jumlah_baik_rusak", "Jumlah Baik + Jumlah Rusak ≠ Jumlah Tersedia", "warning"),
        issue("logistik", "logistik_2025.xlsx", 4, "jumlah_baik_rusak", "Jumlah Baik + Jumlah Rusak ≠ Jumlah Tersedia", "warning"),
        # Still open from earlier runs: counted, not listed.
        issue("keuangan", "keuangan_2024.xlsx", 7, "tanggal_tidak_valid", "Batas Waktu bukan tanggal", new=False),
        issue("keuangan", "keuangan_2024.xlsx", 8, "tanggal_tidak_valid", "Batas Waktu bukan tanggal", new=False),
        issue("sakip", "sakip_lama.csv", None, "kolom_wajib_tidak_ada", "kolom wajib tidak ada: Nilai", new=False),
    ]  # fmt: skip
    return found


def make_digest(issues: list[dict[str, Any]] | None = None, **kw: Any) -> Digest:
    values: dict[str, Any] = {
        "run_id": "20260131T010203-ab12",
        "as_of": datetime.date(2026, 1, 31),
        "issues": run_issues() if issues is None else issues,
        "files_loaded": 14,
        "satker_names": dict(SATKER),
    }
    return Digest(**(values | kw))


def make_settings(**kw: Any) -> Settings:
    values: dict[str, Any] = {
        "alert_email_from": SENDER,
        "alert_email_to": ", ".join(RECIPIENTS),
        "alert_retries": 3,
        "alert_retry_delay": 0,
        "alert_timeout": 3.0,
    }
    return Settings(_env_file=None, **(values | kw))  # type: ignore[call-arg]


def assert_no_personal_data(text: str) -> None:
    for trap in TRAPS:
        assert trap not in text
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", text), "16-digit number (NIK)"
    assert not re.search(r"(?<![\d])(?:\+62|62|0)8\d{7,11}(?!\d)", text), "phone number"
    addresses = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text))
    assert addresses <= {SENDER, *RECIPIENTS}, addresses


# --- Servers on loopback -------------------------------------------------------------------


def authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    good = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"iku-alert",
        b"s3cret-Pa55",
    )
    return AuthResult(success=good, handled=False, auth_data=auth_data if good else None)


# --- Deciding and rendering ----------------------------------------------------------------


def test_should_send_on_new_errors_only_unless_asked_for_warnings() -> None:
    assert should_send(make_digest(), on_warnings=False)

    warnings_only = make_digest(
        [
            issue("logistik", "l.xlsx", 3, "jumlah_baik_rusak", "tidak seimbang", "warning"),
            issue("keuangan", "k.xlsx", 7, "tanggal_tidak_valid", "bukan tanggal", new=False),
        ]
    )
    assert not should_send(warnings_only, on_warnings=False)
    assert should_send(warnings_only, on_warnings=True)

    old_errors_only = make_digest([i for i in run_issues() if not i["file_baru"]])
    assert not should_send(old_errors_only, on_warnings=True)
    assert not should_send(make_digest([]), on_warnings=True)


def test_text_names_every_rejected_file_rule_and_row() -> None:
    subject, body = render_text(make_digest())

    assert subject == (
        "[IKU 6204] Kualitas data run 20260131T010203-ab12: "
        "2 file ditolak, 33 baris dikarantina, 2 peringatan"
    )
    assert "KPU Kabupaten Barito Selatan" in body
    assert "31 Januari 2026" in body
    assert (
        "ppid_2025.xlsx: kolom wajib tidak ada: Tanggal Permohonan [kolom_wajib_tidak_ada]" in body
    )
    assert "tahapan_2025.csv: 8 dari 10 baris (80%) salah" in body
    assert "(8 baris salah, baris 2, 3, 4, 5, 6, 7, 8, 9)" in body
    # Quarantined rows per rule, with file and row numbers; long lists cut after 20.
    assert "nik_tidak_sesuai: 2 baris" in body
    assert "kpps_pilkada_2024.xlsx: baris 5, 8" in body
    assert "usia_kpps: 1 baris" in body
    rows = ", ".join(str(r) for r in range(100, 120))
    assert (
        f"tps_tidak_ada: 30 baris\n      kpps_pilkada_2024.xlsx: baris {rows} dan 10 lainnya"
        in body
    )
    assert "129" not in body
    assert "jumlah_baik_rusak: 2" in body
    assert "logistik_2025.xlsx baris 3: Jumlah Baik + Jumlah Rusak ≠ Jumlah Tersedia" in body
    assert "perbaiki file di aplikasi sumber lalu ekspor ulang ke folder landing" in body
    # Older findings: counted per source, not listed.
    assert "Temuan lama yang masih terbuka" in body
    assert "1 file ditolak, 2 baris dikarantina" in body
    assert "keuangan: 2 baris dikarantina" in body
    assert "sakip: 1 file ditolak" in body
    assert "keuangan_2024.xlsx" not in body and "sakip_lama.csv" not in body
    # Sections per source, each once.
    for source in ("ppid", "tahapan", "siakba", "logistik"):
        assert body.count(f"== Sumber {source} ==") == 1
    assert "== Sumber keuangan ==" not in body
    assert "[nomor disamarkan]" in body and "[angka disamarkan]" in body
    assert_no_personal_data(subject + body)


def test_text_never_shows_a_full_sha256_and_tells_when_not_published() -> None:
    first = issue("ppid", "ppid.xlsx", 3, "tanggal_tidak_valid", "bukan tanggal")
    second = issue("ppid", "ppid.xlsx", 4, "tanggal_tidak_valid", "bukan tanggal")
    first["sha256"], second["sha256"] = "1" * 64, "2" * 64  # same name, two different contents
    subject, body = render_text(make_digest([first, second], failure="DiskFull"))

    assert "TIDAK diterbitkan" in subject and "TIDAK diterbitkan" in body
    assert "ppid.xlsx [sha256 111111111111]: baris 3" in body
    assert "ppid.xlsx [sha256 222222222222]: baris 4" in body
    assert "1" * 13 not in body and "2" * 13 not in body


def test_a_failed_run_says_why_and_is_always_told() -> None:
    """A run that failed before publishing has no findings, only its cause: the digest goes
    out whatever the settings (an unattended run must not fail unseen), masked as ever."""
    cause = "ReferenceDataError: libur_lokal.csv baris 3: sudah ada (tanya 081234567890)"
    digest = make_digest([], failure=cause)
    assert should_send(digest, on_warnings=False)
    subject, body = render_text(digest)
    assert subject.startswith("[IKU 6204] ") and "run GAGAL: ReferenceDataError" in subject
    assert "Run gagal: ReferenceDataError: libur_lokal.csv baris 3" in body
    assert "TIDAK diterbitkan" in body and "Temuan baru" not in body
    assert render_webhook(digest)["failure"].startswith("ReferenceDataError")
    assert_no_personal_data(subject + body)
    assert not should_send(make_digest([]), on_warnings=True)  # a run with nothing to tell
    # At national scale: ten satkers named in the first line, the rest counted.
    many = {f"62{i:02d}": f"KPU Kabupaten {i}" for i in range(1, 16)}
    first = render_text(make_digest([], failure=cause, satker_names=many))[1].splitlines()[0]
    assert first.endswith("KPU Kabupaten 10 (6210) dan 5 satker lainnya")
    assert first.count("KPU Kabupaten") == 10
    # The reference files may be what failed: no satker known.
    subject, body = render_text(make_digest([], failure=cause, satker_names={}))
    assert subject.startswith("[IKU] ") and body.startswith("Ringkasan kualitas data IKU\n")


def test_webhook_body_structure() -> None:
    body = render_webhook(make_digest())
    json.dumps(body)  # serialisable as is

    assert body["run_id"] == "20260131T010203-ab12"
    assert body["as_of"] == "2026-01-31"
    assert body["published"] is True
    assert body["summary"] == {"files_rejected": 2, "rows_quarantined": 33, "warnings": 2}
    assert body["older_open"] == {"files_rejected": 1, "rows_quarantined": 2, "warnings": 0}
    assert set(body["sources"]) == {"ppid", "tahapan", "siakba", "logistik"}
    assert body["sources"]["ppid"]["files_rejected"] == [
        {
            "file": "ppid_2025.xlsx",
            "message": "kolom wajib tidak ada: Tanggal Permohonan",
            "rules": ["kolom_wajib_tidak_ada"],
            "rows_in_error": 0,
        }
    ]
    assert body["sources"]["tahapan"]["files_rejected"][0]["rows_in_error"] == 8
    assert body["sources"]["tahapan"]["rows_quarantined"] == {}
    siakba = body["sources"]["siakba"]["rows_quarantined"]
    assert siakba["nik_tidak_sesuai"] == {"count": 2, "files": {"kpps_pilkada_2024.xlsx": [5, 8]}}
    assert siakba["tps_tidak_ada"]["count"] == 30
    assert siakba["tps_tidak_ada"]["files"]["kpps_pilkada_2024.xlsx"] == list(range(100, 130))
    assert body["sources"]["logistik"]["warnings"] == {"jumlah_baik_rusak": 2}
    subject, _ = render_text(make_digest())
    assert body["text"].startswith(subject)
    assert_no_personal_data(json.dumps(body, ensure_ascii=False))


def test_webhook_text_is_shortened_and_several_satkers_are_kept_apart() -> None:
    issues = [
        issue(f"sumber{s}", f"file_{s}_{f}.xlsx", r, f"aturan_{f}", "nilai tidak valid", satker=k)
        for k in ("6204", "6205")
        for s in range(10)
        for f in range(5)
        for r in range(2, 5)
    ]
    digest = make_digest(issues, satker_names=SATKER | {"6205": "KPU Kabupaten Barito Timur"})
    subject, body = render_text(digest)
    webhook = render_webhook(digest)

    assert subject.startswith("[IKU 6204, 6205] ")
    assert "KPU Kabupaten Barito Timur (6205)" in body
    assert len(body) > WEBHOOK_TEXT_CHARS
    assert len(webhook["text"]) <= WEBHOOK_TEXT_CHARS
    assert webhook["text"].endswith("(dipotong; ringkasan lengkap di e-mail dan di view dq.issues)")
    assert "6204/sumber0" in webhook["sources"] and "6205/sumber0" in webhook["sources"]
    assert webhook["summary"]["rows_quarantined"] == 2 * 10 * 5 * 3


# --- Delivery ------------------------------------------------------------------------------

Send = Callable[[Digest, Settings], list[ChannelResult]]


@pytest.fixture
def send(prefect_backend: None) -> Send:
    """The flow's way of sending, in a flow run: one Prefect task per channel, retried by
    Prefect."""
    from prefect import flow

    from flows.after import deliver_digest

    def send_in_a_flow(digest: Digest, settings: Settings) -> list[ChannelResult]:
        @flow(name="test-alerts")
        def alert() -> list[ChannelResult]:
            return deliver_digest(digest, settings)

        return alert()

    return send_in_a_flow


def test_digest_reaches_mail_and_webhook_once_without_personal_data(
    send: Send, smtp: Smtp, webhook: Webhook
) -> None:
    settings = make_settings(
        smtp_host="127.0.0.1", smtp_port=smtp.port, alert_webhook_url=webhook.url
    )
    results = send(make_digest(), settings)

    port = webhook.url.split(":")[2].split("/")[0]
    assert results == [
        ChannelResult("email", ", ".join(RECIPIENTS), True, 1, None),
        ChannelResult("webhook", f"127.0.0.1:{port}", True, 1, None),
    ]

    assert len(smtp.sink.received) == 1
    received = smtp.sink.received[0]
    assert received.envelope.mail_from == SENDER
    assert sorted(received.envelope.rcpt_tos) == sorted(RECIPIENTS)
    message = received.message()
    subject, body = render_text(make_digest())
    assert message["Subject"] == subject
    assert message["From"] == SENDER
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    text = message.get_content().replace("\r\n", "\n")
    assert text == body
    for name in ("ppid_2025.xlsx", "tahapan_2025.csv", "kpps_pilkada_2024.xlsx"):
        assert name in text
    for rule in ("kolom_wajib_tidak_ada", "nik_tidak_sesuai", "usia_kpps", "tps_tidak_ada"):
        assert rule in text
    assert "baris 5, 8" in text and "baris 13" in text
    assert_no_personal_data(str(message["Subject"]) + text)

    assert len(webhook.posts) == 1
    path, headers, raw = webhook.posts[0]
    assert path == "/hooks/T0001/B0002/rahasiaWebhook?token=xyz"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    payload = json.loads(raw.decode("utf-8"))
    assert payload == render_webhook(make_digest())
    assert_no_personal_data(raw.decode("utf-8"))


# A file name (and a message, a source, a run id) crafted to forge a line, colour a terminal
# and inject markup: each must arrive escaped, on the line it belongs to.
FORGED = "Tidak ada masalah"
HOSTILE_FILE = f"ppid.xlsx\n{FORGED}\x1b[31m<script>alert(1)</script>"
HOSTILE_FILE_SHOWN = f"ppid.xlsx\\n{FORGED}\\x1b[31m<script>alert(1)</script>"


def hostile_digest() -> Digest:
    return make_digest(
        [
            issue("ppid\r\nx", HOSTILE_FILE, None, "kolom_wajib_tidak_ada", f"kolom\n{FORGED}"),
            issue("siakba", HOSTILE_FILE, 5, "aturan\x1b[0m", f"nilai\u2028{FORGED}\x85."),
        ],
        run_id="20260131T010203-ab12\r\nBcc: bocor@contoh.example",
    )


def assert_one_inert_line_each(text: str) -> None:
    for char in ("\x1b", "\r", "\u2028", "\x85"):
        assert char not in text
    lines = text.splitlines()  # also splits on \x85, \u2028, \x1c, ...
    assert not [line for line in lines if line.lstrip(" -:").startswith(FORGED)]
    assert any(HOSTILE_FILE_SHOWN in line for line in lines)
    assert any(f"kolom\\n{FORGED}" in line for line in lines)
    assert any(f"nilai\\u2028{FORGED}\\x85." in line for line in lines)
    assert any("aturan\\x1b[0m" in line for line in lines)


def test_file_names_and_messages_arrive_escaped_on_one_line(
    send: Send, smtp: Smtp, webhook: Webhook
) -> None:
    settings = make_settings(
        smtp_host="127.0.0.1", smtp_port=smtp.port, alert_webhook_url=webhook.url
    )
    results = send(hostile_digest(), settings)
    assert [r.ok for r in results] == [True, True], results

    [received] = smtp.sink.received
    message = received.message()
    # Plain text only: no HTML part the markup could be read in.
    assert not message.is_multipart() and message.get_content_type() == "text/plain"
    assert message["Bcc"] is None
    assert "20260131T010203-ab12\\r\\nBcc" in str(message["Subject"])
    assert_one_inert_line_each(message.get_content().replace("\r\n", "\n"))

    [(_, _, raw)] = webhook.posts
    posted = json.loads(raw.decode("utf-8"))
    assert "<" not in posted["text"]  # a chat would read <…> as a link or a mention
    assert_one_inert_line_each(html.unescape(posted["text"]))
    assert posted["run_id"] == "20260131T010203-ab12\\r\\nBcc: [email disamarkan]"
    rejected = posted["sources"]["ppid\\r\\nx"]["files_rejected"][0]
    assert rejected["file"] == HOSTILE_FILE_SHOWN
    assert rejected["message"] == f"kolom\\n{FORGED}"
    quarantined = posted["sources"]["siakba"]["rows_quarantined"]
    assert quarantined == {"aturan\\x1b[0m": {"count": 1, "files": {HOSTILE_FILE_SHOWN: [5]}}}


def test_retry_delays_double_from_the_setting() -> None:
    assert retry_delays(make_settings(alert_retries=3, alert_retry_delay=0.5)) == [0.5, 1.0]
    assert retry_delays(make_settings(alert_retries=4, alert_retry_delay=2)) == [2, 4, 8]
    assert retry_delays(make_settings(alert_retries=1)) == []


def test_mail_server_down_is_retried_then_reported_and_webhook_still_delivered(
    send: Send, webhook: Webhook
) -> None:
    settings = make_settings(
        smtp_host="127.0.0.1",
        smtp_port=free_port(),  # nothing listens there
        alert_webhook_url=webhook.url,
    )
    email_result, webhook_result = send(make_digest(), settings)

    assert email_result.channel == "email"
    assert not email_result.ok
    assert email_result.attempts == settings.alert_retries == 3
    assert email_result.error is not None and "refused" in email_result.error.lower()
    assert webhook_result.ok and webhook_result.attempts == 1
    assert len(webhook.posts) == 1


def test_mail_server_that_never_answers_times_out(send: Send) -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)  # accepts connections into the backlog, never greets
        settings = make_settings(
            smtp_host="127.0.0.1",
            smtp_port=silent.getsockname()[1],
            alert_timeout=0.2,
            alert_retries=2,
        )
        [result] = send(make_digest(), settings)

    assert not result.ok and result.attempts == 2
    assert result.error is not None and "timed out" in result.error


@pytest.mark.parametrize(
    ("answers", "ok", "attempts"),
    [
        (["451 4.3.0 coba lagi nanti"], True, 2),  # a 4xx reply is temporary
        (["554 5.7.1 ditolak"], False, 1),  # a 5xx reply is final
    ],
)
def test_smtp_reply_codes_decide_the_retry(
    send: Send, smtp: Smtp, answers: list[str], ok: bool, attempts: int
) -> None:
    smtp.sink.answers.extend(answers)
    [result] = send(make_digest(), make_settings(smtp_host="127.0.0.1", smtp_port=smtp.port))

    assert (result.ok, result.attempts) == (ok, attempts), result.error
    assert len(smtp.sink.received) == (1 if ok else 0)


@pytest.mark.parametrize("statuses", [[503, 503], [500, 429], [408]])
def test_webhook_transient_errors_are_retried_until_delivered(
    send: Send, webhook: Webhook, statuses: list[int]
) -> None:
    webhook.statuses.extend(statuses)
    settings = make_settings(alert_webhook_url=webhook.url, alert_retry_delay=0.05)
    started = time.monotonic()
    [result] = send(make_digest(), settings)

    assert result.channel == "webhook"
    assert result.ok and result.attempts == len(statuses) + 1 and result.error is None
    assert time.monotonic() - started >= sum(retry_delays(settings)[: len(statuses)])
    assert len(webhook.posts) == len(statuses) + 1
    assert len({body for _, _, body in webhook.posts}) == 1


def test_webhook_still_failing_after_the_attempts_is_reported(send: Send, webhook: Webhook) -> None:
    webhook.statuses.extend([503, 503, 503, 503])
    [result] = send(make_digest(), make_settings(alert_webhook_url=webhook.url))

    assert not result.ok and result.attempts == 3
    assert result.error is not None and "HTTP 503" in result.error
    assert len(webhook.posts) == 3


@pytest.mark.parametrize("status", [404, 401, 307])
def test_webhook_rejection_or_redirect_is_not_retried_and_hides_the_secret_url(
    send: Send, webhook: Webhook, status: int
) -> None:
    webhook.statuses.append(status)
    [result] = send(make_digest(), make_settings(alert_webhook_url=webhook.url))

    assert not result.ok and result.attempts == 1
    assert result.error is not None and f"HTTP {status}" in result.error
    assert len(webhook.posts) == 1  # the redirect is not followed
    for secret in ("rahasiaWebhook", "token", "/hooks"):
        assert secret not in result.target and secret not in result.error


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://[::1/hook", "hooks.example/x"])
def test_invalid_webhook_url_fails_once_without_raising(send: Send, url: str) -> None:
    [result] = send(make_digest(), make_settings(alert_webhook_url=url))
    assert result.channel == "webhook"
    assert not result.ok and result.attempts == 1
    assert result.error is not None and "IKU_ALERT_WEBHOOK_URL" in result.error


def test_no_channel_configured_sends_nothing(send: Send) -> None:
    assert send(make_digest(), make_settings(alert_email_to=None)) == []
    assert send(make_digest(), make_settings(smtp_host="127.0.0.1", alert_email_to="")) == []


def test_login_after_starttls(send: Send, certificate: tuple[Path, Path]) -> None:
    controller, server = start_smtp(
        tls_context=server_tls(certificate),
        require_starttls=True,
        auth_required=True,
        authenticator=authenticator,
    )
    try:
        good = make_settings(
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_user="iku-alert",
            smtp_password="s3cret-Pa55",
            smtp_ca_file=str(certificate[0]),
        )
        [result] = send(make_digest(), good)
        assert result.ok, result.error
        [received] = server.sink.received
        assert received.tls and received.login == b"iku-alert"

        wrong = good.model_copy(update={"smtp_password": SecretStr("salah-sandi")})
        [refused] = send(make_digest(), wrong)
        assert not refused.ok and refused.attempts == 1  # authentication is not retried
        assert refused.error is not None and "salah-sandi" not in refused.error
        assert len(server.sink.received) == 1
    finally:
        controller.stop()


def test_untrusted_certificate_is_refused(send: Send, certificate: tuple[Path, Path]) -> None:
    controller, server = start_smtp(tls_context=server_tls(certificate), require_starttls=True)
    try:
        settings = make_settings(smtp_host="127.0.0.1", smtp_port=server.port)
        [result] = send(make_digest(), settings)
        assert not result.ok and result.attempts == 1
        assert result.error is not None and "CERTIFICATE_VERIFY_FAILED" in result.error
        assert server.sink.received == []
    finally:
        controller.stop()


def test_implicit_tls(send: Send, certificate: tuple[Path, Path]) -> None:
    controller, server = start_smtp(ssl_context=server_tls(certificate))
    try:
        settings = make_settings(
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_ssl=True,
            smtp_ca_file=str(certificate[0]),
        )
        [result] = send(make_digest(), settings)
        assert result.ok, result.error
        assert len(server.sink.received) == 1
    finally:
        controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_login_without_tls_on_loopback(send: Send) -> None:
    """A server that offers no TLS gets the password on loopback (``localhost`` too); to any
    other host the mail is not sent, once, not retried, and the password is never sent.
    ``127.1`` is this machine, but not written as a loopback address: to the check it is a
    name like any server elsewhere."""
    logins: list[object] = []

    def counting(*args: Any) -> AuthResult:
        logins.append(args[-1])
        return authenticator(*args)

    controller, server = start_smtp(
        auth_required=True, auth_require_tls=False, authenticator=counting
    )
    try:
        settings = make_settings(
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_user="iku-alert",
            smtp_password="s3cret-Pa55",
        )
        [result] = send(make_digest(), settings)
        assert result.ok, result.error
        [received] = server.sink.received
        assert not received.tls and received.login == b"iku-alert"

        forced = settings.model_copy(update={"smtp_starttls": True})
        [failed] = send(make_digest(), forced)
        assert not failed.ok and failed.attempts == 1
        assert failed.error is not None and "STARTTLS" in failed.error

        [named] = send(make_digest(), settings.model_copy(update={"smtp_host": "localhost"}))
        assert named.ok, named.error
        [elsewhere] = send(make_digest(), settings.model_copy(update={"smtp_host": "127.1"}))
        assert (elsewhere.ok, elsewhere.attempts) == (False, 1)
        assert elsewhere.error == (
            "_PermanentError: server SMTP tidak menawarkan TLS; kata sandi tidak dikirim tanpa "
            "enkripsi (set IKU_SMTP_STARTTLS=false untuk tetap mengirim)"
        )
        assert len(logins) == len(server.sink.received) == 2
    finally:
        controller.stop()


@dataclass
class Refusing(MailSink):
    """Refuses the recipients of ``refused`` with its reply."""

    refused: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.mark.parametrize(
    ("refused", "attempts", "received", "error"),
    [
        (  # a full mailbox may empty: tried again, every attempt
            dict.fromkeys(RECIPIENTS, "452 4.2.2 kotak surat penuh"),
            3,
            0,
            "SMTPRecipientsRefused: {'admin.data@kpu-barsel.example': (452, b'4.2.2 kotak "
            "surat penuh'), 'sekretaris@kpu-barsel.example': (452, b'4.2.2 kotak surat penuh')}",
        ),
        (  # one address that does not exist: the other got it, sending again would repeat it
            {RECIPIENTS[1]: "550 5.1.1 tidak ada"},
            1,
            1,
            "_PermanentError: penerima ditolak: sekretaris@kpu-barsel.example",
        ),
    ],
)
def test_refused_recipients_are_named_and_retried_only_when_temporary(
    send: Send, refused: dict[str, str], attempts: int, received: int, error: str
) -> None:
    sink = Refusing(refused=refused)
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings = make_settings(smtp_host="127.0.0.1", smtp_port=controller.port)
        [result] = send(make_digest(), settings)
    finally:
        controller.stop()
    assert (result.ok, result.attempts, result.error) == (False, attempts, error)
    assert len(sink.received) == received


def test_an_unreadable_ca_file_is_said_and_not_retried(send: Send, tmp_path: Path) -> None:
    """IKU_SMTP_CA_FILE missing or not a certificate: the admin reads the setting's name."""
    (tmp_path / "ca.pem").write_text("bukan sertifikat")
    for path, why in [("tidak-ada.pem", "No such file"), ("ca.pem", "no certificate")]:
        settings = make_settings(
            smtp_host="127.0.0.1", smtp_port=free_port(), smtp_ca_file=str(tmp_path / path)
        )
        [result] = send(make_digest(), settings)
        assert (result.ok, result.attempts) == (False, 1)
        assert result.error is not None
        assert result.error.startswith("_PermanentError: IKU_SMTP_CA_FILE tidak dapat dibaca: ")
        assert why in result.error


DUE = [
    {"kode_satker": "6204", "kode_iku": "IKU-3", "hari_kerja_tersisa": 0, "jumlah": 1},
    {"kode_satker": "6204", "kode_iku": "IKU-3", "hari_kerja_tersisa": 2, "jumlah": 3},
    {"kode_satker": "6204", "kode_iku": "IKU-5", "hari_kerja_tersisa": 5, "jumlah": 2},
]


def test_items_due_soon_are_told_once_a_day_in_plain_words() -> None:
    quiet = make_digest([], due=DUE)
    assert should_send(quiet, on_warnings=False)
    assert not should_send(quiet, on_warnings=False, due_told=True)
    assert should_send(make_digest(due=DUE), on_warnings=False, due_told=True)  # new errors
    subject, body = render_text(quiet)
    assert subject.endswith("tidak ada temuan baru; 6 butir jatuh tempo")
    assert "  - 1 permohonan PPID jatuh tempo hari ini\n" in body
    assert "  - 3 permohonan PPID jatuh tempo dalam 2 hari kerja\n" in body
    assert "  - 2 laporan pertanggungjawaban jatuh tempo dalam 5 hari kerja\n" in body
    assert render_webhook(quiet)["jatuh_tempo"] == DUE
    assert "jatuh tempo" not in render_text(make_digest())[1]
