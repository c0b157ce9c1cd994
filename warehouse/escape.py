"""Text from exports (file names, cell values, messages quoting them) made safe for the medium
it is shown in. A file name can hold a newline, an ANSI escape or markup: shown raw it would
forge lines in the CLI summary, an alert or the Prefect Markdown artifact.

- :func:`plain`: terminals, log lines, e-mail text and JSON string values: every control
  character (C0, DEL, C1, and the Unicode line/paragraph separators and bidi overrides) is
  shown as a visible escape (``\\n``, ``\\x1b``, ``\\u202e``), so one value is one line.
- :func:`markdown`: :func:`plain`, then Markdown and HTML specials backslash-escaped, so a value
  in a table cell stays text in that cell.
- :func:`chat`: the text of a chat's incoming webhook (Slack and its likes), where ``<…>`` is
  a link, a mention or ``<!channel>``: ``&``, ``<`` and ``>`` as the entities Slack asks for
  (a Markdown chat, Mattermost say, shows them as the characters again).

(The HTML report escapes with Jinja2's autoescape.) Hand-written because no dependency does
it: ``html.escape`` leaves control characters as they are, and Markdown has no standard
escaping function in the libraries the project has.
"""

from __future__ import annotations

import html
import re

# C0 controls, DEL, C1 controls, line/paragraph separators, bidi embeddings/overrides/isolates,
# zero-width and BOM characters that hide or reorder text.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")


def plain(value: object) -> str:
    """One line of inert text: control characters shown as escapes (Python's own
    ``unicode_escape``: ``\\n``, ``\\x1b``, ``\\u202e``)."""
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode(), str(value))


def markdown(value: object) -> str:
    """Text for a Markdown page or table cell: nothing in it is read as markup."""
    return _MARKDOWN.sub(r"\\\1", plain(value))


def chat(value: object) -> str:
    """Text for a chat webhook: a file named ``<!channel>`` or ``<https://…|klik>`` pings no
    one and links nowhere."""
    return html.escape(str(value), quote=False)
