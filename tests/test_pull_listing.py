"""Pull: what a hostile HTTP listing holds (real servers on loopback) stays out of the way of
the other exports and of every message about it."""

from __future__ import annotations

from pathlib import Path

import pytest
from loopback import Quiet, serving, url_of

from warehouse import remote
from warehouse.findings import pull_rows
from warehouse.pull import PullResult, pull_location
from warehouse.transfer import Location, PullLimits

LIMITS = PullLimits(timeout=5)
EXPORT = b"No Registrasi;Tanggal Permohonan\n001;27/03/2025\n"


class Listing(Quiet):
    """``/`` is ``server.page`` in ``server.content_type``; ``/pergi.csv`` redirects to another
    host by a Location of 50,000 characters, ``/skema.csv`` to ``javascript:x()``; any other
    .csv is an export, ``spasi.csv`` with a line break after the bytes its Content-Length
    promised (a script's closing ``?>\n``), ``b.csv`` with a Last-Modified that is no date.
    HTTP/1.1: a connection is kept open for the next request unless the client asks to close."""

    protocol_version = "HTTP/1.1"

    def answer(self) -> None:
        if self.path == "/":
            body: bytes = self.server.page  # type: ignore[attr-defined]
            content_type = self.server.content_type  # type: ignore[attr-defined]
        elif self.path in ("/pergi.csv", "/skema.csv"):
            self.send_response(302)
            away = "http://lain.example/" + "p" * 50_000 + ".csv"
            self.send_header("Location", away if self.path == "/pergi.csv" else "javascript:x()")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        elif self.path.endswith(".csv"):
            body, content_type = EXPORT, "text/csv"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        if self.path == "/b.csv":
            self.send_header("Last-Modified", "aneh")  # no date: the export keeps its own time
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body + (b"\r\n" if self.path == "/spasi.csv" else b""))


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


def test_thousands_of_odd_links_are_counted_and_long_ones_cut_in_every_message(
    tmp_path: Path,
) -> None:
    """3,000 spellings of one long name (one taken), 20 names that are not UTF-8, a name of 20,000
    characters and a redirect to a Location of 50,000: the first few of each are named (cut
    in the middle, their end kept), the others counted; ok.csv is pulled. Without it the
    warning of this listing alone was megabytes, in dq.issues, the log and the LKjIP report."""
    name = "n" * 200
    spellings = [
        "".join("%6E" if (i >> k % 12) & 1 else "n" for k in range(200)) for i in range(3000)
    ]
    links = ["ok.csv", "pergi.csv", "x" * 20_000 + ".csv"]
    links += [f"{s}.csv" for s in spellings] + [f"%E9{i:02}.csv" for i in range(20)]
    page = "".join(f'<a href="{link}">x</a>\n' for link in links).encode()
    result = pulled(tmp_path, page)
    assert result.copied == ["ok.csv", f"{name}.csv"]
    assert len(result.warnings) == 12
    assert result.warnings[5] == "dan 2994 tautan lain, tidak ditarik"
    assert result.warnings[6] == "\\xe900.csv nama file bukan UTF-8, tidak ditarik"
    assert result.warnings[11] == "dan 15 file lain bernama bukan UTF-8, tidak ditarik"
    assert result.error is not None
    failures = result.error.split("; ")
    assert len(failures) == 2
    assert failures[0].startswith("pengalihan ke http://lain.example/ppp")
    assert (
        failures[1]
        == "x" * 360 + "…" + "x" * 35 + ".csv: nama file lebih dari 234 byte, tidak ditarik"
    )
    assert max(len(w) for w in result.warnings) < 1300
    assert sum(len(str(row["message"])) for row in pull_rows([result])) < 10_000


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


def test_bytes_past_a_content_length_do_not_fail_the_next_file(tmp_path: Path) -> None:
    """A server sending a line break past the Content-Length of spasi.csv: on a connection
    kept for the next request, that line break was read as the start of the answer for
    b.csv, which failed on every attempt ("no response line received") while spasi.csv
    landed. Each file is asked for on a connection of its own, closed after it."""
    page = b'<a href="spasi.csv">a</a> <a href="b.csv">b</a> <a href="c.csv">c</a>'
    result = pulled(tmp_path, page)
    assert (result.copied, result.error) == (["spasi.csv", "b.csv", "c.csv"], None)
    assert (tmp_path / "l" / "6204" / "ppid" / "b.csv").read_bytes() == EXPORT


def test_a_link_with_a_control_character_fails_its_own_file_only(tmp_path: Path) -> None:
    """A raw ESC in a link is a URL httpx will not send (InvalidURL, not an HTTP error): that
    file fails by name, not retried, and the files after it are pulled. It was an unexpected
    error of the whole location, ok2.csv never pulled, every night."""
    page = b'<a href="ok.csv">1</a> <a href="a\x1bb.csv">2</a> <a href="ok2.csv">3</a>'
    result = pulled(tmp_path, page)
    assert result.copied == ["ok.csv", "ok2.csv"]
    assert result.error is not None
    assert result.error.startswith("a\x1bb.csv: tautan tidak dapat diminta (Invalid non-printable")


def test_a_redirect_to_a_scheme_without_a_host_fails_its_own_file_only(tmp_path: Path) -> None:
    """``Location: javascript:x()``: httpx raises InvalidURL making a URL of it, no HTTP error.
    That file fails by name, not retried, and the others are pulled; it was an unexpected
    error of the whole location, every night."""
    result = pulled(tmp_path, b'<a href="skema.csv">1</a> <a href="ok.csv">2</a>')
    assert result.copied == ["ok.csv"]
    assert result.error is not None
    assert result.error.startswith(
        f"{result.location.url}skema.csv: server mengalihkan ke alamat yang tidak sah"
    )


def test_an_unforeseen_error_on_one_answer_fails_that_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a server's answer for one file makes go wrong that no one foresaw (here, the
    reading of the Last-Modified of b.csv, made to fail) fails that file by name, and the
    files after it are pulled: three such errors each stopped the whole location before."""
    read_time = remote._http_time

    def failing(value: str | None) -> int | None:
        if value == "aneh":
            raise RuntimeError("tak terduga")
        return read_time(value)

    monkeypatch.setattr(remote, "_http_time", failing)
    result = pulled(tmp_path, b'<a href="a.csv">a</a> <a href="b.csv">b</a> <a href="c.csv">c</a>')
    assert result.copied == ["a.csv", "c.csv"]
    assert result.error == "b.csv: kesalahan tak terduga: RuntimeError: tak terduga"
