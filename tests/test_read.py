"""The reader on real files written by the tests: every tolerance and every rejection."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from exports import (
    PPID,
    PPID_HEADER,
    PPID_ROWS,
    check_export,
    read_export,
    rules,
    write_csv,
    write_xlsx,
)

from sources import SOURCES
from sources.read import read_exports
from sources.sheet import (
    CELLS_BEYOND_HEADER,
    FILE_UNREADABLE,
    FORMAT_UNSUPPORTED,
    HEADER_NOT_FOUND,
    KEY_DUPLICATE,
    REQUIRED_COLUMN_MISSING,
    TOO_MANY_ERRORS,
    VALUE_INVALID,
    VALUE_MISSING,
)
from warehouse.verdict import NOT_AN_ITEM


def test_plain_utf8_comma_csv(tmp_path: Path) -> None:
    result = read_export(write_csv(tmp_path / "a.csv", [PPID_HEADER, *PPID_ROWS]), PPID)
    assert result.issues == []
    assert result.rows["no_registrasi"].to_list() == ["001/PPID/III/2025", "002/PPID/III/2025"]
    assert result.rows["tanggal_permohonan"].to_list() == [
        dt.date(2025, 3, 27),
        dt.date(2025, 3, 28),
    ]
    assert result.rows["tanggal_pemberitahuan_tertulis"].to_list() == [dt.date(2025, 4, 2), None]
    # Rows are numbered as a person sees them in the file: the header is row 1.
    assert result.rows["_row_number"].to_list() == [2, 3]


def test_utf8_bom_and_tab_separator(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [PPID_HEADER, *PPID_ROWS], sep="\t", encoding="utf-8-sig")
    result = read_export(path, PPID)
    assert result.issues == []
    assert result.rows.height == 2


def test_windows_1252_with_semicolons(tmp_path: Path) -> None:
    header = [*PPID_HEADER, "Informasi yang Diminta"]
    rows = [header, [*PPID_ROWS[0], "Salinan SK – pleno ’rekap’"]]
    result = read_export(write_csv(tmp_path / "a.csv", rows, sep=";", encoding="cp1252"), PPID)
    assert result.issues == []
    assert result.rows["informasi_yang_diminta"].to_list() == ["Salinan SK – pleno ’rekap’"]


def test_mac_line_ends_lone_cr_and_mixed_load_every_row(tmp_path: Path) -> None:
    lf = read_export(write_csv(tmp_path / "lf.csv", [PPID_HEADER, *PPID_ROWS]), PPID)
    lines = [",".join(r).encode() for r in [PPID_HEADER, *PPID_ROWS]]
    cr_only = tmp_path / "mac.csv"  # Excel for Mac's "CSV (Macintosh)"
    cr_only.write_bytes(b"\r".join(lines) + b"\r")
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(lines[0] + b"\r\n" + lines[1] + b"\r" + lines[2] + b"\n")
    for path in (cr_only, mixed):
        result = read_export(path, PPID)
        assert result.issues == []
        assert result.rows.equals(lf.rows), path.name


def test_a_quote_in_an_unquoted_title_or_header_cell_loses_no_row(tmp_path: Path) -> None:
    """Excel reads a lone quote inside an unquoted cell as text; so does the reader, above
    the header and below it: every row comes through, numbered as in the file."""
    title = ['REGISTER PERMOHONAN "PPID']
    header = [*PPID_HEADER, 'Ukuran 21"']
    rows = [[*r, '24" layar'] for r in PPID_ROWS]
    result = read_export(write_csv(tmp_path / "a.csv", [title, header, *rows]), PPID)
    assert result.issues == []
    assert result.rows["no_registrasi"].to_list() == ["001/PPID/III/2025", "002/PPID/III/2025"]
    assert result.rows["_row_number"].to_list() == [3, 4]
    # A quote opened at the start of a cell and never closed is the file's error.
    broken = [header, PPID_ROWS[0], ['"003/PPID', "29/03/2025", "", ""], PPID_ROWS[1]]
    result = read_export(write_csv(tmp_path / "b.csv", broken), PPID)
    assert rules(result) == [FILE_UNREADABLE] and "tanda kutip" in result.issues[0].message


def test_a_row_with_cells_beyond_the_header_is_quarantined_not_cut(tmp_path: Path) -> None:
    """An unquoted separator inside a cell (a decimal comma, a comma in an address) shifts
    the row: the cells beyond the header's last are never silently dropped."""
    sakip = SOURCES["sakip"]
    result = read_export(
        write_csv(tmp_path / "a.csv", [["Tahun", "Nilai"], ["2023", "78", "25"], ["2024", "80"]]),
        sakip,
    )
    assert [(i.rule, i.row_number, i.severity) for i in result.issues] == [
        (CELLS_BEYOND_HEADER, 2, "error")
    ]
    assert result.error_rows() == {2}
    # Empty cells beyond the header (a separator after every row) are nothing.
    rows = [[*PPID_HEADER, ""], *[[*r, "", ""] for r in PPID_ROWS]]
    result = read_export(write_csv(tmp_path / "b.csv", rows), PPID)
    assert result.issues == [] and result.rows.height == 2


def test_printed_register_habits_dash_repeated_header_and_format_hints(tmp_path: Path) -> None:
    """A lone dash is an empty cell; the header repeated at a page break is no row; a hint in
    brackets after a column name still names the column."""
    header = ["No. Registrasi", "Tanggal Permohonan (dd/mm/yyyy)", "NIK [16 digit]"]
    header.append("Tanggal Pemberitahuan Tertulis")
    rows = [header, [*PPID_ROWS[0][:3], "-"], header, [*PPID_ROWS[1][:3], " – "]]
    result = read_export(write_csv(tmp_path / "a.csv", rows), PPID)
    assert result.issues == []
    assert result.rows["_row_number"].to_list() == [2, 4]
    assert result.rows["tanggal_pemberitahuan_tertulis"].to_list() == [None, None]
    assert result.rows["nik"].to_list() == [PPID_ROWS[0][2], PPID_ROWS[1][2]]


def test_a_header_of_other_columns_below_the_header_rejects_the_file(tmp_path: Path) -> None:
    """Two exports joined, the second's columns in another order: under the first header its
    answer date would read as the extension date, the answer empty, and no cell is wrong.
    The file is refused, naming the row. The header again, in another case, or merged over
    a second row of hints (only two cells name their own columns), is no row."""
    header = [*PPID_HEADER, "Tanggal Pemberitahuan Perpanjangan"]
    other = [*PPID_HEADER[:3], header[4], header[3]]
    rows = [
        header,
        [*PPID_ROWS[0], ""],
        other,
        ["003/PPID/IV/2025", "01/04/2025", "", "", "21/04/2025"],
    ]
    result = read_export(write_csv(tmp_path / "a.csv", rows), PPID)
    assert rules(result) == ["judul_kolom_berbeda_di_bawah"] and result.rejected
    assert "baris 3 " in result.issues[0].message
    again = [h.upper() for h in header]
    hints = [header[0], header[1], "(16 digit)", "(dd/mm/yyyy)", ""]
    rows = [header, [*PPID_ROWS[0], ""], again, hints, [*PPID_ROWS[1], ""]]
    result = read_export(write_csv(tmp_path / "b.csv", rows), PPID)
    assert result.issues == [] and result.rows["_row_number"].to_list() == [2, 5]


def test_a_text_formula_in_a_csv_reads_as_excel_shows_it(tmp_path: Path) -> None:
    """A web application writes ="001" so that Excel keeps a code's leading zeros: Excel
    shows 001, and a newer export so written restates the request 001, not another one."""
    quoted = [f'"=""{v}"""' if v else v for v in PPID_ROWS[0]]  # ="…" inside a quoted cell
    rows = [PPID_HEADER, [f'="{v}"' for v in PPID_ROWS[1][:3]] + [""], quoted]
    result = read_export(write_csv(tmp_path / "a.csv", rows), PPID)
    assert result.issues == []
    assert result.rows["no_registrasi"].to_list() == [PPID_ROWS[1][0], PPID_ROWS[0][0]]
    assert result.rows["nik"].to_list() == [PPID_ROWS[1][2], PPID_ROWS[0][2]]
    assert result.rows["tanggal_pemberitahuan_tertulis"].to_list() == [None, dt.date(2025, 4, 2)]


def test_characters_no_one_sees_are_gone(tmp_path: Path) -> None:
    """A zero-width space pasted from the web, and a byte-order mark where two exports were
    joined (the second's header repeated, marked): a person sees "Ya", a date, a header."""
    header = [*PPID_HEADER, "Perpanjangan"]
    first = [*PPID_ROWS[0][:3], "02/04/2025\u200b", "Ya\u200b"]
    second = [f"\u200e{PPID_ROWS[1][0]}\u202c", *PPID_ROWS[1][1:], "\u2060Tidak"]
    marked = ["\ufeff" + header[0], *header[1:]]
    result = read_export(write_csv(tmp_path / "a.csv", [header, first, marked, second]), PPID)
    assert result.issues == []
    assert result.rows["_row_number"].to_list() == [2, 4]
    assert result.rows["perpanjangan"].to_list() == [True, False]
    assert result.rows["tanggal_pemberitahuan_tertulis"][0] == dt.date(2025, 4, 2)
    assert result.rows["no_registrasi"][1] == PPID_ROWS[1][0]  # a left-to-right mark around it


def test_dates_written_month_first_are_read_so_when_the_file_proves_it(tmp_path: Path) -> None:
    """Excel set to English writes 3/27/2025. Two dates impossible day first (27th and 15th
    month) and none impossible month first: the whole file is month first, and said so."""
    rows = [
        PPID_HEADER,
        ["001", "3/27/2025", "", "4/15/2025"],
        ["002", "3/4/2025", "", "3/11/2025"],
    ]
    result = read_export(write_csv(tmp_path / "a.csv", rows), PPID)
    assert [(i.rule, i.severity, i.row_number) for i in result.issues] == [
        ("tanggal_bulan_di_depan", "warning", None)
    ]
    assert result.rows["tanggal_permohonan"].to_list() == [
        dt.date(2025, 3, 27),
        dt.date(2025, 3, 4),
    ]
    assert result.rows["tanggal_pemberitahuan_tertulis"].to_list() == [
        dt.date(2025, 4, 15), dt.date(2025, 3, 11)
    ]  # fmt: skip
    # Nothing proves it, only one date does (a typo of a day-first file), or both readings
    # are proven: day first, as SPEC writes dates; an impossible date is its row's error.
    cases = [("3/4/2025", "3/11/2025"), ("3/4/2025", "08/15/2025"), ("27/3/2025", "3/27/2025")]
    for n, dates in enumerate(cases):
        rows = [PPID_HEADER, ["001", dates[0], "", ""], ["002", dates[1], "", ""]]
        result = read_export(write_csv(tmp_path / f"b{n}.csv", rows), PPID)
        assert "tanggal_bulan_di_depan" not in rules(result)
        assert result.rows["tanggal_permohonan"][0] in (dt.date(2025, 4, 3), dt.date(2025, 3, 27))


def test_a_hinted_name_beside_the_plain_one_is_an_extra_column(tmp_path: Path) -> None:
    """'Kode (BPS)' beside 'Kode Wilayah': the hint names no column a cell already names."""
    wilayah = SOURCES["wilayah"]
    rows = [
        ["Kode Wilayah", "Kode (BPS)", "Nama Wilayah", "Tingkat"],
        ["6204", "6204", "Barito Selatan", "kabupaten"],
    ]
    result = read_export(write_csv(tmp_path / "a.csv", rows), wilayah)
    assert result.issues == [] and result.rows["kode_wilayah"].to_list() == ["6204"]


def test_quoted_commas_inside_cells(tmp_path: Path) -> None:
    rows = [[*PPID_HEADER, "Alamat"], [*PPID_ROWS[0], '"Jl. Pahlawan No. 5, Buntok"']]
    result = read_export(write_csv(tmp_path / "a.csv", rows), PPID)
    assert result.issues == []
    assert result.rows["alamat"].to_list() == ["Jl. Pahlawan No. 5, Buntok"]


def test_headers_in_any_case_spacing_punctuation_and_aliases(tmp_path: Path) -> None:
    header = [
        "NO. REGISTRASI",
        "tanggal_permohonan",
        "No Identitas",
        "TANGGAL PEMBERITAHUAN / TERTULIS",
        "Nomor Kontak",
    ]
    rows = [header, [*PPID_ROWS[0], "081234567890"]]
    result = read_export(write_csv(tmp_path / "a.csv", rows), PPID)
    assert result.issues == []
    assert result.rows["nik"].to_list() == ["6204014101990001"]
    assert result.rows["no_telepon"].to_list() == ["081234567890"]


def test_column_order_is_free_and_extra_columns_are_ignored(tmp_path: Path) -> None:
    header = ["Catatan Petugas", PPID_HEADER[3], PPID_HEADER[0], PPID_HEADER[2], PPID_HEADER[1]]
    row = ["cek ulang", "02/04/2025", "001", "6204014101990001", "27/03/2025"]
    result = read_export(write_csv(tmp_path / "a.csv", [header, row]), PPID)
    assert result.issues == []
    assert result.rows.row(0, named=True)["tanggal_pemberitahuan_tertulis"] == dt.date(2025, 4, 2)
    assert "catatan_petugas" not in result.rows.columns


def test_missing_optional_column_is_null_and_perpanjangan_defaults_to_tidak(tmp_path: Path) -> None:
    result = read_export(write_csv(tmp_path / "a.csv", [PPID_HEADER, *PPID_ROWS]), PPID)
    assert result.rows["email"].to_list() == [None, None]
    assert result.rows["perpanjangan"].to_list() == [False, False]


def test_xlsx_with_banner_rows_and_excel_date_cells(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["REGISTER PERMOHONAN INFORMASI PUBLIK"],
        ["KPU KABUPATEN BARITO SELATAN"],
        ["TAHUN 2025"],
        [],
        ["No", "No. Registrasi", "Tanggal Permohonan", "NIK", "Tanggal Pemberitahuan Tertulis"],
        [1, "001/PPID/2025", dt.date(2025, 3, 27), "6204014101990001", dt.date(2025, 4, 2)],
        [2, "002/PPID/2025", "28 Maret 2025", "6204015203880002", None],
    ]
    result = read_export(write_xlsx(tmp_path / "register.xlsx", rows, start_row=1), PPID)
    assert result.issues == []
    assert result.rows["tanggal_permohonan"].to_list() == [
        dt.date(2025, 3, 27),
        dt.date(2025, 3, 28),
    ]
    assert result.rows["nik"].to_list() == ["6204014101990001", "6204015203880002"]
    # The banner starts on Excel row 2, so the header is on row 6 and the data on rows 7 and 8.
    assert result.rows["_row_number"].to_list() == [7, 8]


def test_banner_rows_in_csv_too(tmp_path: Path) -> None:
    rows = [["REGISTER PERMOHONAN INFORMASI PUBLIK"], [""], PPID_HEADER, PPID_ROWS[0]]
    result = read_export(write_csv(tmp_path / "a.csv", rows, sep=";"), PPID)
    assert result.issues == []
    assert result.rows["_row_number"].to_list() == [4]


def test_thousands_dots_roman_quarters_and_dotted_codes(tmp_path: Path) -> None:
    source = SOURCES["pemilih"]
    header = [c.name for c in source.columns]
    row = [
        "2025",
        "III",
        "62.04.06.1008",
        "Buntok Kota",
        "1.234",
        "1.200",
        "10",
        "12",
        "4",
        "2",
        "3",
        "1.240",
        "1.210",
        "2 Oktober 2025",
    ]
    row2 = [
        "2025",
        "Triwulan IV",
        "6204061008",
        "Buntok Kota",
        "1.240",
        "1.210",
        "0",
        "0",
        "0",
        "0",
        "",
        "1.240",
        "1.210",
        "08-12-2025",
    ]
    result = read_export(write_csv(tmp_path / "a.csv", [header, row, row2], sep=";"), source)
    assert result.issues == []
    first = result.rows.row(0, named=True)
    assert (first["triwulan"], first["kode_desa"], first["pemilih_awal_l"]) == (
        3,
        "6204061008",
        1234,
    )
    assert result.rows["triwulan"].to_list() == [3, 4]
    assert result.rows["tanggal_pleno"].to_list() == [dt.date(2025, 10, 2), dt.date(2025, 12, 8)]


def test_nik_written_as_number_in_excel_is_rejected_per_row(tmp_path: Path) -> None:
    source = SOURCES["siakba"]
    header = [c.name for c in source.columns]
    good = [
        "R1",
        "Pemilu 2024",
        "6204014101990001",
        "Ani",
        "P",
        "01/01/1999",
        "SMA",
        "6204012001",
        "001",
        "Ketua",
        "Lulus",
        "25/01/2024",
    ]
    bad = [
        "R2",
        "Pemilu 2024",
        "6.20401E+15",
        "Budi",
        "L",
        "02/02/1990",
        "S1",
        "6204012001",
        "001",
        "Anggota",
        "Lulus",
        "25/01/2024",
    ]
    others = [[f"R{n}", "Pemilu 2024", f"620401410199000{n}", *good[3:]] for n in range(3, 8)]
    path = write_xlsx(tmp_path / "kpps.xlsx", [header, good, bad, *others])
    result = read_export(path, source)
    bad_rows = [i for i in result.issues if i.rule == VALUE_INVALID]
    assert [(i.row_number, i.column) for i in bad_rows] == [(3, "NIK")]
    assert "6.20401E+15" not in bad_rows[0].message
    assert not result.rejected  # 1 bad row of 7 stays under the 20% threshold
    assert result.valid_rows()["nik"].to_list()[:2] == ["6204014101990001", "6204014101990003"]


def test_a_mangled_requester_nik_is_a_warning_and_the_request_stays(tmp_path: Path) -> None:
    """The PPID requester's NIK is optional: Excel's damage to it drops the NIK, not the
    request (which must still count for IKU-3)."""
    path = write_csv(
        tmp_path / "ppid.csv",
        [
            ["No Registrasi", "Tanggal Permohonan", "Tanggal Pemberitahuan Tertulis", "NIK"],
            ["001", "03/03/2025", "", "6.20401E+15"],
            ["002", "03/03/2025", "05/03/2025", "6204014101990001"],
        ],
    )
    result = read_export(path, SOURCES["ppid"])
    [issue] = [i for i in result.issues if i.rule == VALUE_INVALID]
    assert (issue.row_number, issue.column, issue.severity) == (2, "NIK", "warning")
    assert "6.20401E+15" not in issue.message and "baris tetap dimuat" in issue.message
    valid = result.valid_rows()
    assert valid["no_registrasi"].to_list() == ["001", "002"]
    assert valid["nik"].to_list() == [None, "6204014101990001"]


# --- rejections: the file is refused, with a message naming what is wrong -----------------


def test_corrupt_xlsx_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    result = read_export(path, PPID)
    assert result.rejected
    assert rules(result) == [FILE_UNREADABLE]
    assert "XLSX" in result.issues[0].message


def test_unsupported_format_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "register.pdf"
    path.write_bytes(b"%PDF-1.4")
    result = read_export(path, PPID)
    assert result.rejected
    assert rules(result) == [FORMAT_UNSUPPORTED]


def test_file_without_recognisable_header_is_rejected(tmp_path: Path) -> None:
    result = read_export(write_csv(tmp_path / "a.csv", [["foo", "bar"], ["1", "2"]]), PPID)
    assert result.rejected
    assert rules(result) == [HEADER_NOT_FOUND]


def test_missing_required_column_is_rejected_and_named(tmp_path: Path) -> None:
    rows = [PPID_HEADER[:3], PPID_ROWS[0][:3]]
    result = read_export(write_csv(tmp_path / "a.csv", rows), PPID)
    assert result.rejected
    assert rules(result) == [REQUIRED_COLUMN_MISSING]
    assert "Tanggal Pemberitahuan Tertulis" in result.issues[0].message
    assert result.valid_rows().is_empty()


def test_too_many_bad_rows_reject_the_file(tmp_path: Path) -> None:
    rows = [PPID_HEADER] + [
        [f"{i:03}", "bukan tanggal" if i < 3 else "27/03/2025", "", ""] for i in range(10)
    ]
    result = check_export(write_csv(tmp_path / "a.csv", rows), PPID)
    # 3 of 10 rows (30%) are in error: more than 20%.
    assert result.rejected
    assert TOO_MANY_ERRORS in rules(result)
    assert result.valid_rows().is_empty()
    # The same file is accepted with its bad rows quarantined under a looser threshold.
    looser = check_export(tmp_path / "a.csv", PPID, max_error_ratio=0.5)
    assert not looser.rejected
    assert looser.valid_rows().height == 7


def test_bad_rows_are_reported_and_the_rest_kept(tmp_path: Path) -> None:
    rows = [PPID_HEADER] + [[f"{i:03}", "27/03/2025", "", ""] for i in range(20)]
    rows[3][1] = "31/02/2025"  # no such day
    rows[5][1] = ""  # a date the request cannot do without
    rows[8][0] = "001"  # same key as row 3 of the file
    result = check_export(write_csv(tmp_path / "a.csv", rows), PPID)
    assert not result.rejected
    found = sorted((i.row_number, i.rule) for i in result.issues if i.rule != NOT_AN_ITEM)
    assert found == [(3, KEY_DUPLICATE), (4, VALUE_INVALID), (6, VALUE_MISSING), (9, KEY_DUPLICATE)]
    # Without its date a request cannot be counted by IKU-3 (rows 3 and 9 still can).
    assert [i.row_number for i in result.issues if i.rule == NOT_AN_ITEM] == [4, 6]
    # 4 of 20 rows (exactly 20%) are in error: not more than the threshold, so the file loads.
    assert result.valid_rows().height == 16


def test_several_exports_typed_together_read_as_each_alone(tmp_path: Path) -> None:
    """read_exports types the cells of many files at once; each result must be exactly what
    reading that file alone gives: its rows, numbers, defaults, findings and rejection."""
    with_email = [*PPID_HEADER, "Email", "Perpanjangan"]
    files = [
        write_csv(tmp_path / "a.csv", [PPID_HEADER, *PPID_ROWS]),  # no Perpanjangan: Tidak
        write_csv(  # other columns, other order, a bad date and a bad NIK
            tmp_path / "b.csv",
            [
                list(reversed(with_email)),
                ["Ya", "x@example.org", "03/04/2025", "6.20401E+15", "31/02/2025", "003"],
                ["", "", "", "6204014101990001", "01/04/2025", "004"],
            ],
            sep=";",
        ),
        write_csv(tmp_path / "c.csv", [["Kolom Lain"], ["1"]]),  # rejected: no header
        write_xlsx(
            tmp_path / "d.xlsx",
            [["REGISTER"], [], PPID_HEADER, ["005", dt.date(2025, 3, 27), None, "bukan"]],
        ),
        write_csv(tmp_path / "e.csv", [PPID_HEADER]),  # a header and no rows
    ]
    together = read_exports(files, PPID)
    alone = [read_export(path, PPID) for path in files]
    assert [r.path for r in together] == files
    for a, b in zip(together, alone, strict=True):
        assert a.rows.equals(b.rows), a.path.name
        assert (a.issues, a.rejected) == (b.issues, b.rejected)
    assert together[0].rows["perpanjangan"].to_list() == [False, False]
    assert together[1].rows["perpanjangan"].to_list() == [True, None]
    assert together[2].rejected and together[4].rows.is_empty()
    assert {i.column for i in together[1].issues if i.rule == VALUE_INVALID} >= {"NIK"}


def test_personal_data_in_a_cell_it_cannot_read_is_not_quoted(tmp_path: Path) -> None:
    """A message quotes a cell the reader refused, and messages are published (dq.issues,
    mentah.<source>.pesan): a NIK, phone number, e-mail or street address typed into the wrong
    column is masked in it (SPEC §5)."""
    path = write_csv(
        tmp_path / "ppid.csv",
        [
            ["No Registrasi", "Tanggal Permohonan", "Tanggal Pemberitahuan Tertulis", "Keberatan"],
            ["001", "0812-3456-7890", "6204014101990001", "budi.santoso@contoh.id"],
            ["002", "03/03/2025", "Jl. Merdeka No. 5 RT 02/RW 03", "(0525) 21234"],
            ["003", "31/02/2025", "05/03/2025", "Tidak"],
        ],
    )
    issues = [i for i in read_export(path, SOURCES["ppid"]).issues if i.rule == VALUE_INVALID]
    assert len(issues) == 6
    text = " ".join(i.message for i in issues)
    for personal in ("3456", "4101990001", "budi.santoso", "Merdeka", "21234"):
        assert personal not in text
    assert "[nomor disamarkan]" in text and "[alamat disamarkan]" in text
    assert "'31/02/2025'" in text  # what is not personal is still quoted, to be found and fixed


def test_a_phone_number_from_a_number_cell_is_not_quoted(tmp_path: Path) -> None:
    """A phone number typed into a number cell lost its leading 0 (0812 3456 7890 is
    81234567890, in the XLSX and in a CSV saved from it): refused where it does not belong, it
    is not quoted in the message either."""
    header = ["No Registrasi", "Tanggal Permohonan", "Tanggal Pemberitahuan Tertulis", "Keberatan"]
    path = write_xlsx(
        tmp_path / "ppid.xlsx",
        [
            header,
            ["001", 81234567890, dt.date(2025, 3, 5), "Tidak"],
            ["002", dt.date(2025, 3, 3), dt.date(2025, 3, 5), 6281234567891],
            ["003", "31/02/2025", dt.date(2025, 3, 5), "812 3456 7892"],
        ],
    )
    issues = [i for i in read_export(path, SOURCES["ppid"]).issues if i.rule == VALUE_INVALID]
    assert len(issues) == 4
    text = " ".join(i.message for i in issues)
    assert "3456" not in text and "4567" not in text
    assert text.count("[nomor disamarkan]") == 6  # each message quotes its cell twice
    assert "'31/02/2025'" in text


def test_a_phone_number_in_a_number_column_is_refused_never_read_as_a_number(
    tmp_path: Path,
) -> None:
    """A number column is published as it is (where text is masked, SPEC §5): a phone number
    typed into Nomor TPS or a count, as text or as a number cell keeps it (no leading 0), is a
    row error, its value never read and never quoted."""
    header = ["Jenis Pemilihan", "Kode Desa", "Nomor TPS", "Jumlah Pemilih"]
    rows = [
        header,
        ["Pemilu 2024", "6204012001", "1", "250"],
        ["Pemilu 2024", "6204012001", "0812-3456-7890", "250"],
        ["Pemilu 2024", "6204012001", 81234567891, "250"],
        ["Pemilu 2024", "6204012001", "4", -81234567892],
        ["Pemilu 2024", "6204012001", "5", "62 812 3456 7893"],
    ]
    for path in (
        write_csv(tmp_path / "tps.csv", [[str(c) for c in r] for r in rows]),
        write_xlsx(tmp_path / "tps.xlsx", rows),
    ):
        result = read_export(path, SOURCES["tps"])
        assert result.rows["nomor_tps"].to_list() == [1, None, None, 4, 5], path.name
        assert result.rows["jumlah_pemilih"].to_list() == [250, 250, 250, None, None]
        issues = [i for i in result.issues if i.rule == VALUE_INVALID]
        assert [i.row_number for i in issues] == [3, 4, 5, 6]
        text = " ".join(i.message for i in issues)
        assert "3456" not in text and "4567" not in text and "nomor telepon" in text


def test_a_sheet_named_by_a_phone_number_is_not_named_in_the_message(tmp_path: Path) -> None:
    """The warning naming the sheets not read is published (dq.issues): a sheet named by a
    phone number, also one without its leading 0, is masked in it like a cell."""
    import xlsxwriter

    path = tmp_path / "ppid.xlsx"
    book = xlsxwriter.Workbook(path)
    for name in ("HP 0812 3456 7890", "81234567891", "Februari"):
        sheet = book.add_worksheet(name)
        sheet.write_row(0, 0, PPID_HEADER)
        sheet.write_row(1, 0, PPID_ROWS[0])
    book.close()
    (issue,) = read_export(path, PPID).issues
    assert "3456" not in issue.message and "4567" not in issue.message
    assert "('HP [nomor disamarkan]')" in issue.message
    assert "'[nomor disamarkan]', 'Februari'" in issue.message
