"""Hostile text and database failures: user text is shown as typed on every page, and a database
error at any moment is a message, never a traceback. Each case leaves the database as it was.

Three layers: the escaper itself (every construct Streamlit's Markdown knows), each page under
AppTest (no user text reaches Markdown unescaped), and one real Chromium run over the pages that
show user text (nothing becomes a link, heading, image, bold, emoji or icon; the text reads as typed).
"""
import datetime as dt
import os
import re
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest
import time_machine

from conftest import open_app, open_page
from lib import db as db_module
from lib.debriefs import Debrief, Interviewer, Question, save_debrief
from lib.ui import (APPLICATIONS_PAGE, DASHBOARD_PAGE, DEBRIEF_PAGE, FOLLOW_UPS_PAGE, HOME_PAGE, IMPORT_PAGE, INTERVIEWS_PAGE,
                    PREPARE_PAGE, REVIEW_PAGE, _NODE_SPLIT, inert)
from lib.words import markdown_inert

# (id, what a user typed, a fragment that would show up in a page's Markdown only if it went in raw;
# "\n" at its start: only at the start of a line, where the construct begins, "Q3 # x" is no heading)
HOSTILE = [
    ("autolink", "see http://evil.example/x now", "http://evil"),
    ("www autolink", "www.evil.example", "www.evil"),
    ("e-mail", "ann@evil.example", "ann@evil"),
    ("setext h1", "answer note\n===", "\n==="),
    ("setext h2", "answer note\n---", "\n---"),
    ("entity", "&lt;b&gt;ENTITY&lt;/b&gt;", "&lt;b"),
    ("emoji", "felt :smile: after", ":smile:"),
    ("material icon", "careful :material/warning: here", ":material/warning:"),
    ("streamlit logo", "built with :streamlit:", ":streamlit:"),
    ("latex", "cost $x^2$ total", "$x^2$"),
    ("strike", "~~STRUCK~~", "~~STRUCK"),
    ("link", "[LINKED](http://evil.example)", "[LINKED]"),
    ("image", "![IMAGED](http://evil.example/i.png)", "![IMAGED]"),
    ("html", "<b>BOLDED</b><img src=x onerror=alert(1)>", "<b>BOLDED"),
    ("bold", "**STRONG**", "**STRONG"),
    ("backticks", "`CODED`", "`CODED"),
    ("heading", "# HEADED", "\n# HEADED"),
    ("quote", "> QUOTED", "\n> QUOTED"),
    ("ordered list", "1. LISTED", "\n1. LISTED"),
    ("dash list", "- DASHED", "\n- DASHED"),
    ("star list", "* STARRED", "* STARRED"),
    ("table", "| a | b |\n|---|---|\n| 1 | 2 |", "|---|"),
    ("colour", ":red[REDDENED]", ":red[REDDENED]"),
    ("bare directive", "Note:red flag", "Note:red"),
    ("backslash", r"back\slash \*NOTBOLD\*", r"\*NOTBOLD\*"),
    ("arrows", "a -> b -- c <= d", "->"),
]
IDS = [case[0] for case in HOSTILE]

# What Streamlit rewrites inside one text node after parsing (lib/ui/__init__.py): no piece may match.
REWRITTEN_IN_A_TEXT_NODE = re.compile(r"https?://|www\.|\w@\w|:[\w+-]+:|(^|\s)(<->|->|<-|--|>=|<=|~=)(\s|$)", re.I)
MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # CommonMark: a backslash escapes any ASCII punctuation


def shown(markdown: str) -> str:
    """The text a reader sees for inert Markdown: splitters gone, escapes resolved."""
    return MARKDOWN_ESCAPE.sub(r"\1", markdown.replace(_NODE_SPLIT, ""))


# -- the escaper --------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [case[1] for case in HOSTILE], ids=IDS)
def test_inert_text_reads_as_typed_with_line_breaks_as_spaces(typed):
    assert shown(inert(typed)) == " ".join(typed.split())
    assert shown(markdown_inert(typed)) == " ".join(typed.split())  # the same escaper, for files


@pytest.mark.parametrize("typed", [case[1] for case in HOSTILE], ids=IDS)
def test_inert_text_leaves_nothing_for_streamlit_to_rewrite(typed):
    pieces = [shown(piece) for piece in inert(typed).split(_NODE_SPLIT)]
    assert not [piece for piece in pieces if REWRITTEN_IN_A_TEXT_NODE.search(piece)]
    # and nothing Markdown reads as syntax is left unescaped
    bare = MARKDOWN_ESCAPE.sub("", inert(typed).replace(_NODE_SPLIT, ""))
    assert not re.search(r"[\\`*_{}\[\]<>|~$&:]", bare)
    assert not re.match(r"\s*([#>+=-]|\d+[.)])", bare)


# -- every page under AppTest ---------------------------------------------------------------------

NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.timezone.utc)  # a frozen Wednesday afternoon
PAGES = [HOME_PAGE, DEBRIEF_PAGE, INTERVIEWS_PAGE, DASHBOARD_PAGE, FOLLOW_UPS_PAGE, PREPARE_PAGE, REVIEW_PAGE]
SHOW_NAMES_IN_MARKDOWN = {HOME_PAGE, INTERVIEWS_PAGE, FOLLOW_UPS_PAGE, PREPARE_PAGE}
MARKDOWN_ELEMENTS = {"markdown", "caption", "title", "header", "subheader", "alert", "toast", "expandable",
                     "checkbox", "button", "radio", "text_input", "text_area", "selectbox", "number_input"}


def hostile_debriefs(db, starts_at: dt.datetime) -> None:
    """Every hostile text in every kind of field a page shows: names, questions, notes, topics."""
    texts = [case[1] for case in HOSTILE]
    short = [text for text in texts if "\n" not in text]
    for number, text in enumerate(short[:6]):
        save_debrief(db, Debrief(
            company=f"Co{number} {text}", role=f"Role {text}", starts_at=starts_at - dt.timedelta(days=number),
            time_zone="Europe/London", stage=text, key_topics=" ".join(texts), next_steps=text,
            interviewers=[Interviewer(f"Ann {text}", position=text)],
            went_well=[text, *texts[:3]], to_improve=[text, *texts[3:6]],
            questions=[Question(f"Q{i} {t}", t, 3 + i % 5) for i, t in enumerate(texts)]),
            today=starts_at.date())


def user_rows(database) -> dict:
    """Row counts of what the user wrote; wording_vectors is a cache the Dashboard may build on a visit."""
    return {table: n for table, n in database.row_counts().items() if table != "wording_vectors"}


def markdown_bodies(node):
    """Every string an AppTest element hands to Streamlit's Markdown: bodies and labels."""
    kind = getattr(node, "type", "")
    if kind in MARKDOWN_ELEMENTS:
        for attribute in ("value", "label", "body"):
            value = getattr(node, attribute, None) if attribute != "value" or kind not in {
                "checkbox", "text_input", "text_area", "selectbox", "number_input", "radio"} else None
            if isinstance(value, str):
                yield value
    for child in getattr(node, "children", {}).values():
        yield from markdown_bodies(child)


@pytest.fixture
def hostile_db(db):
    with time_machine.travel(NOW, tick=False):
        hostile_debriefs(db, dt.datetime(2026, 11, 25, 12, 0))
    return db


@pytest.mark.parametrize("page", PAGES)
def test_no_user_text_reaches_markdown_raw_on_any_page(hostile_db, page):
    before = user_rows(hostile_db)
    with time_machine.travel(NOW, tick=False):
        at = open_app()
        if page != HOME_PAGE:
            open_page(at, page)
    bodies = ["\n" + body for body in markdown_bodies(at._tree)]
    if page in SHOW_NAMES_IN_MARKDOWN:
        assert any("Co0" in body for body in bodies)  # the user text is there, so the check below bites
    # raw: not escaped (an escaped '\\# HEADED' holds '# HEADED' after its backslash)
    leaks = {case_id: body for case_id, _, raw in HOSTILE for body in bodies
             if re.search(r"(?<![\\])" + re.escape(raw).replace(r"\\n", r"\n\s*"), body)}
    assert not leaks
    assert user_rows(hostile_db) == before


# -- database errors at any moment ------------------------------------------------------------------

DAMAGED = duckdb.Error("Corrupt database file: block checksum mismatch")


@pytest.fixture
def failing_reads(monkeypatch):
    """From the moment it is switched on, every named query fails as a damaged file makes it."""
    failing = {"on": False}
    for method in ("query", "scalar"):
        real = getattr(db_module.Database, method)

        def broken(self, name, *, _real=real, **params):
            if failing["on"]:
                raise DAMAGED
            return _real(self, name, **params)
        monkeypatch.setattr(db_module.Database, method, broken)
    return failing


@pytest.mark.parametrize("page", PAGES + [APPLICATIONS_PAGE, IMPORT_PAGE])  # Your data runs no query
def test_a_file_damaged_mid_page_shows_the_damaged_message_not_a_traceback(with_sample, failing_reads, page):
    from lib.ui import _cached
    before = with_sample.row_counts()
    at = open_app()
    failing_reads["on"] = True
    _cached.clear()  # cached results would hide the damage from the page
    at.switch_page(page)
    at.run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "may be damaged" in message and str(db_module.backups_dir(with_sample.path)) in message
    failing_reads["on"] = False
    assert with_sample.row_counts() == before


def test_a_commit_that_fails_in_a_callback_is_a_message_and_nothing_is_saved(db, monkeypatch):
    real_transaction = db_module.Database.transaction

    @contextmanager
    def disk_full(self):
        with real_transaction(self) as tx:
            yield tx
            # where DuckDB writes the commit to the write-ahead log; raised inside, so it rolls back
            raise duckdb.IOException("IO Error: Could not write file \"debrief.duckdb.wal\": No space left on device")
    at = open_app()
    monkeypatch.setattr(db_module.Database, "transaction", disk_full)
    at.button(key="home.load_sample").click().run()
    assert not at.exception
    assert "No space left on device" in at.error[0].value and "was not saved" in at.error[0].value
    assert not db.has_data()


# -- the real browser -----------------------------------------------------------------------------

from server import CHROMIUM, CHROMIUM_FLAGS, Server  # noqa: E402

BROWSER_PAGES = ["", "Debrief", "Interviews", "Prepare", "Dashboard", "Follow_ups", "Review"]
# Elements Markdown (not a dataframe, a divider or a link button) would make out of the hostile texts, found by what they would hold. The page's own
# bold or list items may hold user text; an element holding exactly a construct's inside may not.
MADE_FROM_USER_TEXT = """m => [...m.querySelectorAll('[data-testid=stMarkdownContainer] :is(a, h1, h2, h3, h4, h5, h6, img, b, strong, em, del, code, blockquote, '
    + 'li, table, .katex, [role=img], .stMarkdownColoredText)')].filter(e =>
      ['ENTITY', 'STRUCK', 'LINKED', 'IMAGED', 'BOLDED', 'STRONG', 'CODED', 'HEADED', 'QUOTED', 'LISTED', 'DASHED',
       'STARRED', 'REDDENED', 'NOTBOLD', 'answer note', 'red', 'x^2'].includes(e.textContent.trim())
      || /evil\\.example|mailto:/.test(e.getAttribute('href') || '') || e.tagName === 'TABLE'
      || e.matches('.katex') || e.getAttribute('aria-label') === 'warning icon' || e.getAttribute('alt') === 'Streamlit logo'
      || (e.tagName === 'IMG' && /evil|^x$/.test(e.getAttribute('src') || '')))
    .map(e => e.tagName + ' ' + e.textContent.trim())"""
SHOWN_AS_TYPED = ["Co0 see http://evil.example/x now", "Co2 ann@evil.example", "Co3 &lt;b&gt;ENTITY&lt;/b&gt;",
                  "Co4 felt :smile: after"]


@pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason="Chromium is not installed")
def test_hostile_text_is_inert_in_chromium_on_every_page_that_shows_it(tmp_path):
    from playwright.sync_api import sync_playwright

    from lib import clock
    path = tmp_path / "hostile.duckdb"
    database = db_module.Database(path)
    # The server runs on the real clock, so the interview is placed two hours before it (the
    # home page and Follow-ups show thank-yous due now); every assertion is about text, not time.
    hostile_debriefs(database, clock.to_local(clock.now(), "Europe/London").replace(tzinfo=None, microsecond=0)
                     - dt.timedelta(hours=2))
    before = user_rows(database)
    database.close()
    server = Server(path, tmp_path).start()
    problems = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name in BROWSER_PAGES:
                page.goto(f"{server.url}/{name}")
                page.wait_for_selector("[data-testid=stMainBlockContainer] h1", timeout=30_000)
                page.wait_for_function("!document.querySelector('[data-testid=stStatusWidget]')", timeout=30_000)
                page.wait_for_timeout(500)
                main = page.locator("[data-testid=stMain]")
                text, where = main.inner_text(), name or "home"
                problems += [f"{where}: {element}" for element in main.evaluate(MADE_FROM_USER_TEXT)]
                problems += [f"{where}: {found} substituted" for found in ("😄", "→", "≤") if found in text]
                if name in ("", "Interviews"):  # the pages listing every company
                    problems += [f"{where}: {typed!r} not shown as typed" for typed in SHOWN_AS_TYPED if typed not in text]
                elif name in ("Prepare", "Follow_ups", "Review") and "evil.example" not in text:
                    problems.append(f"{where}: no user text shown, so nothing was checked")
            browser.close()
    finally:
        server.stop()
    assert not problems, "\n".join(problems)
    database = db_module.Database(path)
    assert user_rows(database) == before
    database.close()
