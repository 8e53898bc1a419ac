"""Streamlit glue shared by the pages: the database handle, the menu, and safe display of user text.

The package lib/ui/ holds the only lib modules that import streamlit; one module per feature beside this one.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import threading
import time
from collections import Counter, OrderedDict
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, NamedTuple

import duckdb

import streamlit as st

from ..db import Database, DatabaseError, Transaction, explain_error, resolve_db_path
from ..questions import assign_missing
from ..words import markdown_inert

_LOG = logging.getLogger(__name__)

class Page(NamedTuple):
    """One page: its file (Streamlit's file-based multipage mode: app.py and pages/), menu label and icon."""
    path: str
    label: str
    icon: str


# Every page, declared once, in menu order: links, tests, benchmarks and the screenshot script name them from here.
PAGES = (
    # Material icons ship with Streamlit, so they render even where no emoji font is installed.
    Page("app.py", "Home", ":material/home:"),
    Page("pages/1_Debrief.py", "Debrief an interview", ":material/edit_note:"),
    Page("pages/2_Interviews.py", "Interviews", ":material/forum:"),
    Page("pages/3_Applications.py", "Applications", ":material/work:"),
    Page("pages/4_Import.py", "Import CSV", ":material/upload_file:"),
    Page("pages/5_Dashboard.py", "Dashboard", ":material/insights:"),
    Page("pages/6_Follow_ups.py", "Thank-yous & follow-ups", ":material/schedule_send:"),
    Page("pages/7_Your_data.py", "Your data", ":material/shield_lock:"),
    Page("pages/8_Prepare.py", "Prepare for an interview", ":material/school:"),
    Page("pages/9_Review.py", "Review session", ":material/self_improvement:"),
)
(HOME_PAGE, DEBRIEF_PAGE, INTERVIEWS_PAGE, APPLICATIONS_PAGE, IMPORT_PAGE, DASHBOARD_PAGE, FOLLOW_UPS_PAGE,
 YOUR_DATA_PAGE, PREPARE_PAGE, REVIEW_PAGE) = (page.path for page in PAGES)


def url_path(page: str) -> str:
    """A page's address under the server's root: '' for app.py, 'Follow_ups' for pages/6_Follow_ups.py."""
    return "" if page == HOME_PAGE else Path(page).stem.split("_", 1)[1]


class PageDatabase(Database):
    """The Database every page gets from get_db(): a DuckDB error met while a page draws or a
    callback saves (a file damaged mid-way, a commit on a full disk or a read-only folder) is shown
    as a message, the one lib.db gives at open, and the run stops there, instead of a traceback.

    Reads and commits all pass through query, scalar and transaction, so this is the one place
    for every page and callback. Errors lib already turns into its own message (a refused restore)
    are raised inside its own try, before they get here. A stopped run keeps what was typed: a
    form's values stay in the session for the next run."""

    def query(self, name: str, **params):
        with self._problems_shown():
            return super().query(name, **params)

    def scalar(self, name: str, **params):
        with self._problems_shown():
            return super().scalar(name, **params)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._problems_shown(), super().transaction() as tx:
            yield tx

    @contextmanager
    def errors_raised(self) -> Iterator[None]:
        """Inside, a DuckDB error reaches the caller, which has its own message for it (a draft
        that could not be kept must not take the page away)."""
        _raising.on = True
        try:
            yield
        finally:
            _raising.on = False

    @contextmanager
    def _problems_shown(self) -> Iterator[None]:
        try:
            yield
        except duckdb.Error as error:
            if getattr(_raising, "on", False):
                raise
            st.error(str(explain_error(self.path, error)), icon=":material/error:")
            st.stop()


_raising = threading.local()  # PageDatabase.errors_raised, per session thread


@st.cache_resource(show_spinner=False)
def _open_database(path: str) -> Database:
    # One Database per process and file; each session thread takes its own cursor from it.
    db = PageDatabase(path)
    # Questions written before grouping existed (migration 003) get their group once, here.
    assign_missing(db)
    return db


def get_db() -> Database:
    """The database named by --db / $DEBRIEF_DB; a readable message and a stop if it can't be opened."""
    path = resolve_db_path()
    try:
        db = _open_database(str(path))
    except DatabaseError as problem:
        st.error(str(problem), icon=":material/lock:")
        st.stop()
    prepare_in_background(db)
    return db


def page_header(title: str, caption: str = "", *, layout: str = "centered") -> None:
    """Page config, the sidebar menu and the page title: the first call of every page."""
    st.set_page_config(page_title=f"{title} · Debrief", page_icon=":material/edit_note:", layout=layout)
    from .debriefs import keep_if_live  # (lib/ui/debriefs.py draws with this module's helpers)
    keep_if_live()
    with st.sidebar:
        st.markdown("### Debrief")
        for page in PAGES:
            st.page_link(page.path, label=page.label, icon=page.icon)
        st.caption(f"Database: `{resolve_db_path()}`")
    st.title(title)
    if caption:
        st.caption(caption)


# How each thank-you channel reads in pickers and messages.
THANK_YOU_LABELS = {"email": "E-mail", "handwritten": "Handwritten card", "both": "E-mail and a card"}

# Streamlit rewrites some text after Markdown has been parsed, where a backslash no longer counts:
# GFM autolinks (`http://…`, `www.…`, `ann@example.com`), emoji shortcodes (`:smile:`), its logo
# (`:streamlit:`), and arrows and dashes (`->`, `<-`, `--`, `>=`, `<=`, `~=`). Each rewrite works
# within one text node, so an empty `:small[]` (a Streamlit directive: an empty <span>) between the
# characters it needs splits the node; nothing shows, and copied text is unchanged. Positions are
# found in the escaped text, always after a whole escape. Checked in Chromium (tests/test_hostile_text.py).
_NODE_SPLIT = ":small[]"
_REWRITTEN_AFTER_PARSING = re.compile(r"(?<=\\:)|(?=@)|(?<=www)(?=\.)|(?<=[<>~=-])(?=\\?[<>=-])", re.IGNORECASE)


def inert(text) -> str:
    """User text for st.markdown, captions, labels and messages, shown exactly as typed (line breaks
    as spaces): Markdown escaped by lib.words.markdown_inert, the one escaper, and the text Streamlit
    rewrites after parsing kept apart (see _REWRITTEN_AFTER_PARSING)."""
    return _REWRITTEN_AFTER_PARSING.sub(_NODE_SPLIT, markdown_inert(text))


def code_span(text) -> str:
    """`text` as Markdown inline code, exactly as it is (a backtick inside included): what st.code shows,
    without the 1.5 MB code highlighter st.code loads in the browser. Newlines become line breaks."""
    lines = []
    for line in str(text).split("\n"):
        fence = "`" * (max(map(len, re.findall("`+", line)), default=0) + 1)
        lines.append(f"{fence} {line} {fence}" if line.strip() else "")
    return "  \n".join(lines)


def format_when(value: dt.datetime, *, with_weekday: bool = True) -> str:
    """'Thu 26 Nov 2026, 14:30' (naive local wall-clock time)."""
    return value.strftime("%a %d %b %Y, %H:%M" if with_weekday else "%d %b %Y, %H:%M")


def format_duration(delta: dt.timedelta) -> str:
    """'5 h 20 min', '2 days 3 h', for countdowns."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def flash(message: str, icon: str = ":material/check_circle:") -> None:
    """Queue a toast for the next run (writes happen in callbacks, before the page redraws)."""
    st.session_state["_flash"] = (message, icon)


def show_flash() -> None:
    if "_flash" in st.session_state:
        message, icon = st.session_state.pop("_flash")
        st.toast(message, icon=icon)


def on_request(label: str, key: str, help: str | None = None, *, default: bool = False) -> bool:
    """A toggle, `default` (off) until turned, remembered for the session (page to page): draws what
    costs the browser most to load (Plotly's 4.7 MB of JavaScript, the code highlighter's 1.5 MB)
    only when asked for. Kept under its own key because Streamlit forgets a widget's state once a
    run goes by without it (another page)."""
    wanted = f"{key}.wanted"
    st.session_state[wanted] = st.toggle(label, value=st.session_state.get(wanted, default), key=key, help=help)
    return st.session_state[wanted]


def opened(label: str, key: str, **options):
    """An expander whose content is drawn only while it is open: the container, or None when closed.
    Closed, a plain st.expander still mounts what is inside it, and the browser loads that code on
    every visit (a form's date and number inputs, a table's 1.3 MB: docs/performance.md). Opening
    it reruns the page, which then draws the content: the same one click."""
    box = st.expander(label, key=key, on_change="rerun", **options)
    return box if box.open else None


def cached(db: Database, function, *args):
    """`function(db, *args)`, computed once per state of the database and shared by every session.

    The key is the function, the file, `db.data_version` (bumped by every committed write in this
    process, the only one that can write the file) and the arguments, so a save shows at once.
    Results are shared as they are: callers treat them as read-only."""
    return _cached(f"{function.__module__}.{function.__qualname__}", str(db.path), db.data_version, args,
                   db, function)


class _Results:
    """cached()'s store: the latest `max_entries` results, shared by every session and thread.

    Our own rather than st.cache_resource, because the dashboard is also worked out on a thread of
    no session (prepare_in_background), where Streamlit's cache logs a warning on every call. Two
    callers of one key compute it once: the second waits for the first."""

    def __init__(self, max_entries: int = 256):
        self.max_entries = max_entries
        self._results: OrderedDict = OrderedDict()
        self._computing: dict = {}
        self._lock = threading.Lock()
        self.computed: Counter = Counter()  # name -> results computed (for tests and benchmarks)

    def __call__(self, name: str, path: str, version: int, args: tuple, db: Database, function):
        key = (name, path, version, args)
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:
            with self._lock:
                if key in self._results:
                    return self._results[key]
            try:
                result = function(db, *args)
                with self._lock:
                    self._results[key] = result
                    self.computed[name] += 1
                    while len(self._results) > self.max_entries:
                        self._results.popitem(last=False)
            finally:
                with self._lock:
                    self._computing.pop(key, None)
        return result

    def clear(self) -> None:
        with self._lock:
            self._results.clear()


_cached = _Results()


# -- the dashboard, prepared after a write --------------------------------------------------------

PREPARE_AFTER_S = 0.3  # the page that wrote finishes its own run first
_preparing: set[str] = set()     # files whose dashboard a thread is preparing
_prepared: dict[str, int] = {}   # file -> the data version whose dashboard was prepared
_prepare_lock = threading.Lock()


def prepare_in_background(db: Database) -> threading.Thread | None:
    """After a write, work out the dashboard's first view (its default filters, charts as last
    left) on a thread of its own, so that opening the Dashboard finds it ready instead of reading
    every interview again: 0.3–0.5 s of work at 100,000 interviews (docs/performance.md). Called
    by get_db() on every page run; does nothing when the current state is prepared or being
    prepared (a write meanwhile is prepared next), or when $DEBRIEF_PREPARE is 0 (the tests).
    Returns the thread started, if any."""
    if os.environ.get("DEBRIEF_PREPARE", "1") == "0":
        return None
    path = str(db.path)
    with _prepare_lock:
        if path in _preparing or _prepared.get(path) == db.data_version:
            return None
        _preparing.add(path)
    thread = threading.Thread(target=_prepare, args=(db,), name="debrief-prepare", daemon=True)
    thread.start()
    return thread


def wait_until_prepared(db: Database, timeout: float = 60) -> bool:
    """Whether the background preparation for this file is done within `timeout` s (tests, benchmarks)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _prepare_lock:
            if str(db.path) not in _preparing:
                return True
        time.sleep(0.01)
    return False


PREPARE_PASSES = 3  # writes during the work are prepared next, this many times at most


def _prepare(db: Database) -> None:
    from ..questions import index
    from .dashboard import prepare  # (lib/ui/dashboard.py draws with this module's helpers)
    time.sleep(PREPARE_AFTER_S)
    path = str(db.path)
    try:
        for _ in range(PREPARE_PASSES):
            while index.is_building(db):  # each batch of the "Asked before?" index is a write: wait
                time.sleep(0.2)
            version = db.data_version
            try:
                _raising.on = True  # a DuckDB error is logged here, never drawn: this thread has no page
                prepare(db)
            except Exception:  # noqa: BLE001 — a page that opens later works it out and shows any problem
                _LOG.warning("The dashboard could not be prepared in the background", exc_info=True)
            with _prepare_lock:
                _prepared[path] = version
            if db.data_version == version:
                return
    finally:
        with _prepare_lock:
            _preparing.discard(path)
