"""Pull locations: where the exports of a source come from, configured in
``IKU_PULL_SOURCES``: entries separated by commas or newlines, each
``<kode_satker>/<source>=<location>``::

    IKU_PULL_SOURCES="6204/ppid=https://ppid.example/ekspor/, 6204/siakba=/mnt/share/siakba"

- ``kode_satker``: 2 or 4 digits (``62`` a province, ``6204`` Barito Selatan).
- ``source``: one of the nine sources of ``sources.SOURCES`` (``ppid``, ``siakba``, ...).
- ``location``, one of:

  - an ``http://`` or ``https://`` URL of a directory listing: the ordinary autoindex page of
    ``python -m http.server``, nginx ``autoindex`` or Apache. Every link to a ``.csv`` or
    ``.xlsx`` file (any case) in that same folder is an export; links to the parent folder,
    subfolders, other sites, sort links (``?C=N;O=D``) and other file types are ignored.
    Redirects are followed only within the same scheme, host and port (``/ekspor`` →
    ``/ekspor/``), at most ``warehouse.remote.MAX_REDIRECTS`` in a row; a redirect anywhere
    else is refused and nothing is requested there. ``https://user:password@host/...`` sends the user and
    password (percent-encoded) by HTTP Basic authentication to that host only; messages never
    show the password.
  - a local folder, as an absolute path or a ``file://`` URL (a mounted share, say): the
    regular ``.csv`` and ``.xlsx`` files directly in it. Symbolic links in it are not followed:
    they are skipped, and named as a warning in the pull's result (``PullResult.warnings``).

A source without an entry is not pulled: its location is the landing itself, where exports
are dropped by hand. A satker's source has one location at most (two would pull into one
landing folder). Empty entries and lines starting with ``#`` are skipped. A location
cannot contain a comma (write ``%2C`` in a URL). A malformed configuration raises
:class:`PullConfigError` naming every bad entry.
"""

from __future__ import annotations

import re
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from sources import SOURCES
from warehouse.landing import SATKER
from warehouse.transfer import Location, masked

EXAMPLE = "6204/ppid=https://ppid.example/ekspor/"

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class PullConfigError(ValueError):
    """``IKU_PULL_SOURCES`` cannot be understood; the message names each bad entry."""


def parse_locations(text: str) -> list[Location]:
    """The locations of ``IKU_PULL_SOURCES`` (see the module docstring); [] when empty."""
    locations: dict[tuple[str, str], Location] = {}  # one per satker and source
    problems: list[str] = []
    for entry in _entries(text):
        try:
            location = _parse_entry(entry)
        except PullConfigError as exc:
            problems.append(f"'{masked(entry)}': {exc}")
            continue
        first = locations.setdefault((location.kode_satker, location.source), location)
        if first is location:
            continue
        where = f"{location.kode_satker}/{location.source}"
        problems.append(
            f"'{masked(entry)}': ditulis dua kali"
            if first == location
            else f"'{masked(entry)}': {where} sudah ditarik dari {masked(first.url)}; satu "
            "lokasi per satker dan sumber (keduanya menulis ke folder landing yang sama)"
        )
    if problems:
        lines = "\n".join(f"- {p}" for p in problems)
        raise PullConfigError(
            f"entri tidak valid:\n{lines}\n"
            f"Format: <kode_satker>/<sumber>=<lokasi>, dipisah koma atau baris baru, "
            f"mis. {EXAMPLE}"
        )
    return list(locations.values())


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


def local_folder(url: str) -> Path | None:
    """The folder of a local location; None for an http(s) location."""
    scheme = _scheme(url)
    if scheme == "file":
        return Path(urllib.request.url2pathname(urllib.parse.urlsplit(url).path))
    if scheme is None:
        return Path(url)
    return None
