"""Every data-quality rule: a row that breaks it and a row that passes, through real GX."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NoReturn

import polars as pl
import pytest

from sources import SOURCES
from sources.model import CheckContext
from sources.parse import POLARS_TYPES
from sources.sheet import TOO_MANY_ERRORS, ReadResult
from warehouse.quality import DATE_ORDER, NEGATIVE, FileToCheck, expectations, rules
from warehouse.reference import sakip_grades
from warehouse.validator import Validator
from warehouse.verdict import decide

ROOT = Path(__file__).resolve().parents[1]

DESA = "6204012001"
CONTEXT = CheckContext(
    as_of=date(2025, 6, 30),
    voting_days={"Pemilu 2024": date(2024, 2, 14), "Pilkada 2024": date(2024, 11, 27)},
    desa={"6204": frozenset({DESA, "6204011003"})},
    tps={"6204": frozenset({f"Pemilu 2024|{DESA}|1"})},
    sakip_grades=sakip_grades(),
)

# A KPPS member who passes every rule: a man born 10 May 1990 (NIK digits 100590).
MEMBER = {
    "no_registrasi": "R1",
    "jenis_pemilihan": "Pemilu 2024",
    "jenis_kelamin": "L",
    "tanggal_lahir": date(1990, 5, 10),
    "pendidikan_terakhir": "SMA/Sederajat",
    "kode_desa": DESA,
    "nomor_tps": 1,
    "jabatan": "Ketua",
    "status_seleksi": "Lulus",
    "tanggal_pelantikan": date(2024, 1, 25),
}
PDPB = {
    "kode_desa": DESA,
    "pemilih_awal_l": 100,
    "pemilih_awal_p": 90,
    "pemilih_baru_l": 5,
    "pemilih_baru_p": 4,
    "tms_l": 2,
    "tms_p": 1,
    "pemilih_akhir_l": 103,
    "pemilih_akhir_p": 93,
    "tanggal_pleno": date(2025, 4, 10),
}


def _nik(row: dict[str, object], serial: int) -> str:
    """A NIK that agrees with the row's birth date and sex."""
    born = row["tanggal_lahir"]
    assert isinstance(born, date)
    day = born.day + (40 if row["jenis_kelamin"] == "P" else 0)
    return f"620401{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def complete(source: str, index: int, row: dict[str, object]) -> dict[str, object]:
    """The row with every value a row of the source cannot do without, its key unique by
    ``index`` where the row does not set the key itself."""
    base: dict[str, dict[str, object]] = {
        "wilayah": {"kode_wilayah": DESA, "nama_wilayah": "Desa", "tingkat": "desa"},
        "tps": {"jenis_pemilihan": "Pemilu 2024", "kode_desa": DESA, "nomor_tps": index + 1},
        "tahapan": {
            "kode_tahapan": f"T{index}",
            "jadwal_mulai": date(2025, 1, 1),
            "jadwal_selesai": date(2025, 1, 31),
        },
        "logistik": {
            "tahun": 2025,
            "kode_barang": f"B{index}",
            "kategori": "Barang Inventaris",
            "lokasi_gudang": "Gudang Buntok",
        },
        "ppid": {"no_registrasi": f"R{index}", "tanggal_permohonan": date(2025, 3, 3)},
        "pemilih": {"tahun": 2025, "triwulan": index % 4 + 1, "tanggal_pleno": date(2025, 4, 10)},
        "keuangan": {
            "nip": f"{198001012005011000 + index}",
            "jenis_laporan": "LPJ Bendahara",
            "periode_laporan": date(2025, 3, 1),
            "batas_waktu": date(2025, 4, 10),
        },
        "sakip": {"tahun": 2020 + index, "nilai": Decimal("70")},
        "siakba": {},
    }
    full = base[source] | row
    if source == "siakba" and "nik" not in full:
        full["nik"] = _nik(full, index + 1)
    return full


def read_result(source_name: str, *rows: dict[str, object]) -> ReadResult:
    """Typed rows as the reader would give them, numbered from row 2, each completed with
    what a row of the source cannot do without."""
    source = SOURCES[source_name]
    rows = tuple(complete(source_name, i, r) for i, r in enumerate(rows))
    data: dict[str, pl.Series] = {"_row_number": pl.Series(range(2, len(rows) + 2), dtype=pl.Int64)}
    for column in source.columns:
        data[column.field] = pl.Series(
            [r.get(column.field) for r in rows], dtype=POLARS_TYPES[column.kind]
        )
    return ReadResult(source, Path(f"{source_name}.csv"), pl.DataFrame(data))


@pytest.fixture(scope="module")
def validator(tmp_path_factory: pytest.TempPathFactory) -> Validator:
    return Validator(tmp_path_factory.mktemp("docs"))


def checked(
    validator: Validator, result: ReadResult, context: CheckContext = CONTEXT, ratio: float = 1.0
) -> ReadResult:
    """The result decided after its checks (with satker 6204's references)."""
    file = FileToCheck("6204", result.path.name, result.rows)
    found = validator.check(result.source, [file], context)[0]
    return decide(result.source, result, found.issues, ratio)


def findings(
    validator: Validator, result: ReadResult, context: CheckContext = CONTEXT
) -> list[tuple[int | None, str]]:
    return sorted((i.row_number, i.rule) for i in checked(validator, result, context).issues)


CASES = [
    # (source, rule, a passing row, a row that breaks the rule)
    ("logistik", NEGATIVE, {"jumlah_rusak": 0}, {"jumlah_rusak": -1}),
    ("pemilih", NEGATIVE, PDPB, {**PDPB, "tms_p": -1, "pemilih_akhir_p": 95}),
    (
        "tps",
        NEGATIVE,
        {"kode_desa": DESA, "jenis_pemilihan": "Pemilu 2024", "jumlah_pemilih": 0},
        {"kode_desa": DESA, "jenis_pemilihan": "Pemilu 2024", "jumlah_pemilih": -5},
    ),
    (
        "tahapan",
        DATE_ORDER,
        {"realisasi_mulai": date(2025, 1, 2), "realisasi_selesai": date(2025, 1, 2)},
        {"realisasi_mulai": date(2025, 1, 2), "realisasi_selesai": date(2025, 1, 1)},
    ),
    (
        "ppid",
        DATE_ORDER,
        {
            "tanggal_permohonan": date(2025, 3, 3),
            "tanggal_pemberitahuan_tertulis": date(2025, 3, 3),
        },
        {
            "tanggal_permohonan": date(2025, 3, 3),
            "tanggal_pemberitahuan_tertulis": date(2025, 3, 2),
        },
    ),
    (
        "keuangan",
        DATE_ORDER,
        {"periode_laporan": date(2025, 3, 1), "batas_waktu": date(2025, 4, 10)},
        {"periode_laporan": date(2025, 3, 1), "batas_waktu": date(2025, 2, 10)},
    ),
    (
        "wilayah",
        "kode_tidak_sesuai_tingkat",
        {"kode_wilayah": "6204011003", "tingkat": "kelurahan"},
        {"kode_wilayah": "6204012001", "tingkat": "kelurahan"},
    ),
    (
        "tps",
        "kode_desa_tidak_dikenal",
        {"kode_desa": DESA, "jenis_pemilihan": "Pemilu 2024"},
        {"kode_desa": "6204019999", "jenis_pemilihan": "Pemilu 2024"},
    ),
    (
        "tps",
        "pemilihan_tidak_dikenal",
        {"kode_desa": DESA, "jenis_pemilihan": "Pilkada 2024"},
        {"kode_desa": DESA, "jenis_pemilihan": "Pemilu 2029"},
    ),
    (
        "logistik",
        "jumlah_baik_rusak_tidak_sama_tersedia",
        {"jumlah_tersedia": 10, "jumlah_baik": 8, "jumlah_rusak": 2},
        {"jumlah_tersedia": 10, "jumlah_baik": 8, "jumlah_rusak": 1},
    ),
    ("ppid", "nik_tidak_sah", {"nik": "6204014101900001"}, {"nik": "0004019901900001"}),
    (
        "ppid",
        "perpanjangan_tanpa_tanggal",
        {"perpanjangan": True, "tanggal_pemberitahuan_perpanjangan": date(2025, 3, 10)},
        {"perpanjangan": True},
    ),
    ("pemilih", "kode_desa_tidak_dikenal", PDPB, {**PDPB, "kode_desa": "6204019999"}),
    ("pemilih", "pdpb_tidak_seimbang_l", PDPB, {**PDPB, "pemilih_akhir_l": 130}),
    ("pemilih", "pdpb_tidak_seimbang_p", PDPB, {**PDPB, "pemilih_akhir_p": 92}),
    (
        "sakip",
        "nilai_di_luar_0_100",
        {"tahun": 2025, "nilai": Decimal("100")},
        {"tahun": 2024, "nilai": Decimal("100.5")},
    ),
    # 60.00 is not above 60, so it is CC; 60.01 is B.
    (
        "sakip",
        "predikat_tidak_sesuai_nilai",
        {"tahun": 2025, "nilai": Decimal("60.01"), "predikat": "B"},
        {"tahun": 2024, "nilai": Decimal("60.00"), "predikat": "B"},
    ),
    (
        "siakba",
        "nik_tidak_sah",
        MEMBER,
        {**MEMBER, "nik": "6204013205900001", "tanggal_lahir": None},
    ),
    # A woman's NIK adds 40 to the day: 50 for the 10th.
    (
        "siakba",
        "nik_tidak_cocok_tanggal_lahir",
        {**MEMBER, "nik": "6204015005900001", "jenis_kelamin": "P"},
        {**MEMBER, "nik": "6204011005900001", "jenis_kelamin": "P"},
    ),
    (
        "siakba",
        "usia_kpps_17_55",
        MEMBER,
        {**MEMBER, "nik": "6204011005600001", "tanggal_lahir": date(1960, 5, 10)},
    ),
    (
        "siakba",
        "pendidikan_di_bawah_sma",
        MEMBER,
        {**MEMBER, "pendidikan_terakhir": "SMP/Sederajat"},
    ),
    ("siakba", "kode_desa_tidak_dikenal", MEMBER, {**MEMBER, "kode_desa": "6204019999"}),
    ("siakba", "tps_tidak_dikenal", MEMBER, {**MEMBER, "nomor_tps": 2}),
    ("siakba", "pemilihan_tidak_dikenal", MEMBER, {**MEMBER, "jenis_pemilihan": "Pemilu 2029"}),
]


@pytest.mark.parametrize(
    ("source", "rule", "good", "bad"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_rule_catches_the_bad_row_only(
    validator: Validator, source: str, rule: str, good: dict[str, object], bad: dict[str, object]
) -> None:
    result = read_result(source, good, bad)
    found = findings(validator, result)
    assert (3, rule) in found
    assert [r for r in found if r[0] == 2] == []


class _Unlisted(dict[str, frozenset[str]]):
    """A reference list a check did not declare (``Check.uses``): reading it fails."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def _refuse(self, *_: object) -> NoReturn:
        raise AssertionError(f"reads the {self.name} list without declaring it")

    __iter__ = __getitem__ = __contains__ = get = items = keys = values = _refuse  # type: ignore[assignment]


def test_a_rule_reads_only_the_reference_lists_its_check_declares() -> None:
    """Only the declared lists go with a source's rows to their checks (and decide their
    cached results): a rule reading any other would check against nothing."""
    for source in SOURCES.values():
        for check in source.checks:
            given = {n: {} if n in check.uses else _Unlisted(n) for n in ("desa", "tps")}
            check.rule(replace(CONTEXT, **given))  # raises on an undeclared read
    lookups = {(s.name, c.name) for s in SOURCES.values() for c in s.checks if c.uses}
    assert ("siakba", "tps_tidak_dikenal") in lookups
    assert ("pemilih", "kode_desa_tidak_dikenal") in lookups


def test_every_declared_rule_has_a_case() -> None:
    declared = {(s.name, c.name) for s in SOURCES.values() for c in s.checks}
    covered = {(source, rule) for source, rule, _, _ in CASES}
    assert declared <= covered


@pytest.mark.parametrize(
    ("born", "ok"),
    [
        (date(2007, 2, 14), True),  # 17 exactly on voting day 14 Feb 2024
        (date(2007, 2, 15), False),  # one day short of 17
        (date(1968, 2, 15), True),  # 55, turns 56 the next day
        (date(1968, 2, 14), False),  # 56 on voting day
    ],
)
def test_kpps_age_on_voting_day_boundaries(validator: Validator, born: date, ok: bool) -> None:
    nik = f"620401{born.day:02d}{born.month:02d}{born.year % 100:02d}0001"
    result = read_result("siakba", {**MEMBER, "tanggal_lahir": born, "nik": nik})
    found = findings(validator, result)
    assert ((2, "usia_kpps_17_55") in found) is not ok
    assert [r for r in found if r[1] != "usia_kpps_17_55"] == []


def test_unknown_reference_data_does_not_quarantine(validator: Validator) -> None:
    # No wilayah or TPS list for the satker: those lookups do not apply.
    unknown = CheckContext(CONTEXT.as_of, CONTEXT.voting_days, sakip_grades=sakip_grades())
    result = read_result("siakba", {**MEMBER, "kode_desa": "6205012001"})
    assert findings(validator, result, unknown) == []


def test_errors_quarantine_warnings_only_report(validator: Validator) -> None:
    result = read_result(
        "logistik",
        {"kode_barang": "A", "jumlah_tersedia": 10, "jumlah_baik": 9, "jumlah_rusak": 0},  # warning
        {"kode_barang": "B", "jumlah_tersedia": -1},  # error
        *({"kode_barang": str(n)} for n in range(8)),
    )
    result = checked(validator, result)
    assert result.error_rows() == {3}
    assert 2 in result.valid_rows()["_row_number"].to_list()


def test_more_than_a_fifth_in_error_rejects_the_file(validator: Validator) -> None:
    good = [{**PDPB, "kode_desa": f"620401200{n}"} for n in range(7)]
    bad = [{**PDPB, "kode_desa": f"620401300{n}", "pemilih_akhir_l": 1} for n in range(3)]
    context = CheckContext(CONTEXT.as_of, CONTEXT.voting_days)
    result = checked(validator, read_result("pemilih", *good, *bad), context, 0.2)  # 3 of 10
    assert result.rejected
    assert result.issues[-1].rule == TOO_MANY_ERRORS


def test_validation_frame_never_holds_personal_data() -> None:
    from warehouse.quality import validation_frame

    result = read_result(
        "ppid", {"nik": "6204014101900001", "alamat": "Jl. Melati 1", "email": "a@b.id"}
    )
    ppid = SOURCES["ppid"]
    frame = validation_frame(
        ppid, [FileToCheck("6204", "a.csv", result.rows)], rules(ppid, CONTEXT)
    )
    assert not {"nik", "alamat", "email", "no_telepon", "nama_pemohon"} & set(frame.columns)


def test_suites_come_from_the_declarations() -> None:
    siakba = expectations(SOURCES["siakba"], rules(SOURCES["siakba"], CONTEXT))
    assert {e.meta["rule"] for e in siakba} >= {c.name for c in SOURCES["siakba"].checks}
    pemilih = expectations(SOURCES["pemilih"], rules(SOURCES["pemilih"], CONTEXT))
    negatives = [e for e in pemilih if e.meta["rule"] == NEGATIVE]
    assert len(negatives) == 9  # the eight PDPB counts and Perbaikan Data


def test_data_docs_are_written_and_name_each_rule(tmp_path: Path) -> None:
    validator = Validator(tmp_path / "docs")
    findings(validator, read_result("sakip", {"tahun": 2025, "nilai": Decimal("170")}))
    index = validator.build_docs()
    assert index is not None and index.read_text().count("<html") == 1
    pages = "".join(p.read_text() for p in (tmp_path / "docs" / "validations").rglob("*.html"))
    assert "nilai_di_luar_0_100 (error, kolom Nilai): Nilai SAKIP harus antara 0 dan 100" in pages


def test_a_validation_leaves_no_rows_behind_in_great_expectations() -> None:
    """GX's pandas engine keeps every batch's rows for its own life unless told otherwise: at
    national scale, chunk after chunk of rows would pile up until the run ends."""
    validator = Validator()
    result = read_result("siakba", MEMBER, {**MEMBER, "nik": "6204014101900002"})
    findings(validator, result)
    engine = validator.context.data_sources.get("iku").get_execution_engine()
    assert engine.batch_manager.batch_data_cache == {}


def in_a_fresh_interpreter(script: str) -> str:
    """Run ``script`` in a new Python process of the project; what it printed. Its asserts
    must hold (it exits 0)."""
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_large_imports_run_without_the_garbage_collector_and_are_then_frozen() -> None:
    # A fresh interpreter: freezing moves every object of the process out of collection.
    script = (
        "import gc\n"
        "from warehouse.imports import great_expectations, long_lived\n"
        "assert gc.isenabled() and gc.get_freeze_count() == 0\n"
        "with long_lived():\n"
        "    assert not gc.isenabled()\n"
        "    import decimal\n"
        "assert gc.isenabled() and gc.get_freeze_count() > 0\n"
        "frozen = gc.get_freeze_count()\n"
        "great_expectations()\n"
        "assert gc.isenabled() and gc.get_freeze_count() > frozen + 100_000\n"
        "gc.disable()\n"
        "with long_lived():\n"
        "    pass\n"
        "assert not gc.isenabled(), 'a collector that was off was turned on'\n"
    )
    in_a_fresh_interpreter(script)


def test_great_expectations_starts_without_scipy_stats_and_loads_it_on_first_use() -> None:
    # A fresh interpreter: the deferral only applies to the first import of GX.
    script = (
        "import sys\n"
        "from warehouse.imports import great_expectations\n"
        "gx = great_expectations()\n"
        "assert 'scipy.stats._stats_py' not in sys.modules, 'scipy.stats was imported'\n"
        "import great_expectations.expectations.core.expect_column_kl_divergence_to_be_less_than"
        " as kl\n"
        "print(round(float(kl.stats.entropy([0.5, 0.5], [0.9, 0.1])), 4))\n"
        "assert 'scipy.stats._stats_py' in sys.modules\n"
    )
    assert in_a_fresh_interpreter(script) == "0.5108"
