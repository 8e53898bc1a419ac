"""Wording shared by the pages, the import, the downloads and the command line (no Streamlit here)."""
import re

# The one escaper for user text in Markdown (see markdown_inert): the inline specials of CommonMark
# and GFM (emphasis, code, links, images, HTML, tables, strikethrough), `&` (it starts an entity:
# `&lt;b&gt;` must stay as typed), `$` (LaTeX, in Streamlit and GitHub) and `:` (Streamlit's
# `:red[…]`, `:material/…:`, `:small` directives and emoji shortcodes such as `:smile:`), then what
# starts a heading, list, quote, rule or setext underline at the start of a line. Every one is
# ASCII punctuation, which CommonMark lets a backslash escape.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>|~$&:])")
_LINE_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")


def hours(delta) -> str:
    """'24 hours', '1 hour', '1.5 hours': a timedelta such as rules.THANK_YOU_WITHIN in words."""
    count = delta.total_seconds() / 3600
    return f"{count:g} hour{'' if count == 1 else 's'}"


def plural(count: int, noun: str) -> str:
    """'1 question', '3 questions', '1,204 rows'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def size_text(n_bytes: int) -> str:
    """'840 KB', '5.2 MB': a file size a person reads (never '0.0 MB' for a small file)."""
    if n_bytes < 1_000_000:
        return f"{max(1, round(n_bytes / 1000)):,} KB"
    return f"{n_bytes / 1e6:,.1f} MB"


def markdown_inert(text) -> str:
    """User text for Markdown (the pages through lib.ui.inert, the summary, the prep sheet), shown as
    typed: every Markdown/HTML special escaped and line breaks folded into spaces, so it cannot start
    a heading (ATX or setext), list, quote, code block, link, table, entity, formula or directive,
    and still reads as plain text ('3.5 points.' stays as it is).

    Folding is a choice, not a loss: Markdown shows a single line break as a space anyway, and text
    kept on one line cannot end the surrounding bold or list item, nor underline the line above it."""
    if text is None or (isinstance(text, float) and text != text):  # None or NaN
        return ""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" if m.group(1).isdigit() else "\\" + m.group(1), escaped)
