"""Personal data stays out of what people read besides the database (SPEC §5): the Great
Expectations Data Docs, the job's log and its run records. Each test plants NIKs, phone
numbers, e-mail addresses or street addresses where the job writes such things, and looks
for them in every writing (digits only, without the leading 0, in any case)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest
from exports import PPID, PPID_HEADER, read_export, write_csv

import sources.read
from sources import SOURCES
from sources.model import CheckContext
from sources.sheet import KEY_DUPLICATE
from warehouse import findings, runs
from warehouse.history import History
from warehouse.pii import Pseudonymiser, masked_apart
from warehouse.pull import pull_location
from warehouse.quality import FileToCheck
from warehouse.transfer import Location, PullLimits
from warehouse.validator import Validator

CONTEXT = CheckContext(dt.date(2025, 12, 31), {"Pemilu 2024": dt.date(2024, 2, 14)})

PHONE = "081234567801"  # a register number that is a phone number, in two rows
PLANTED = [
    PHONE,
    "+62 812-7777-4321",
    "6204.0145.0792.0011",
    "pemohon.dobel@contohrahasia.id",
    "Jl. Kunci Ganda No. 4",
    "0813 5555 1234",
]


def found_in(text: str, value: str) -> bool:
    """Whether ``value`` is written in ``text`` in any way: as it is (any case), or for a
    number, its digits with or without separators, with or without its 0 or 62 in front."""
    if value.casefold() in text.casefold():
        return True
    digits = re.sub(r"\D", "", value)
    if len(digits) < 9 or "@" in value:
        return False
    core = re.sub(r"^(?:62|0)", "", digits) if len(digits) < 15 else digits
    return re.search(r"(?<!\d)" + r"[ .\-]?".join(core) + r"(?!\d)", text) is not None


def leaked(folder: Path, values: list[str]) -> dict[str, list[str]]:
    """The values found in the names or contents of the files under ``folder``, per file."""
    found: dict[str, list[str]] = {}
    for path in (p for p in folder.rglob("*") if p.is_file()):
        text = f"{path.relative_to(folder)}\n{path.read_bytes().decode('utf-8', 'replace')}"
        if hits := [v for v in values if found_in(text, v)]:
            found[str(path.relative_to(folder))] = hits
    return found


def ppid_register(tmp_path: Path) -> Path:
    """Register numbers holding personal data, each written twice but the last three."""
    keys = [*(2 * [v] for v in PLANTED[:5]), ["001/PPID/2025"], ["081234567802"], [PLANTED[5]]]
    rows = [[k, "03/03/2025", "", "10/03/2025"] for pair in keys for k in pair]
    return write_csv(tmp_path / "ppid.csv", [PPID_HEADER, *rows], sep=";")


def test_data_docs_show_no_personal_data_of_keys_or_choices(tmp_path: Path) -> None:
    """GX lists the values that broke a rule: a duplicated register number that is a phone
    number, an election (an open choice) that is one. The duplicates are still found, the
    same rows as before; two phone numbers that differ are no duplicate."""
    validator = Validator(tmp_path / "docs")
    read = read_export(ppid_register(tmp_path), PPID)
    [found] = validator.check(PPID, [FileToCheck("6204", "ppid.csv", read.rows)], CONTEXT)
    tps = SOURCES["tps"]
    election = "6204 0145 0792 0005"
    rows = [["Jenis Pemilihan", "Kode Desa", "Nomor TPS"], [election, "6204012001", "1"]]
    tps_read = read_export(write_csv(tmp_path / "tps.csv", rows), tps)
    validator.check(tps, [FileToCheck("6204", "tps.csv", tps_read.rows)], CONTEXT)
    assert validator.build_docs() is not None

    assert leaked(tmp_path / "docs", [*PLANTED, election]) == {}
    duplicates = sorted(i.row_number for i in found.issues if i.rule == KEY_DUPLICATE)
    assert duplicates == list(range(2, 12))  # five keys twice; the last three once each
    pages = "".join(p.read_text() for p in (tmp_path / "docs").rglob("*.html"))
    assert "[nomor disamarkan] (1)" in pages and "[angka disamarkan]" in pages


def test_masked_texts_stay_apart() -> None:
    """Distinct texts stay distinct, equal ones equal, whatever they hold: one phone number
    written two ways is two register numbers, as in the export; a text that already reads
    as masked never equals one masked here; a text with nothing personal is as written."""
    values = pl.Series(
        [
            "081234567801",
            "0812-3456-7801",
            "081234567801",
            "[nomor disamarkan] (1)",
            "[nomor disamarkan]",
            "a@contoh.id",
            "A@contoh.id",
            "001/PPID/2025",
            None,
        ]
    )
    shown = masked_apart(values)
    pairs = set(zip(values.to_list(), shown.to_list(), strict=True))
    assert len(pairs) == len(set(values.to_list())) == len(set(shown.to_list()))
    assert shown[0] == shown[2] and shown[7] == "001/PPID/2025" and shown[8] is None
    assert not any(found_in(str(s), v) for s in shown for v in ("081234567801", "a@contoh.id"))


def test_a_traceback_in_the_log_holds_no_personal_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Something unforeseen while reading a file: the file is rejected and the traceback
    goes to ``logs/iku.log``, where what the exception quoted (a cell) is masked."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("nilai 6204014101990001 / 0813 5555 1234 tidak terbaca")

    monkeypatch.setattr(sources.read, "parse_series", broken)
    export = write_csv(tmp_path / "a.csv", [PPID_HEADER, ["1", "03/03/2025", "", ""]])
    with runs.logged(tmp_path / "gudang") as log:
        read_export(export, PPID)
    text = log.read_text()
    assert "RuntimeError: nilai [angka disamarkan] / [nomor disamarkan]" in text
    assert "Traceback" in text
    assert not [v for v in ("6204014101990001", "0813 5555 1234") if found_in(text, v)]


def test_the_cause_of_a_failed_run_in_its_record_holds_no_personal_data(tmp_path: Path) -> None:
    with pytest.raises(ValueError), runs.failure_recorded(tmp_path, "r1"):
        raise ValueError("tidak dapat mengubah 'pemohon@contoh.id' / 0813-5555-1234")
    record = json.loads((tmp_path / "runs" / "r1" / "run.json").read_text())
    assert record["kesalahan"] == (
        "ValueError: tidak dapat mengubah '[email disamarkan]' / [nomor disamarkan]"
    )


def test_addresses_and_mobile_numbers_typed_by_hand_are_neither_quoted_nor_published(
    tmp_path: Path,
) -> None:
    """A street address without a space after "Jl." and mobile numbers written (+62) 812-…
    or 0812 - 3456 - …: in a date cell the reader refuses, its message (dq.issues, the
    digest, the report) does not quote them; in a free-text column, the published rows hold
    them masked."""
    typed = ["Jl.Sudirman No.31", "(+62) 812-3456-0016", "0812 - 3456 - 0014", "Gg.Mawar 3"]
    header = ["No Registrasi", "Tanggal Permohonan", "Tanggal Pemberitahuan Tertulis"]
    rows = [[f"{n}/PPID", value, "12/03/2025", "Riset"] for n, value in enumerate(typed, 1)]
    rows += [[f"{n}/PPID", "11/03/2025", "12/03/2025", v] for n, v in enumerate(typed, 5)]
    rows += [[f"{n}/PPID", "11/03/2025", "12/03/2025", "Riset"] for n in range(9, 25)]
    path = write_csv(tmp_path / "ppid.csv", [[*header, "Tujuan Penggunaan"], *rows], sep=";")
    read = read_export(path, PPID)
    messages = " ".join(i.message for i in read.issues)
    assert messages.count("bukan tanggal") == len(typed)
    assert read.rows["tujuan_penggunaan"].to_list()[4:8] == typed
    published = Pseudonymiser("k").publishable(PPID, read.rows).write_csv()
    assert [v for v in typed if found_in(messages, v) or found_in(published, v)] == []


def test_a_landing_name_refused_is_listed_masked_for_the_cli(tmp_path: Path) -> None:
    """A file put where no export belongs is refused and listed by name in the CLI's summary
    ("File ditolak"), as ``dq.issues`` names it: with the phone number in its folder and the
    e-mail address in its name masked."""
    landing = tmp_path / "landing"
    folder = landing / "6204" / "kontak 0812-3456-0099"
    folder.mkdir(parents=True)
    (landing / "6204" / "budi.santoso@contoh.id.csv").write_text("x\n")
    (folder / "a.csv").write_text("x\n")
    problems = History(tmp_path / "history").land(landing).problems
    none = pl.DataFrame({"severity": []}, {"severity": pl.String})
    listed = findings.totals({}, problems, none).files_rejected
    assert sorted(listed) == ["6204/[email disamarkan]", "6204/kontak [nomor disamarkan]/a.csv"]
    issues = findings.issue_rows({}, problems, set())
    assert sorted(issues["file_name"]) == ["[email disamarkan]", "a.csv"]


def test_a_pull_names_files_with_personal_data_masked_in_its_progress_line(
    tmp_path: Path,
) -> None:
    """The pull's line on stderr and in the Prefect UI names the files it could not take: a
    phone number or an e-mail address in such a name is masked there, as in dq.issues."""
    share = tmp_path / "share"
    share.mkdir()
    (share / "0812-3456-7890.csv").write_bytes(b"x" * 2048)
    (share / "a.csv").write_bytes(b"a")
    (share / "z budi.santoso@contoh.id.csv").write_bytes(b"z")
    limits = PullLimits(max_file_bytes=1024, max_files=2)
    result = pull_location(Location("6204", "ppid", str(share)), tmp_path / "landing", limits)
    assert result.copied == ["a.csv"] and result.error and result.warnings
    line = result.summary()
    assert "[nomor disamarkan].csv: lebih besar" in line and "[email disamarkan]" in line
    assert not [v for v in ("0812-3456-7890", "budi.santoso@contoh.id") if found_in(line, v)]
