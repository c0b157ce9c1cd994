"""Pull: exports copied from real HTTP servers on loopback and from local folders."""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from warehouse.pull import (
    Location,
    PullConfigError,
    PullError,
    list_remote,
    parse_locations,
    pull_all,
    pull_location,
)

STAMPED = re.compile(r"Register PPID \(\d{8}T\d{6}\)\.xlsx")
OLD = 1_735_689_600  # 2025-01-01T00:00:00Z
NEW = 1_740_787_200  # 2025-03-01T00:00:00Z


class Quiet(SimpleHTTPRequestHandler):
    """The standard handler (real autoindex listing), without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class FlakyOnce(Quiet):
    """Answers 503 to the first request, then serves normally; remembers every request."""

    def do_GET(self) -> None:
        server = self.server
        server.requests.append((self.path, self.headers.get("User-Agent")))  # type: ignore[attr-defined]
        if len(server.requests) == 1:  # type: ignore[attr-defined]
            self.send_error(503, "Service Unavailable")
            return
        super().do_GET()


class Truncating(Quiet):
    """Promises more bytes than it sends, then hangs up: an interrupted download."""

    def do_GET(self) -> None:
        if not self.path.endswith(".csv"):
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Length", "1000")
        self.end_headers()
        self.wfile.write(b"No Registrasi;Tanggal\n")
        self.close_connection = True


class NeedsPassword(Quiet):
    def do_GET(self) -> None:
        # "Basic " + base64("admin:rahasia@1")
        if self.headers.get("Authorization") != "Basic YWRtaW46cmFoYXNpYUAx":
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="ekspor"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback servers are reached directly, whatever proxy the machine has."""
    for name in ("http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@contextmanager
def serving(
    directory: Path, handler: type[SimpleHTTPRequestHandler] = Quiet
) -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(directory)))
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def url_of(server: ThreadingHTTPServer, path: str = "/") -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


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
    folder = landing / satker / source
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def no_sleep(calls: list[float]) -> Callable[[float], None]:
    return calls.append


# --- HTTP ------------------------------------------------------------------------------------


def test_http_pull_copies_exports_with_their_bytes_and_last_modified(tmp_path: Path) -> None:
    remote = exports_dir(tmp_path / "remote")
    landing = tmp_path / "landing"
    with serving(remote) as server:
        location = Location("6204", "ppid", url_of(server))
        result = pull_location(location, landing, timeout=5)
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


def test_second_pull_copies_nothing_and_a_reexport_is_kept_beside_the_old(
    tmp_path: Path,
) -> None:
    remote = exports_dir(tmp_path / "remote")
    landing = tmp_path / "landing"
    with serving(remote) as server:
        location = Location("6204", "ppid", url_of(server))
        pull_location(location, landing, timeout=5)
        again = pull_location(location, landing, timeout=5)
        assert (again.copied, sorted(again.unchanged)) == (
            [],
            ["Register PPID.xlsx", "permohonan.CSV"],
        )

        write(remote / "Register PPID.xlsx", b"xlsx bytes 2, re-exported", NEW)
        reexport = pull_location(location, landing, timeout=5)
        [stamped] = reexport.copied
        assert STAMPED.fullmatch(stamped), stamped
        files = landed(landing)
        assert files["Register PPID.xlsx"] == b"xlsx bytes 1"  # the old export is not lost
        assert files[stamped] == b"xlsx bytes 2, re-exported"
        assert (landing / "6204" / "ppid" / stamped).stat().st_mtime == NEW  # newest wins

        # The next night the source still serves the re-export: nothing is copied again.
        third = pull_location(location, landing, timeout=5)
    assert third.copied == []
    assert "Register PPID.xlsx" in third.unchanged
    assert len(landed(landing)) == 3


def test_listing_keeps_only_export_files_of_the_folder_itself(tmp_path: Path) -> None:
    """An nginx-style page: parent, sort, subfolder, foreign and unsafe links are dropped."""
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
        </pre></body></html>""",
        encoding="utf-8",
    )
    landing = tmp_path / "landing"
    with serving(remote) as server:
        base = url_of(server)
        assert list_remote(base, timeout=5) == [f"{base}Laporan%20Q1.XLSX", f"{base}ok.csv"]
        result = pull_location(Location("6204", "tahapan", base), landing, timeout=5)
    assert sorted(result.copied) == ["Laporan Q1.XLSX", "ok.csv"]
    assert sorted(p.name for p in landing.rglob("*")) == [
        "6204",
        "Laporan Q1.XLSX",
        "ok.csv",
        "tahapan",
    ]


def test_listing_url_without_slash_is_redirected(tmp_path: Path) -> None:
    write(tmp_path / "remote" / "ekspor" / "tps.csv", b"Kode Desa;Nomor TPS\n")
    with serving(tmp_path / "remote") as server:
        result = pull_location(
            Location("6204", "tps", url_of(server, "/ekspor")), tmp_path / "landing", timeout=5
        )
    assert (result.copied, result.error) == (["tps.csv"], None)


def test_server_answering_503_once_is_pulled_on_the_second_attempt(tmp_path: Path) -> None:
    remote = exports_dir(tmp_path / "remote")
    landing = tmp_path / "landing"
    sleeps: list[float] = []
    with serving(remote, FlakyOnce) as server:
        location = Location("6204", "ppid", url_of(server))
        with pytest.raises(PullError, match="HTTP 503") as failed:
            pull_location(location, landing, timeout=5)  # one attempt: the flow's task retries
        assert failed.value.retryable
        server.requests.clear()  # type: ignore[attr-defined]
        [result] = pull_all([location], landing, attempts=3, delay=2.0, sleep=no_sleep(sleeps))
        requests = list(server.requests)  # type: ignore[attr-defined]
    assert result.error is None
    assert sorted(result.copied) == ["Register PPID.xlsx", "permohonan.CSV"]
    assert sleeps == [2.0]  # one retry, after the first delay
    assert len(requests) == 4  # 503, then the listing and the two exports
    assert {agent for _, agent in requests} == {"iku-warehouse"}


def test_source_that_is_down_does_not_stop_the_others(tmp_path: Path) -> None:
    remote = exports_dir(tmp_path / "remote")
    share = tmp_path / "share"
    write(share / "kpps.xlsx", b"kpps")
    landing = tmp_path / "landing"
    down = Location("6204", "pemilih", f"http://127.0.0.1:{free_port()}/ekspor/")
    sleeps: list[float] = []
    with pytest.raises(PullError, match="tidak dapat terhubung"):
        pull_location(down, landing, timeout=5)
    with serving(remote) as server:
        locations = [
            down,
            Location("6204", "ppid", url_of(server)),
            Location("6204", "siakba", str(share)),
        ]
        results = pull_all(locations, landing, attempts=3, delay=1.0, sleep=no_sleep(sleeps))
    assert [r.location for r in results] == locations
    failed, ppid, siakba = results
    assert failed.error is not None
    assert "tidak dapat terhubung" in failed.error and "gagal 3 kali" in failed.error
    assert (failed.copied, failed.unchanged) == ([], [])
    assert sleeps == [1.0, 2.0]  # exponential backoff, only for the source that is down
    assert ppid.error is None and len(ppid.copied) == 2
    assert (siakba.error, siakba.copied) == (None, ["kpps.xlsx"])


def test_missing_listing_is_reported_at_once_without_retrying(tmp_path: Path) -> None:
    (tmp_path / "remote").mkdir()
    sleeps: list[float] = []
    with serving(tmp_path / "remote") as server:
        location = Location("6204", "ppid", url_of(server, "/tidak-ada/"))
        [result] = pull_all([location], tmp_path / "landing", sleep=no_sleep(sleeps))
    assert result.error is not None and "HTTP 404" in result.error
    assert sleeps == []  # a 404 would fail again the same way


def test_interrupted_download_leaves_no_partial_export(tmp_path: Path) -> None:
    write(tmp_path / "remote" / "logistik.csv", b"x" * 1000)
    landing = tmp_path / "landing"
    with (
        serving(tmp_path / "remote", Truncating) as server,
        pytest.raises(PullError, match="terputus"),
    ):
        pull_location(Location("6204", "logistik", url_of(server)), landing, timeout=5)
    assert list((landing / "6204" / "logistik").iterdir()) == []  # nor a temporary file


def test_user_and_password_in_the_url_are_sent_and_never_shown(tmp_path: Path) -> None:
    remote = exports_dir(tmp_path / "remote")
    landing = tmp_path / "landing"
    with serving(remote, NeedsPassword) as server:
        port = server.server_address[1]
        good = Location("6204", "ppid", f"http://admin:rahasia%401@127.0.0.1:{port}/")
        bad = Location("6204", "keuangan", f"http://admin:salah@127.0.0.1:{port}/")
        ok, refused = pull_all([good, bad], landing, sleep=no_sleep([]))
    assert ok.error is None and len(ok.copied) == 2
    assert refused.error is not None and "HTTP 401" in refused.error
    assert "salah" not in refused.error and f"127.0.0.1:{port}" in refused.error


# --- Local folders ---------------------------------------------------------------------------


def test_local_folder_is_copied_with_its_modification_times(tmp_path: Path) -> None:
    share = exports_dir(tmp_path / "share")
    landing = tmp_path / "landing"
    [by_path, by_url] = pull_all(
        [Location("6204", "ppid", str(share)), Location("62", "ppid", share.as_uri())], landing
    )
    for result, satker in ((by_path, "6204"), (by_url, "62")):
        assert result.error is None
        assert sorted(result.copied) == ["Register PPID.xlsx", "permohonan.CSV"]
        folder = landing / satker / "ppid"
        assert (folder / "permohonan.CSV").stat().st_mtime == NEW
        assert (folder / "Register PPID.xlsx").read_bytes() == b"xlsx bytes 1"
    again = pull_location(Location("6204", "ppid", str(share)), landing)
    assert (again.copied, len(again.unchanged)) == ([], 2)
    assert (share / "Register PPID.xlsx").exists()  # nothing at the source is removed


def test_landing_itself_and_missing_folders(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    write(landing / "6204" / "ppid" / "register.csv", b"a")
    itself = pull_location(Location("6204", "ppid", str(landing / "6204" / "ppid")), landing)
    assert (itself.copied, itself.error) == ([], None)
    assert landed(landing) == {"register.csv": b"a"}
    with pytest.raises(PullError, match="tidak ada"):  # a share not mounted yet: retried
        pull_location(Location("6204", "ppid", str(tmp_path / "belum-dipasang")), landing)


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
    assert "IKU_PULL_SOURCES tidak valid" in str(raised.value)
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
