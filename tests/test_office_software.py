"""Exports opened and saved again in office software before they land: LibreOffice Calc (set
to Indonesian, as in a KPU office) writes some values otherwise than Excel does. Each is read
as a person sees it there, or its row refused with the reason.

The tests that run LibreOffice itself skip when ``soffice`` is not installed; each has a twin
that writes the same bytes by hand and always runs."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from exports import PPID, read_export

from sources.indonesian import parse_date
from sources.parse import parse_boolean
from sources.sheet import VALUE_INVALID, ReadLimits, ReadResult

LIMITS = ReadLimits(as_of=dt.date(2025, 12, 31))
SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) not installed"
)
# A LibreOffice profile set to Indonesian (its locale decides how it shows dates and booleans).
INDONESIAN = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>id-ID</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse">
<value>id-ID</value></prop></item>
</oor:items>
"""
# LibreOffice's CSV filter: separator ";", quote '"', UTF-8 (76), from line 1; on import also
# no column types given, Indonesian (1057), quoted cells not forced to text, numbers detected.
CSV_OUT = "csv:Text - txt - csv (StarCalc):59,34,76,1"
CSV_IN = "Text - txt - csv (StarCalc):59,34,76,1,,1057,false,true"
HEADER = [
    "No Registrasi",
    "Tanggal Permohonan",
    "Tanggal Pemberitahuan Tertulis",
    "Perpanjangan",
    "Keberatan",
    "Keputusan",
]


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One LibreOffice profile for the module: its first start takes seconds."""
    folder = tmp_path_factory.mktemp("libreoffice")
    (folder / "user").mkdir()
    (folder / "user" / "registrymodifications.xcu").write_text(INDONESIAN, encoding="utf-8")
    return folder


def saved_by_libreoffice(profile: Path, path: Path, to: str, infilter: str | None = None) -> Path:
    """``path`` opened in LibreOffice (Indonesian) and saved as ``to`` beside it."""
    assert SOFFICE is not None
    out = path.parent / f"libreoffice_{to.split(':')[0]}"
    command = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless"]
    command += [f"--infilter={infilter}"] if infilter else []
    command += ["--convert-to", to, "--outdir", str(out), str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    saved = out / f"{path.stem}.{to.split(':')[0]}"
    assert saved.is_file(), f"LibreOffice wrote nothing for {path.name}"
    return saved


def invalid(result: ReadResult) -> list[tuple[int | None, str | None]]:
    return [(i.row_number, i.column) for i in result.issues if i.rule == VALUE_INVALID]


# --- LibreOffice's formula errors -------------------------------------------------------------


def _failing_keys(path: Path) -> Path:
    """A register whose first two numbers are formulas LibreOffice cannot compute: an invalid
    argument (Err:502; Excel: #VALUE!) and a circular reference (Err:522)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(['=MID("001/PPID/2025",0,3)', "02/12/2025", "05/12/2025", "Tidak", "Tidak"])
    sheet.append(['=A3&"/PPID/2025"', "03/12/2025", "05/12/2025", "Tidak", "Tidak", "Diterima"])
    sheet.append(["003/PPID/2025", "04/12/2025", "05/12/2025", "Tidak", "Tidak", "Diterima"])
    book.save(path)
    return path


@needs_libreoffice
def test_libreoffice_error_codes_in_a_key_name_no_item(tmp_path: Path, profile: Path) -> None:
    """LibreOffice shows a formula that fails as "Err:502" (Excel's #VALUE!) and saves it so
    in its CSV: like #VALUE! in its XLSX, it is the row's error, never the number of a
    request of its own (one answered on time would raise IKU-3)."""
    book = _failing_keys(tmp_path / "register.xlsx")
    csv = saved_by_libreoffice(profile, book, CSV_OUT)
    assert csv.read_text(encoding="utf-8").splitlines()[1:3] == [
        '"Err:502";"02/12/2025";"05/12/2025";"Tidak";"Tidak";',
        '"Err:522";"03/12/2025";"05/12/2025";"Tidak";"Tidak";"Diterima"',
    ]
    for export in (csv, saved_by_libreoffice(profile, book, "xlsx")):
        result = read_export(export, PPID, LIMITS)
        assert invalid(result) == [(2, "No Registrasi"), (3, "No Registrasi")], export.name
        assert result.rows["no_registrasi"].to_list() == [None, None, "003/PPID/2025"]


def test_libreoffice_error_codes_in_its_csv_name_no_item(tmp_path: Path) -> None:
    """The CSV LibreOffice writes for such a register (as the test above has it write): the
    codes are row errors, in any case; in free text they stay as shown."""
    csv = tmp_path / "register.csv"
    csv.write_text(
        ";".join(HEADER) + "\n"
        '"Err:502";"02/12/2025";"05/12/2025";"Tidak";"Tidak";\n'
        '"err:522";"03/12/2025";"05/12/2025";"Tidak";"Tidak";"Err:504"\n'
        '"003/PPID/2025";"04/12/2025";"05/12/2025";"Tidak";"Tidak";"Diterima"\n',
        encoding="utf-8",
    )
    result = read_export(csv, PPID, LIMITS)
    assert invalid(result) == [(2, "No Registrasi"), (3, "No Registrasi")]
    assert "'Err:502' bukan nilai" in result.issues[0].message
    assert result.rows["no_registrasi"].to_list() == [None, None, "003/PPID/2025"]
    assert result.rows["keputusan"].to_list() == [None, "Err:504", "Diterima"]


# --- booleans -----------------------------------------------------------------------------------


def _booleans(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["001/PPID/2025", "02/12/2025", "05/12/2025", True, False, "Diterima"])
    sheet.append(["002/PPID/2025", "03/12/2025", "05/12/2025", False, True, "Diterima"])
    book.save(path)
    return path


@needs_libreoffice
def test_boolean_cells_read_alike_in_xlsx_and_in_libreoffices_csv(
    tmp_path: Path, profile: Path
) -> None:
    """A boolean cell in Perpanjangan or Keberatan reads as Ya/Tidak; LibreOffice set to
    Indonesian shows it, and saves it to CSV, as BENAR/SALAH, which reads the same."""
    book = _booleans(tmp_path / "register.xlsx")
    csv = saved_by_libreoffice(profile, book, CSV_OUT)
    assert '"Diterima"' in csv.read_text(encoding="utf-8")
    assert ";BENAR;SALAH;" in csv.read_text(encoding="utf-8")
    for export in (book, saved_by_libreoffice(profile, book, "xlsx"), csv):
        result = read_export(export, PPID, LIMITS)
        assert result.issues == [], export.name
        assert result.rows["perpanjangan"].to_list() == [True, False], export.name
        assert result.rows["keberatan"].to_list() == [False, True], export.name


def test_true_and_false_in_indonesian_are_ya_and_tidak(tmp_path: Path) -> None:
    csv = tmp_path / "register.csv"
    csv.write_text(
        ";".join(HEADER) + "\n"
        '"001/PPID/2025";02/12/2025;05/12/2025;BENAR;SALAH;"Diterima"\n'
        '"002/PPID/2025";03/12/2025;05/12/2025;salah;Benar;"Diterima"\n',
        encoding="utf-8",
    )
    result = read_export(csv, PPID, LIMITS)
    assert result.issues == []
    assert result.rows["perpanjangan"].to_list() == [True, False]
    assert result.rows["keberatan"].to_list() == [False, True]
    assert parse_boolean(" BENAR ") is True and parse_boolean("Salah") is False


# --- dates with a two-digit year ------------------------------------------------------------


@needs_libreoffice
def test_a_csv_saved_again_by_libreoffice_with_two_digit_years_is_refused_plainly(
    tmp_path: Path, profile: Path
) -> None:
    """LibreOffice set to Indonesian reads 27/11/2025 in a CSV as a date and, saving the CSV
    again, writes it as its locale shows dates: 27/11/25. The century is a guess (a birth
    date of 26/05/75), so such a date is refused, saying so and how to save it instead."""
    exported = tmp_path / "register.csv"
    exported.write_text(
        ";".join(HEADER) + "\n001/PPID/2025;27/11/2025;05/12/2025;Tidak;Tidak;Diterima\n",
        encoding="utf-8",
    )
    csv = saved_by_libreoffice(profile, exported, CSV_OUT, CSV_IN)
    assert ";27/11/25;05/12/25;" in csv.read_text(encoding="utf-8")
    result = read_export(csv, PPID, LIMITS)
    assert invalid(result) == [(2, "Tanggal Pemberitahuan Tertulis"), (2, "Tanggal Permohonan")]
    assert "tahun dua digit" in result.issues[0].message
    assert result.rows["tanggal_permohonan"].to_list() == [None]


def test_a_two_digit_year_is_refused_naming_the_cause() -> None:
    for text in ("27/11/25", "27-11-25", "27.11.25", "27/11/25 0:00"):
        with pytest.raises(ValueError, match="tahun dua digit"):
            parse_date(text)
    with pytest.raises(ValueError, match="bukan tanggal"):
        parse_date("27/11")
