"""Values from exports shown to people: one value is one line, and never markup."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from exports import read_export, write_csv

from sources import SOURCES, personal
from sources.model import CheckContext
from sources.sheet import KEY_DUPLICATE
from warehouse import escape, findings
from warehouse.digest import Digest, render_text, render_webhook
from warehouse.history import History
from warehouse.quality import FileToCheck
from warehouse.validator import Validator

NAME = "tahapan\nTidak ada masalah\r\x1b[31m <b>x</b> | [a](b) `c`\u202e.csv"


def test_plain_shows_control_characters_as_escapes() -> None:
    shown = escape.plain(NAME)
    assert "\n" not in shown and "\r" not in shown and "\x1b" not in shown
    assert "\u202e" not in shown
    assert shown.startswith("tahapan\\nTidak ada masalah\\r\\x1b[31m <b>x</b>")
    assert shown.endswith("\\u202e.csv")
    assert escape.plain("Desa Muara Talang 62.04.01.2001") == "Desa Muara Talang 62.04.01.2001"


def test_markdown_keeps_a_value_inside_its_table_cell() -> None:
    shown = escape.markdown(NAME)
    assert "\n" not in shown
    assert "<b>" not in shown and "](" not in shown and "`c`" not in shown
    assert " | " not in shown  # the pipe is escaped: it does not open a new cell
    assert "\\|" in shown


def test_masked_covers_street_addresses_and_fixed_lines() -> None:
    shown = personal.masked("ke Jl. Merdeka No. 5 RT 02/RW 03, Buntok; telp (0525) 21234")
    assert shown == "ke [alamat disamarkan], Buntok; telp [nomor disamarkan]"
    assert (
        personal.masked("Gg. Mawar 3 / +62 536 3221234") == "[alamat disamarkan][nomor disamarkan]"
    )
    assert personal.masked("+62 536 3221234") == "[nomor disamarkan]"
    for kept in ("Gudang KPU Kabupaten Barito Selatan (Buntok)", "sedang berjalan", "2025-03-27"):
        assert personal.masked(kept) == kept


def test_what_is_masked_is_always_found_by_the_quick_filter() -> None:
    """``MAYBE_PERSONAL`` (run by polars over whole columns) finds every text ``masked_cell``
    changes: the shortest phone number, one that lost its 0, a landline, an e-mail, a NIK, a
    street, an RT/RW."""
    samples = [
        "081234567", "62 812 345 678", "+62 536 3221234", "(0525) 21234", "a@b.id",
        "6204014101990001", "62.04.01.4101990001", "Jl. Merdeka 5", "gang Mawar", "RT 2/RW 3",
        "nomor 123456 biasa", "27-03-2025", "Desa Muara Talang",
    ]  # fmt: skip
    samples += ["81234567890", "812 3456 7890 12"]  # a whole cell: a number cell's phone
    changed = [s for s in samples if personal.masked_cell(s) != s]
    assert len(changed) == 12
    assert [s for s in changed if not re.search(personal.MAYBE_PERSONAL, s)] == []


def test_codes_and_dates_written_in_their_groups_are_no_nik() -> None:
    """A BMN kode barang with its NUP and two dates side by side are long runs of digits, but
    written in groups no NIK or phone number is written in: they stay as they are. Every NIK
    and phone number, however grouped, and a run holding one beside them, is still masked."""
    for kept in (
        "Kotak suara 3.05.01.05.010.000012 rusak",
        "3.10.01.02.001-5",
        "dilaksanakan 14-05-2025 20-05-2025",
        "2025-05-14 2025-05-20",
        "ppid_20250301120000.csv",
    ):
        assert personal.masked(kept) == kept
    nik = "6204015506900001"
    for written in (
        nik, f"{nik[:4]} {nik[4:8]} {nik[8:12]} {nik[12:]}", f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}.{nik[6:12]}.{nik[12:]}",
        f"{nik[:6]}-{nik[6:12]}-{nik[12:]}", f"3.05.01.05.010.000012 {nik}", f"14-05-2025 {nik}",
        "3100102001000005",  # a kode barang with its NUP as one run: no telling it from a NIK
    ):  # fmt: skip
        assert personal.masked(f"ket {written} x") == "ket [angka disamarkan] x", written
    assert (
        personal.masked("3.05.01.05.010.12 0812-3456-7890")
        == "3.05.01.05.010.12 [nomor disamarkan]"
    )


def test_masked_covers_addresses_and_mobile_numbers_as_typed_by_hand() -> None:
    """The street word's dot with no space after it (Jl.Pahlawan), the country code in
    brackets, the operator code in brackets, a space around each dash: typed by hand in a
    Keterangan or a date cell, each is still masked, and found by the quick filter."""
    for typed, shown in (
        ("Jl.Pahlawan No.12 Buntok", "[alamat disamarkan]"),
        ("di JLN.A.YANI NO 5, Buntok", "di [alamat disamarkan], Buntok"),
        ("Gg.Mawar 3", "[alamat disamarkan]"),
        ("hubungi (+62) 812-3456-7890", "hubungi [nomor disamarkan]"),
        ("(62)81234567", "[nomor disamarkan]"),
        ("+62 (812) 3456 7890", "[nomor disamarkan]"),
        ("WA 0812 - 3456 - 7890.", "WA [nomor disamarkan]."),
        ("0812  3456  7890", "[nomor disamarkan]"),
    ):
        assert personal.masked(typed) == shown, typed
        assert re.search(personal.MAYBE_PERSONAL, typed), typed
    for kept in ("08 - 12 - 2025", "Rp 1.250.000 - 850.000", "Jl., Buntok", "ket. jl."):
        assert personal.masked(kept) == kept


def test_the_webhook_text_opens_no_link_and_pings_no_one_in_a_chat() -> None:
    """Slack reads ``<!channel>``, ``<@U…>`` and ``<https://…|label>`` in a webhook's text as a
    mention of everyone, of one member and a link under a label of the sender's choosing: in a
    file name they are shown as written, never acted on."""
    name = "<!channel> <@U0123> <https://phish.example/login|Formulir perbaikan KPU> & co.csv"
    issue = {"kode_satker": "6204", "source": "tahapan", "file_name": name, "row_number": None}
    issue |= {"rule": "kolom_wajib_tidak_ada", "severity": "error", "message": "kolom <b>"}
    digest = Digest("r1", dt.date(2025, 3, 3), [issue | {"file_baru": True}], 1, {})
    text = render_webhook(digest)["text"]
    assert "<" not in text and ">" not in text and "& " not in text
    assert html.unescape(text).count(name) == 1 and "kolom <b>" in html.unescape(text)
    assert render_webhook(digest)["sources"]["tahapan"]["files_rejected"][0]["file"] == name


def test_data_docs_show_a_key_of_markup_as_text(tmp_path: Path) -> None:
    """Great Expectations writes the values that broke a rule (a duplicated Kode Tahapan) into
    the Data Docs' HTML as they are: a key that is an <img onerror> must stay text there, in a
    real browser, and still be found twice; texts that only HTML escaping could confuse are
    no duplicates of each other."""
    from playwright.sync_api import sync_playwright
    from test_laporan import CHROMIUM, _tool

    chromium = _tool(CHROMIUM, "chromium")
    key = "<img src=x onerror=\"document.title='dijalankan'\">"
    dates = ["06/01/2025", "28/02/2025", "06/01/2025", "27/02/2025"]
    keys = [key, key, "A&B", "A&amp;B", *(f"T-{n}" for n in range(10))]
    header = ["Kode Tahapan", "Jadwal Mulai", "Jadwal Selesai", "Realisasi Mulai"]
    rows = [[*header, "Realisasi Selesai"], *([k, *dates] for k in keys)]
    source = SOURCES["tahapan"]
    read = read_export(write_csv(tmp_path / "tahapan.csv", rows, sep=";"), source)
    validator = Validator(tmp_path / "docs")
    context = CheckContext(dt.date(2025, 12, 31), {"Pemilu 2024": dt.date(2024, 2, 14)})
    [found] = validator.check(source, [FileToCheck("6204", "tahapan.csv", read.rows)], context)
    assert sorted(i.row_number for i in found.issues if i.rule == KEY_DUPLICATE) == [2, 3]
    assert validator.build_docs() is not None
    [page_file] = [
        p for p in (tmp_path / "docs" / "validations").rglob("*.html") if "onerror" in p.read_text()
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri(), wait_until="load")
            assert page.title() != "dijalankan"
            assert page.eval_on_selector_all("img[onerror]", "found => found.length") == 0
            assert key in page.inner_text("body")
        finally:
            browser.close()


def test_a_folder_that_is_no_satker_is_never_named_as_one_in_the_digest(tmp_path: Path) -> None:
    """A folder named like a satker and a sentence ("6204 DATABASE RUSAK …") is refused; the
    digest names it in its finding, not in its subject or heading as a satker."""
    landing = tmp_path / "landing"
    for folder in ("6204 DATABASE RUSAK, balas ke admin", "6204"):
        (landing / folder / "tahapan" / "a.csv").parent.mkdir(parents=True)
        (landing / folder / "tahapan" / "a.csv").write_text("x\n")
    (landing / "6204" / "tahapan bukan").mkdir()
    (landing / "6204" / "tahapan bukan" / "b.csv").write_text("x\n")
    problems = History(tmp_path / "history").land(landing).problems
    issues = findings.issue_rows({}, problems, set()).to_dicts()
    assert sorted(str(i["kode_satker"]) for i in issues) == ["6204", "None"]
    names = {"6204": "KPU Kabupaten Barito Selatan"}
    subject, body = render_text(Digest("r1", dt.date(2025, 3, 3), issues, 1, names))
    assert subject.startswith("[IKU 6204] ") and "RUSAK" not in subject
    assert "RUSAK" not in body.split("Temuan baru")[0]  # the heading names the satkers
    assert "folder satker '6204 DATABASE RUSAK, balas ke admin' bukan kode satker" in body
