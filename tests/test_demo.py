"""The demo exports: deterministic, laid out as SPEC §2 says, realistic, and faulty on purpose.

The files are read back with the standard library and fastexcel only, independently of the
project's reader, and the six IKU are recounted with a small, plain reading of SPEC §4, to check
that the designed results (``demo_design.EXPECTED_IKU``) really are in the files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import fastexcel
import holidays
import polars as pl
import pytest
from demo_design import EXPECTED_IKU

from sources import SOURCES
from sources.demo import MARKER, is_demo_landing, write_demo
from sources.model import normalise_header

REPO = Path(__file__).resolve().parents[1]
WIB = timezone(timedelta(hours=7))
AS_OF = date(2026, 1, 15)  # every 2024-2025 deadline has passed
CORRUPT = "register_ppid_2025_06.xlsx"
MONTH_NAMES = (
    "januari jan", "februari feb", "maret mar", "april apr", "mei", "juni jun", "juli jul",
    "agustus agu", "september sep", "oktober okt", "november nov", "desember des",
)  # fmt: skip
MONTHS = {name: i for i, names in enumerate(MONTH_NAMES, start=1) for name in names.split()}
# DPT Pilkada 2024 per kecamatan (L, P), KPU Barito Selatan (project research notes).
DPT_PILKADA = {
    "620401": (3230, 3174),
    "620402": (6158, 5685),
    "620403": (5865, 5667),
    "620404": (6446, 6045),
    "620405": (7392, 6963),
    "620406": (21133, 21140),
}

Row = dict[str, str | None]


# --------------------------------------------------------------------------------------------
# Reading the exports back
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("landing")
    write_demo(root)
    return root


def files(landing: Path, source: str) -> list[Path]:
    return sorted((landing / "6204" / source).iterdir())


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def separator(text: str) -> str:
    header = text.splitlines()[0]
    return max(";\t,", key=header.count)


def raw_table(path: Path) -> list[list[str | None]]:
    """Every row of the file as text; XLSX cells as fastexcel renders them."""
    if path.suffix == ".xlsx":
        sheet = fastexcel.read_excel(path).load_sheet(0, header_row=None, dtypes="string")
        return [list(r) for r in sheet.to_polars().rows()]
    text = decode(path.read_bytes())
    return [
        [c or None for c in r] for r in csv.reader(io.StringIO(text), delimiter=separator(text))
    ]


def header_row(path: Path) -> int:
    """Index of the header row: the first row naming at least two declared columns."""
    source = SOURCES[path.parent.name]
    known = {k for c in source.columns for k in c.header_keys}
    for i, row in enumerate(raw_table(path)):
        if sum(normalise_header(c or "") in known for c in row) >= 2:
            return i
    raise AssertionError(f"{path.name}: no header row")


def canonical(source: str, header: str) -> str:
    """The declared column name for a header as written, or the header itself."""
    key = normalise_header(header)
    names = [c.name for c in SOURCES[source].columns if key in c.header_keys]
    return names[0] if names else header


def read(path: Path) -> tuple[list[str], list[Row]]:
    """(canonical header, rows) of one export."""
    table, top = raw_table(path), header_row(path)
    header = [canonical(path.parent.name, c or "") for c in table[top]]
    return header, [dict(zip(header, r, strict=True)) for r in table[top + 1 :] if any(r)]


def read_source(landing: Path, source: str) -> list[tuple[Path, Row]]:
    """Rows of every readable file, oldest export first (modification time, then name)."""
    paths = sorted(files(landing, source), key=lambda p: (p.stat().st_mtime, p.name))
    return [(p, r) for p in paths if p.name != CORRUPT for r in read(p)[1]]


def latest(rows: list[tuple[Path, Row]], *key: str) -> dict[tuple[str | None, ...], Row]:
    """The newest row per business key."""
    return {tuple(r[k] for k in key): r for _, r in rows}


def maybe_date(text: str | None) -> date | None:
    """A date as the exports write it, or None for an empty cell."""
    if not text:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})( 00:00:00)?", text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})", text):
        return date(int(m[3]), int(m[2]), int(m[1]))
    day, month, year = text.split()
    return date(int(year), MONTHS[month.lower()], int(day))


def a_date(text: str | None) -> date:
    d = maybe_date(text)
    assert d is not None
    return d


def number(text: str | None) -> int:
    assert text is not None
    return int(text.replace(".", ""))


def quarter(text: str | None) -> int:
    word = (text or "").upper().replace("TRIWULAN", "").strip()
    return {"I": 1, "II": 2, "III": 3, "IV": 4}.get(word) or number(word)


def flat(code: str | None) -> str:
    return (code or "").replace(".", "")


@cache
def days_off() -> holidays.HolidayBase:
    return holidays.Indonesia(years=(2024, 2025, 2026), categories=("public", "government"))


def add_working_days(start: date, n: int) -> date:
    d = start
    while n:
        d += timedelta(days=1)
        n -= d.weekday() < 5 and d not in days_off()
    return d


def score(items: list[tuple[int, bool]]) -> dict[int, tuple[int, int]]:
    """(pembilang, penyebut) per year from (year, on time) of every counted item."""
    out: dict[int, tuple[int, int]] = {}
    for year, on_time in items:
        good, total = out.get(year, (0, 0))
        out[year] = (good + on_time, total + 1)
    return out


def expected(iku: str) -> dict[int, tuple[int, int]]:
    return {year: counts for (code, year), counts in EXPECTED_IKU.items() if code == iku}


# --------------------------------------------------------------------------------------------
# Determinism, layout, formats
# --------------------------------------------------------------------------------------------


def fingerprint(root: Path) -> dict[str, tuple[str, float]]:
    return {
        str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_two_runs_write_identical_files_and_times(tmp_path: Path) -> None:
    first = write_demo(tmp_path / "a")
    second = write_demo(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    assert fingerprint(tmp_path / "a") == fingerprint(tmp_path / "b")
    before = fingerprint(tmp_path / "a")
    write_demo(tmp_path / "a")  # writing over an existing landing changes nothing
    assert fingerprint(tmp_path / "a") == before


def test_xlsx_properties_carry_the_export_time(landing: Path) -> None:
    path = landing / "6204" / "tahapan" / "laporan_tahapan_2024.xlsx"
    with zipfile.ZipFile(path) as book:
        core = book.read("docProps/core.xml").decode()
        stamps = {info.date_time for info in book.infolist()}
    exported = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{exported:%Y-%m-%dT%H:%M:%SZ}' in core
    assert stamps == {(1980, 1, 1, 0, 0, 0)}


def test_layout_nine_sources_and_marker(tmp_path: Path) -> None:
    paths = write_demo(tmp_path)
    assert {p for p in tmp_path.rglob("*") if p.is_file()} == {*paths, tmp_path / MARKER}
    for path in paths:
        satker, source, _ = path.relative_to(tmp_path).parts
        assert (satker, source in SOURCES, path.suffix in {".csv", ".xlsx"}) == ("6204", True, True)
    assert {p.parent.name for p in paths} == set(SOURCES)
    first, *listed = (tmp_path / MARKER).read_text(encoding="utf-8").splitlines()
    assert "iku demo" in first and len(listed) == len(paths)


def test_a_landing_is_a_demo_one_only_while_it_holds_the_demo_files_alone(tmp_path: Path) -> None:
    """``make demo`` writes into the default landing: real exports put there later must not
    be pseudonymised with the demo key everyone knows, so the marker then counts for nothing."""
    write_demo(tmp_path)
    assert is_demo_landing(tmp_path)
    real = tmp_path / "6204" / "ppid" / "register 2026.csv"
    real.write_text("No Registrasi;Tanggal Permohonan\n", encoding="utf-8")
    assert not is_demo_landing(tmp_path)
    real.unlink()
    assert is_demo_landing(tmp_path)
    changed = next((tmp_path / "6204" / "siakba").iterdir())
    changed.write_bytes(changed.read_bytes() + b"\n")  # a demo file rewritten with real data
    assert not is_demo_landing(tmp_path)
    write_demo(tmp_path)
    (tmp_path / MARKER).write_text("a marker listing nothing\n", encoding="utf-8")
    assert not is_demo_landing(tmp_path)


def test_modification_times_follow_the_export_dates(landing: Path) -> None:
    for path in (landing / "6204").rglob("*.*"):
        moment = datetime.fromtimestamp(path.stat().st_mtime, WIB)
        assert datetime(2024, 1, 1, tzinfo=WIB) <= moment < datetime(2026, 1, 1, tzinfo=WIB)
    ppid = {p.name: p.stat().st_mtime for p in files(landing, "ppid")}
    snapshots = [
        "register_permohonan_informasi_2024.xlsx",
        "ppid_tw1_2025.csv",
        CORRUPT,
        "register_ppid_2025_tw3.xlsx",
        "Register PPID 2025 - Desember.csv",
    ]
    assert [ppid[n] for n in snapshots] == sorted(set(ppid.values()))
    assert sorted(ppid)[0] == snapshots[-1]  # the newest export sorts first by name


def test_office_formats_are_all_there(landing: Path) -> None:
    kinds = set()
    for path in (landing / "6204").rglob("*.csv"):
        data = path.read_bytes()
        sep = separator(decode(data))
        if data.startswith(b"\xef\xbb\xbf"):
            kinds.add(("utf-8-sig", sep))
        elif data.isascii():
            kinds.add(("utf-8", sep))
        else:
            with pytest.raises(UnicodeDecodeError):
                data.decode("utf-8")
            assert re.search("[–’]", data.decode("cp1252")), path.name
            kinds.add(("cp1252", sep))
    assert kinds >= {("cp1252", ";"), ("utf-8-sig", "\t"), ("utf-8", ",")}
    for path in (landing / "6204").rglob("*.xlsx"):
        if path.name != CORRUPT:
            assert header_row(path) >= 3, f"{path.name}: title rows above the header"
    pemilih = [r for _, r in read_source(landing, "pemilih")]
    assert {r["Triwulan"] for r in pemilih} == {"1", "Triwulan II", "III", "4"}
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", r["Pemilih Awal L"] or "") for r in pemilih)
    pleno = {r["Tanggal Pleno"] for r in pemilih}
    assert pleno == {"2025-04-09 00:00:00", "02/07/2025", "2 Oktober 2025", "08-12-2025"}
    _, ppid = read(landing / "6204" / "ppid" / "register_ppid_2025_tw3.xlsx")
    received = [r["Tanggal Permohonan"] or "" for r in ppid]
    assert any(re.fullmatch(r"\d{1,2} (Jan|Feb|Mar|Agu) 2025", d) for d in received)
    assert any(re.fullmatch(r"\d{1,2} (Januari|Februari|Maret|Agustus) 2025", d) for d in received)
    codes = {r["Kode Desa"] or "" for _, r in read_source(landing, "tps")}
    assert any("." in c for c in codes) and any(c.isdigit() for c in codes)


def test_every_file_has_the_required_columns_but_one(landing: Path) -> None:
    missing = {}
    for path in (landing / "6204").rglob("*.*"):
        if path.name == CORRUPT:
            continue
        header, rows = read(path)
        assert rows, path.name
        if lost := {c.name for c in SOURCES[path.parent.name].required} - set(header):
            missing[path.name] = lost
    assert missing == {"silog_gudang_ppk_dusun_hilir_2025.csv": {"Tanggal Pemeliharaan"}}


def test_nik_and_phone_are_text_in_xlsx(landing: Path) -> None:
    checked = 0
    for path in [*files(landing, "siakba"), *files(landing, "ppid")]:
        if path.suffix == ".xlsx" and path.name != CORRUPT:
            frame = fastexcel.read_excel(path).load_sheet(0, header_row=header_row(path))
            for column in {"NIK", "No Telepon"} & set(frame.to_polars().columns):
                assert frame.to_polars()[column].dtype == pl.String, (path.name, column)
                checked += 1
    assert checked == 11  # 7 siakba files with NIK, 2 ppid files with NIK and No Telepon


def test_the_corrupt_xlsx_cannot_be_opened(landing: Path) -> None:
    path = landing / "6204" / "ppid" / CORRUPT
    assert path.read_bytes().startswith(b"PK")
    with pytest.raises(Exception):  # noqa: B017 - whatever fastexcel raises for a broken zip
        fastexcel.read_excel(path).load_sheet(0)


# --------------------------------------------------------------------------------------------
# Reference sources
# --------------------------------------------------------------------------------------------


def test_wilayah_is_the_real_list(landing: Path) -> None:
    rows = [r for _, r in read_source(landing, "wilayah")]
    with (REPO / "sources" / "defaults" / "wilayah.csv").open(encoding="utf-8") as f:
        reference = {
            (r["kode_wilayah"], r["nama_wilayah"], r["tingkat"]) for r in csv.DictReader(f)
        }
    written = {
        (flat(r["Kode Wilayah"]), r["Nama Wilayah"], (r["Tingkat"] or "").lower()) for r in rows
    }
    assert len(rows) == 100
    assert written == reference


def test_tps_of_both_elections(landing: Path) -> None:
    rows = [r for _, r in read_source(landing, "tps")]
    pemilu = [r for r in rows if r["Jenis Pemilihan"] == "Pemilu 2024"]
    pilkada = [r for r in rows if r["Jenis Pemilihan"] == "Pilkada 2024"]
    assert len(pemilu) + len(pilkada) == len(rows)
    with (REPO / "sources" / "defaults" / "tps.csv").open(encoding="utf-8") as f:
        reference = {(r["kode_desa"], int(r["nomor_tps"])) for r in csv.DictReader(f)}
    assert len(pemilu) == 406
    assert {(flat(r["Kode Desa"]), number(r["Nomor TPS"])) for r in pemilu} == reference
    keys = {(flat(r["Kode Desa"]), number(r["Nomor TPS"])) for r in pilkada}
    assert len(pilkada) == len(keys) == 234
    assert ("6204061008", 901) in keys
    assert len({code for code, _ in keys}) == 93
    assert all(re.fullmatch(r"\d{3}", r["Nomor TPS"] or "") for r in rows)
    voters: Counter[str] = Counter()
    for r in pilkada:
        voters[flat(r["Kode Desa"])[:6]] += number(r["Jumlah Pemilih"])
    assert voters == {kec: sum(lp) for kec, lp in DPT_PILKADA.items()}
    assert max(number(r["Jumlah Pemilih"]) for r in pilkada) <= 600
    assert max(number(r["Jumlah Pemilih"]) for r in pemilu) <= 300


# --------------------------------------------------------------------------------------------
# The six IKU, recounted from the files
# --------------------------------------------------------------------------------------------


def test_iku1_tahapan(landing: Path) -> None:
    stages = latest(read_source(landing, "tahapan"), "Kode Tahapan")
    assert 25 <= len(stages) <= 30
    items, early, unfinished = [], 0, 0
    for r in stages.values():
        start, end = a_date(r["Jadwal Mulai"]), a_date(r["Jadwal Selesai"])
        started, done = a_date(r["Realisasi Mulai"]), maybe_date(r["Realisasi Selesai"])
        early += started < start
        unfinished += done is None
        if done or end < AS_OF:
            items.append((end.year, done is not None and started >= start and done <= end))
    assert (early, unfinished) == (1, 1)
    assert score(items) == expected("IKU-1")


def test_iku2_logistik(landing: Path) -> None:
    rows = [(p, r) for p, r in read_source(landing, "logistik") if "Tanggal Pemeliharaan" in r]
    lines = latest(rows, "Tahun", "Kode Barang", "Lokasi Gudang")
    unbalanced = [
        (r["Lokasi Gudang"], r["Nama Barang"])
        for r in lines.values()
        if number(r["Jumlah Baik"]) + number(r["Jumlah Rusak"]) != number(r["Jumlah Tersedia"])
    ]
    assert unbalanced == [("Gudang PPK Karau Kuala (Bangkuang)", "Kotak Suara")]
    cut_off = {2024: date(2024, 2, 13), 2025: date(2025, 12, 31)}
    items = []
    for r in lines.values():
        if (r["Kategori"] or "").lower() in {"barang inventaris", "inventaris"}:
            year = number(r["Tahun"])
            dates = maybe_date(r["Tanggal Inventarisasi"]), maybe_date(r["Tanggal Pemeliharaan"])
            items.append((year, all(d and date(year, 1, 1) <= d <= cut_off[year] for d in dates)))
    assert score(items) == expected("IKU-2")


def test_iku3_ppid(landing: Path) -> None:
    rows = read_source(landing, "ppid")
    by_file: dict[str, dict[str | None, Row]] = defaultdict(dict)
    for path, r in rows:
        by_file[path.name][r["No Registrasi"]] = r
    tw1 = by_file["ppid_tw1_2025.csv"]
    [saturday] = [k for k, r in tw1.items() if a_date(r["Tanggal Permohonan"]).weekday() == 5]
    assert a_date(tw1[saturday]["Tanggal Permohonan"]) == date(2025, 3, 29)
    assert tw1[saturday]["Tanggal Pemberitahuan Tertulis"] is None  # still open on 8 Apr 2025
    answer = by_file["register_ppid_2025_tw3.xlsx"][saturday]["Tanggal Pemberitahuan Tertulis"]
    assert a_date(answer) == date(2025, 4, 22)  # the 10th working day after Idul Fitri
    carried = "035/PPID/XII/2024"
    assert (
        by_file["register_permohonan_informasi_2024.xlsx"][carried][
            "Tanggal Pemberitahuan Tertulis"
        ]
        is None
    )
    assert tw1[carried]["Tanggal Pemberitahuan Tertulis"] == "06/01/2025"

    requests = latest(rows, "No Registrasi")
    assert Counter((k[0] or "")[-4:] for k in requests) == {"2024": 35, "2025": 30}
    items = []
    for r in requests.values():
        received = a_date(r["Tanggal Permohonan"])
        answered = maybe_date(r["Tanggal Pemberitahuan Tertulis"])
        notice = maybe_date(r.get("Tanggal Pemberitahuan Perpanjangan"))
        assert (r.get("Perpanjangan") == "Ya") == (notice is not None)
        extended = notice is not None and notice <= add_working_days(received, 10)
        deadline = add_working_days(received, 17 if extended else 10)
        if answered or deadline < AS_OF:
            items.append((received.year, answered is not None and answered <= deadline))
        assert re.fullmatch(r"62\d{4}([0-6]\d|7[01])(0[1-9]|1[0-2])\d{6}", r["NIK"] or "")
    assert score(items) == expected("IKU-3")


def test_iku4_pemilih(landing: Path) -> None:
    by_quarter: dict[int, dict[str, Row]] = defaultdict(dict)
    unbalanced = []
    for _, r in read_source(landing, "pemilih"):
        q, code = quarter(r["Triwulan"]), flat(r["Kode Desa"])
        by_quarter[q][code] = r
        for sex in "LP":
            start, new = number(r[f"Pemilih Awal {sex}"]), number(r[f"Pemilih Baru {sex}"])
            gone, end = number(r[f"TMS {sex}"]), number(r[f"Pemilih Akhir {sex}"])
            if start + new - gone != end:
                unbalanced.append((q, code, sex))
    assert unbalanced == [(3, "6204061007", "L")]
    assert {q: len(v) for q, v in by_quarter.items()} == {1: 93, 2: 92, 3: 93, 4: 93}
    assert "6204042019" not in by_quarter[2]
    start_by_kecamatan: dict[str, tuple[int, int]] = {}
    for code, r in by_quarter[1].items():
        male, female = start_by_kecamatan.get(code[:6], (0, 0))
        sums = (male + number(r["Pemilih Awal L"]), female + number(r["Pemilih Awal P"]))
        start_by_kecamatan[code[:6]] = sums
    assert start_by_kecamatan == DPT_PILKADA
    for q in (2, 3, 4):  # each quarter starts where the one before ended
        for code, now in by_quarter[q].items():
            before = by_quarter[q - 1].get(code)
            if before and (q - 1, code, "L") not in unbalanced:
                ends = [number(before[f"Pemilih Akhir {sex}"]) for sex in "LP"]
                assert [number(now[f"Pemilih Awal {sex}"]) for sex in "LP"] == ends
    items = []
    for q in range(1, 5):
        deadline = date(2026, 1, 14) if q == 4 else date(2025, 3 * q + 1, 14)
        for code in by_quarter[1]:
            row = by_quarter[q].get(code)
            valid = row is not None and (q, code, "L") not in unbalanced
            items.append((2025, valid and a_date((row or {}).get("Tanggal Pleno")) <= deadline))
    assert score(items) == expected("IKU-4")


def test_iku5_keuangan(landing: Path) -> None:
    reports = latest(read_source(landing, "keuangan"), "NIP", "Jenis Laporan", "Periode Laporan")
    periods = {k[2] for k in reports}
    assert "Maret 2024" in periods and "2025-03" in periods
    officials: dict[tuple[str, int], list[bool]] = defaultdict(list)
    for (nip, _, _), r in reports.items():
        assert nip and re.fullmatch(r"(19[6-9]\d)(\d{4})(20[0-2]\d)(0[1-9]|1[0-2])[12]\d{3}", nip)
        date(int(nip[:4]), int(nip[4:6]), int(nip[6:8]))  # a real birth date
        due, sent = a_date(r["Batas Waktu"]), maybe_date(r["Tanggal Penyampaian"])
        assert due.day == 10
        if sent or due < AS_OF:
            officials[(nip, due.year)].append(sent is not None and sent <= due)
    assert score([(year, all(ok)) for (_, year), ok in officials.items()]) == expected("IKU-5")


def test_sakip(landing: Path) -> None:
    rows = [r for _, r in read_source(landing, "sakip")]
    assert [(r["Tahun"], r["Nilai"], r["Predikat"]) for r in rows] == [
        ("2024", "68,45", "B"),
        ("2025", "71,20", "BB"),
    ]


def nik_agrees(nik: str, born: date, sex: str) -> bool:
    """NIK digits 7-12 are the birth date DDMMYY, with 40 added to DD for women."""
    if not re.fullmatch(r"\d{16}", nik):
        return False
    female = sex in {"P", "Perempuan"}
    return nik[6:12] == f"{born.day + 40 * female:02d}{born:%m%y}"


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def test_iku6_kpps(landing: Path) -> None:
    rows = [r for _, r in read_source(landing, "siakba")]
    assert 4400 <= len(rows) <= 5000
    voting = {"PEMILU 2024": date(2024, 2, 14), "PILKADA 2024": date(2024, 11, 27)}
    deadline = {"PEMILU 2024": date(2024, 1, 25), "PILKADA 2024": date(2024, 11, 7)}
    assert (
        max(Counter(((r["Jenis Pemilihan"] or "").upper(), r["NIK"]) for r in rows).values()) == 1
    )
    assert [r["NIK"] for r in rows if not re.fullmatch(r"\d{16}", r["NIK"] or "")] == [
        "6.20401E+15"
    ]
    seated: dict[tuple[str, str, int], list[Row]] = defaultdict(list)
    faults: Counter[str] = Counter()
    for r in rows:
        election, born = (r["Jenis Pemilihan"] or "").upper(), a_date(r["Tanggal Lahir"])
        if not nik_agrees(r["NIK"] or "", born, r["Jenis Kelamin"] or ""):
            faults["nik"] += 1
        elif not 17 <= age_on(born, voting[election]) <= 55:
            faults["age"] += 1
        else:
            seated[(election, flat(r["Kode Desa"]), number(r["Nomor TPS"]))].append(r)
    assert faults == {"nik": 2, "age": 1}

    tps = {
        ((r["Jenis Pemilihan"] or "").upper(), flat(r["Kode Desa"]), number(r["Nomor TPS"]))
        for _, r in read_source(landing, "tps")
    }
    assert set(seated) == tps  # every TPS of both elections has KPPS rows
    items = []
    for key in tps:
        sworn = [
            r
            for r in seated[key]
            if r["Status Seleksi"] == "Lulus"
            and (day := maybe_date(r["Tanggal Pelantikan"])) is not None
            and day <= deadline[key[0]]
        ]
        chair = any((r["Jabatan"] or "").startswith("Ketua") for r in sworn)
        items.append((2024, len(sworn) >= 7 and chair))
    assert score(items) == expected("IKU-6")
