"""Wording shared by the pages, the import, the downloads and the command line (no Streamlit here)."""
import re

# Inline Markdown/HTML specials (with `&`, which starts an entity), and what starts a heading,
# list, quote or underline at the start of a line.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]<>|~$&])")
_LINE_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")


def plural(count: int, noun: str) -> str:
    """'1 question', '3 questions', '1,204 rows'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def size_text(n_bytes: int) -> str:
    """'840 KB', '5.2 MB': a file size a person reads (never '0.0 MB' for a small file)."""
    if n_bytes < 1_000_000:
        return f"{max(1, round(n_bytes / 1000)):,} KB"
    return f"{n_bytes / 1e6:,.1f} MB"


def markdown_inert(text) -> str:
    """User text for a Markdown file (summary, prep sheet): every Markdown/HTML special escaped
    and line breaks folded, so it shows as typed, cannot start a heading, list, link or table
    cell, and still reads as plain text ('3.5 points.' stays as it is)."""
    if text is None or (isinstance(text, float) and text != text):  # None or NaN
        return ""
    escaped = _MARKDOWN_SPECIALS.sub(r"\\\1", " ".join(str(text).split()))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" if m.group(1).isdigit() else "\\" + m.group(1), escaped)
