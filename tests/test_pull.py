"""Pull: exports copied from real HTTP servers on loopback and from local folders."""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import ssl
import stat
import threading
import time
from dataclasses import asdict
from pathlib import Path

import pytest
from loopback import Quiet, free_port, server_tls, serving, url_of

from warehouse.findings import pull_rows
from warehouse.locations import PullConfigError, parse_locations
from warehouse.placing import LAST, landed_versions
from warehouse.pull import PullResult, _copier, pull_location, retry_transient
from warehouse.remote import Http
from warehouse.transfer import Location, PullError, PullLimits

STAMPED = re.compile(r"Register PPID \(\d{8}T\d{6}\)\.xlsx")
OLD = 1_735_689_600  # 2025-01-01T00:00:00Z
NEW = 1_740_787_200  # 2025-03-01T00:00:00Z
LIMITS = PullLimits(timeout=5)


class FailsTwice(Quiet):
    """Answers 503 to the first two requests, then serves normally."""

    def answer(self) -> None:
        if len(self.server.requests) <= 2:  # type: ignore[attr-defined]
            self.send_error(503, "Service Unavailable")
            return
        super().answer()


class Truncating(Quiet):
    """Promises more bytes than it sends, then hangs up: an interrupted download."""

    def answer(self) -> None:
        if not self.path.endswith(".csv"):
            super().answer()
            return
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"No Registrasi;Tanggal\n")
        self.close_connection = True


class NeedsPassword(Quiet):
    def answer(self) -> None:
        # "Basic " + base64("admin:rahasia@1")
        if self.headers.get("Authorization") != "Basic YWRtaW46cmFoYXNpYUAx":
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="ekspor"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().answer()


class RedirectsAway(Quiet):
    """Sends every path starting with /keluar to ``server.away`` (another server)."""

    def answer(self) -> None:
        if not self.path.startswith("/keluar"):
            super().answer()
            return
        self.send_response(302)
        self.send_header("Location", self.server.away + self.path)  # type: ignore[attr-defined]
        self.send_header("Content-Length", "0")
        self.end_headers()


class Endless(Quiet):
    """``besar.csv`` without a Content-Length: bytes until the client hangs up."""

    block, times, pause = b"1;2;3\n" * 10_000, 2_000, 0.0  # 120 MB at most
    length: str | None = None

    def streams(self) -> bool:
        return self.path.endswith("besar.csv")

    def answer(self) -> None:
        if not self.streams():
            super().answer()
            return
        self.send_response(200)
        if self.length:
            self.send_header("Content-Length", self.length)
        self.end_headers()
        try:
            for _ in range(self.times):
                self.wfile.write(self.block)
                self.wfile.flush()
                self.server.sent += len(self.block)  # type: ignore[attr-defined]
                if self.server.stop.wait(self.pause):  # type: ignore[attr-defined]
                    break
        except OSError:  # the client hung up, as it should
            pass
        self.close_connection = True


class HugePromise(Quiet):
    """``besar.csv`` announced as 10 GiB, then a few bytes and silence."""

    def answer(self) -> None:
        if not self.path.endswith("besar.csv"):
            super().answer()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(10 << 30))
        self.end_headers()
        self.wfile.write(b"1;2;3\n")
        self.wfile.flush()
        self.server.stop.wait(10)  # type: ignore[attr-defined]
        self.close_connection = True


class Echoing(Quiet):
    """Every .csv path is an export holding its own path."""

    coding = "identity"

    def encode(self, body: bytes) -> bytes:
        return body

    def answer(self) -> None:
        if not self.path.endswith(".csv"):
            super().answer()
            return
        body = self.encode(self.path.encode())
        self.send_response(200)
        self.send_header("Content-Encoding", self.coding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Compressing(Echoing):
    """Every export gzipped twice (``Content-Encoding: gzip, gzip``): a few KB that inflate to
    gigabytes, had they held zeros."""

    coding = "gzip, gzip"

    def encode(self, body: bytes) -> bytes:
        return gzip.compress(gzip.compress(body * 1000))


class Dripping(Endless):
    """The listing of /lambat/ and every export: a byte every 0.05 s (100 bytes in 5 s)."""

    block, times, pause, length = b" ", 100, 0.05, "100"

    def streams(self) -> bool:
        return self.path == "/lambat/" or self.path.endswith(".csv")


class Stalling(Quiet):
    """Accepts the connection and says nothing."""

    def answer(self) -> None:
        self.server.stop.wait(10)  # type: ignore[attr-defined]
        self.close_connection = True


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback servers are reached directly, whatever proxy the machine has."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def write(path: Path, body: bytes, mtime: int = OLD) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    os.utime(path, (mtime, mtime))
    return path


def exports_dir(root: Path) -> Path:
    """What an export server holds: two exports, and things that are not exports."""
    write(root / "Register PPID.xlsx", b"xlsx bytes 1")
    write(root / "permohonan.CSV", b"No Registrasi;Tanggal Permohonan\n001;27/03/2025\n", NEW)
    write(root / "SOP PPID.pdf", b"%PDF")
    write(root / ".tersembunyi.csv", b"hidden")
    write(root / "arsip" / "lama.xlsx", b"old archive")
    return root


def landed(landing: Path, satker: str = "6204", source: str = "ppid") -> dict[str, bytes]:
    """Every file of a landing folder, hidden ones too (a temporary file left behind), but
    the pull's own note of the files to take last (``last_of``)."""
    folder = landing / satker / source
    found = sorted(folder.iterdir()) if folder.is_dir() else []
    return {p.name: p.read_bytes() for p in found if p.name != LAST}


def last_of(landing: Path, satker: str = "6204", source: str = "ppid") -> list[str] | None:
    """The names the next pull takes last; None when there are none."""
    path = landing / satker / source / LAST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


# --- HTTP ------------------------------------------------------------------------------------


def test_http_pull_copies_exports_with_their_bytes_and_last_modified(tmp_path: Path) -> None:
    remote = exports_dir(tmp_path / "remote")
    landing = tmp_path / "landing"
    with serving(remote) as server:
        location = Location("6204", "ppid", url_of(server))
        result = pull_location(location, landing, LIMITS)
        requests = list(server.requests)  # type: ignore[attr-defined]
    assert result.error is None
    assert sorted(result.copied) == ["Register PPID.xlsx", "permohonan.CSV"]  # URL-decoded
    assert landed(landing) == {
        "Register PPID.xlsx": b"xlsx bytes 1",
        "permohonan.CSV": (remote / "permohonan.CSV").read_bytes(),
    }  # no .pdf, no subfolder, no hidden file, no temporary file left
    folder = landing / "6204" / "ppid"
    assert (folder / "Register PPID.xlsx").stat().st_mtime == OLD
    assert (folder / "permohonan.CSV").stat().st_mtime == NEW
    assert sorted(p.name for p in remote.iterdir()) == [
        ".tersembunyi.csv",
        "Register PPID.xlsx",
        "SOP PPID.pdf",
        "arsip",
        "permohonan.CSV",
    ]  # the source is left as it was
    assert len(requests) == 3  # the listing and the two exports
    assert {(agent, auth) for _, agent, auth in requests} == {("iku-warehouse", None)}


def test_second_pull_copies_nothing_and_a_reexport_is_kept_beside_the_old(
    tmp_path: Path,
) -> None:
    remote = exports_dir(tmp_path / "remote")
    landing = tmp_path / "landing"
    with serving(remote) as server:
        location = Location("6204", "ppid", url_of(server))
        pull_location(location, landing, LIMITS)
        again = pull_location(location, landing, LIMITS)
        assert (again.copied, sorted(again.unchanged)) == (
            [],
            ["Register PPID.xlsx", "permohonan.CSV"],
        )

        write(remote / "Register PPID.xlsx", b"xlsx bytes 2, re-exported", NEW)
        reexport = pull_location(location, landing, LIMITS)
        [stamped] = reexport.copied
        assert STAMPED.fullmatch(stamped), stamped
        files = landed(landing)
        assert files["Register PPID.xlsx"] == b"xlsx bytes 1"  # the old export is not lost
        assert files[stamped] == b"xlsx bytes 2, re-exported"
        assert (landing / "6204" / "ppid" / stamped).stat().st_mtime == NEW  # newest wins

        # The next night the source still serves the re-export: nothing is copied again.
        third = pull_location(location, landing, LIMITS)
    assert third.copied == []
    assert "Register PPID.xlsx" in third.unchanged
    assert len(landed(landing)) == 3


def test_listing_keeps_only_export_files_of_the_folder_itself(tmp_path: Path) -> None:
    """An nginx-style page: parent, sort, subfolder, foreign, unsafe and malformed links are
    dropped."""
    remote = tmp_path / "remote"
    write(remote / "Laporan Q1.XLSX", b"laporan")
    write(remote / "ok.csv", b"ok")
    (remote / "index.html").write_text(
        """<html><body><h1>Index of /</h1><pre>
        <a href="../">../</a>
        <a href="?C=N;O=D">Name</a> <a href="?C=M;O=A">Last modified</a>
        <a href="sub/">sub/</a> <a href="sub/x.xlsx">x.xlsx</a>
        <a href="/elsewhere/y.csv">y.csv</a> <a href="http://example.invalid/z.csv">z.csv</a>
        <a href="Laporan%20Q1.XLSX">Laporan Q1.XLSX</a>
        <a href="Laporan%20Q1.XLSX"><img src="x.png"></a>
        <a href="..%2Fluar.csv">../luar.csv</a> <a href="a%5Cb.csv">a\\b.csv</a>
        <a href="~$ok.xlsx">~$ok.xlsx</a> <a href="ok.csv#baris">ok.csv</a>
        <a href="catatan.pdf">catatan.pdf</a> <a href="ok.csv?download=1">ok.csv</a>
        <a href="//[::1/x.csv">x.csv</a>
        </pre></body></html>""",
        encoding="utf-8",
    )
    landing = tmp_path / "landing"
    with serving(remote) as server:
        base = url_of(server)
        with Http(base, LIMITS, time.monotonic() + 60) as http:
            assert http.listing() == [f"{base}Laporan%20Q1.XLSX", f"{base}ok.csv"]
        result = pull_location(Location("6204", "tahapan", base), landing, LIMITS)
    assert sorted(result.copied) == ["Laporan Q1.XLSX", "ok.csv"]
    assert sorted(p.name for p in landing.rglob("*")) == [
        "6204",
        "Laporan Q1.XLSX",
        "ok.csv",
        "tahapan",
    ]


def test_a_listing_is_read_in_time_linear_in_its_size_whatever_it_holds(tmp_path: Path) -> None:
    """1 MiB of "<a href=x " would take html.parser half an hour (quadratic: 200 KB took 76 s);
    links keep their forms."""
    remote = tmp_path / "remote"
    write(remote / "Rekap & Lampiran.csv", b"rekap")
    write(remote / "b.csv", b"b")
    page = (
        "<a title=\"a>b\" href='Rekap%20&amp;%20Lampiran.csv'>x</a> <A HREF=b.csv>b</A>"
        "<!-- <a href='komentar.csv'> -->"
    )
    (remote / "index.html").write_text(page + "<a href=x " * (100 << 10), encoding="utf-8")
    with serving(remote) as server:
        started = time.monotonic()
        result = pull_location(Location("6204", "ppid", url_of(server)), tmp_path / "l", LIMITS)
        elapsed = time.monotonic() - started
    assert elapsed < 20
    assert (sorted(result.copied), result.error) == (["Rekap & Lampiran.csv", "b.csv"], None)


def test_link_names_that_are_not_utf8_or_taken_twice_are_reported_not_dropped(
    tmp_path: Path,
) -> None:
    """Three Windows-1252 names once all decoded to "Rekap \ufffd.csv": one was taken."""
    remote = tmp_path / "remote"
    write(remote / "a.csv", b"a")
    links = ["Rekap%20%E9.csv", "Rekap%20%E8.csv", "Rekap%20%FC.csv", "a.csv", "%61.csv", "a.csv"]
    page = "".join(f'<a href="{link}">x</a>' for link in links)
    (remote / "index.html").write_text(page, encoding="utf-8")
    with serving(remote) as server:
        base = url_of(server)
        result = pull_location(Location("6204", "ppid", base), tmp_path / "landing", LIMITS)
    assert (result.copied, result.error) == (["a.csv"], None)
    assert result.warnings == [
        f"{base}%61.csv bernama a.csv seperti {base}a.csv, tidak ditarik",
        "Rekap \\xe9.csv nama file bukan UTF-8, tidak ditarik",
        "Rekap \\xe8.csv nama file bukan UTF-8, tidak ditarik",
        "Rekap \\xfc.csv nama file bukan UTF-8, tidak ditarik",
    ]


def test_a_name_too_long_for_the_landing_is_refused_not_retried(tmp_path: Path) -> None:
    """300 characters: never written into the landing, so never worth another attempt."""
    remote = tmp_path / "remote"
    long = "L" * 300 + ".csv"
    page = f'<a href="ok.csv">ok</a> <a href="{long}">L</a> <a href="{"M" * 230}.csv">M</a>'
    (remote / "index.html").parent.mkdir()
    (remote / "index.html").write_text(page, encoding="utf-8")
    with serving(remote, Echoing) as server:
        result = pull_location(Location("6204", "ppid", url_of(server)), tmp_path / "l", LIMITS)
    assert result.copied == ["ok.csv", "M" * 230 + ".csv"]  # room left for a stamped version
    assert result.error == f"{long}: nama file lebih dari 234 byte, tidak ditarik"


def test_listing_url_without_slash_is_redirected(tmp_path: Path) -> None:
    write(tmp_path / "remote" / "ekspor" / "tps.csv", b"Kode Desa;Nomor TPS\n")
    with serving(tmp_path / "remote") as server:
        result = pull_location(
            Location("6204", "tps", url_of(server, "/ekspor")), tmp_path / "landing", LIMITS
        )
    assert (result.copied, result.error) == (["tps.csv"], None)


def test_redirect_to_another_host_is_refused_and_nothing_is_asked_there(tmp_path: Path) -> None:
    remote = tmp_path / "remote"
    write(remote / "ok.csv", b"ok")
    write(remote / "keluar.csv", b"here the server redirects")
    write(remote / "keluar" / "lain.csv", b"x")
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere / "keluar.csv", b"from the other host")
    write(elsewhere / "keluar" / "lain.csv", b"from the other host")
    landing = tmp_path / "landing"
    with serving(elsewhere) as away, serving(remote, RedirectsAway) as server:
        port, away_port = server.server_address[1], away.server_address[1]
        server.away = f"http://tamu:sandi@127.0.0.1:{away_port}"  # type: ignore[attr-defined]
        creds = f"http://admin:rahasia@127.0.0.1:{port}"
        folder = pull_location(Location("6204", "ppid", f"{creds}/keluar/"), landing, LIMITS)
        one_file = pull_location(Location("6204", "tps", f"{creds}/"), landing, LIMITS)
        asked_away = list(away.requests)  # type: ignore[attr-defined]
    assert asked_away == []  # neither the password nor any request went to the other host
    refused = f"pengalihan ke http://tamu:***@127.0.0.1:{away_port}/keluar"
    assert folder.error is not None and folder.error.startswith(refused + "/ ditolak")
    assert folder.copied == []
    assert one_file.error is not None and (refused + ".csv ditolak") in one_file.error
    assert one_file.copied == ["ok.csv"]  # the other files of the location are taken
    for error in (folder.error, one_file.error):
        assert "rahasia" not in error and "sandi" not in error
    assert landed(landing, source="tps") == {"ok.csv": b"ok"}


def test_file_over_the_size_limit_is_refused_as_it_streams_and_the_others_are_taken(
    tmp_path: Path,
) -> None:
    remote = tmp_path / "remote"
    write(remote / "kecil.csv", b"1;2;3\n")
    write(remote / "besar.csv", b"served endlessly by the handler")
    landing = tmp_path / "landing"
    with serving(remote, Endless) as server:
        limits = PullLimits(max_file_bytes=100_000, timeout=5)
        result = pull_location(Location("6204", "logistik", url_of(server)), landing, limits)
        sent = server.sent  # type: ignore[attr-defined]
    assert result.copied == ["kecil.csv"]
    assert result.error == "besar.csv: lebih besar dari batas 100000 byte (IKU_MAX_FILE_BYTES)"
    assert landed(landing, source="logistik") == {"kecil.csv": b"1;2;3\n"}  # nor a .part file
    assert sent < 50_000_000  # the download stopped soon after the limit, not at the end


def test_content_length_over_the_limit_is_refused_before_downloading(tmp_path: Path) -> None:
    remote = tmp_path / "remote"
    write(remote / "kecil.csv", b"1;2;3\n")
    write(remote / "besar.csv", b"announced as 10 GiB by the handler")
    landing = tmp_path / "landing"
    with serving(remote, HugePromise) as server:
        # Reading the body would wait for the silent server and fail by timeout instead.
        limits = PullLimits(timeout=2)
        result = pull_location(Location("6204", "logistik", url_of(server)), landing, limits)
    assert result.copied == ["kecil.csv"]
    assert result.error == "besar.csv: lebih besar dari batas 64 MiB (IKU_MAX_FILE_BYTES)"
    assert landed(landing, source="logistik") == {"kecil.csv": b"1;2;3\n"}


def test_listing_over_its_limit_is_refused(tmp_path: Path) -> None:
    remote = tmp_path / "remote"
    for n in range(20):
        write(remote / f"ekspor-{n:02}.csv", b"x")
    with serving(remote) as server:
        limits = PullLimits(max_listing_bytes=1000, timeout=5)
        result = pull_location(Location("6204", "ppid", url_of(server)), tmp_path / "l", limits)
    assert result.error is not None
    assert "daftar file lebih besar dari batas 1000 byte (IKU_MAX_LISTING_BYTES)" in result.error
    assert result.copied == []


def test_a_compressed_answer_is_refused_never_inflated(tmp_path: Path) -> None:
    """Asked for ``Accept-Encoding: identity``; a compressed export is refused, not retried."""
    remote = tmp_path / "remote"
    write(remote / "bom.csv", b"served gzipped twice by the handler")
    with serving(remote, Compressing) as server:
        location = Location("6204", "ppid", url_of(server))
        result = pull_location(location, tmp_path / "landing", LIMITS)
    assert result.error == (
        f"{url_of(server)}bom.csv: server mengirim isi terkompresi (Content-Encoding: gzip, "
        f"gzip) padahal diminta tanpa kompresi (identity); tidak diunduh"
    )
    assert (result.copied, landed(tmp_path / "landing")) == ([], {})


class Odd(Quiet):
    """A server that answers oddly: a listing in a charset no one knows, Last-Modified
    dates that are not dates or have no zone, a redirect loop, a redirect to nowhere (no
    Location), and "204 No Content" for the rest of the exports."""

    listed = ("a.csv", "b.csv", "c.csv", "d1.csv", "d2.csv", "d3.csv", "d4.csv", "d5.csv")

    def answer(self) -> None:
        if self.path == "/":
            links = "".join(f'<a href="{name}">{name}</a>' for name in self.listed)
            self.reply(200, links.encode(), ("Content-Type", "text/html; charset=x-tak-dikenal"))
        elif self.path == "/a.csv":
            self.reply(200, b"a", ("Last-Modified", "kemarin sore"))
        elif self.path == "/b.csv":
            self.reply(200, b"b", ("Last-Modified", "Sat, 01 Mar 2025 00:00:00 -0000"))
        elif self.path == "/c.csv":
            self.reply(302, b"", ("Location", "/c.csv"))
        elif self.path == "/d1.csv":
            self.reply(302, b"")
        else:
            self.reply(204, b"")

    def reply(self, status: int, body: bytes, *headers: tuple[str, str]) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if status != 204:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_odd_answers_of_a_server_fail_their_own_file_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listing in an unknown charset is still read; a Last-Modified that is no date leaves
    the export its landing time, one without a zone is UTC (not the office's WIB); a redirect
    loop, a redirect without a Location and a 204 each fail their file, not retried, and past
    five failures the message counts the rest."""
    landing = tmp_path / "landing"
    monkeypatch.setenv("TZ", "Asia/Jakarta")
    time.tzset()
    try:
        with serving(tmp_path, Odd) as server:
            result = pull_location(Location("6204", "ppid", url_of(server)), landing, LIMITS)
    finally:
        monkeypatch.undo()
        time.tzset()
    base = url_of(server)
    assert sorted(result.copied) == ["a.csv", "b.csv"]
    folder = landing / "6204" / "ppid"
    assert abs((folder / "a.csv").stat().st_mtime - time.time()) < 600
    assert (folder / "b.csv").stat().st_mtime == NEW
    assert result.error == (
        f"{base}c.csv: lebih dari 5 pengalihan; "
        f"{base}d1.csv: server menjawab HTTP 302, bukan 200; "
        f"{base}d2.csv: server menjawab HTTP 204, bukan 200; "
        f"{base}d3.csv: server menjawab HTTP 204, bukan 200; "
        f"{base}d4.csv: server menjawab HTTP 204, bukan 200; dan 1 file lain"
    )


class BadLocation(Quiet):
    """Redirects ``ppid.csv`` to a Location that is no URL (an IPv6 host never closed)."""

    def answer(self) -> None:
        if self.path != "/ppid.csv":
            super().answer()
            return
        self.server.asked += 1  # type: ignore[attr-defined]
        self.send_response(302)
        self.send_header("Location", "http://[::1/ppid.csv")
        self.send_header("Content-Length", "0")
        self.end_headers()


def test_a_redirect_to_no_url_fails_its_file_by_name_not_retried(tmp_path: Path) -> None:
    """A Location httpx cannot read is the server's answer, the same on every attempt: that
    file fails with what went wrong, once, and the others are pulled."""
    remote = exports_dir(tmp_path / "remote")
    write(remote / "ppid.csv", b"No Registrasi\n001\n")
    with serving(remote, BadLocation) as server:
        server.asked = 0  # type: ignore[attr-defined]
        result = pull_location(Location("6204", "ppid", url_of(server)), tmp_path / "l", LIMITS)
    assert result.error == (
        f"{url_of(server)}ppid.csv: server mengalihkan ke alamat yang tidak sah "
        "(RemoteProtocolError: Invalid URL in location header: Invalid port: ':1'.)"
    )
    assert server.asked == 1  # type: ignore[attr-defined]
    assert sorted(result.copied) == ["Register PPID.xlsx", "permohonan.CSV"]


def test_a_url_with_an_invisible_character_is_refused_by_name_not_retried(tmp_path: Path) -> None:
    """A URL pasted from a document with a zero-width space in its host passes the check of
    IKU_PULL_SOURCES but is no URL to httpx: the admin reads which one and why, the password
    hidden."""
    url = "http://admin:rahasia@ekspor\u200bppid.example/"
    result = pull_location(Location("6204", "ppid", url), tmp_path / "landing", LIMITS)
    assert result.error == (
        "http://admin:***@ekspor\u200bppid.example/: URL tidak sah "
        "(Invalid IDNA hostname: 'ekspor\\u200bppid.example')"
    )
    assert result.copied == []


def test_server_that_stalls_past_the_timeout_is_a_retryable_failure(tmp_path: Path) -> None:
    (tmp_path / "remote").mkdir()
    with serving(tmp_path / "remote", Stalling) as server:
        location = Location("6204", "ppid", url_of(server))
        with pytest.raises(PullError, match=r"tidak ada jawaban dalam 0\.5 detik") as failed:
            pull_location(location, tmp_path / "landing", PullLimits(timeout=0.5))
    assert failed.value.retryable


def test_a_location_past_the_deadline_is_stopped_and_not_retried(tmp_path: Path) -> None:
    """IKU_PULL_TIMEOUT bounds each wait only: a byte now and then would never end the run.
    IKU_PULL_DEADLINE bounds a location in all: of three dripping files, the first is stopped
    and the other two are not asked for (N such files once took N deadlines)."""
    remote = tmp_path / "remote"
    for name in ("lambat.csv", "lambat2.csv", "lambat3.csv"):
        write(remote / name, b"dripped by the handler")
    (remote / "lambat").mkdir()
    landing = tmp_path / "landing"
    limits = PullLimits(timeout=5, deadline=1)
    with serving(remote, Dripping) as server:
        files = pull_location(Location("6204", "ppid", url_of(server)), landing, limits)
        listing = pull_location(
            Location("6204", "tps", url_of(server, "/lambat/")), landing, limits
        )
        asked = [request[0] for request in server.requests]  # type: ignore[attr-defined]
    assert files.error == (
        "lambat.csv: tidak selesai, penarikan lokasi ini melewati 1 detik (IKU_PULL_DEADLINE); "
        "dihentikan"
    )
    assert files.warnings == [
        "2 file lain tidak ditarik (lambat2.csv, lambat3.csv): penarikan lokasi ini melewati "
        "1 detik (IKU_PULL_DEADLINE); dicoba lagi pada run berikutnya"
    ]
    assert listing.error == (
        f"{url_of(server)}lambat/: daftar file: tidak selesai, penarikan lokasi ini melewati "
        "1 detik (IKU_PULL_DEADLINE); dihentikan"
    )
    assert asked == ["/", "/lambat.csv", "/lambat/"]  # lambat2.csv, lambat3.csv: never asked
    assert landed(landing) == {}  # nor a temporary file
    assert last_of(landing) == ["lambat2.csv", "lambat3.csv", "lambat.csv"]


@pytest.fixture(params=["http", "https"])
def tls(
    request: pytest.FixtureRequest,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> ssl.SSLContext | None:
    """A test of a server on loopback, once over HTTP (None) and once over HTTPS (the server's
    TLS context; httpx trusts its certificate)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    return server_tls(certificate) if request.param == "https" else None


class DrippingHeaders(Quiet):
    """The listing, then for every export a status line and a header byte every 0.1 s
    (about 6 s in all: each wait is well within the timeout, the whole far past a deadline)."""

    def answer(self) -> None:
        if self.path.endswith("/"):
            super().answer()
            return
        try:
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for byte in b"X-Langsam: " + b"a" * 60:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                if self.server.stop.wait(0.1):  # type: ignore[attr-defined]
                    break
        except OSError:  # the client hung up, as it should
            pass
        self.close_connection = True


def test_a_server_dripping_its_headers_is_cut_at_the_deadline(
    tls: ssl.SSLContext | None, tmp_path: Path
) -> None:
    """Each wait for a header byte is within IKU_PULL_TIMEOUT, so only the location's deadline
    ends the request: its connection is shut then, not when the server is done. Over TLS too
    (the socket under the TLS stream)."""
    remote = tmp_path / "remote"
    write(remote / "pelan.csv", b"headers dripped by the handler")
    write(remote / "pelan2.csv", b"headers dripped by the handler")
    limits = PullLimits(timeout=5, deadline=1)
    with serving(remote, DrippingHeaders, tls=tls) as server:
        result = pull_location(Location("6204", "ppid", url_of(server)), tmp_path / "l", limits)
        asked = [request[0] for request in server.requests]  # type: ignore[attr-defined]
    assert result.error == (
        f"{url_of(server)}pelan.csv: tidak selesai, penarikan lokasi ini melewati 1 detik "
        "(IKU_PULL_DEADLINE); dihentikan"
    )
    assert result.warnings == [
        "1 file lain tidak ditarik (pelan2.csv): penarikan lokasi ini melewati 1 detik "
        "(IKU_PULL_DEADLINE); dicoba lagi pada run berikutnya"
    ]
    assert asked == ["/", "/pelan.csv"]
    assert landed(tmp_path / "l") == {}
    assert last_of(tmp_path / "l") == ["pelan2.csv", "pelan.csv"]


def test_a_tls_handshake_never_answered_ends_at_the_deadline(tmp_path: Path) -> None:
    """The watchdog cannot reach a socket in its TLS handshake: the connection is opened within
    what is left of the deadline instead, not the whole IKU_PULL_TIMEOUT. The server is a
    listening socket never accepted: the kernel completes TCP, no one answers the hello."""
    limits = PullLimits(timeout=60, deadline=1)
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"https://127.0.0.1:{silent.getsockname()[1]}/"
        started = time.monotonic()
        result = pull_location(Location("6204", "ppid", url), tmp_path / "l", limits)
        took = time.monotonic() - started
    assert result.error == (
        f"{url}: tidak selesai, penarikan lokasi ini melewati 1 detik (IKU_PULL_DEADLINE); "
        "dihentikan"
    )
    assert took < limits.timeout / 2  # the handshake held to the deadline, not the timeout


class DrippingToTheClose(Dripping):
    """As ``Dripping``, without a Content-Length: each body ends where the server closes."""

    length = None


def test_a_body_without_a_length_cut_at_the_deadline_is_refused_not_landed_short(
    tls: ssl.SSLContext | None, tmp_path: Path
) -> None:
    """A body read until the server closes ends cleanly when the watchdog shuts the
    connection: what came until then is not the whole export (once, 20 of its 100 bytes
    landed as a new export), nor the whole listing."""
    remote = tmp_path / "remote"
    write(remote / "lambat.csv", b"dripped by the handler")
    (remote / "lambat").mkdir()
    landing = tmp_path / "landing"
    limits = PullLimits(timeout=5, deadline=1)
    with serving(remote, DrippingToTheClose, tls=tls) as server:
        files = pull_location(Location("6204", "ppid", url_of(server)), landing, limits)
        listing = pull_location(
            Location("6204", "tps", url_of(server, "/lambat/")), landing, limits
        )
    assert (files.copied, files.error) == (
        [],
        "lambat.csv: tidak selesai, penarikan lokasi ini melewati 1 detik (IKU_PULL_DEADLINE); "
        "dihentikan",
    )
    assert landed(landing) == {}
    assert last_of(landing) == ["lambat.csv"]
    assert listing.error == (
        f"{url_of(server)}lambat/: daftar file: tidak selesai, penarikan lokasi ini melewati "
        "1 detik (IKU_PULL_DEADLINE); dihentikan"
    )


class OneFileDown(Quiet):
    """Serves everything but ``down.csv``, which answers 503."""

    def answer(self) -> None:
        if self.path.endswith("/down.csv"):
            self.send_error(503, "Service Unavailable")
            return
        super().answer()


class DownThenDripping(OneFileDown, Dripping):
    """``down.csv`` answers 503; every other export drips past the deadline."""


def test_a_location_past_the_deadline_is_not_retried_after_a_transient_failure(
    tmp_path: Path,
) -> None:
    """A file answering 503, then one cut by the deadline: the location overran, so it is
    not handed back to be retried (each retry would take the whole deadline again)."""
    remote = tmp_path / "remote"
    for name in ("down.csv", "lambat.csv", "lambat2.csv"):
        write(remote / name, b"dripped by the handler")
    with serving(remote, DownThenDripping) as server:
        location = Location("6204", "ppid", url_of(server))
        result = pull_location(location, tmp_path / "landing", PullLimits(timeout=5, deadline=1))
    assert result.error is not None
    assert "HTTP 503" in result.error and "lambat.csv: tidak selesai" in result.error
    assert result.warnings == [
        "1 file lain tidak ditarik (lambat2.csv): penarikan lokasi ini melewati 1 detik "
        "(IKU_PULL_DEADLINE); dicoba lagi pada run berikutnya"
    ]


class OneDripping(Dripping):
    """Every export served at once but ``a-lambat.csv``, which drips (100 bytes in 5 s)."""

    def streams(self) -> bool:
        return self.path.endswith("/a-lambat.csv")


def test_a_file_the_deadline_cut_goes_last_so_the_others_are_pulled(tmp_path: Path) -> None:
    """A slow file first in the listing: the first night it is cut and ``b.csv`` never
    reached; the next night ``b.csv`` goes first and lands (before, it never did: the same
    cut every night). The note of what goes last is a hint: garbage or a pipe in its place
    changes nothing and blocks nothing (nor does a list nested past the parser's depth: it
    once failed the location every night)."""
    remote = tmp_path / "remote"
    write(remote / "a-lambat.csv", b"dripped by the handler")
    write(remote / "b.csv", b"b")
    landing = tmp_path / "landing"
    # 1.5 s for the listing and b.csv, a margin on a loaded machine; a-lambat.csv drips 5 s.
    limits = PullLimits(timeout=5, deadline=1.5)
    with serving(remote, OneDripping) as server:
        location = Location("6204", "ppid", url_of(server))
        first = pull_location(location, landing, limits)
        assert (first.copied, last_of(landing)) == ([], ["b.csv", "a-lambat.csv"])
        second = pull_location(location, landing, limits)  # b.csv first
        assert (second.copied, second.warnings) == (["b.csv"], [])
        assert second.error is not None and "a-lambat.csv: tidak selesai" in second.error
        assert last_of(landing) == ["a-lambat.csv"]
        note = landing / "6204" / "ppid" / LAST
        for hostile in ("[1, {", '{"a": 1}', "[" * 100_000, "fifo"):
            note.unlink()
            if hostile == "fifo":
                os.mkfifo(note)
            else:
                note.write_text(hostile, encoding="utf-8")
            again = pull_location(location, landing, limits)  # in the listing's order
            assert (again.unchanged, last_of(landing)) == ([], ["b.csv", "a-lambat.csv"])
    assert landed(landing) == {"b.csv": b"b"}


class SameHeadersThenSilence(Quiet):
    """Every export's true size and modification time in its headers, then no body at all."""

    def answer(self) -> None:
        if self.path.endswith("/"):  # the listing
            super().answer()
            return
        info = Path(self.translate_path(self.path)).stat()
        self.send_response(200)
        self.send_header("Content-Length", str(info.st_size))
        self.send_header("Last-Modified", self.date_time_string(int(info.st_mtime)))
        self.end_headers()
        self.wfile.flush()
        self.server.stop.wait(10)  # type: ignore[attr-defined]
        self.close_connection = True


def test_an_export_already_landed_is_not_downloaded_again(tmp_path: Path) -> None:
    """The second night: each export's size and Last-Modified are those of the version in the
    landing, so its body is never read (this server never sends one: reading would time out).
    A local folder likewise: a file with a landed version's size and modification time is
    not copied again."""
    remote = exports_dir(tmp_path / "remote")
    landing = tmp_path / "landing"
    with serving(remote) as server:
        first = pull_location(Location("6204", "ppid", url_of(server)), landing, LIMITS)
    with serving(remote, SameHeadersThenSilence) as server:
        again = pull_location(
            Location("6204", "ppid", url_of(server)), landing, PullLimits(timeout=1)
        )
    assert (sorted(first.copied), first.error) == (["Register PPID.xlsx", "permohonan.CSV"], None)
    assert (again.copied, sorted(again.unchanged), again.error) == (
        [],
        ["Register PPID.xlsx", "permohonan.CSV"],
        None,
    )

    share = tmp_path / "share"
    write(share / "kpps.csv", b"kpps 1")
    local = Location("6204", "kpps", str(share))
    assert pull_location(local, landing).copied == ["kpps.csv"]
    stamp = (share / "kpps.csv").stat().st_mtime_ns
    write(share / "kpps.csv", b"kpps 2")  # other bytes, same size, same time: taken as landed
    os.utime(share / "kpps.csv", ns=(stamp, stamp))
    assert (pull_location(local, landing).unchanged, landed(landing, source="kpps")) == (
        ["kpps.csv"],
        {"kpps.csv": b"kpps 1"},
    )
    os.utime(share / "kpps.csv", ns=(stamp + 10**9, stamp + 10**9))  # re-exported a second later
    [stamped] = pull_location(local, landing).copied
    assert re.fullmatch(r"kpps \(\d{8}T\d{6}\)\.csv", stamped)


def test_server_answering_503_fails_one_attempt_retryably(tmp_path: Path) -> None:
    remote = exports_dir(tmp_path / "remote")
    landing = tmp_path / "landing"
    with serving(remote, FailsTwice) as server:
        location = Location("6204", "ppid", url_of(server))
        with pytest.raises(PullError, match="HTTP 503") as failed:
            pull_location(location, landing, LIMITS)  # one attempt: the flow's task retries
    assert failed.value.retryable
    assert landed(landing) == {}


def test_a_source_restored_to_bytes_already_landed_gives_that_version_its_time(
    tmp_path: Path,
) -> None:
    """A re-export undone (the source back to bytes landed before, at a newer time) lands no
    copy, but the version of those bytes takes the newer time: its rows are the newest
    snapshot again, not those of the re-export between."""
    remote, landing = tmp_path / "remote", tmp_path / "landing"
    write(remote / "rekap.csv", b"jumlah;123\n", OLD)
    location = Location("6204", "logistik", f"file://{remote}")
    assert pull_location(location, landing).copied == ["rekap.csv"]
    write(remote / "rekap.csv", b"jumlah;124\n", NEW)
    [stamped] = pull_location(location, landing).copied
    write(remote / "rekap.csv", b"jumlah;123\n", NEW + 86_400)
    assert pull_location(location, landing).unchanged == ["rekap.csv"]
    folder = landing / "6204" / "logistik"
    assert (folder / "rekap.csv").stat().st_mtime == NEW + 86_400
    assert (folder / stamped).stat().st_mtime == NEW
    assert landed(landing, source="logistik") == {
        "rekap.csv": b"jumlah;123\n",
        stamped: b"jumlah;124\n",
    }


def test_a_version_landed_right_after_its_source_changed_is_checked_by_its_bytes(
    tmp_path: Path,
) -> None:
    """Rewritten within the same second at the same size, a source keeps its Last-Modified
    and Content-Length: a version landed that soon after its source changed is not trusted
    by those, but downloaded and compared, so the new bytes land. Confirmed by its bytes, a
    version counts as landed again then (its ctime), to be trusted once settled."""
    remote = tmp_path / "remote"
    now = int(time.time())
    write(remote / "rekap.csv", b"jumlah;123\n", now)
    landing = tmp_path / "landing"
    location = Location("6204", "logistik", f"file://{remote}")
    assert pull_location(location, landing).copied == ["rekap.csv"]
    write(remote / "rekap.csv", b"jumlah;124\n", now)  # same size, same second
    [stamped] = pull_location(location, landing).copied
    assert landed(landing, source="logistik") == {
        "rekap.csv": b"jumlah;123\n",
        stamped: b"jumlah;124\n",
    }
    version = landing / "6204" / "logistik" / stamped
    before = version.stat().st_ctime_ns
    time.sleep(0.01)  # a later ctime on a file system that keeps whole ticks
    assert pull_location(location, landing).unchanged == ["rekap.csv"]
    assert version.stat().st_ctime_ns > before


def test_other_bytes_at_the_time_of_a_landed_version_are_the_newer_version(
    tmp_path: Path,
) -> None:
    """A source whose bytes change while its time stays (a server that keeps Last-Modified,
    a share with 2-second times): the new version lands under the stamped name, which ranks
    before the plain one when times tie, so it takes the time just after the newest version
    of its name: the warehouse lets its rows win. A time no version holds (the source put
    back to an older export) is kept as it is: the older export loses, as it should."""
    remote, landing = tmp_path / "remote", tmp_path / "landing"
    folder = landing / "6204" / "logistik"
    location = Location("6204", "logistik", f"file://{remote}")
    write(remote / "rekap.csv", b"jumlah;1\n", OLD)
    assert pull_location(location, landing).copied == ["rekap.csv"]
    write(remote / "rekap.csv", b"jumlah;22\n", OLD)
    [second] = pull_location(location, landing).copied
    write(remote / "rekap.csv", b"jumlah;333\n", OLD)
    [third] = pull_location(location, landing).copied
    times = [(folder / name).stat().st_mtime_ns for name in ("rekap.csv", second, third)]
    assert times[0] == OLD * 10**9 < times[1] < times[2] < (OLD + 1) * 10**9
    write(remote / "rekap.csv", b"jumlah;4444\n", OLD - 86_400)
    [older] = pull_location(location, landing).copied
    assert (folder / older).stat().st_mtime == OLD - 86_400


def test_the_bytes_of_an_older_version_back_at_the_same_time_are_the_newest_again(
    tmp_path: Path,
) -> None:
    """Changed and changed back within one second (no version settled yet, so each is
    downloaded and compared): the version holding the bytes the source has now is the newest
    by its time, and stays so while the source does not change."""
    remote, landing = tmp_path / "remote", tmp_path / "landing"
    folder = landing / "6204" / "logistik"
    location = Location("6204", "logistik", f"file://{remote}")
    now = int(time.time())
    write(remote / "rekap.csv", b"jumlah;1\n", now)
    assert pull_location(location, landing).copied == ["rekap.csv"]
    write(remote / "rekap.csv", b"jumlah;22\n", now)
    [second] = pull_location(location, landing).copied
    write(remote / "rekap.csv", b"jumlah;1\n", now)
    for _ in range(2):
        assert pull_location(location, landing).unchanged == ["rekap.csv"]
        first, other = ((folder / n).stat().st_mtime_ns for n in ("rekap.csv", second))
        assert now * 10**9 < other < first < (now + 1) * 10**9


def test_a_pull_that_fails_keeps_what_it_copied_and_its_warnings(tmp_path: Path) -> None:
    """A retryable failure after other files were copied and a link was left out: the final
    result names all three, the failure apart from the warning."""
    remote = tmp_path / "remote"
    write(remote / "a.csv", b"a")
    page = "".join(f'<a href="{link}">x</a>' for link in ("a.csv", "%61.csv", "down.csv"))
    (remote / "index.html").write_text(page, encoding="utf-8")
    with serving(remote, OneFileDown) as server:
        location = Location("6204", "ppid", url_of(server))
        with pytest.raises(PullError) as failed:
            pull_location(location, tmp_path / "landing", LIMITS)
    result = PullResult.failed(location, failed.value)
    assert result.copied == ["a.csv"] and "down.csv" in str(result.error)
    assert result.warnings == [
        f"{url_of(server)}%61.csv bernama a.csv seperti {url_of(server)}a.csv, tidak ditarik"
    ]
    assert result.summary().startswith("tarik 6204/ppid: GAGAL (")
    assert result.summary().endswith(f"; peringatan: {result.warnings[0]}")


def test_interrupted_download_leaves_no_partial_export(tmp_path: Path) -> None:
    write(tmp_path / "remote" / "logistik.csv", b"x" * 1000)
    landing = tmp_path / "landing"
    with (
        serving(tmp_path / "remote", Truncating) as server,
        pytest.raises(PullError, match="terputus") as failed,
    ):
        pull_location(Location("6204", "logistik", url_of(server)), landing, LIMITS)
    assert failed.value.retryable
    assert list((landing / "6204" / "logistik").iterdir()) == []  # nor a temporary file


def test_user_and_password_in_the_url_are_sent_and_never_shown(tmp_path: Path) -> None:
    remote = tmp_path / "remote"
    exports_dir(remote / "ekspor")
    landing = tmp_path / "landing"
    with serving(remote, NeedsPassword) as server:
        port = server.server_address[1]
        # Redirected from /ekspor to /ekspor/ on the same host: the password goes along.
        good = Location("6204", "ppid", f"http://admin:rahasia%401@127.0.0.1:{port}/ekspor")
        bad = Location("6204", "keuangan", f"http://admin:salah@127.0.0.1:{port}/ekspor/")
        ok = pull_location(good, landing, LIMITS)
        refused = pull_location(bad, landing, LIMITS)
    assert ok.error is None and len(ok.copied) == 2
    assert refused.error is not None and "HTTP 401" in refused.error
    assert "salah" not in refused.error and f"127.0.0.1:{port}" in refused.error


# --- Prefect retries -------------------------------------------------------------------------


def pulled_by_the_flow(
    locations: list[Location], landing: Path, monkeypatch: pytest.MonkeyPatch
) -> list[PullResult]:
    """``pull_sources`` in a tiny flow, its task retried without waiting."""
    from prefect import flow

    from flows import tasks

    @flow(name="test-pull")
    def pulling() -> list[PullResult]:
        return tasks.pull_sources(locations, landing, LIMITS, delays=(0, 0))

    return pulling()


@pytest.mark.slow
def test_flow_retries_a_source_answering_503_until_it_is_pulled(
    prefect_backend: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote = exports_dir(tmp_path / "remote")
    landing = tmp_path / "landing"
    with serving(remote, FailsTwice) as server:
        [result] = pulled_by_the_flow(
            [Location("6204", "ppid", url_of(server))], landing, monkeypatch
        )
        requests = list(server.requests)  # type: ignore[attr-defined]
    assert result.error is None
    assert sorted(result.copied) == ["Register PPID.xlsx", "permohonan.CSV"]
    assert len(requests) == 5  # 503, 503 (two retries), then the listing and the two exports


@pytest.mark.slow
def test_flow_does_not_retry_a_404_and_a_source_that_is_down_does_not_stop_the_others(
    prefect_backend: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    remote = exports_dir(tmp_path / "remote")
    share = tmp_path / "share"
    write(share / "kpps.xlsx", b"kpps")
    landing = tmp_path / "landing"
    with serving(remote) as server:
        locations = [
            Location("6204", "pemilih", f"http://127.0.0.1:{free_port()}/ekspor/"),
            Location("6204", "tps", url_of(server, "/tidak-ada/")),
            Location("6204", "ppid", url_of(server)),
            Location("6204", "siakba", str(share)),
        ]
        results = pulled_by_the_flow(locations, landing, monkeypatch)
        missing = [r for r in server.requests if r[0] == "/tidak-ada/"]  # type: ignore[attr-defined]
    assert [r.location for r in results] == locations
    down, not_found, ppid, siakba = results
    assert down.error is not None and "tidak dapat terhubung" in down.error
    assert (down.copied, down.unchanged) == ([], [])
    assert not_found.error is not None and "HTTP 404" in not_found.error
    assert len(missing) == 1  # a 404 would fail again the same way: asked once
    assert ppid.error is None and len(ppid.copied) == 2
    assert (siakba.error, siakba.copied) == (None, ["kpps.xlsx"])


def test_retry_transient_retries_only_a_retryable_pull_error() -> None:
    from prefect.states import Completed, Failed

    assert retry_transient(None, None, Failed(data=PullError("HTTP 503")))
    assert not retry_transient(None, None, Failed(data=PullError("HTTP 404", retryable=False)))
    assert not retry_transient(None, None, Failed(data=ValueError("a bug")))
    assert not retry_transient(None, None, Completed(data=None))


# --- Local folders ---------------------------------------------------------------------------


def test_local_folder_is_copied_with_its_modification_times(tmp_path: Path) -> None:
    share = exports_dir(tmp_path / "share")
    landing = tmp_path / "landing"
    by_path = pull_location(Location("6204", "ppid", str(share)), landing)
    by_url = pull_location(Location("62", "ppid", share.as_uri()), landing)
    for result, satker in ((by_path, "6204"), (by_url, "62")):
        assert result.error is None
        assert sorted(result.copied) == ["Register PPID.xlsx", "permohonan.CSV"]
        folder = landing / satker / "ppid"
        assert (folder / "permohonan.CSV").stat().st_mtime == NEW
        assert (folder / "Register PPID.xlsx").read_bytes() == b"xlsx bytes 1"
    again = pull_location(Location("6204", "ppid", str(share)), landing)
    assert (again.copied, len(again.unchanged)) == ([], 2)
    assert (share / "Register PPID.xlsx").exists()  # nothing at the source is removed


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_a_pulled_export_gets_the_mode_of_any_new_file(tmp_path: Path, umask: int) -> None:
    """Not readable by its owner only (what a temporary file gets): the landing may be shared
    with the staff who drop exports by hand, or read by another account."""
    write(tmp_path / "share" / "kpps.csv", b"kpps")
    old = os.umask(umask)
    try:
        pull_location(Location("6204", "kpps", str(tmp_path / "share")), tmp_path / "landing")
    finally:
        os.umask(old)
    mode = (tmp_path / "landing" / "6204" / "kpps" / "kpps.csv").stat().st_mode
    assert stat.S_IMODE(mode) == 0o666 & ~umask


def test_symlinks_in_a_local_folder_are_not_followed(tmp_path: Path) -> None:
    share = tmp_path / "share"
    write(share / "kpps.csv", b"kpps")
    secret = write(tmp_path / "rahasia" / "sandi.csv", b"not an export")
    (share / "tautan.csv").symlink_to(secret)
    (share / "folder.xlsx").symlink_to(secret.parent, target_is_directory=True)
    landing = tmp_path / "landing"
    result = pull_location(Location("6204", "kpps", str(share)), landing)
    assert (result.copied, result.error) == (["kpps.csv"], None)
    assert result.warnings == [
        "folder.xlsx tautan simbolik, tidak diikuti",
        "tautan.csv tautan simbolik, tidak diikuti",
    ]
    # the pull went through: a warning, not a failure
    assert result.summary() == (
        "tarik 6204/kpps: 1 file baru, 0 sama; peringatan: folder.xlsx tautan simbolik, "
        "tidak diikuti; tautan.csv tautan simbolik, tidak diikuti"
    )
    assert landed(landing, source="kpps") == {"kpps.csv": b"kpps"}


def test_a_name_on_a_share_that_is_not_utf8_is_reported_and_breaks_nothing(
    tmp_path: Path,
) -> None:
    share = tmp_path / "share"
    write(share / "ok.csv", b"ok")
    (share / os.fsdecode(b"Register \xe9.csv")).write_bytes(b"No Registrasi\n1\n")
    landing = tmp_path / "landing"
    result = pull_location(Location("6204", "ppid", str(share)), landing)
    assert (result.copied, result.error) == (["ok.csv"], None)
    assert result.warnings == ["Register \\xe9.csv nama file bukan UTF-8, tidak ditarik"]
    for shown in (result.summary(), json.dumps(asdict(result), ensure_ascii=False)):
        shown.encode("utf-8")  # a log line, a JSON record: no surrogate left in them
    assert landed(landing) == {"ok.csv": b"ok"}


def test_a_pipe_in_place_of_a_listed_file_is_refused_without_waiting(tmp_path: Path) -> None:
    """A file replaced by a named pipe after the folder was listed: opening it by name used to
    wait for a writer forever."""
    pipe = tmp_path / "share" / "kpps.csv"
    pipe.parent.mkdir()
    os.mkfifo(pipe)
    failed: list[PullError] = []

    def copy() -> None:
        with pytest.raises(PullError) as raised:
            _copier(pipe, LIMITS, time.monotonic() + 60)(tmp_path / "salinan.part", set())
        failed.append(raised.value)

    copying = threading.Thread(target=copy, daemon=True)
    copying.start()
    copying.join(5)
    waiting = copying.is_alive()
    if waiting:  # let it go before failing
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        copying.join(5)
    assert not waiting
    [error] = failed
    assert (str(error), error.retryable) == ("kpps.csv: bukan file biasa", False)


def test_local_folder_obeys_the_size_and_count_limits(tmp_path: Path) -> None:
    share = tmp_path / "share"
    write(share / "a.csv", b"a")
    write(share / "b.xlsx", b"b" * 2048)
    write(share / "c.csv", b"c")
    write(share / "d.csv", b"d")
    landing = tmp_path / "landing"
    limits = PullLimits(max_file_bytes=1024, max_files=3)
    result = pull_location(Location("6204", "kpps", str(share)), landing, limits)
    assert result.copied == ["a.csv", "c.csv"]
    assert result.error == "b.xlsx: lebih besar dari batas 1 KiB (IKU_MAX_FILE_BYTES)"
    assert result.warnings == [
        "1 file lain tidak ditarik (d.csv): lebih dari batas 3 file per lokasi (IKU_MAX_FILES)"
    ]
    assert result.summary() == (
        "tarik 6204/kpps: GAGAL (b.xlsx: lebih besar dari batas 1 KiB (IKU_MAX_FILE_BYTES)); "
        "peringatan: 1 file lain tidak ditarik (d.csv): lebih dari batas 3 file per lokasi "
        "(IKU_MAX_FILES)"
    )
    rows = pull_rows([result])
    assert [(r["rule"], r["severity"], r["message"]) for r in rows] == [
        (
            "penarikan_gagal",
            "warning",
            f"ekspor tidak dapat ditarik dari sumbernya: {result.error}",
        ),
        (
            "penarikan_sebagian",
            "warning",
            f"sebagian ekspor tidak ditarik dari sumbernya: {result.warnings[0]}",
        ),
    ]
    assert landed(landing, source="kpps") == {"a.csv": b"a", "c.csv": b"c"}


def test_landing_itself_and_missing_folders(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    write(landing / "6204" / "ppid" / "register.csv", b"a")
    itself = pull_location(Location("6204", "ppid", str(landing / "6204" / "ppid")), landing)
    assert (itself.copied, itself.error) == ([], None)
    assert landed(landing) == {"register.csv": b"a"}
    with pytest.raises(PullError, match="tidak ada"):  # a share not mounted yet: retried
        pull_location(Location("6204", "ppid", str(tmp_path / "belum-dipasang")), landing)
    (tmp_path / "kosong").mkdir()  # a share with no export yet: nothing pulled, nothing made
    empty = pull_location(Location("6204", "tps", str(tmp_path / "kosong")), landing)
    assert (empty.copied, empty.error, (landing / "6204" / "tps").exists()) == ([], None, False)
    write(tmp_path / "file", b"")  # IKU_LANDING set to a file: said, and retried
    with pytest.raises(PullError, match=r"^landing .*file/6204/ppid: \[Errno 20\] Not a dir"):
        pull_location(Location("6204", "ppid", str(landing / "6204" / "ppid")), tmp_path / "file")


def test_a_file_gone_since_the_listing_fails_itself_retryably(tmp_path: Path) -> None:
    """A file of a share moved away between the listing and its copy: its own failure,
    retried (the next listing no longer has it)."""
    with pytest.raises(PullError) as failed:
        _copier(tmp_path / "dipindah.csv", LIMITS, time.monotonic() + 60)(tmp_path / "t", set())
    assert str(failed.value).startswith("dipindah.csv: tidak dapat dibuka: [Errno 2]")
    assert failed.value.retryable


def test_a_symlink_in_the_landing_is_no_landed_version_of_an_export(tmp_path: Path) -> None:
    """A link in the landing under an export's name, to the same bytes elsewhere: the
    landing's walk does not follow it, so the export itself lands beside it (it was once
    taken as landed, "unchanged", and never loaded)."""
    share = tmp_path / "share"
    write(share / "a.csv", b"kode;jumlah\n1;2\n")
    write(tmp_path / "elsewhere" / "a.csv", b"kode;jumlah\n1;2\n")
    folder = tmp_path / "landing" / "6204" / "ppid"
    folder.mkdir(parents=True)
    (folder / "a.csv").symlink_to(tmp_path / "elsewhere" / "a.csv")
    result = pull_location(Location("6204", "ppid", str(share)), tmp_path / "landing")
    [stamped] = result.copied
    assert re.fullmatch(r"a \(\d{8}T\d{6}\)\.csv", stamped)
    assert (folder / stamped).read_bytes() == b"kode;jumlah\n1;2\n"
    assert (folder / "a.csv").is_symlink()


def test_a_satker_or_source_folder_of_the_landing_that_is_a_symlink_is_not_pulled_into(
    tmp_path: Path,
) -> None:
    """The walk of the landing does not follow links: a file pulled through one is lost."""
    share = tmp_path / "share"
    write(share / "kpps.csv", b"kpps")
    outside = tmp_path / "luar"
    write(outside / "kpps" / "lain.csv", b"not the landing's")
    landing = tmp_path / "landing"
    (landing / "6204").mkdir(parents=True)
    (landing / "6204" / "kpps").symlink_to(outside / "kpps", target_is_directory=True)
    (landing / "62").symlink_to(outside, target_is_directory=True)
    write(landing / "6209", b"a file where a folder belongs")
    results = [
        pull_location(Location(satker, "kpps", str(share)), landing)
        for satker in ("6204", "62", "6209")
    ]
    assert [(r.copied, r.error) for r in results] == [
        ([], f"landing {landing}/6204/kpps: tautan simbolik, tidak ditarik ke sana"),
        ([], f"landing {landing}/62: tautan simbolik, tidak ditarik ke sana"),
        ([], f"landing {landing}/6209: bukan folder, tidak ditarik ke sana"),
    ]
    assert sorted(p.name for p in outside.rglob("*")) == ["kpps", "lain.csv"]  # nothing written


# --- Configuration ---------------------------------------------------------------------------


def test_parse_locations_accepts_the_documented_format(tmp_path: Path) -> None:
    text = f"""
        6204/ppid=https://ppid.example/ekspor/, 6204/siakba=/mnt/share/siakba
        # a comment line
        62/tahapan = file://{tmp_path}/tahapan ,
        6204/keuangan=http://user:pw@10.0.0.5:8080/keu?token=abc
    """
    assert parse_locations(text) == [
        Location("6204", "ppid", "https://ppid.example/ekspor/"),
        Location("6204", "siakba", "/mnt/share/siakba"),
        Location("62", "tahapan", f"file://{tmp_path}/tahapan"),
        Location("6204", "keuangan", "http://user:pw@10.0.0.5:8080/keu?token=abc"),
    ]
    assert parse_locations("") == []
    assert parse_locations(" \n , ") == []


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("6204/anggaran=https://x.example/", "sumber 'anggaran' tidak dikenal"),
        ("620/ppid=https://x.example/", "kode satker '620' harus 2 atau 4 angka"),
        ("62a4/ppid=https://x.example/", "kode satker '62a4' harus 2 atau 4 angka"),
        ("6204/ppid=ftp://x.example/ekspor/", "skema 'ftp:' tidak didukung"),
        ("6204/ppid=smb://server/share", "skema 'smb:' tidak didukung"),
        ("6204/ppid=ekspor/ppid", "harus absolut"),
        ("6204/ppid=https:///ekspor/", "tanpa nama host"),
        ("6204/ppid=http://x.example:port/", "URL tidak sah"),
        ("6204/ppid=file://server/share", "hanya untuk folder lokal"),
        ("6204/ppid=", "lokasi kosong"),
        ("6204/ppid https://x.example/", "bukan <kode_satker>/<sumber>=<lokasi>"),
        ("ppid=https://x.example/", "bukan <kode_satker>/<sumber>=<lokasi>"),
    ],
)
def test_parse_locations_rejects_bad_entries_clearly(entry: str, message: str) -> None:
    with pytest.raises(PullConfigError, match=re.escape(message)) as raised:
        parse_locations(f"6204/tps=/mnt/tps, {entry}")
    assert "entri tidak valid" in str(raised.value)
    assert "6204/tps" not in str(raised.value)  # only the bad entry is named


def test_parse_locations_names_every_bad_entry_and_hides_passwords() -> None:
    with pytest.raises(PullConfigError) as raised:
        parse_locations(
            "6204/ppid=http://admin:rahasia@x.example/, 6204/ppid=http://admin:rahasia@x.example/,"
            "9/ppid=/a\n6204/sakip=gopher://x"
        )
    text = str(raised.value)
    assert "ditulis dua kali" in text and "'9'" in text and "'gopher:'" in text
    assert "rahasia" not in text and "admin:***@" in text


def test_one_location_per_satker_and_source() -> None:
    """Two locations would pull into one landing folder, racing and clearing each other's
    note of the files to take last: the second is refused, naming the first."""
    with pytest.raises(PullConfigError) as raised:
        parse_locations("6204/ppid=http://admin:rahasia@x.example/, 6204/ppid=/mnt/ppid")
    assert "'6204/ppid=/mnt/ppid': 6204/ppid sudah ditarik dari http://admin:***@x.example/" in (
        str(raised.value)
    )
    assert len(parse_locations("6204/ppid=/mnt/ppid, 6204/tps=/mnt/ppid, 62/ppid=/mnt/x")) == 3


def test_landed_versions_are_read_once_for_the_whole_folder(tmp_path: Path) -> None:
    """Each name with the file of that name first, then its stamped versions in name order;
    a stamped version of a stamped name belongs to that name; links are no version."""
    names = [
        "x.csv",
        "x (20250101T000000).csv",
        "x (20250101T000000-2).csv",
        "x (20250101T000000) (20260101T000000).csv",
        "a.b (20250101T000000).xlsx",
        "y (20250101T000000).CSV",
    ]
    for name in names:
        write(tmp_path / name, b"x")
    (tmp_path / "x (20250102T000000).csv").symlink_to(tmp_path / "x.csv")
    found = {name: [p.name for p in paths] for name, paths in landed_versions(tmp_path).items()}
    assert found["x.csv"] == [
        "x.csv",
        "x (20250101T000000).csv",
        "x (20250101T000000-2).csv",
    ]
    assert found["x (20250101T000000).csv"] == [
        "x (20250101T000000).csv",
        "x (20250101T000000) (20260101T000000).csv",
    ]
    assert found["a.b.xlsx"] == ["a.b (20250101T000000).xlsx"]
    assert found["y.CSV"] == ["y (20250101T000000).CSV"]
    assert "x (20250102T000000).csv" not in found
