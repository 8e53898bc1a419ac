"""Wording shared by the pages, the import and the command line (no Streamlit here)."""


def plural(count: int, noun: str) -> str:
    """'1 question', '3 questions', '1,204 rows'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
