"""Shared fixtures: a real Prefect backend for flow tests, and one demo run per session."""

from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from loopback import Smtp, Webhook, start_smtp

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

DEMO_AS_OF = date(2026, 1, 31)  # after every 2025 deadline, so the demo's figures are final


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The flow tests (marked slow) first, in their files' order, then the rest: the
    workers start on the long tests and the short ones fill in at the end, instead of one
    worker still running a long test while the others are done."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(scope="session")
def prefect_backend() -> Iterator[None]:
    """Prefect's test harness: a temporary server with its own SQLite database."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def demo_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sources.demo import write_demo

    landing = tmp_path_factory.mktemp("demo") / "landing"
    write_demo(landing)
    return landing


@pytest.fixture(scope="session")
def demo_run(prefect_backend: None, demo_landing: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One refresh of the demo landing, shared by the tests that only read its result; at
    the end of the session, its warehouse must hold exactly what the run wrote."""
    from flows.refresh import refresh

    warehouse = tmp_path_factory.mktemp("warehouse")
    result = refresh(landing=demo_landing, warehouse=warehouse, as_of=DEMO_AS_OF, demo=True)
    written = _stamps(warehouse)
    yield result, warehouse
    assert _stamps(warehouse) == written, "a test changed the shared demo warehouse"


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def demo_warehouse(demo_run, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the demo run's whole warehouse, for a test that runs again over the demo:
    the shared one stays as the run left it, whatever order the tests run in."""
    _, warehouse = demo_run
    copy = tmp_path / "warehouse"
    shutil.copytree(warehouse, copy, symlinks=True)
    return copy


# --- Real servers on loopback (tests/loopback.py) ---------------------------------------


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's own IKU_* settings and proxies must not leak into a test."""
    for name in list(os.environ):
        if name.startswith("IKU_") or name.lower() in ("http_proxy", "https_proxy", "all_proxy"):
            monkeypatch.delenv(name)


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    controller, server = start_smtp()
    yield server
    controller.stop()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    posts: list[tuple[str, dict[str, str], bytes]] = []
    statuses: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            posts.append((self.path, dict(self.headers.items()), body))
            status = statuses.pop(0) if statuses else 200
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/redirected")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield Webhook(
        f"http://{host!s}:{port}/hooks/T0001/B0002/rahasiaWebhook?token=xyz", posts, statuses
    )
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert.pem, key.pem), for the SMTP and HTTPS
    servers on loopback."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
