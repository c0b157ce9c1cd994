"""warehouse.cache: each export is parsed and checked once; a later run reads what it gave,
unless the code, the read limits, the as-of window or the satker's reference data say
otherwise."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from exports import frame, load_source, validator, written

import sources.read
from sources import SOURCES
from sources.model import CheckContext
from sources.sheet import TOO_MANY_ERRORS, UNEXPECTED_ERROR, ReadLimits
from warehouse.cache import ExportCache
from warehouse.findings import issue_rows
from warehouse.history import History
from warehouse.load import UNCHECKED_FROM, SourceLoad
from warehouse.pii import Pseudonymiser
from warehouse.quality import DATE_ORDER
from warehouse.verdict import TRUNCATED

PPID = "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis\n"
SIAKBA = (
    "Jenis Pemilihan;NIK;Jenis Kelamin;Tanggal Lahir;Kode Desa;Nomor TPS;Jabatan;"
    "Status Seleksi;Tanggal Pelantikan\n"
)
# Two PPID registers, the second with a key twice in the file and a date that is none.
REGISTERS = {
    "ppid/a.csv": PPID + "001;06/01/2025;10/01/2025\n002;08/01/2025;05/01/2025\n",
    "ppid/b.csv": PPID + "003;03/02/2025;\n003;03/02/2025;\nxyz;bukan tanggal;\n",
}
VOTING = {"Pemilu 2024": dt.date(2024, 2, 14)}
AS_OF = dt.date(2025, 12, 31)


def land(tmp_path: Path, files: dict[str, str]) -> History:
    landing = tmp_path / "landing"
    for name, text in files.items():
        path = landing / "6204" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        os.utime(path, (1_740_000_000, 1_740_000_000))
    history = History(tmp_path / "history")
    history.land(landing)
    return history


def load(history: History, source: str, cache: ExportCache, **options: object) -> SourceLoad:
    context = options.pop("context", CheckContext(AS_OF, VOTING))
    exports = [e for e in history.exports() if e.source == source]
    return load_source(
        SOURCES[source], exports, history.root, validator(), context, cache=cache,
        **{**written(history.root.parent), **options},
    )  # type: ignore[arg-type]  # fmt: skip


def same(a: SourceLoad, b: SourceLoad) -> None:
    assert not frame(a).is_empty() and frame(a).equals(frame(b))
    assert [f.result.issues for f in a.files] == [f.result.issues for f in b.files]


def test_a_second_run_reads_and_checks_nothing_and_gets_the_same_rows(tmp_path: Path) -> None:
    history = land(tmp_path, REGISTERS)
    cache = ExportCache(tmp_path / "cache")
    first = load(history, "ppid", cache)
    assert first.files_checked == 2 and first.rule_results
    for export in history.exports():  # the history must not be parsed again: spoil it
        export.path(history.root).write_bytes(b"\x00 not an export")
    again = load(history, "ppid", cache)
    assert again.files_checked == 0 and again.rule_results == []
    same(first, again)
    assert any(i.rule == "kunci_ganda_dalam_file" for i in again.files[1].result.issues)


def test_a_run_with_nothing_new_reads_one_index_per_satker_and_source(tmp_path: Path) -> None:
    history = land(tmp_path, REGISTERS)
    cache = ExportCache(tmp_path / "cache")
    first = load(history, "ppid", cache)
    (index,) = (tmp_path / "cache").rglob("keputusan-*.json")
    # Each export's own JSON files spoiled: were they read, both would be read again.
    spoiled = [p for p in (tmp_path / "cache").rglob("*.json") if p != index]
    assert len(spoiled) == 4
    for path in spoiled:
        path.write_text("{")
    again = load(history, "ppid", cache)
    assert again.files_checked == 0
    same(first, again)
    # An index that does not say what it should is no index: each export is judged from
    # its own (spoiled) files, read again, and indexed again.
    index.write_text(json.dumps({f.export.sha256: "rusak" for f in first.files}))
    assert load(history, "ppid", cache).files_checked == 2 and index.exists()
    assert load(history, "ppid", cache).files_checked == 0


def test_reference_data_of_the_satker_decides_whether_its_checks_are_kept(tmp_path: Path) -> None:
    row = "Pemilu 2024;6204014101900001;P;01/01/1990;6204012001;1;Ketua;Lulus;25/01/2024\n"
    history = land(tmp_path, {"siakba/kpps.csv": SIAKBA + row})
    cache = ExportCache(tmp_path / "cache")
    known = CheckContext(AS_OF, VOTING, desa={"6204": frozenset({"6204012001"})})
    other = dataclasses.replace(known, desa={"6204": frozenset({"6204012002"})})
    assert load(history, "siakba", cache, context=known).files_checked == 1
    assert load(history, "siakba", cache, context=known).files_checked == 0
    moved = load(history, "siakba", cache, context=other)  # a new wilayah export: check again
    assert moved.files_checked == 1
    assert any(i.rule == "kode_desa_tidak_dikenal" for i in moved.files[0].result.issues)
    assert load(history, "siakba", cache, context=known).files_checked == 0  # both kept


def test_an_election_an_admin_adds_is_read_as_the_reference_list_spells_it(
    tmp_path: Path,
) -> None:
    """Categorical values match ignoring case and spaces (SPEC §2), an election an admin adds
    to pemilihan.csv as well as the two the declarations know: SIAKBA's "PSU PILKADA 2025" is
    the TPS list's "PSU Pilkada 2025", not an unknown election at an unknown TPS. The cache
    keeps the rows as read: before the election is listed they stay as written."""
    psu = "PSU Pilkada 2025"
    row = " psu  PILKADA 2025;6204014101900001;P;01/01/1990;6204012001;1;Ketua;Lulus;07/08/2025\n"
    history = land(tmp_path, {"siakba/kpps.csv": SIAKBA + row})
    cache = ExportCache(tmp_path / "cache")
    unlisted = CheckContext(AS_OF, VOTING, tps={"6204": frozenset({f"{psu}|6204012001|1"})})
    before = load(history, "siakba", cache, context=unlisted)
    assert frame(before)["jenis_pemilihan"].to_list() == ["psu PILKADA 2025"]
    listed = dataclasses.replace(unlisted, voting_days={**VOTING, psu: dt.date(2025, 8, 27)})
    after = load(history, "siakba", cache, context=listed)
    assert after.files_checked == 1 and after.files[0].result.issues == []
    assert frame(after)["jenis_pemilihan"].to_list() == [psu]


def test_an_as_of_date_that_moves_the_date_window_over_a_date_reads_again(tmp_path: Path) -> None:
    history = land(tmp_path, {"ppid/a.csv": PPID + "001;06/01/2027;10/01/2027\n"})
    cache = ExportCache(tmp_path / "cache")
    limits = ReadLimits(as_of=AS_OF)  # dates up to 31 Dec 2027 are plausible
    first = load(history, "ppid", cache, limits=limits)
    assert first.files[0].rows_valid == 1
    # A year later the same window still holds the dates: what was kept is used.
    later = load(
        history, "ppid", cache, limits=dataclasses.replace(limits, as_of=dt.date(2026, 12, 31))
    )
    assert later.files_checked == 0
    # An as-of date whose window ends before the file's dates: the export is read again, and
    # its dates are refused as the reader refuses them.
    earlier = load(
        history, "ppid", cache, limits=dataclasses.replace(limits, as_of=dt.date(2024, 12, 31))
    )
    assert earlier.files_checked == 1 and earlier.files[0].rows_valid == 0


def test_dates_refused_for_their_window_or_a_changed_limit_read_again(tmp_path: Path) -> None:
    """A date after the window of yesterday's as-of date may be plausible tonight, and a read
    limit the admin changed may let in what it refused: either way the export is read
    again, never judged from what was kept."""
    history = land(tmp_path, {"ppid/a.csv": PPID + "001;06/01/2027;10/01/2027\n"})
    cache = ExportCache(tmp_path / "cache")
    limits = ReadLimits(as_of=dt.date(2024, 12, 31))  # dates up to 31 Dec 2026 are plausible
    assert load(history, "ppid", cache, limits=limits).files[0].rows_valid == 0
    later = load(history, "ppid", cache, limits=dataclasses.replace(limits, as_of=AS_OF))
    assert later.files_checked == 1 and later.files[0].rows_valid == 1
    few = dataclasses.replace(limits, as_of=AS_OF, max_field_chars=5)
    assert load(history, "ppid", cache, limits=few).files[0].rows_valid == 0
    again = load(history, "ppid", cache, limits=dataclasses.replace(few, max_field_chars=100))
    assert again.files_checked == 1 and again.files[0].rows_valid == 1


def test_an_export_the_reader_failed_on_unexpectedly_is_read_again_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure of the reader itself (a bug, memory running out) is no verdict on the
    export: nothing of it is kept, and the next run reads it again and takes its rows."""
    history = land(tmp_path, {"ppid/a.csv": PPID + "001;06/01/2025;10/01/2025\n"})
    cache = ExportCache(tmp_path / "cache")

    def broken(*args: object, **kwargs: object) -> None:
        raise MemoryError

    def broken_run() -> None:
        with monkeypatch.context() as patched:
            patched.setattr(sources.read, "parse_series", broken)
            failed = load(history, "ppid", cache)
        assert [i.rule for i in failed.files[0].result.issues] == [UNEXPECTED_ERROR]

    broken_run()
    again = load(history, "ppid", cache)
    assert again.files_checked == 1 and again.files[0].rows_valid == 1
    # Read again over a damaged entry (its typed rows, and no loaded rows): the entry stays,
    # but the loaded rows of the failure are not kept under it either.
    for path in (tmp_path / "cache").rglob("*"):
        if ".mentah-" in path.name or path.name.startswith("keputusan-"):
            path.unlink()
        elif path.suffix == ".parquet":
            path.write_bytes(b"not parquet")
    broken_run()
    again = load(history, "ppid", cache)
    assert again.files_checked == 1 and again.files[0].rows_valid == 1


def test_a_damaged_entry_is_read_again_and_old_entries_are_pruned(tmp_path: Path) -> None:
    history = land(tmp_path, {"ppid/a.csv": PPID + "001;06/01/2025;10/01/2025\n"})
    cache = ExportCache(tmp_path / "cache")
    first = load(history, "ppid", cache)
    (part,) = first.parts
    (entry,) = (p for p in (tmp_path / "cache").rglob("*.parquet") if p != part)
    part.write_bytes(b"not parquet")  # the loaded rows only: decided again from the typed rows
    again = load(history, "ppid", cache)
    assert again.files_checked == 0 and again.parts == [part]
    same(first, again)
    for damaged in (entry, part):  # the typed rows too: read and checked again
        damaged.write_bytes(b"not parquet")
    again = load(history, "ppid", cache)
    assert again.files_checked == 1
    same(first, again)
    assert pl.read_parquet(entry).height == 1 and pl.read_parquet(part).height == 1
    stale = entry.with_name("0" * 64 + "-0123456789abcdef.parquet")
    stale.write_bytes(b"")
    (index,) = (tmp_path / "cache").rglob("keputusan-*.json")
    older = index.with_name("keputusan-0123456789abcdef.json")  # of another code version
    older.write_bytes(b"")
    assert cache.prune(history.exports()) == 2 and not stale.exists() and not older.exists()
    assert entry.exists() and index.exists()
    # Loaded rows no run uses any more (another key, another context) go; the used stay.
    unused = part.with_name(part.name.replace(".mentah-", ".mentah-0"))
    unused.write_bytes(b"")
    assert cache.prune(history.exports(), used=[part]) == 1 and not unused.exists()
    assert part.exists() and part.with_suffix(".json").exists()
    part.unlink()  # the loaded rows gone, their record left: decided again
    again = load(history, "ppid", cache)
    assert again.files_checked == 0 and again.parts == [part] and part.exists()
    same(first, again)


def test_loaded_rows_are_kept_per_pseudonym_key(tmp_path: Path) -> None:
    row = "Pemilu 2024;6204014101900001;P;01/01/1990;6204012001;1;Ketua;Lulus;25/01/2024\n"
    history = land(tmp_path, {"siakba/kpps.csv": SIAKBA + row})
    cache = ExportCache(tmp_path / "cache")
    first = load(history, "siakba", cache)
    other = load(history, "siakba", cache, pseudonymiser=Pseudonymiser("kunci lain"))
    assert other.files_checked == 0 and other.parts != first.parts
    (a,), (b,) = (frame(x)["nik_pseudonim"].to_list() for x in (first, other))
    assert a != b and "6204014101900001" not in (a, b)


def test_a_file_the_reader_finds_mostly_wrong_is_rejected_without_its_rows_checked(
    tmp_path: Path,
) -> None:
    # Of 1,101 requests, 1,100 have no date the reader can read; the other was answered
    # before it was received, an error only the checks find.
    bad = "".join(f"B-{n};bukan;10/01/2025\n" for n in range(UNCHECKED_FROM + 100))
    rows = "001;06/01/2025;03/01/2025\n" + bad
    history = land(tmp_path, {"ppid/a.csv": PPID + rows})
    cache = ExportCache(tmp_path / "cache")
    strict = load(history, "ppid", cache)
    found = {i.rule for i in strict.files[0].result.issues}
    assert TOO_MANY_ERRORS in found and DATE_ORDER not in found  # its rows were not checked
    assert strict.rule_results == []
    # What was decided without the checks is not kept for a ratio that lets the file in.
    lenient = load(history, "ppid", cache, max_error_ratio=1.0)
    found = {i.rule for i in lenient.files[0].result.issues}
    assert TOO_MANY_ERRORS not in found and lenient.rule_results
    assert DATE_ORDER in found
    # Strict after lenient on a new cache, the checks' findings kept: decided as without them.
    other = ExportCache(tmp_path / "cache-2")
    load(history, "ppid", other, max_error_ratio=1.0)
    again = load(history, "ppid", other)
    assert again.files[0].result.issues == strict.files[0].result.issues
    assert frame(again).equals(frame(strict))


def test_a_file_of_many_findings_is_kept_as_dq_issues_lists_them(tmp_path: Path) -> None:
    """A garbage export stays in the history for good: its findings are kept as dq.issues
    lists them (IKU_MAX_FINDINGS_PER_RULE per rule, then a count), not a million of them for
    every later run to read back; its rows keep every error. Another limit decides it again."""
    bad = "".join(f"B-{n};bukan;10/01/2025\n" for n in range(30))
    history = land(tmp_path, {"ppid/a.csv": PPID + "001;06/01/2025;10/01/2025\n" + bad})
    cache = ExportCache(tmp_path / "cache")
    first = load(history, "ppid", cache, max_per_rule=5)
    again = load(history, "ppid", cache, max_per_rule=5)
    assert again.files_checked == 0 and frame(again).equals(frame(first))
    listed = [issue_rows({"ppid": x}, [], set(), max_per_rule=5) for x in (first, again)]
    assert listed[0].equals(listed[1]) and listed[0].height < 30
    kept = Counter(i.rule for i in again.files[0].result.issues)
    assert max(kept.values()) <= 5 and kept[TRUNCATED] >= 1
    assert len(first.files[0].result.issues) > 30  # this run's own verdict holds them all
    assert frame(again)["aturan"].is_not_null().sum() == 31  # every row set aside, the file too
    wider = load(history, "ppid", cache, max_per_rule=50)
    assert wider.files_checked == 0 and TRUNCATED not in {
        i.rule for i in wider.files[0].result.issues
    }
