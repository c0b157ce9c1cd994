"""Sending the digest (``warehouse.digest``) to the admins: e-mail over SMTP and a JSON webhook.

Sending is one attempt per call (:func:`deliver`, raising :class:`DeliveryError`); the retries
are Prefect's (the channel task of ``flows/after.py``), guided by :func:`retry_transient` and
spaced by :func:`retry_delays`.
SMTP stays on the standard library's ``smtplib`` rather than Apprise: a retry needs to know
whether a failure is transient (a 4xx reply, a dropped connection) or permanent (a 5xx
reply, a refused login), and the run's record keeps the server's answer; Apprise reports
only success or failure.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import smtplib
import ssl
import urllib.parse
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import httpx

from sources.sheet import causes
from warehouse.digest import Digest, render_text, render_webhook
from warehouse.escape import plain
from warehouse.settings import Settings
from warehouse.transfer import RETRYABLE_HTTP

DEFAULT_SENDER = "iku@localhost"  # when IKU_ALERT_EMAIL_FROM is not set


@dataclass(frozen=True)
class ChannelResult:
    """How sending the digest to one channel went."""

    channel: str  # "email" or "webhook"
    target: str  # recipients, or the webhook host (never a password or the secret URL)
    ok: bool
    attempts: int
    error: str | None

    def summary(self) -> str:
        state = "terkirim" if self.ok else f"GAGAL ({self.error})"
        return f"alert {self.channel} ke {self.target}: {state} setelah {self.attempts} percobaan"


@dataclass(frozen=True)
class Channel:
    """A configured destination of the digest."""

    name: str  # "email" or "webhook"
    target: str  # recipients, or the webhook host (never a password or the secret URL)


class DeliveryError(Exception):
    """One failed attempt at a channel, told without secrets or control characters."""

    def __init__(self, message: str, transient: bool, attempt: int) -> None:
        super().__init__(message, transient, attempt)
        self.message, self.transient, self.attempt = message, transient, attempt

    def __str__(self) -> str:
        return self.message


class _PermanentError(Exception):
    """A failure that another attempt cannot fix (configuration, refused recipients)."""


# Network failures another attempt may get past; every other ssl.SSLError (untrusted
# certificate, TLS spoken to a plain port, no shared protocol) is a configuration error.
_TRANSIENT_NETWORK = (
    OSError,
    httpx.NetworkError,
    httpx.TimeoutException,
    httpx.RemoteProtocolError,
)
_TRANSIENT_SSL = (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLSyscallError)


def is_transient(exc: BaseException) -> bool:
    """Whether another attempt may succeed: connection refused or reset, timeout, an SMTP 4xx
    reply, HTTP 5xx/408/425/429. An authentication failure, an SMTP 5xx reply, any other HTTP
    status, an untrusted certificate and bad settings are permanent."""
    if isinstance(exc, httpx.HTTPStatusError):
        status = exc.response.status_code
        return status >= 500 or status in RETRYABLE_HTTP
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500  # 535 authentication, 550 sender refused, 554 rejected
    if isinstance(exc, smtplib.SMTPException):  # SMTPException is an OSError
        return isinstance(exc, smtplib.SMTPServerDisconnected)
    if any(isinstance(c, ssl.SSLError) and not isinstance(c, _TRANSIENT_SSL) for c in causes(exc)):
        return False
    return isinstance(exc, _TRANSIENT_NETWORK)


def retry_transient(task: object, task_run: object, state: Any) -> bool:
    """Prefect's ``retry_condition_fn`` (task, task run, failed state): retry only what
    :func:`is_transient` called transient when :func:`deliver` failed. Prefect's task engine
    gives the exception a task raised as the data of that state."""
    return isinstance(state.data, DeliveryError) and state.data.transient


def retry_delays(settings: Settings) -> list[float]:
    """Seconds before each retry: ``alert_retry_delay``, doubled for each next one."""
    return [settings.alert_retry_delay * 2**i for i in range(settings.alert_retries - 1)]


def _secrets(settings: Settings) -> list[str]:
    found = [settings.smtp_password.get_secret_value() if settings.smtp_password else ""]
    url = settings.alert_webhook_url
    if url:
        found.append(url)
        with contextlib.suppress(ValueError):
            parts = urllib.parse.urlsplit(url)
            found += [parts.query, parts.path if len(parts.path) > 1 else ""]
    return [s for s in found if s]


def describe(exc: BaseException, settings: Settings) -> str:
    """The exception as one line of text, without the password or the webhook's secret URL."""
    text = f"{type(exc).__name__}: {exc}"
    for secret in _secrets(settings):
        text = text.replace(secret, "***")
    return plain(text)[:500]


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _email(digest: Digest, sender: str, recipients: list[str]) -> EmailMessage:
    subject, body = render_text(digest)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid("iku", domain=sender.rpartition("@")[2] or "localhost")
    message["X-IKU-Run-Id"] = plain(digest.run_id)
    message.set_content(body, charset="utf-8")
    return message


def send_email(digest: Digest, settings: Settings) -> None:
    """One attempt at mailing the digest (STARTTLS when offered or asked, or implicit TLS)."""
    recipients = settings.alert_email_to
    message = _email(digest, settings.alert_email_from or DEFAULT_SENDER, recipients)
    host, port = settings.smtp_host or "", settings.smtp_port
    implicit = settings.smtp_ssl if settings.smtp_ssl is not None else port == 465
    try:
        context = ssl.create_default_context(cafile=settings.smtp_ca_file)
    except OSError as exc:  # a missing file, and an ssl.SSLError (an OSError) for a bad one
        raise _PermanentError(f"IKU_SMTP_CA_FILE tidak dapat dibaca: {exc}") from exc
    smtp = (
        smtplib.SMTP_SSL(host, port, timeout=settings.alert_timeout, context=context)
        if implicit
        else smtplib.SMTP(host, port, timeout=settings.alert_timeout)
    )
    with smtp:
        smtp.ehlo()
        encrypted = implicit
        if not implicit and (
            settings.smtp_starttls or (settings.smtp_starttls is None and smtp.has_extn("starttls"))
        ):
            smtp.starttls(context=context)  # SMTPNotSupportedError when forced but not offered
            smtp.ehlo()
            encrypted = True
        if settings.smtp_user:
            if not encrypted and settings.smtp_starttls is None and not _is_loopback(host):
                raise _PermanentError(
                    "server SMTP tidak menawarkan TLS; kata sandi tidak dikirim tanpa enkripsi "
                    "(set IKU_SMTP_STARTTLS=false untuk tetap mengirim)"
                )
            password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
            smtp.login(settings.smtp_user, password)
        refused = smtp.send_message(message, to_addrs=recipients)
        if refused:
            raise _PermanentError(f"penerima ditolak: {', '.join(sorted(refused))}")


def post_webhook(digest: Digest, settings: Settings) -> None:
    """One attempt at POSTing the digest as JSON; a redirect counts as a failure (a redirected
    POST would silently turn into a GET)."""
    url = settings.alert_webhook_url or ""
    try:
        parsed = httpx.URL(url)
        valid = parsed.scheme in ("http", "https") and bool(parsed.host)
    except httpx.InvalidURL:
        valid = False
    if not valid:
        raise _PermanentError("IKU_ALERT_WEBHOOK_URL bukan alamat http:// atau https:// yang sah")
    body = json.dumps(render_webhook(digest), ensure_ascii=False).encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "iku-warehouse-alerts",
    }
    with (
        httpx.Client(timeout=settings.alert_timeout, follow_redirects=False) as client,
        client.stream("POST", url, content=body, headers=headers) as response,
    ):
        status = response.status_code  # the answer's body is not needed: left unread
    if not 200 <= status < 300:
        raise httpx.HTTPStatusError(f"HTTP {status}", request=response.request, response=response)


def _webhook_target(url: str) -> str:
    """The host (and port) of the webhook: its path and query may hold the secret."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or "?"
        return plain(f"{host}:{parts.port}" if parts.port else host)
    except ValueError:
        return "?"


def channels(settings: Settings) -> list[Channel]:
    """The channels configured: e-mail (SMTP host and recipients), webhook (URL)."""
    found = []
    if settings.smtp_host and settings.alert_email_to:
        found.append(Channel("email", plain(", ".join(settings.alert_email_to))))
    if settings.alert_webhook_url:
        found.append(Channel("webhook", _webhook_target(settings.alert_webhook_url)))
    return found


def deliver(channel: Channel, digest: Digest, settings: Settings, attempt: int) -> None:
    """One attempt at sending the digest to the channel; :class:`DeliveryError` if it failed."""
    try:
        (send_email if channel.name == "email" else post_webhook)(digest, settings)
    except Exception as exc:
        raise DeliveryError(describe(exc, settings), is_transient(exc), attempt) from None


def channel_result(channel: Channel, outcome: object, settings: Settings) -> ChannelResult:
    """How the channel went, from what its task ended with: the number of attempts it made,
    its last :class:`DeliveryError`, or another exception (the orchestration itself failed)."""
    if isinstance(outcome, int):
        return ChannelResult(channel.name, channel.target, True, outcome, None)
    if isinstance(outcome, DeliveryError):
        return ChannelResult(channel.name, channel.target, False, outcome.attempt, str(outcome))
    error = describe(outcome, settings) if isinstance(outcome, BaseException) else None
    return ChannelResult(channel.name, channel.target, False, 0, error or plain(repr(outcome)))
