"""History and staging precedence: every export kept once, the newest snapshot wins."""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest
from exports import NO_REFERENCES, frame, load_source, validator, written
from iku_helpers import build, new_database

from sources import SOURCES
from warehouse import staging
from warehouse.history import LANDING_DIGESTS, SETTLED_NS, History, _modified
from warehouse.landing import open_regular
from warehouse.load import SourceLoad
from warehouse.verdict import DEFAULT_FILE

HEADER = "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis\n"


def drop(
    landing: Path, name: str, body: str, mtime: int, satker: str = "6204", source: str = "ppid"
) -> Path:
    path = landing / satker / source / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    os.utime(path, (mtime, mtime))
    return path


def ppid_loaded(landing: Path, tmp_path: Path) -> SourceLoad:
    """The PPID exports of ``landing``, landed in a new history and loaded."""
    history = History(tmp_path / "history")
    history.land(landing)
    exports = history.exports()
    return load_source(
        SOURCES["ppid"], exports, history.root, validator(), NO_REFERENCES, **written(tmp_path)
    )


def staged(load: SourceLoad, tmp_path: Path) -> pl.DataFrame:
    """staging.<source> as the SQL model builds it from these loaded rows."""
    con = new_database(tmp_path)
    staging.insert(con, load.source, load.parts)
    build(con, date(2025, 6, 30))
    return pl.from_arrow(con.sql(f"SELECT * FROM staging.{load.source.name}").arrow())  # type: ignore[return-value]


def test_export_is_kept_unchanged_and_addressed_by_sha256(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    original = drop(landing, "register.csv", HEADER + "001;27/03/2025;\n", 1_700_000_000)
    history = History(tmp_path / "history")
    report = history.land(landing)
    [export] = report.new
    kept = export.path(history.root)
    assert kept.read_bytes() == original.read_bytes()
    assert kept.name == f"{export.sha256}.csv"
    assert (export.kode_satker, export.source, export.file_name) == ("6204", "ppid", "register.csv")
    assert export.origin == str(original.resolve())
    assert export.modified_at.startswith("2023-11-14T22:13:20")
    assert original.exists()  # the landing is never changed


def test_identical_bytes_are_loaded_once(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    body = HEADER + "001;27/03/2025;\n"
    drop(landing, "register.csv", body, 1_700_000_000)
    history = History(tmp_path / "history")
    assert len(history.land(landing).new) == 1
    # The same run again, and the same bytes under another name: nothing new.
    again = history.land(landing)
    assert (again.new, again.unchanged) == ([], ["6204/ppid/register.csv"])
    drop(landing, "register (1).csv", body, 1_700_100_000)
    assert history.land(landing).new == []
    assert len(history.exports()) == 1


def test_an_export_restored_as_it_was_is_the_newest_snapshot_again(tmp_path: Path) -> None:
    """Register 001 late, then corrected (on time), then the correction undone: the third
    export has the bytes of the first. It is not loaded twice, but its rows are the newest
    again (its name and time), or the correction it undid would stand."""
    landing = tmp_path / "landing"
    late = HEADER + "001;03/03/2025;31/03/2025\n"
    drop(landing, "ppid_1.csv", late, 1_740_000_000)
    drop(landing, "ppid_2.csv", HEADER + "001;03/03/2025;04/03/2025\n", 1_740_100_000)
    history = History(tmp_path / "history")
    assert len(history.land(landing).new) == 2
    drop(landing, "ppid_3.csv", late, 1_740_200_000)
    assert history.land(landing).new == []
    assert [(e.file_name, e.modified.timestamp()) for e in history.exports()] == [
        ("ppid_2.csv", 1_740_100_000),
        ("ppid_3.csv", 1_740_200_000),
    ]
    [row] = staged(ppid_loaded(landing, tmp_path / "again"), tmp_path).to_dicts()
    assert (row["nama_file"], str(row["tanggal_pemberitahuan_tertulis"])) == (
        "ppid_3.csv",
        "2025-03-31",
    )
    # An older copy of those bytes landing afterwards changes nothing.
    drop(landing, "ppid_0.csv", late, 1_739_000_000)
    history.land(landing)
    assert [e.file_name for e in history.exports()] == ["ppid_2.csv", "ppid_3.csv"]


def test_personal_data_in_a_file_or_folder_name_is_never_published(tmp_path: Path) -> None:
    """A register exported for one requester, named after them: the name the database and the
    alerts show has the phone number masked, and two such names stay apart (SPEC §5)."""
    from warehouse.findings import issue_rows

    landing = tmp_path / "landing"
    drop(landing, "register Budi 081234567890.csv", HEADER + "001;03/03/2025;\n", 1_740_000_000)
    drop(landing, "register Budi 081298765432.csv", HEADER + "002;03/03/2025;\n", 1_740_000_000)
    drop(landing, "a.csv", HEADER, 1, satker="0812-3456-7890")  # a folder that is no satker
    history = History(tmp_path / "history")
    report = history.land(landing)
    names = sorted(e.file_name for e in history.exports())
    assert len(names) == 2 and names[0] != names[1]
    assert all(n.startswith("register Budi [nomor disamarkan].csv [") for n in names)
    assert {e.origin.rpartition("/")[2] for e in report.new} == {
        "register Budi 081234567890.csv",
        "register Budi 081298765432.csv",
    }  # the landing keeps the name itself
    [problem] = report.problems
    issues = issue_rows({}, [problem], set())
    shown = "\n".join(str(v) for v in issues.row(0))
    assert "3456" not in shown and "[nomor disamarkan]" in shown


def test_a_landing_file_is_read_again_only_when_it_changed(tmp_path: Path) -> None:
    """A run knows a landing file by the sha256 it had when a run last read it, as long as
    its size, times and inode are the same (``landing.json``); a file rewritten with the
    same size and modification time has changed all the same (its ctime moved)."""
    landing = tmp_path / "landing"
    path = drop(landing, "register.csv", HEADER + "001;27/03/2025;\n", 1_700_000_000)
    time.sleep(SETTLED_NS / 1e9 + 0.1)  # changed long enough ago to be known by its times
    history = History(tmp_path / "history")
    [first] = history.land(landing).new
    remembered = json.loads((history.root / LANDING_DIGESTS).read_text())
    assert remembered[str(path.absolute())][-1] == first.sha256
    assert history.land(landing).unchanged == ["6204/ppid/register.csv"]
    drop(landing, "register.csv", HEADER + "002;27/03/2025;\n", 1_700_000_000)
    [second] = history.land(landing).new
    assert second.sha256 != first.sha256


def test_files_in_wrong_places_are_reported(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    drop(landing, "a.csv", HEADER, 1, satker="barsel")
    drop(landing, "b.csv", HEADER, 1, source="anggaran")
    drop(landing, "~$lock.xlsx", "", 1)  # an Office lock file is not an export
    report = History(tmp_path / "history").land(landing)
    assert report.new == []
    messages = sorted(p.message for p in report.problems)
    assert len(messages) == 2
    assert "folder satker 'barsel'" in messages[0]
    assert "folder sumber 'anggaran'" in messages[1]


def test_a_landing_that_is_not_there_is_a_warning_of_the_run(tmp_path: Path) -> None:
    """A share not mounted or a mistyped path under ``iku serve``: the night's issues say so,
    naming no satker or source, instead of the run publishing the history in silence."""
    from warehouse.findings import issue_rows

    (tmp_path / "berkas").write_text("not a folder")
    for landing in (tmp_path / "share", tmp_path / "berkas"):
        report = History(tmp_path / "history").land(landing)
        assert report.new == []
        [row] = issue_rows({}, report.problems, set()).to_dicts()
        assert (row["kode_satker"], row["source"], row["file_name"]) == (None, None, landing.name)
        assert (row["rule"], row["severity"]) == ("landing_tidak_ada", "warning")
        assert row["message"].startswith(f"folder landing {landing} tidak ada (atau bukan folder)")


def test_the_walk_never_leaves_the_landing(tmp_path: Path) -> None:
    """Links (to files and to folders) and special files are reported, never followed."""
    landing, outside = tmp_path / "landing", tmp_path / "outside"
    drop(landing, "register.csv", HEADER + "001;27/03/2025;\n", 1)
    secret = drop(outside, "secret.csv", HEADER + "RAHASIA;27/03/2025;\n", 1)
    folder = landing / "6204" / "ppid"
    (folder / "link.csv").symlink_to(secret)
    (folder / "sub").symlink_to(secret.parent, target_is_directory=True)
    (landing / "6205").symlink_to(folder.parent, target_is_directory=True)  # a satker folder
    os.mkfifo(folder / "pipe.csv")  # reading it would block the run for ever
    history = History(tmp_path / "history")
    report = history.land(landing)
    assert [e.file_name for e in report.new] == ["register.csv"]
    warned = {p.path: (p.rule, p.severity) for p in report.problems}
    assert warned == {
        "6204/ppid/link.csv": ("bukan_file_biasa", "warning"),
        "6204/ppid/sub": ("bukan_file_biasa", "warning"),
        "6204/ppid/pipe.csv": ("bukan_file_biasa", "warning"),
        "6205": ("bukan_file_biasa", "warning"),
    }
    assert not any(b"RAHASIA" in p.read_bytes() for p in history.root.rglob("*") if p.is_file())


def test_names_and_folders_no_run_can_carry_are_refused_alone(tmp_path: Path) -> None:
    """A name that is not UTF-8, a satker folder of other digits or ending in a newline, a
    folder nested without end: each is one problem, written as the run writes problems."""
    landing = tmp_path / "landing"
    drop(landing, "register.csv", HEADER + "001;27/03/2025;\n", 1)
    folder = os.fsencode(landing / "6204" / "ppid")
    os.close(os.open(folder + b"/Register \xe9.csv", os.O_CREAT | os.O_WRONLY))
    os.mkdir(os.fsencode(landing) + b"/62\xff4")
    for satker in ("６２０４", "٦٢٠٤", "6204\n"):
        drop(landing, "lain.csv", HEADER + "002;27/03/2025;\n", 1, satker=satker)
    deep = landing / "6204" / "ppid"
    for _ in range(40):  # a walk into every level would recurse past Python's limit at ~1000
        deep /= "a"
        deep.mkdir()
    (deep / "dalam.csv").write_text(HEADER + "003;27/03/2025;\n")
    history = History(tmp_path / "history")
    report = history.land(landing)
    assert [e.file_name for e in report.new] == ["register.csv"]
    refused = {p.path: p.rule for p in report.problems}
    assert refused.pop("6204/ppid/Register \\xe9.csv") == "file_tidak_terbaca"
    assert refused.pop("62\\xff4") == "file_tidak_terbaca"
    assert refused.pop("6204/ppid/" + "/".join(["a"] * 14)) == "lokasi_file_salah"
    assert refused == {
        f"{s}/ppid/lain.csv": "lokasi_file_salah" for s in ("６２０４", "٦٢٠٤", "6204\n")
    }
    json.dumps([asdict(p) for p in report.problems], ensure_ascii=False).encode()


def test_a_future_modification_time_counts_as_landed(tmp_path: Path) -> None:
    """A wrong clock must not let an old register win over every newer export for ever."""
    landing = tmp_path / "landing"
    drop(landing, "masa-depan.csv", HEADER + "001;27/03/2025;\n", 4_102_444_800)  # 2100-01-01
    report = History(tmp_path / "history").land(landing)
    [export] = report.new
    assert export.modified_at == export.landed_at
    [(rule, severity)] = [(p.rule, p.severity) for p in report.problems]
    assert (rule, severity) == ("waktu_ubah_di_masa_depan", "warning")
    now = datetime.now(UTC)
    assert _modified(3e11, now) == now  # year 11476: a share may hold it, no datetime can
    assert _modified(-1e15, now).year == 1


def test_a_file_that_turned_into_a_pipe_or_a_link_is_not_opened(tmp_path: Path) -> None:
    """Between the walk and the read a file may be replaced: a pipe would block the run, a
    link lead out of the landing."""
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "link.csv").symlink_to("/dev/zero")
    for name in ("pipe.csv", "link.csv"):
        with pytest.raises(OSError):
            open_regular(tmp_path / name)


def test_files_refused_at_the_landing_are_not_kept(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    drop(landing, "big.csv", HEADER + "001;27/03/2025;\n" * 100, 1)
    drop(landing, "small.csv", HEADER + "002;27/03/2025;\n", 1)
    drop(landing, "notes.pdf", "%PDF", 1)
    drop(landing, "loose.csv", HEADER, 1, source="").rename(landing / "6204" / "loose.csv")
    history = History(tmp_path / "history")
    report = history.land(landing, max_file_bytes=200)
    assert [e.file_name for e in report.new] == ["small.csv"]
    refused = {p.path: (p.rule, p.severity) for p in report.problems}
    assert refused == {
        "6204/ppid/big.csv": ("file_terlalu_besar", "error"),
        "6204/ppid/notes.pdf": ("format_tidak_didukung", "error"),
        "6204/loose.csv": ("lokasi_file_salah", "error"),
    }
    assert "IKU_MAX_FILE_BYTES" in next(p.message for p in report.problems if "big" in p.path)
    assert len(history.exports()) == 1


def test_interrupted_copy_leaves_no_entry_and_is_retaken(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    drop(landing, "register.csv", HEADER + "001;27/03/2025;\n", 1_700_000_000)
    history = History(tmp_path / "history")
    [export] = history.land(landing).new
    # A run killed after the bytes were stored but before the catalogue entry was written.
    history.entry(export.kode_satker, export.source, export.sha256).unlink()
    (export.path(history.root).parent / ".tmp-abc.csv").write_bytes(b"half")
    assert history.exports() == []
    assert [e.sha256 for e in history.land(landing).new] == [export.sha256]
    assert len(history.exports()) == 1


def test_a_damaged_entry_is_set_aside_reported_and_retaken_from_the_landing(
    tmp_path: Path,
) -> None:
    """A disk fault or a hand edit in the history costs that export nothing, never the run."""
    landing = tmp_path / "landing"
    for n in range(4):
        drop(landing, f"r{n}.csv", HEADER + f"00{n};27/03/2025;\n", 1_700_000_000 + n)
    history = History(tmp_path / "history")
    exports = history.land(landing).new
    entries = [history.entry(e.kode_satker, e.source, e.sha256) for e in exports]
    entries[0].write_text("{not json")
    entries[1].write_text(json.dumps({**json.loads(entries[1].read_text()), "source": "tps"}))
    exports[2].path(history.root).unlink()  # its bytes gone
    kept, problems = history.kept()
    assert [e.file_name for e in kept] == ["r3.csv"]
    assert sorted(p.path for p in problems) == sorted(
        str(e.relative_to(history.root)) for e in entries[:3]
    )
    assert all(p.rule == "file_tidak_terbaca" and "disisihkan" in p.message for p in problems)
    assert [e.with_name(e.name + ".rusak").exists() for e in entries] == [True] * 3 + [False]
    # The run's landing takes the three again from the landing at once, and says why.
    for entry in entries[:3]:
        entry.with_name(entry.name + ".rusak").replace(entry)
    landed, again = history.land_and_keep(landing)
    assert sorted(e.file_name for e in landed.new) == ["r0.csv", "r1.csv", "r2.csv"]
    assert len(landed.problems) == 3 and landed.unchanged == ["6204/ppid/r3.csv"]
    assert sorted(e.file_name for e in again) == ["r0.csv", "r1.csv", "r2.csv", "r3.csv"]
    assert history.kept() == (again, [])


def test_exports_of_a_source_the_code_no_longer_reads_are_left_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source removed from the code while its exports stay in the history: they are
    neither loaded (no run fails looking it up) nor set aside as damaged."""
    landing = tmp_path / "landing"
    drop(landing, "register.csv", HEADER + "001;27/03/2025;\n", 1_700_000_000)
    drop(landing, "sakip.csv", "Tahun;Nilai\n2025;71,5\n", 1_700_000_000, source="sakip")
    history = History(tmp_path / "history")
    history.land(landing)
    monkeypatch.delitem(SOURCES, "sakip")
    exports, problems = history.kept()
    assert ([e.source for e in exports], problems) == (["ppid"], [])
    assert len(list(history.root.glob("6204/sakip/*.json"))) == 1


def test_newer_snapshot_wins_per_key_and_older_rows_stay(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    # January: two requests, the second not yet answered.
    drop(
        landing,
        "ppid-januari.csv",
        HEADER + "001;06/01/2025;10/01/2025\n002;08/01/2025;\n",
        1_738_000_000,
    )
    # February: restates 002 with its answer; 001 no longer listed (it stays from January).
    drop(
        landing,
        "ppid-februari.csv",
        HEADER + "002;08/01/2025;20/01/2025\n003;03/02/2025;\n",
        1_740_000_000,
    )
    load = ppid_loaded(landing, tmp_path)
    rows = {r["no_registrasi"]: r for r in staged(load, tmp_path).iter_rows(named=True)}
    assert sorted(rows) == ["001", "002", "003"]
    assert rows["001"]["nama_file"] == "ppid-januari.csv"
    assert rows["002"]["nama_file"] == "ppid-februari.csv"
    assert rows["002"]["tanggal_pemberitahuan_tertulis"] == date(2025, 1, 20)


def test_modification_time_not_name_decides_and_ties_go_to_the_later_name(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    # "z-lama" sorts last by name but is older: the newer "a-baru" wins.
    drop(landing, "z-lama.csv", HEADER + "001;06/01/2025;\n", 1_700_000_000)
    drop(landing, "a-baru.csv", HEADER + "001;06/01/2025;09/01/2025\n", 1_700_000_500)
    # Same time: the later file name wins.
    drop(landing, "b.csv", HEADER + "002;06/01/2025;\n", 1_700_000_000)
    drop(landing, "c.csv", HEADER + "002;06/01/2025;13/01/2025\n", 1_700_000_000)
    load = ppid_loaded(landing, tmp_path)
    winners = dict(staged(load, tmp_path).select("no_registrasi", "nama_file").iter_rows())
    assert winners == {"001": "a-baru.csv", "002": "c.csv"}


def test_quarantined_row_does_not_replace_an_older_valid_row(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    drop(landing, "lama.csv", HEADER + "001;06/01/2025;09/01/2025\n", 1_700_000_000)
    body = (
        HEADER
        + "001;06/01/2025;bukan tanggal\n"
        + "".join(f"{i:03};06/01/2025;\n" for i in range(2, 10))
    )
    drop(landing, "baru.csv", body, 1_700_000_500)
    load = ppid_loaded(landing, tmp_path)
    row = staged(load, tmp_path).filter(pl.col("no_registrasi") == "001").row(0, named=True)
    assert (row["nama_file"], row["tanggal_pemberitahuan_tertulis"]) == (
        "lama.csv",
        date(2025, 1, 9),
    )


def test_satkers_are_kept_apart(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    drop(landing, "a.csv", HEADER + "001;06/01/2025;\n", 1, satker="6204")
    drop(landing, "a.csv", HEADER + "001;07/01/2025;\n", 2, satker="6205")
    load = ppid_loaded(landing, tmp_path)
    assert sorted(staged(load, tmp_path).select("kode_satker", "no_registrasi").rows()) == [
        ("6204", "001"),
        ("6205", "001"),
    ]


def test_embedded_wilayah_is_used_until_a_landed_file_replaces_it(tmp_path: Path) -> None:
    history = History(tmp_path / "history")
    load = load_source(
        SOURCES["wilayah"],
        [],
        history.root,
        validator(),
        NO_REFERENCES,
        **written(tmp_path),
        satkers={"6204"},
    )
    assert load.defaults_used == ["6204"]
    assert frame(load).filter(pl.col("tingkat").is_in(["desa", "kelurahan"])).height == 93
    assert set(frame(load)["nama_file"]) == {DEFAULT_FILE}

    landing = tmp_path / "landing"
    body = (
        "Kode;Nama;Tingkat\n62.04.01.2001;Tampulang;Desa\n62.04.01.1003;Rantau Kujang;Kelurahan\n"
    )
    drop(landing, "wilayah.csv", body, 1, source="wilayah")
    history.land(landing)
    load = load_source(
        SOURCES["wilayah"],
        history.exports(),
        history.root,
        validator(),
        NO_REFERENCES,
        satkers={"6204"},
        **written(tmp_path),
    )
    assert load.defaults_used == []
    assert sorted(frame(load)["kode_wilayah"]) == ["6204011003", "6204012001"]


def test_embedded_tps_has_the_406_pemilu_2024_polling_stations(tmp_path: Path) -> None:
    load = load_source(
        SOURCES["tps"],
        [],
        tmp_path,
        validator(),
        NO_REFERENCES,
        **written(tmp_path),
        satkers={"6204"},
    )
    assert frame(load).height == 406
    assert frame(load).filter(pl.col("nomor_tps") == 901)["kode_desa"].to_list() == ["6204061008"]


def test_embedded_defaults_belong_to_6204_only_when_it_has_exports(tmp_path: Path) -> None:
    """A landing of KPU RI (00) alone must not publish Barito Selatan's desa and TPS."""
    for name in ("wilayah", "tps"):
        load = load_source(
            SOURCES[name],
            [],
            tmp_path,
            validator(),
            NO_REFERENCES,
            **written(tmp_path),
            satkers={"00"},
        )
        assert load.defaults_used == [] and frame(load).is_empty(), name
        assert (
            load_source(
                SOURCES[name], [], tmp_path, validator(), NO_REFERENCES, **written(tmp_path)
            ).defaults_used
            == []
        ), name


def test_a_shard_is_checked_against_the_reference_lists_of_its_own_satkers_only(
    tmp_path: Path,
) -> None:
    from warehouse.shards import reference_lists, shards, with_reference

    part = tmp_path / "wilayah.parquet"
    pl.DataFrame(
        {
            "kode_satker": ["6204", "6204", "6204", "1101", "6204"],
            "kode_wilayah": ["6204012001", "6204011001", "620401", "1101012001", "6204012002"],
            "tingkat": ["desa", "kelurahan", "kecamatan", "desa", "desa"],
            "sah": [True, True, True, True, False],  # a quarantined row lists nothing
        }
    ).write_parquet(part)
    lists = reference_lists(SourceLoad(SOURCES["wilayah"], parts=[part]), tmp_path / "parts")
    assert set(lists) == {"desa"} and lists["desa"].is_file()
    context = with_reference(NO_REFERENCES, lists, {"6204"})
    assert context.desa == {"6204": frozenset({"6204012001", "6204011001"})}
    both = with_reference(NO_REFERENCES, lists, {"6204", "1101"})
    assert both.desa["1101"] == {"1101012001"}
    assert with_reference(NO_REFERENCES, {}, {"6204"}) == NO_REFERENCES  # nothing loaded yet
    assert reference_lists(SourceLoad(SOURCES["ppid"], parts=[part]), tmp_path) == {}
    # Only the lists a source's checks read go with its shards.
    assert SOURCES["siakba"].reference_lists == {"desa", "tps"}
    assert SOURCES["pemilih"].reference_lists == SOURCES["tps"].reference_lists == {"desa"}
    assert SOURCES["ppid"].reference_lists == frozenset()

    history = History(tmp_path / "history")
    for satker, mtime in (("6204", 1), ("1101", 2), ("6204", 3)):
        drop(tmp_path / "landing", f"{satker}-{mtime}.csv", f"{HEADER}R{mtime};;\n", mtime, satker)
    history.land(tmp_path / "landing")
    exports = history.exports()
    one_each = shards(exports, shard_bytes=1)
    assert [{e.kode_satker for e in s} for s in one_each] == [{"6204"}, {"1101"}]
    assert [len(s) for s in one_each] == [2, 1]  # a satker's exports stay together
    assert shards(exports, shard_bytes=2**20) == [[*one_each[0], *one_each[1]]]
    assert shards(exports, shard_bytes=2**20, size=lambda e: 2**20) == one_each  # by weight
