"""A register's footer (totals row, notes, signature block) is no data row (sources/footer.py).

Registers printed by hand close their table with a "Jumlah" row, a note and the signature of
the official. Those rows are not read, and one warning names them; every row that can be an
item, or may be a data row that lost its key, is read as before.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import xlsxwriter
from exports import PPID, check_export, read_export, rules

from sources import SOURCES
from sources.footer import MAX_FOOTER_ROWS, is_totals_label
from sources.sheet import FOOTER_SKIPPED, TOO_MANY_ERRORS, VALUE_MISSING
from warehouse.verdict import NOT_AN_ITEM

HEADER = "No Registrasi;Tanggal Permohonan;Tanggal Pemberitahuan Tertulis;Keputusan"
# Seven requests of March 2025, each answered two days later: all on time.
REQUESTS = [f"00{n}/PPID/2025;0{n}/03/2025;{n + 2:02}/03/2025;Diterima" for n in range(1, 8)]
NIP = "19700101 200003 1 001"
SIGNATURE = [
    ";;Buntok, 31 Desember 2025;",
    ";;Sekretaris KPU Kabupaten Barito Selatan;",
    ";;ttd;",
    ";;;",
    ";;Ahmad Fauzi;",
    f";;NIP {NIP};",
]
FOOTER = ["Jumlah;7;;", ";;;", "Keterangan: dicatat saat permohonan diterima;;;", *SIGNATURE]


def register_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def footer_warnings(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [i.message for i in result.issues if i.rule == FOOTER_SKIPPED]


def test_a_csv_register_with_totals_note_and_signature_reads_its_requests_only(
    tmp_path: Path,
) -> None:
    result = check_export(register_csv(tmp_path / "register.csv", [*REQUESTS, *FOOTER]), PPID)
    assert not result.rejected
    assert result.rows["_row_number"].to_list() == list(range(2, 9))
    assert result.rows["no_registrasi"].to_list() == [f"00{n}/PPID/2025" for n in range(1, 8)]
    assert rules(result) == [FOOTER_SKIPPED]
    (message,) = footer_warnings(result)
    assert message.startswith("baris 9–17 di bawah tabel tidak dibaca: penutup")
    # Row numbers only: never the footer's contents (a NIP, a name, a place).
    for written in ("19700101", "Ahmad", "Buntok", "Keterangan: dicatat"):
        assert written not in message


def xlsx_register(path: Path, footer: bool = True) -> Path:
    """A register as an office prints it: a banner, a "No" column before the key, dates as
    date cells, "JUMLAH" merged over No and No Registrasi, a note in column A and a
    signature merged over three columns (a date column among them)."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Register")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.merge_range("A1:F1", "REGISTER PERMOHONAN INFORMASI PUBLIK")
    sheet.write_string(1, 0, "KPU KABUPATEN BARITO SELATAN")
    header = ["No", "No Registrasi", "Tanggal Permohonan", "Keputusan"]
    sheet.write_row(3, 0, [*header, "Tanggal Pemberitahuan Tertulis", "Catatan"])
    for n in range(1, 8):
        row = 3 + n  # Excel rows 5-11
        sheet.write_number(row, 0, n)
        sheet.write_string(row, 1, f"00{n}/PPID/2025")
        sheet.write_datetime(row, 2, dt.datetime(2025, 3, n), day)
        sheet.write_string(row, 3, "Diterima")
        sheet.write_datetime(row, 4, dt.datetime(2025, 3, n + 2), day)
    if footer:
        sheet.merge_range("A12:B12", "JUMLAH")
        sheet.write_number(11, 2, 7)
        sheet.write_string(13, 0, "Keterangan: dicatat saat permohonan diterima")
        for row, text in [(15, "Buntok, 31 Desember 2025"), (16, "Sekretaris KPU Kabupaten")]:
            sheet.merge_range(row, 3, row, 5, text)
        sheet.merge_range(20, 3, 20, 5, "Ahmad Fauzi")
        sheet.merge_range(21, 3, 21, 5, f"NIP {NIP}")
    book.close()
    return path


def test_an_xlsx_register_with_merged_totals_and_signature_reads_its_requests_only(
    tmp_path: Path,
) -> None:
    result = check_export(xlsx_register(tmp_path / "register.xlsx"), PPID)
    plain = check_export(xlsx_register(tmp_path / "plain.xlsx", footer=False), PPID)
    assert not result.rejected
    assert result.rows.equals(plain.rows)
    assert result.rows.height == 7
    assert rules(result) == [FOOTER_SKIPPED]
    (message,) = footer_warnings(result)
    assert message.startswith("baris 12–22 di bawah tabel tidak dibaca")
    assert "19700101" not in message and "Ahmad" not in message


def test_a_row_without_key_inside_the_table_is_still_a_row_error(tmp_path: Path) -> None:
    middle = [*REQUESTS[:3], ";04/03/2025;06/03/2025;Diterima", *REQUESTS[3:]]
    result = check_export(register_csv(tmp_path / "register.csv", [*middle, *FOOTER]), PPID)
    assert result.rows.height == 8
    assert [(i.rule, i.row_number, i.column) for i in result.issues if i.row_number] == [
        (VALUE_MISSING, 5, "No Registrasi"),
        (NOT_AN_ITEM, 5, None),
    ]
    (message,) = footer_warnings(result)
    assert message.startswith("baris 10–18 ")


def test_a_trailing_row_that_looks_like_a_request_without_its_number_stays_a_row_error(
    tmp_path: Path,
) -> None:
    """Above the totals row, a row without a key that fills as many other columns as the
    register's rows do (dates, decision) is a request that lost its number: a row error."""
    doubtful = ";08/03/2025;10/03/2025;Diterima"
    lines = [*REQUESTS, doubtful, *FOOTER]
    result = check_export(register_csv(tmp_path / "register.csv", lines), PPID)
    assert result.rows["_row_number"].to_list() == list(range(2, 10))
    assert (VALUE_MISSING, 9, "No Registrasi") in [
        (i.rule, i.row_number, i.column) for i in result.issues
    ]
    (message,) = footer_warnings(result)
    assert message.startswith("baris 10–18 ")


def test_a_trailing_row_sparser_than_the_register_rows_is_part_of_the_footer(
    tmp_path: Path,
) -> None:
    """A row without a key filling fewer columns than the register's rows do, above the
    totals row (a note in the decision column), is the footer's."""
    lines = [*REQUESTS, ";;;(diisi oleh petugas PPID)", *FOOTER]
    result = check_export(register_csv(tmp_path / "register.csv", lines), PPID)
    assert result.rows.height == 7
    assert rules(result) == [FOOTER_SKIPPED]
    (message,) = footer_warnings(result)
    assert message.startswith("baris 9–18 ")


def test_a_signature_block_without_a_totals_row_is_a_footer_too(tmp_path: Path) -> None:
    """Many registers close with the signature alone: its lines fill one column each, where
    a request fills four, so they are no data rows (the file was rejected: 5 of 12 rows in
    error)."""
    result = check_export(register_csv(tmp_path / "register.csv", [*REQUESTS, *SIGNATURE]), PPID)
    assert not result.rejected and TOO_MANY_ERRORS not in rules(result)
    assert result.rows["_row_number"].to_list() == list(range(2, 9))
    (message,) = footer_warnings(result)
    assert message.startswith("baris 9–14 di bawah tabel tidak dibaca")


def test_without_a_totals_row_a_row_like_a_request_stays_and_the_footer_starts_below_it(
    tmp_path: Path,
) -> None:
    doubtful = ";08/03/2025;10/03/2025;Diterima"
    result = check_export(
        register_csv(tmp_path / "register.csv", [*REQUESTS, doubtful, *SIGNATURE]), PPID
    )
    assert result.rows["_row_number"].to_list() == list(range(2, 10))
    assert (VALUE_MISSING, 9, "No Registrasi") in [
        (i.rule, i.row_number, i.column) for i in result.issues
    ]
    (message,) = footer_warnings(result)
    assert message.startswith("baris 10–15 ")


def test_a_request_below_the_totals_row_keeps_every_row(tmp_path: Path) -> None:
    """A request added under the totals row: the table does not end at "Jumlah", and no row
    that can be an item is ever dropped."""
    late = "008/PPID/2025;08/03/2025;28/03/2025;Diterima"
    lines = [*REQUESTS, "Jumlah;7;;", late, *SIGNATURE]
    result = read_export(register_csv(tmp_path / "register.csv", lines), PPID)
    assert "008/PPID/2025" in result.rows["no_registrasi"].to_list()
    # the table ends at the late request ("Jumlah" above it stays a row); the signature
    # below it is the footer
    assert result.rows["_row_number"].to_list() == list(range(2, 11))
    (message,) = footer_warnings(result)
    assert message.startswith("baris 11–16 ")


def test_a_register_holding_only_its_footer_reads_as_an_empty_register(tmp_path: Path) -> None:
    empty = check_export(register_csv(tmp_path / "empty.csv", []), PPID)
    only = check_export(register_csv(tmp_path / "only.csv", ["Jumlah;0;;", *SIGNATURE]), PPID)
    assert not only.rejected and not empty.rejected
    assert only.rows.equals(empty.rows) and only.rows.height == 0
    assert rules(only) == [*rules(empty), FOOTER_SKIPPED]


def test_a_csv_read_again_by_the_forgiving_parser_loses_its_footer_too(tmp_path: Path) -> None:
    """A quote inside an unquoted cell (Monitor 21") sends the body to the csv module; the
    footer is looked for in the rows it reads."""
    quoted = [
        f'{line[: -len("Diterima")]}Salinan foto monitor 21" ruang rapat' for line in REQUESTS
    ]
    result = read_export(register_csv(tmp_path / "register.csv", [*quoted, *FOOTER]), PPID)
    assert result.rows.height == 7
    assert result.rows["keputusan"][0] == 'Salinan foto monitor 21" ruang rapat'
    assert rules(result) == [FOOTER_SKIPPED]


def test_many_rows_without_a_key_above_a_totals_row_are_no_footer(tmp_path: Path) -> None:
    """More rows below the table's last register row than a footer has: rows that lost their
    key, read (and refused) as before."""
    lost = [";03/03/2025;;" for _ in range(MAX_FOOTER_ROWS + 1)]
    result = read_export(register_csv(tmp_path / "register.csv", [*REQUESTS, *lost, *FOOTER]), PPID)
    assert footer_warnings(result) == []
    assert result.rows.height == 7 + len(lost) + len([f for f in FOOTER if f.strip(";")])


def test_a_logistik_sheet_with_its_sums_under_a_merged_jumlah(tmp_path: Path) -> None:
    """A composite key (Tahun + Kode Barang + Lokasi Gudang) and a totals row that sums the
    count columns, its label merged over Tahun, Kode Barang and Nama Barang."""
    path = tmp_path / "logistik.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    header = ["Tahun", "Kode Barang", "Nama Barang", "Kategori", "Lokasi Gudang"]
    header += ["Jumlah Tersedia", "Tanggal Inventarisasi", "Tanggal Pemeliharaan"]
    sheet.write_row(0, 0, header)
    for n in range(1, 4):
        sheet.write_row(n, 0, [2025, f"KS-{n}", "Kotak suara", "Barang Inventaris", "Gudang A"])
        sheet.write_number(n, 5, 10 * n)
        sheet.write_datetime(n, 6, dt.datetime(2025, 1, 10 + n), day)
        sheet.write_datetime(n, 7, dt.datetime(2025, 1, 20 + n), day)
    sheet.merge_range("A5:C5", "JUMLAH")
    sheet.write_formula("F5", "=SUM(F2:F4)", None, 60)
    sheet.merge_range("F7:H7", "Kepala Subbagian Keuangan, Umum dan Logistik")
    sheet.merge_range("F10:H10", f"NIP {NIP}")
    book.close()
    result = check_export(path, SOURCES["logistik"])
    assert not result.rejected
    assert result.rows["kode_barang"].to_list() == ["KS-1", "KS-2", "KS-3"]
    assert result.error_rows() == set()
    (message,) = footer_warnings(result)
    assert message.startswith("baris 5–10 ")


@pytest.mark.parametrize(
    ("label", "totals"),
    [
        ("Jumlah", True),
        ("JUMLAH :", True),
        ("  jumlah  total", True),
        ("Total Keseluruhan:", True),
        ("GRAND TOTAL", True),
        ("Jumlah Permohonan Januari", False),
        ("Total Biaya", False),
        (None, False),
    ],
)
def test_totals_labels(label: str | None, totals: bool) -> None:
    assert is_totals_label(label) is totals


def test_a_totals_label_in_another_wording_ends_the_table_too(tmp_path: Path) -> None:
    lines = [*REQUESTS, "TOTAL KESELURUHAN :;7;;", *SIGNATURE]
    result = read_export(register_csv(tmp_path / "register.csv", lines), PPID)
    assert result.rows.height == 7
    assert rules(result) == [FOOTER_SKIPPED]


# --- the real path ---------------------------------------------------------------------


@pytest.mark.slow
def test_registers_with_a_footer_are_accepted_and_counted_by_a_refresh(
    prefect_backend: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.refresh import refresh

    monkeypatch.setenv("IKU_PII_KEY", "kunci-uji")
    landing = tmp_path / "landing"
    (landing / "6204" / "ppid").mkdir(parents=True)
    (landing / "6205" / "ppid").mkdir(parents=True)
    register_csv(landing / "6204" / "ppid" / "register.csv", [*REQUESTS, *FOOTER])
    xlsx_register(landing / "6205" / "ppid" / "register.xlsx")
    result = refresh(landing=landing, warehouse=tmp_path / "wh", as_of=dt.date(2025, 6, 30))
    assert result.rejected_files == [] and result.error_rows == 0
    con = duckdb.connect(str(result.published), read_only=True)
    try:
        for satker in ("6204", "6205"):
            row = con.execute(
                "SELECT pembilang, penyebut, realisasi FROM iku.capaian WHERE kode_satker = ? "
                "AND kode_iku = 'IKU-3' AND tahun = 2025 AND triwulan = 1",
                [satker],
            ).fetchone()
            assert row == (7, 7, Decimal("100.00")), satker
        found = con.execute(
            "SELECT kode_satker, rule, severity, row_number FROM dq.issues "
            "WHERE source = 'ppid' AND file_name LIKE 'register.%' ORDER BY 1"
        ).fetchall()
        assert found == [
            ("6204", FOOTER_SKIPPED, "warning", None),
            ("6205", FOOTER_SKIPPED, "warning", None),
        ]
        assert con.execute("SELECT count(*) FROM dq.quarantine").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM mentah.ppid").fetchone() == (14,)
    finally:
        con.close()
