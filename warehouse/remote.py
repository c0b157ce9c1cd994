"""The HTTP side of a pull: a directory listing's export links and streamed downloads, from one
origin only (same-origin redirects), within the pull limits (``warehouse.pull``)."""

from __future__ import annotations

import contextlib
import html
import os
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from datetime import UTC
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from sources.sheet import causes
from warehouse.landing import shown_name
from warehouse.transfer import (
    RETRYABLE_HTTP,
    Fetch,
    PullError,
    PullLimits,
    bounded,
    clipped,
    described,
    is_export_file_name,
    masked,
    overdue,
    size_text,
    write_chunks,
)

USER_AGENT = "iku-warehouse"
MAX_REDIRECTS = 5


class Http:
    """The HTTP client of one location: its origin only, its credentials, its limits.

    At ``end`` every connection it opened is shut down (a watchdog thread): a read blocked
    on a server that sends a byte of its headers now and then returns at once, and the
    request fails as overdue. (httpx bounds each wait for data only, never a request.) A
    body without a length (read until the server closes) ends cleanly there: what was read
    by then is refused as overdue too (``transfer.bounded``), never taken whole.
    A TLS handshake under way is not cut (the socket is not reachable then); each connection
    is opened within what is left of the deadline instead.
    """

    def __init__(self, url: str, limits: PullLimits, end: float) -> None:
        """``end``: the ``time.monotonic`` by which the location's pull must be done."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise PullError(f"{masked(url)}: URL tidak sah ({exc})", retryable=False) from exc
        self.auth = None
        if parsed.userinfo:  # sent to this origin only: every request is checked against it
            self.auth = httpx.BasicAuth(parsed.username, parsed.password)
        self.url = parsed.copy_with(username=None, password=None)
        self.origin = _origin(self.url)
        self.limits, self.end = limits, end
        self.notes: list[str] = []  # warnings about the links of the listing
        # A connection per request, closed after it: bytes a server sends past the length it
        # declared would otherwise be read as the start of the next file's answer, and fail
        # that file (every night) instead of the one sent wrong.
        self.client = httpx.Client(
            headers={
                "User-Agent": USER_AGENT,
                "Accept-Encoding": "identity",
                "Connection": "close",
            },
            timeout=limits.timeout,
            follow_redirects=False,  # followed below, within the origin only
        )
        self.streams: list[Any] = []  # the connections opened (httpcore's network streams)
        self.overran = threading.Event()
        self.watchdog = threading.Timer(max(0.0, end - time.monotonic()), self._shut)
        self.watchdog.daemon = True
        self.watchdog.start()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.watchdog.cancel()
        self.client.close()

    def _opened(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace: a TCP connection, or the TLS stream over it, was opened."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self.streams.append(info.get("return_value"))
            if self.overran.is_set():  # opened as the deadline passed
                _shut_down(self.streams[-1])

    def _shut(self) -> None:
        self.overran.set()
        for stream in list(self.streams):
            _shut_down(stream)

    def _timeout(self) -> httpx.Timeout:
        """IKU_PULL_TIMEOUT for each wait for data; a connection and its TLS handshake, which
        the watchdog cannot cut, within what is left of the deadline too."""
        left = max(0.001, self.end - time.monotonic())
        return httpx.Timeout(self.limits.timeout, connect=min(self.limits.timeout, left))

    def _broken(self, message: str, exc: Exception, retryable: bool, subject: str) -> PullError:
        """The error of a transfer that failed with ``exc``: ``subject`` overdue once the
        deadline passed, else ``message`` and why."""
        if self.overran.is_set() or time.monotonic() >= self.end:
            return overdue(subject, self.limits.deadline)
        return PullError(f"{message} ({self._reason(exc)})", retryable=retryable)

    def items(self) -> list[tuple[str, Fetch]]:
        """A downloader per export of the listing, by file name."""
        return [(_name_of(url), self._downloader(url)) for url in self.listing()]

    def _send(self, url: httpx.URL) -> httpx.Response:
        """The streamed 200 response for ``url``, after redirects within the origin (the
        caller closes it)."""
        for _ in range(MAX_REDIRECTS + 1):
            shown = clipped(masked(str(url)))  # a Location: whatever the server sent
            if _origin(url) != self.origin:  # checked before anything is sent there
                raise PullError(
                    f"pengalihan ke {shown} ditolak: hanya ke {masked(str(self.url))} sendiri",
                    retryable=False,
                )
            try:
                request = self.client.build_request(
                    "GET", url, timeout=self._timeout(), extensions={"trace": self._opened}
                )
                response = self.client.send(request, auth=self.auth, stream=True)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                if any(isinstance(c, httpx.InvalidURL) for c in causes(exc)):
                    # httpx could not read the Location of a redirect: the server's answer,
                    # the same on every attempt. (A scheme without a host, "javascript:x",
                    # raises InvalidURL itself, no HTTPError.)
                    message = f"{shown}: server mengalihkan ke alamat yang tidak sah"
                    raise PullError(f"{message} ({self._reason(exc)})", False) from exc
                connect = isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout))
                what = "tidak dapat terhubung" if connect else "koneksi gagal"
                raise self._broken(f"{shown}: {what}", exc, _transient(exc), shown) from exc
            status = response.status_code
            coding = response.headers.get("Content-Encoding", "").strip().lower()
            if status == 200 and coding not in ("", "identity"):  # never inflated: no bombs
                response.close()
                raise PullError(
                    f"{shown}: server mengirim isi terkompresi "
                    f"(Content-Encoding: {clipped(coding)}) "
                    f"padahal diminta tanpa kompresi (identity); tidak diunduh",
                    retryable=False,
                )
            if status == 200:
                return response
            response.close()
            # Not ``is_redirect`` (any 3xx: a 304, or a 302 without a Location): httpx has
            # already refused a Location it cannot read, as a RemoteProtocolError.
            if response.has_redirect_location:
                url = url.join(response.headers["Location"])
                continue
            if status >= 400:
                raise PullError(
                    f"{shown}: server menjawab HTTP {status} {clipped(response.reason_phrase)}",
                    retryable=status >= 500 or status in RETRYABLE_HTTP,
                )
            raise PullError(f"{shown}: server menjawab HTTP {status}, bukan 200", False)
        raise PullError(
            f"{clipped(masked(str(url)))}: lebih dari {MAX_REDIRECTS} pengalihan", False
        )

    def listing(self) -> list[str]:
        """The export links of the listing; links refused with a warning go to ``notes``."""
        limit, deadline = self.limits.max_listing_bytes, self.limits.deadline
        with contextlib.closing(self._send(self.url)) as response:
            shown = masked(str(response.url))
            too_big = PullError(
                f"{shown}: daftar file lebih besar dari batas {size_text(limit)} "
                f"(IKU_MAX_LISTING_BYTES)",
                retryable=False,
            )
            if (_declared_length(response) or 0) > limit:
                raise too_big
            late = overdue(f"{shown}: daftar file", deadline)
            body = bytearray()
            try:
                for block in bounded(response.iter_raw(), limit, too_big, late, self.end):
                    body += block
            except httpx.HTTPError as exc:
                message = f"{shown}: daftar file terputus"
                raise self._broken(message, exc, True, f"{shown}: daftar file") from exc
            base, charset = str(response.url), response.charset_encoding or "utf-8"
        try:
            text = body.decode(charset, errors="replace")
        except (LookupError, UnicodeError):  # an unknown charset in the Content-Type, or one
            # that cannot replace what it cannot decode (idna, punycode: UnicodeError)
            text = body.decode("utf-8", errors="replace")
        links, self.notes = _export_links(base, _hrefs(text))
        return links

    def _downloader(self, url: str) -> Fetch:
        name = _name_of(url)

        def fetch(tmp: Path, known: set[tuple[int, int]]) -> bool:
            try:  # a control character in the link (ESC, DEL): httpx sends no such URL
                target = httpx.URL(url)
            except httpx.InvalidURL as exc:  # not an httpx.HTTPError: it would stop them all
                raise PullError(f"{name}: tautan tidak dapat diminta ({exc})", False) from exc
            with contextlib.closing(self._send(target)) as response:
                size = _declared_length(response)
                modified = _http_time(response.headers.get("Last-Modified"))
                if size is not None and modified is not None and (size, modified) in known:
                    return False  # the same size and time as a version landed: not downloaded
                try:
                    write_chunks(response.iter_raw(), tmp, name, size or 0, self.limits, self.end)
                except httpx.HTTPError as exc:
                    raise self._broken(f"{name}: unduhan terputus", exc, True, name) from exc
            if modified is not None:
                os.utime(tmp, ns=(modified, modified))
            return True

        return fetch

    def _reason(self, exc: Exception) -> str:
        if isinstance(exc, httpx.TimeoutException):
            return f"tidak ada jawaban dalam {self.limits.timeout:g} detik"
        return described(exc)


def _shut_down(stream: Any) -> None:
    """Both directions of a connection's socket shut: a read blocked on it returns. Through
    ``socket.socket.shutdown`` itself: ``SSLSocket.shutdown`` would also drop the TLS state
    the pull's thread may be reading with at that moment (a ``ValueError`` or
    ``AttributeError`` there, not an ``OSError`` httpx reports as a failed read)."""
    with contextlib.suppress(Exception):  # already closed, or no socket
        socket.socket.shutdown(stream.get_extra_info("socket"), socket.SHUT_RDWR)


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port  # httpx gives a default port as None


def _transient(exc: Exception) -> bool:
    """Whether another attempt may get past this transport error. (Never an
    ``UnsupportedProtocol``: IKU_PULL_SOURCES admits only http(s) URLs with a host, and a
    request goes nowhere but to that scheme, host and port.)"""
    return not any(isinstance(c, ssl.SSLCertVerificationError) for c in causes(exc))


def _declared_length(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Length", "").strip()
    return int(value) if value.isdigit() else None


# A comment (skipped), or the attributes of an <a> tag. Linear in the page for any input
# (html.parser is quadratic on some, e.g. "<a href=x " repeated): a quoted value ends at its
# own quote or, unclosed, ends the tag, and each match resumes where the last one ended.
_TAG = re.compile(r"""<!--.*?(?:-->|\Z)|<a[\s/]((?:"[^"]*"|'[^']*'|[^"'>]+)*+)""", re.I | re.S)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]*)))?""")


def _hrefs(page: str) -> Iterator[str]:
    """The href of every <a> tag of an HTML page, character references decoded."""
    for tag in _TAG.finditer(page):
        for attribute in _ATTRIBUTE.finditer(tag[1] or ""):
            name, *values = attribute.groups()
            value = next((v for v in values if v is not None), "")
            if name.lower() == "href" and value:
                yield html.unescape(value)


def _export_links(base: str, hrefs: Iterable[str]) -> tuple[list[str], list[str]]:
    """The links to exports in the listing's folder, one per file name, and warnings about
    different links giving the same file name (only the first is taken)."""
    here = urllib.parse.urlsplit(base)
    folder = here.path.rpartition("/")[0] + "/"
    found: dict[str, str] = {}  # file name -> its first link
    notes: list[str] = []
    seen: set[str] = set()
    for href in hrefs:
        try:
            url = urllib.parse.urldefrag(urllib.parse.urljoin(base, href.strip())).url
            parts = urllib.parse.urlsplit(url)
        except ValueError:  # a malformed link, such as "//[::1/x.csv": skipped, not fatal
            continue
        if parts.query or (parts.scheme, parts.netloc.lower()) != (
            here.scheme,
            here.netloc.lower(),
        ):
            continue
        directory, _, last = parts.path.rpartition("/")
        name = _unquoted(last)
        if url in seen or directory + "/" != folder or not is_export_file_name(name):
            continue
        seen.add(url)
        first = found.setdefault(name, url)
        if first != url:
            shown = clipped(shown_name(name))
            notes.append(f"{clipped(url)} bernama {shown} seperti {clipped(first)}, tidak ditarik")
    return list(found.values()), notes


def _name_of(url: str) -> str:
    return _unquoted(urllib.parse.urlsplit(url).path.rpartition("/")[2])


def _unquoted(name: str) -> str:
    """``name`` percent-decoded; bytes that are not UTF-8 kept apart as the OS keeps them in a
    file name (surrogate escapes), never all replaced by the same U+FFFD."""
    return urllib.parse.unquote(name, errors="surrogateescape")


def _http_time(value: str | None) -> int | None:
    """An HTTP date in nanoseconds since the epoch, as ``os.stat`` gives a file's times."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp()) * 10**9  # HTTP dates are whole seconds
