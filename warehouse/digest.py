"""The data-quality digest of a run: what the admins read, by e-mail and webhook (SPEC §1, §3).

One digest per run, never one message per finding. It is built only from the issue rows
(``dq.issues``: source, file, row, rule, severity, message), whose messages are free of
personal data by construction; no cell value is ever added here, and every text taken from an
issue or a setting is passed through :func:`_text`: :func:`sources.personal.masked` as a second line of defence
(NIK-like digit runs, phone numbers and e-mail addresses are masked), then
:func:`warehouse.escape.plain`, so a file name holding a newline or an ANSI escape stays one
inert line in the e-mail and the webhook's JSON strings (plain text; the webhook's ``text``
also :func:`warehouse.escape.chat`). The e-mail body is the Jinja2 template
``warehouse/templates/digest.txt.j2``; sending it: ``warehouse.alerts``.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import jinja2

from sources.indonesian import tanggal
from sources.personal import masked
from warehouse.escape import chat, plain

ROWS_SHOWN = 20  # row numbers listed per file and rule in the text, then "dan N lainnya"
WEBHOOK_ROWS = 500  # row numbers per file and rule in the webhook JSON ("count" has the total)
WEBHOOK_TEXT_CHARS = 3000
EXAMPLES = 3  # example findings shown per warning rule
# Plain text, not HTML: nothing is escaped (the values are made inert lines by _shown).
_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("warehouse", "templates"),
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)
NO_FILE = "(tanpa file)"
NO_SOURCE = "(tanpa sumber)"
# What the items of each IKU are, in the digest's early-warning lines.
DUE_ITEMS = {
    "IKU-1": "tahapan",
    "IKU-2": "barang logistik",
    "IKU-3": "permohonan PPID",
    "IKU-4": "rekap PDPB desa",
    "IKU-5": "laporan pertanggungjawaban",
    "IKU-6": "TPS (pembentukan KPPS)",
}


@dataclass(frozen=True)
class Digest:
    """What one run found, for the admins."""

    run_id: str
    as_of: datetime.date
    issues: list[dict[str, Any]]  # rows of dq.issues (file_baru: a file of this run)
    files_loaded: int
    satker_names: dict[str, str]  # kode_satker -> name
    # iku.jatuh_tempo counted: kode_satker, kode_iku, hari_kerja_tersisa, jumlah (no item named)
    due: list[dict[str, Any]] = field(default_factory=list)
    failure: str | None = None  # why the run failed before publishing: None, it published


# --- Summarising the issues ----------------------------------------------------------------


@dataclass(frozen=True)
class _File:
    name: str
    sha256: str


@dataclass
class _Group:
    """The findings of one source of one satker."""

    kode_satker: str | None
    source: str | None
    rejected: dict[_File, dict[str, str]] = field(default_factory=dict)  # file -> rule -> message
    rows_in_error: dict[_File, set[int]] = field(default_factory=dict)  # of rejected files
    quarantined: dict[str, dict[_File, set[int]]] = field(default_factory=dict)  # rule -> rows
    examples: dict[str, str] = field(default_factory=dict)  # rule -> first message
    warnings: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # rule -> issues

    @property
    def rows_quarantined(self) -> int:
        return len(
            {(f, r) for files in self.quarantined.values() for f, rs in files.items() for r in rs}
        )

    @property
    def warning_count(self) -> int:
        return sum(len(v) for v in self.warnings.values())

    def files(self) -> set[_File]:
        found = set(self.rejected)
        found.update(f for files in self.quarantined.values() for f in files)
        found.update(_file_of(i) for issues in self.warnings.values() for i in issues)
        return found


@dataclass(frozen=True)
class _Counts:
    files_rejected: int
    rows_quarantined: int
    warnings: int

    def phrase(self, compact: bool = False) -> str:
        """ "2 file ditolak, 5 baris dikarantina, 3 peringatan"; compact leaves out the zeros."""
        parts = (
            (self.files_rejected, "file ditolak", True),
            (self.rows_quarantined, "baris dikarantina", True),
            (self.warnings, "peringatan", False),
        )
        return ", ".join(
            f"{n} {what}" for n, what, always in parts if n or (always and not compact)
        )


def _shown(value: object) -> str:
    """A text from an issue or a setting as shown: masked, then one line of inert text."""
    return plain(masked(value))


def _text(value: object) -> str | None:
    return None if value is None else _shown(value)


def _file_of(issue: Mapping[str, Any]) -> _File:
    return _File(_text(issue.get("file_name")) or NO_FILE, plain(issue.get("sha256") or ""))


def _row(issue: Mapping[str, Any]) -> int | None:
    value = issue.get("row_number")
    return None if value is None else int(value)


def _groups(issues: Iterable[Mapping[str, Any]]) -> list[_Group]:
    """Issues per satker and source: rejected files, quarantined rows per rule, warnings."""
    issues = list(issues)
    groups: dict[tuple[str, str], _Group] = {}

    def key_of(issue: Mapping[str, Any]) -> tuple[str, str]:
        return _text(issue.get("kode_satker")) or "", _text(issue.get("source")) or ""

    rejected = {
        (key_of(i), _file_of(i)) for i in issues if i.get("severity") == "error" and _row(i) is None
    }
    for issue in issues:
        key, file, row = key_of(issue), _file_of(issue), _row(issue)
        if key not in groups:
            groups[key] = _Group(key[0] or None, key[1] or None)
        group = groups[key]
        rule = _text(issue.get("rule")) or "-"
        if issue.get("severity") != "error":
            group.warnings.setdefault(rule, []).append(dict(issue))
        elif row is None:
            reasons = group.rejected.setdefault(file, {})
            reasons.setdefault(rule, _text(issue.get("message")) or rule)
        elif (key, file) in rejected:
            group.rows_in_error.setdefault(file, set()).add(row)
        else:
            group.quarantined.setdefault(rule, {}).setdefault(file, set()).add(row)
            group.examples.setdefault(rule, _text(issue.get("message")) or "")
    return [groups[k] for k in sorted(groups)]


def _count(groups: Iterable[_Group]) -> _Counts:
    groups = list(groups)
    return _Counts(
        files_rejected=sum(len(g.rejected) for g in groups),
        rows_quarantined=sum(g.rows_quarantined for g in groups),
        warnings=sum(g.warning_count for g in groups),
    )


def _new(digest: Digest) -> list[dict[str, Any]]:
    return [i for i in digest.issues if i.get("file_baru")]


def _old(digest: Digest) -> list[dict[str, Any]]:
    return [i for i in digest.issues if not i.get("file_baru")]


def _labels(group: _Group) -> dict[_File, str]:
    """File names as shown; a name landed with different contents gets its sha256 prefix."""
    files = group.files()
    names = Counter(f.name for f in files)
    return {
        f: f"{f.name} [sha256 {f.sha256[:12]}]" if names[f.name] > 1 and f.sha256 else f.name
        for f in files
    }


def _satkers(digest: Digest) -> list[str]:
    codes = {str(i["kode_satker"]) for i in _new(digest) if i.get("kode_satker")}
    codes = codes or {str(i["kode_satker"]) for i in digest.issues if i.get("kode_satker")}
    return sorted(codes or set(digest.satker_names))


def _source_key(group: _Group, several_satkers: bool) -> str:
    source = group.source or NO_SOURCE
    return f"{group.kode_satker}/{source}" if several_satkers and group.kode_satker else source


def _rows_text(rows: Iterable[int]) -> str:
    ordered = sorted(set(rows))
    text = ", ".join(str(r) for r in ordered[:ROWS_SHOWN])
    rest = len(ordered) - ROWS_SHOWN
    return f"{text} dan {rest} lainnya" if rest > 0 else text


def _by_size(items: Mapping[str, Any], size: Callable[[Any], int]) -> list[str]:
    return sorted(items, key=lambda k: (-size(items[k]), k))


# --- Rendering -----------------------------------------------------------------------------


def should_send(digest: Digest, on_warnings: bool, due_told: bool = False) -> bool:
    """True when the run failed, or found a new error, or a new warning when ``on_warnings``,
    or items are due soon and the admins were not told yet that day (``due_told``)."""
    severities = {i.get("severity") for i in _new(digest)}
    due = bool(digest.due) and not due_told
    failed = digest.failure is not None
    return failed or "error" in severities or (on_warnings and bool(severities)) or due


def _due_lines(digest: Digest, several: bool) -> list[str]:
    """ "3 permohonan PPID jatuh tempo dalam 2 hari kerja", per satker, IKU and days left."""
    lines = []
    for row in digest.due:
        days = int(row["hari_kerja_tersisa"])
        when = "hari ini" if days == 0 else f"dalam {days} hari kerja"
        what = DUE_ITEMS.get(str(row["kode_iku"]), f"butir {_shown(row['kode_iku'])}")
        where = f"satker {_shown(row['kode_satker'])}: " if several else ""
        lines.append(f"{where}{int(row['jumlah'])} {what} jatuh tempo {when}")
    return lines


def render_text(digest: Digest) -> tuple[str, str]:
    """(subject, plain-text body) of the digest, in Indonesian (body: digest.txt.j2)."""
    new_groups, old_groups = _groups(_new(digest)), _groups(_old(digest))
    new, old = _count(new_groups), _count(old_groups)
    satkers = _satkers(digest)
    several = len(satkers) > 1
    shown = ", ".join(map(_shown, satkers[:3])) + (
        f" +{len(satkers) - 3}" if len(satkers) > 3 else ""
    )
    what = new.phrase() if new_groups else "tidak ada temuan baru"
    if digest.due:
        what += f"; {sum(int(r['jumlah']) for r in digest.due)} butir jatuh tempo"
    if digest.failure is not None:
        what = f"run GAGAL: {_shown(digest.failure)[:120]}"
    where = f"[IKU {shown}]" if shown else "[IKU]"  # a failed run may know no satker
    subject = f"{where} Kualitas data run {_shown(digest.run_id)}: {what}"
    if digest.failure is not None:
        subject += " (database TIDAK diterbitkan)"
    body = _TEMPLATES.get_template("digest.txt.j2").render(
        satkers=[
            f"{_shown(digest.satker_names[c])} ({_shown(c)})"
            if c in digest.satker_names
            else _shown(c)
            for c in satkers
        ],
        run_id=_shown(digest.run_id),
        as_of=tanggal(digest.as_of),
        failure=_text(digest.failure),
        files_loaded=digest.files_loaded,
        new=new.phrase(),
        groups=[_group_view(g, several) for g in new_groups],
        old=old.phrase(),
        older=[(_source_key(g, several), _count([g]).phrase(True)) for g in old_groups],
        due=_due_lines(digest, several),
    )
    return subject, body


def _group_view(group: _Group, several: bool) -> dict[str, Any]:
    """What the template shows of one source: rejected files, quarantined rows by rule
    (largest first), warnings by rule with a few examples."""
    labels = _labels(group)
    title = group.source or NO_SOURCE
    if several and group.kode_satker:
        title += f" — satker {group.kode_satker}"

    def by_label(files: Iterable[_File]) -> list[_File]:
        return sorted(files, key=lambda f: labels[f])

    return {
        "title": title,
        "rejected": [
            {
                "label": labels[file],
                "reasons": "; ".join(f"{m} [{r}]" for r, m in group.rejected[file].items()),
                "count": len(group.rows_in_error.get(file, ())),
                "rows": _rows_text(group.rows_in_error.get(file, ())),
            }
            for file in by_label(group.rejected)
        ],
        "rows_quarantined": group.rows_quarantined,
        "quarantined": [
            {
                "name": rule,
                "count": sum(len(r) for r in group.quarantined[rule].values()),
                "files": [
                    {"label": labels[f], "rows": _rows_text(group.quarantined[rule][f])}
                    for f in by_label(group.quarantined[rule])
                ],
                "example": group.examples.get(rule),
            }
            for rule in _by_size(group.quarantined, lambda fs: sum(len(r) for r in fs.values()))
        ],
        "warning_count": group.warning_count,
        "warnings": [
            {
                "name": rule,
                "count": len(group.warnings[rule]),
                "examples": [_example(i, labels) for i in group.warnings[rule][:EXAMPLES]],
            }
            for rule in _by_size(group.warnings, len)
        ],
    }


def _example(issue: Mapping[str, Any], labels: Mapping[_File, str]) -> str:
    file, row = _file_of(issue), _row(issue)
    where = labels[file] if file.name != NO_FILE else ""
    if row is not None:
        where = f"{where} baris {row}".strip()
    message = _text(issue.get("message")) or ""
    return f"{where}: {message}" if where else message


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    suffix = "\n… (dipotong; ringkasan lengkap di e-mail dan di view dq.issues)"
    cut = text[: limit - len(suffix)]
    if "\n" in cut:
        cut = cut[: cut.rindex("\n")]
    return cut + suffix


def render_webhook(digest: Digest) -> dict[str, Any]:
    """JSON body for a chat bot or a Slack-style incoming webhook (``text`` is what it shows)."""
    subject, body = render_text(digest)
    new_groups = _groups(_new(digest))
    several = len(_satkers(digest)) > 1
    sources: dict[str, Any] = {}
    for group in new_groups:
        labels = _labels(group)
        sources[_source_key(group, several)] = {
            "kode_satker": group.kode_satker,
            "files_rejected": [
                {
                    "file": labels[f],
                    "message": "; ".join(group.rejected[f].values()),
                    "rules": list(group.rejected[f]),
                    "rows_in_error": len(group.rows_in_error.get(f, ())),
                }
                for f in sorted(group.rejected, key=lambda f: labels[f])
            ],
            "rows_quarantined": {
                rule: {
                    "count": sum(len(r) for r in files.values()),
                    "files": {
                        labels[f]: sorted(files[f])[:WEBHOOK_ROWS]
                        for f in sorted(files, key=lambda f: labels[f])
                    },
                }
                for rule, files in sorted(group.quarantined.items())
            },
            "warnings": {rule: len(found) for rule, found in sorted(group.warnings.items())},
        }
    return {
        "text": _shorten(chat(f"{subject}\n\n{body}".strip()), WEBHOOK_TEXT_CHARS),
        "run_id": _shown(digest.run_id),
        "as_of": digest.as_of.isoformat(),
        "published": digest.failure is None,
        "failure": _text(digest.failure),
        "files_loaded": digest.files_loaded,
        "satker": {_shown(c): _text(digest.satker_names.get(c)) for c in _satkers(digest)},
        "summary": asdict(_count(new_groups)),
        "older_open": asdict(_count(_groups(_old(digest)))),
        "sources": sources,
        "jatuh_tempo": [
            {
                "kode_satker": _shown(r["kode_satker"]),
                "kode_iku": _shown(r["kode_iku"]),
                "hari_kerja_tersisa": int(r["hari_kerja_tersisa"]),
                "jumlah": int(r["jumlah"]),
            }
            for r in digest.due
        ],
    }
