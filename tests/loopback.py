"""Real servers on loopback for the tests: an SMTP server (aiosmtpd), a webhook receiver and
an HTTP export server, and a free port to point at when a server must be down."""

from __future__ import annotations

import contextlib
import email
import email.policy
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, LoginPassword, Session


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    envelope: Envelope
    tls: bool
    login: bytes | None

    def message(self) -> EmailMessage:
        content = self.envelope.original_content or b""
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class MailSink:
    """aiosmtpd handler collecting every message it accepts."""

    received: list[Received] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # replies to DATA to give first, then 250

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.answers:
            return self.answers.pop(0)
        login = session.auth_data.login if isinstance(session.auth_data, LoginPassword) else None
        self.received.append(Received(envelope, session.ssl is not None, login))
        return "250 OK"


@dataclass
class Smtp:
    port: int
    sink: MailSink


def start_smtp(**smtp_parameters: Any) -> tuple[Controller, Smtp]:
    sink = MailSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, **smtp_parameters)
    controller.start()
    return controller, Smtp(port, sink)


@dataclass
class Webhook:
    url: str
    posts: list[tuple[str, dict[str, str], bytes]]
    statuses: list[int]  # answers to give first, then 200


class Quiet(SimpleHTTPRequestHandler):
    """The standard handler (real autoindex listing), without a log line per request; every
    request is remembered as (path, User-Agent, Authorization) in ``server.requests``."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        request = (self.path, self.headers.get("User-Agent"), self.headers.get("Authorization"))
        self.server.requests.append(request)  # type: ignore[attr-defined]
        self.answer()

    def answer(self) -> None:
        super().do_GET()


class FlakyOnce(Quiet):
    """Answers 503 to the first request, then serves normally."""

    def answer(self) -> None:
        if len(self.server.requests) == 1:  # type: ignore[attr-defined]
            self.send_error(503, "Service Unavailable")
            return
        super().answer()


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


@contextmanager
def serving(
    directory: Path,
    handler: type[Quiet] = Quiet,
    host: str = "127.0.0.1",
    tls: ssl.SSLContext | None = None,
) -> Iterator[ThreadingHTTPServer]:
    """``directory`` served by ``handler`` on loopback, over HTTPS with ``tls``."""
    server = ThreadingHTTPServer((host, 0), partial(handler, directory=str(directory)))
    if tls is not None:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    server.requests = []  # type: ignore[attr-defined]
    server.sent = 0  # type: ignore[attr-defined]
    server.stop = threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()
        thread.join()


def url_of(server: ThreadingHTTPServer, path: str = "/") -> str:
    scheme = "https" if isinstance(server.socket, ssl.SSLSocket) else "http"
    return f"{scheme}://127.0.0.1:{server.server_address[1]}{path}"


class Cuttable:
    """A TCP relay on loopback to ``upstream`` (host, port), bytes both ways, websockets
    included, until :meth:`cut`: then every connection is closed and new ones are refused
    (closed at once), as when a server goes away in the middle of a run."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        self.is_cut = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # the listener closed
                return
            if self.is_cut.is_set():
                client.close()
                continue
            server = socket.create_connection(self.upstream)
            self.open += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            end.close()

    def cut(self) -> None:
        self.is_cut.set()
        for end in self.open:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()

    def close(self) -> None:
        self.cut()
        self.listener.close()
