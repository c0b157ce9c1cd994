"""Values from exports shown to people: one value is one line, and never markup."""

from __future__ import annotations

from warehouse import escape

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
