"""Pull: copy each source's new exports into the landing, the first step of the nightly run.

Where the exports of a source come from is configured in ``IKU_PULL_SOURCES``: entries
separated by commas or newlines, each ``<kode_satker>/<source>=<location>``::

    IKU_PULL_SOURCES="6204/ppid=https://ppid.example/ekspor/, 6204/siakba=/mnt/share/siakba"

- ``kode_satker``: 2 or 4 digits (``62`` a province, ``6204`` Barito Selatan).
- ``source``: one of the nine sources of ``sources.SOURCES`` (``ppid``, ``siakba``, ...).
- ``location``, one of:

  - an ``http://`` or ``https://`` URL of a directory listing: the ordinary autoindex page of
    ``python -m http.server``, nginx ``autoindex`` or Apache. Every link to a ``.csv`` or
    ``.xlsx`` file (any case) in that same folder is an export; links to the parent folder,
    subfolders, other sites, sort links (``?C=N;O=D``) and other file types are ignored.
    Redirects are followed (``/ekspor`` → ``/ekspor/``). ``https://user:password@host/...``
    sends the user and password (percent-encoded) by HTTP Basic authentication to that host
    only; messages never show the password.
  - a local folder, as an absolute path or a ``file://`` URL (a mounted share, say): the
    ``.csv`` and ``.xlsx`` files directly in it.

A source without an entry is not pulled: its location is the landing itself, where exports
are dropped by hand. Empty entries and lines starting with ``#`` are skipped. A location
cannot contain a comma (write ``%2C`` in a URL). A malformed configuration raises
:class:`PullConfigError` naming every bad entry.

Copying. New exports go to ``<landing>/<kode_satker>/<source>/<file name>``, with the file
name URL-decoded (``Register%20PPID.xlsx`` → ``Register PPID.xlsx``); names holding a path
separator or ``..``, hidden names and Office lock files (``~$...``) are refused. Nothing at
the source is changed or deleted. Each file is written to a temporary ``.pull-*.part`` file
in the target folder (the landing scan ignores names starting with a dot), flushed to disk,
then renamed into place: a run killed mid-download leaves no partial export under a real
name, and its stray temporary file is removed by a later pull. Then:

- the same bytes already in the landing under that name (or a kept older version of it):
  unchanged, nothing is written;
- other bytes under a name already in the landing (the source re-exported under the same
  name): the old file stays and the new one is written as ``<stem> (<UTC YYYYmmddTHHMMSS>)
  <suffix>``, so nothing is lost;
- the modification time is the HTTP ``Last-Modified`` of the download when the server sends
  one (local copies keep theirs): the warehouse lets the newest export win by it.

Failures. :func:`pull_location` makes one attempt. A failure another attempt may fix
(network, timeout, HTTP 5xx/408/429, an interrupted download) raises :class:`PullError`, so
that a Prefect task with retries retries it; a failure that would fail again the same way
(HTTP 404/403/401, a redirect to another scheme, an invalid certificate) is returned in
:attr:`PullResult.error` at once. One failing file does not stop the other files of the
location. :func:`pull_all` retries with exponential backoff without Prefect and never raises:
one source that stays down does not stop the others.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import ssl
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from http.client import HTTPException, HTTPMessage, HTTPResponse
from pathlib import Path
from typing import IO, cast

from sources import SOURCES
from warehouse.history import SATKER, SUPPORTED

USER_AGENT = "iku-warehouse"
TEMP_PREFIX = ".pull-"
STALE_TEMP_SECONDS = 3600  # a temporary file this old is left over from a killed run
LISTING_LIMIT = 5 << 20  # bytes of a directory listing read at most
CHUNK = 1 << 16
FAILURES_SHOWN = 5
RETRYABLE_HTTP = (408, 425, 429)  # and every 5xx
EXAMPLE = "6204/ppid=https://ppid.example/ekspor/"

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_PASSWORD = re.compile(r"(://[^/@:]*:)[^/@]*@")


class PullConfigError(ValueError):
    """``IKU_PULL_SOURCES`` cannot be understood; the message names each bad entry."""


class PullError(Exception):
    """A source could not be pulled.

    ``retryable``: another attempt may succeed (network, timeout, HTTP 5xx). ``copied``: the
    files this attempt had already written into the landing before it failed.
    """

    def __init__(self, message: str, retryable: bool = True, copied: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.copied = list(copied)


@dataclass(frozen=True)
class Location:
    """Where the exports of one source of one satker come from."""

    kode_satker: str
    source: str
    url: str  # as configured


@dataclass
class PullResult:
    """What pulling one location did."""

    location: Location
    copied: list[str]  # file names newly written into the landing
    unchanged: list[str]  # already in the landing with identical bytes
    error: str | None  # Indonesian message when the source could not be pulled (never raises)


# --- Configuration ---------------------------------------------------------------------------


def parse_locations(text: str) -> list[Location]:
    """The locations of ``IKU_PULL_SOURCES`` (see the module docstring); [] when empty."""
    locations: list[Location] = []
    problems: list[str] = []
    for entry in _entries(text):
        try:
            location = _parse_entry(entry)
        except PullConfigError as exc:
            problems.append(f"'{_masked(entry)}': {exc}")
            continue
        if location in locations:
            problems.append(f"'{_masked(entry)}': ditulis dua kali")
        else:
            locations.append(location)
    if problems:
        lines = "\n".join(f"- {p}" for p in problems)
        raise PullConfigError(
            f"IKU_PULL_SOURCES tidak valid:\n{lines}\n"
            f"Format: <kode_satker>/<sumber>=<lokasi>, dipisah koma atau baris baru, "
            f"mis. {EXAMPLE}"
        )
    return locations


def _entries(text: str) -> Iterator[str]:
    for line in text.splitlines():
        if line.strip().startswith("#"):
            continue
        for part in line.split(","):
            if part.strip():
                yield part.strip()


def _parse_entry(entry: str) -> Location:
    key, equals, url = entry.partition("=")
    satker, slash, source = key.partition("/")
    satker, source, url = satker.strip(), source.strip(), url.strip()
    if not equals or not slash:
        raise PullConfigError(f"bukan <kode_satker>/<sumber>=<lokasi> (mis. {EXAMPLE})")
    if not SATKER.match(satker):
        raise PullConfigError(f"kode satker '{satker}' harus 2 atau 4 angka (mis. 6204 atau 62)")
    if source not in SOURCES:
        known = ", ".join(SOURCES)
        raise PullConfigError(f"sumber '{source}' tidak dikenal (yang dikenal: {known})")
    if not url:
        raise PullConfigError("lokasi kosong")
    _check_location(url)
    return Location(satker, source, url)


def _check_location(url: str) -> None:
    scheme = _scheme(url)
    if scheme in ("http", "https"):
        try:
            parts = urllib.parse.urlsplit(url)
            _ = parts.port  # ValueError for a port that is not a number
        except ValueError as exc:
            raise PullConfigError(f"URL tidak sah ({exc})") from None
        if not parts.hostname:
            raise PullConfigError("URL tanpa nama host")
    elif scheme == "file":
        host = urllib.parse.urlsplit(url).netloc
        if host not in ("", "localhost"):
            raise PullConfigError(f"file:// hanya untuk folder lokal, bukan host '{host}'")
    elif scheme is not None:
        raise PullConfigError(
            f"skema '{scheme}:' tidak didukung; gunakan http://, https://, file:// "
            f"atau path folder absolut"
        )
    elif not Path(url).is_absolute():
        raise PullConfigError(f"path folder '{url}' harus absolut (mis. /mnt/share/siakba)")


def _scheme(url: str) -> str | None:
    """The URL scheme in lower case; None for a plain path."""
    match = _SCHEME.match(url)
    return match.group(1).lower() if match and len(match.group(1)) > 1 else None


def _local_folder(url: str) -> Path | None:
    """The folder of a local location; None for an http(s) location."""
    scheme = _scheme(url)
    if scheme == "file":
        return Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))
    if scheme is None:
        return Path(url)
    return None


def _masked(text: str) -> str:
    """``scheme://user:password@host`` → ``scheme://user:***@host``."""
    return _PASSWORD.sub(r"\1***@", text)


# --- Pulling -------------------------------------------------------------------------------


def pull_location(location: Location, landing: Path, timeout: float = 30.0) -> PullResult:
    """One attempt at one location; raises :class:`PullError` only when a retry may help."""
    folder = landing / location.kode_satker / location.source
    try:
        _remove_stale_temps(folder)
        local = _local_folder(location.url)
        if local is not None:
            return _pull_folder(location, local, folder)
        return _pull_http(location, folder, timeout)
    except PullError as exc:
        if exc.retryable:
            raise
        return PullResult(location, exc.copied, [], str(exc))
    except OSError as exc:  # the landing itself: not writable, disk full, ...
        raise PullError(f"landing {folder}: {exc}") from exc
    except Exception as exc:  # unforeseen: reported, never stops the other sources
        return PullResult(location, [], [], f"kesalahan tak terduga: {type(exc).__name__}: {exc}")


def pull_all(
    locations: Iterable[Location],
    landing: Path,
    attempts: int = 3,
    delay: float = 2.0,
    sleep: Callable[[float], object] = time.sleep,
) -> list[PullResult]:
    """Every location in turn, each retried after delay, 2×delay, 4×delay, …; never raises."""
    return [_with_retries(loc, landing, max(1, attempts), delay, sleep) for loc in locations]


def _with_retries(
    location: Location,
    landing: Path,
    attempts: int,
    delay: float,
    sleep: Callable[[float], object],
) -> PullResult:
    copied: list[str] = []  # written by attempts that failed later on
    attempt = 1
    while True:
        try:
            result = pull_location(location, landing)
        except PullError as exc:
            copied += [name for name in exc.copied if name not in copied]
            if attempt >= attempts:
                return PullResult(location, copied, [], f"{exc} (gagal {attempt} kali)")
            sleep(delay * 2 ** (attempt - 1))
            attempt += 1
            continue
        result.copied = copied + [name for name in result.copied if name not in copied]
        result.unchanged = [name for name in result.unchanged if name not in copied]
        return result


def _pull_folder(location: Location, source: Path, folder: Path) -> PullResult:
    if not source.is_dir():
        raise PullError(f"folder sumber {source} tidak ada atau tidak dapat dibuka")
    if source.resolve() == folder.resolve():  # the landing itself: nothing to pull
        return PullResult(location, [], [], None)
    try:
        files = sorted(p for p in source.iterdir() if p.is_file() and _file_name(p.name))
    except OSError as exc:
        raise PullError(f"folder sumber {source} tidak dapat dibaca: {exc}") from exc

    def copier(path: Path) -> Callable[[Path], None]:
        def fetch(tmp: Path) -> None:
            try:
                shutil.copy2(path, tmp)  # keeps the modification time
            except OSError as exc:
                raise PullError(f"{path.name}: tidak dapat disalin: {exc}") from exc

        return fetch

    return _take(location, folder, [(p.name, copier(p)) for p in files])


def _pull_http(location: Location, folder: Path, timeout: float) -> PullResult:
    opener, url = _opener(location.url)
    urls = _list(opener, url, timeout)
    items: dict[str, Callable[[Path], None]] = {}
    for file_url in urls:
        name = _name_of(file_url)
        if name not in items:
            items[name] = _downloader(opener, file_url, name, timeout)
    return _take(location, folder, list(items.items()))


def _take(
    location: Location, folder: Path, items: list[tuple[str, Callable[[Path], None]]]
) -> PullResult:
    """Fetch and place every file; the others go on when one fails."""
    result = PullResult(location, [], [], None)
    failures: list[str] = []
    retryable = False
    if items:
        folder.mkdir(parents=True, exist_ok=True)
    for name, fetch in items:
        try:
            placed = _fetch_and_place(folder, name, fetch)
        except PullError as exc:
            failures.append(str(exc))
            retryable = retryable or exc.retryable
            continue
        except OSError as exc:  # writing into the landing
            failures.append(f"{name}: tidak dapat ditulis ke landing: {exc}")
            retryable = True
            continue
        if placed is None:
            result.unchanged.append(name)
        else:
            result.copied.append(placed)
    if failures:
        message = "; ".join(failures[:FAILURES_SHOWN])
        if len(failures) > FAILURES_SHOWN:
            message += f"; dan {len(failures) - FAILURES_SHOWN} file lain"
        if retryable:
            raise PullError(message, copied=result.copied)
        result.error = message
    return result


def _fetch_and_place(folder: Path, name: str, fetch: Callable[[Path], None]) -> str | None:
    """The name written into ``folder``; None when the same bytes are already there."""
    fd, temp_name = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX, suffix=".part")
    os.close(fd)
    tmp = Path(temp_name)
    try:
        fetch(tmp)
        _fsync(tmp)
        return _place(tmp, name, folder)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _place(tmp: Path, name: str, folder: Path) -> str | None:
    size, sha = tmp.stat().st_size, _sha256(tmp)
    for existing in _versions(folder, name):
        if existing.stat().st_size == size and _sha256(existing) == sha:
            tmp.unlink()
            return None
    target = folder / name
    if target.exists():  # re-exported under the same name: keep the old one too
        target = _stamped(folder, name)
    os.replace(tmp, target)
    return target.name


def _versions(folder: Path, name: str) -> list[Path]:
    """``name`` and the versions of it kept under a stamped name."""
    stem, suffix = _split(name)
    stamped = re.compile(rf"{re.escape(stem)} \(\d{{8}}T\d{{6}}(-\d+)?\){re.escape(suffix)}")
    found = [folder / name] if (folder / name).is_file() else []
    found += sorted(p for p in folder.iterdir() if stamped.fullmatch(p.name) and p.is_file())
    return found


def _stamped(folder: Path, name: str) -> Path:
    stem, suffix = _split(name)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = folder / f"{stem} ({stamp}){suffix}"
    n = 2
    while target.exists():  # re-exported twice within a second
        target = folder / f"{stem} ({stamp}-{n}){suffix}"
        n += 1
    return target


def _split(name: str) -> tuple[str, str]:
    path = Path(name)
    return path.stem, path.suffix


def _file_name(name: str) -> str | None:
    """``name`` when it is an acceptable export file name, else None."""
    if not name or name in (".", "..") or any(c in name for c in "/\\\x00"):
        return None
    if name.startswith((".", "~$")):  # hidden files, our temporary files, Office lock files
        return None
    if Path(name).suffix.casefold() not in SUPPORTED:
        return None
    return name


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale_temps(folder: Path) -> None:
    """Temporary files left by a run killed mid-download."""
    if not folder.is_dir():
        return
    limit = time.time() - STALE_TEMP_SECONDS
    for path in folder.glob(f"{TEMP_PREFIX}*.part"):
        with contextlib.suppress(OSError):
            if path.stat().st_ctime < limit:  # ctime: the mtime is set from Last-Modified
                path.unlink()


# --- HTTP ----------------------------------------------------------------------------------


def list_remote(url: str, timeout: float) -> list[str]:
    """Absolute URLs of the ``.csv``/``.xlsx`` files a directory listing links to.

    Only files in the listed folder itself: no parent, subfolder, sort or foreign links.
    Raises :class:`PullError` when the listing cannot be fetched.
    """
    opener, plain = _opener(url)
    return _list(opener, plain, timeout)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Ordinary redirects are followed, but only to http(s)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            fp.close()
            raise PullError(
                f"pengalihan ke {_masked(newurl)} ditolak: hanya http:// dan https://",
                retryable=False,
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(url: str) -> tuple[urllib.request.OpenerDirector, str]:
    """An opener for one location, and its URL without user and password."""
    handlers: list[urllib.request.BaseHandler] = [_Redirects()]
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None:
        netloc = parts.netloc.rpartition("@")[2]
        url = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
        passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        passwords.add_password(
            None,
            f"{parts.scheme}://{netloc}/",  # this host only, never a host it redirects to
            urllib.parse.unquote(parts.username),
            urllib.parse.unquote(parts.password or ""),
            is_authenticated=True,  # send it with the first request, no challenge needed
        )
        handlers.append(urllib.request.HTTPBasicAuthHandler(passwords))
    opener = urllib.request.build_opener(*handlers)
    opener.addheaders = [("User-Agent", USER_AGENT)]
    return opener, url


def _open(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> HTTPResponse:
    shown = _masked(url)
    try:
        response = opener.open(url, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        code = exc.code
        retryable = code >= 500 or code in RETRYABLE_HTTP
        raise PullError(f"{shown}: server menjawab HTTP {code} {exc.reason}", retryable) from exc
    except urllib.error.URLError as exc:
        certificate = isinstance(exc.reason, ssl.SSLCertVerificationError)
        raise PullError(
            f"{shown}: tidak dapat terhubung ({_reason(exc.reason, timeout)})",
            retryable=not certificate,
        ) from exc
    except (OSError, HTTPException) as exc:
        raise PullError(f"{shown}: koneksi gagal ({_reason(exc, timeout)})") from exc
    except ValueError as exc:
        raise PullError(f"{shown}: URL tidak sah ({exc})", retryable=False) from exc
    response = cast(HTTPResponse, response)
    status = response.status
    if status != 200:
        response.close()
        raise PullError(f"{shown}: server menjawab HTTP {status}, bukan 200", retryable=False)
    return response


def _reason(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError):
        return f"tidak ada jawaban dalam {timeout:g} detik"
    if isinstance(reason, BaseException):
        return f"{type(reason).__name__}: {reason}"
    return str(reason)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs += [value for key, value in attrs if key == "href" and value]


def _list(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> list[str]:
    try:
        with _open(opener, url, timeout) as response:
            base = response.geturl()  # after redirects
            charset = response.headers.get_content_charset() or "utf-8"
            body = response.read(LISTING_LIMIT)
    except (OSError, HTTPException) as exc:
        raise PullError(f"{_masked(url)}: daftar file terputus ({_reason(exc, timeout)})") from exc
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:  # an unknown charset in the Content-Type
        text = body.decode("utf-8", errors="replace")
    parser = _Links()
    parser.feed(text)
    parser.close()
    return _export_links(base, parser.hrefs)


def _export_links(base: str, hrefs: Iterable[str]) -> list[str]:
    here = urllib.parse.urlsplit(base)
    folder = here.path.rpartition("/")[0] + "/"
    found: list[str] = []
    for href in hrefs:
        url = urllib.parse.urldefrag(urllib.parse.urljoin(base, href.strip())).url
        try:
            parts = urllib.parse.urlsplit(url)
        except ValueError:
            continue
        if parts.query or (parts.scheme, parts.netloc.lower()) != (
            here.scheme,
            here.netloc.lower(),
        ):
            continue
        directory, _, last = parts.path.rpartition("/")
        if directory + "/" != folder or not _file_name(urllib.parse.unquote(last)):
            continue
        if url not in found:
            found.append(url)
    return found


def _name_of(url: str) -> str:
    return urllib.parse.unquote(urllib.parse.urlsplit(url).path.rpartition("/")[2])


def _downloader(
    opener: urllib.request.OpenerDirector, url: str, name: str, timeout: float
) -> Callable[[Path], None]:
    def fetch(tmp: Path) -> None:
        received = 0
        with _open(opener, url, timeout) as response:
            headers = response.headers
            expected = headers.get("Content-Length", "").strip()
            try:
                with tmp.open("wb") as out:
                    while block := response.read(CHUNK):
                        out.write(block)
                        received += len(block)
            except (OSError, HTTPException) as exc:
                raise PullError(f"{name}: unduhan terputus ({_reason(exc, timeout)})") from exc
            if expected.isdigit() and received != int(expected):
                raise PullError(f"{name}: unduhan terputus ({received} dari {expected} byte)")
            modified = _http_time(headers.get("Last-Modified"))
        if modified is not None:
            os.utime(tmp, (modified, modified))

    return fetch


def _http_time(value: str | None) -> float | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
