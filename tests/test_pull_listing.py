"""Pull: what a hostile HTTP listing holds (real servers on loopback) stays out of the way of
the other exports and of every message about it."""

from __future__ import annotations

from pathlib import Path

import pytest
from loopback import Quiet, serving, url_of

from warehouse.pull import PullResult, pull_location
from warehouse.transfer import Location, PullLimits

LIMITS = PullLimits(timeout=5)
EXPORT = b"No Registrasi;Tanggal Permohonan\n001;27/03/2025\n"


class Listing(Quiet):
    """``/`` is ``server.page`` in ``server.content_type``; any .csv is an export."""

    def answer(self) -> None:
        if self.path == "/":
            body: bytes = self.server.page  # type: ignore[attr-defined]
            content_type = self.server.content_type  # type: ignore[attr-defined]
        elif self.path.endswith(".csv"):
            body, content_type = EXPORT, "text/csv"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback servers are reached directly, whatever proxy the machine has."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def pulled(
    tmp_path: Path, page: bytes, content_type: str = "text/html; charset=utf-8"
) -> PullResult:
    with serving(tmp_path, Listing) as server:
        server.page, server.content_type = page, content_type  # type: ignore[attr-defined]
        result = pull_location(Location("6204", "ppid", url_of(server)), tmp_path / "l", LIMITS)
    return result


@pytest.mark.parametrize("charset", ["idna", "punycode", "rot13", "tidak-ada"])
def test_a_listing_in_a_charset_that_cannot_be_read_is_read_as_utf8(
    tmp_path: Path, charset: str
) -> None:
    """A charset that decodes no page with replacement (idna, punycode), or is no text
    encoding at all, is the server's mistake: the listing is read as UTF-8 and its exports are
    pulled, not the whole location failed as an unexpected error."""
    page = 'Daftar ekspor — <a href="ok.csv">ok</a> caf\xe9'.encode("latin-1", "replace")
    result = pulled(tmp_path, page, f"text/html; charset={charset}")
    assert (result.copied, result.error, result.warnings) == (["ok.csv"], None, [])
