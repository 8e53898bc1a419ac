"""Applications: validation, and how many are active on a day (docs/import-format.md)."""
import datetime as dt

import pytest

from lib.applications import (Application, ValidationError, active_applications_on, add_application,
                              pipeline_message, update_application)
from lib.debriefs import Debrief, save_debrief

DAY = dt.date(2026, 3, 30)


def test_an_application_needs_a_company(fresh_db):
    with pytest.raises(ValidationError) as problem:
        add_application(fresh_db, Application(" ", applied_on=DAY))
    assert problem.value.errors == {"company": "Company is required."}


def test_the_same_company_and_role_cannot_be_added_twice(fresh_db):
    add_application(fresh_db, Application("Contoso", "Analyst", DAY))
    with pytest.raises(ValidationError):
        add_application(fresh_db, Application("CONTOSO", "analyst ", DAY))


@pytest.mark.parametrize("status, closed_on, ok", [
    ("rejected", None, False), ("rejected", DAY, True), ("applied", DAY, False), ("offer", DAY, True),
    ("offer", None, True),  # an offer not yet accepted or declined is still running
])
def test_closed_on_goes_with_the_closing_statuses(fresh_db, status, closed_on, ok):
    app = Application("Contoso", "Analyst", dt.date(2026, 3, 1), status=status, closed_on=closed_on)
    if ok:
        add_application(fresh_db, app)
    else:
        with pytest.raises(ValidationError):
            add_application(fresh_db, app)


def test_closed_on_cannot_precede_applied_on(fresh_db):
    with pytest.raises(ValidationError) as problem:
        add_application(fresh_db, Application("Contoso", "", DAY, status="rejected", closed_on=DAY - dt.timedelta(days=1)))
    assert "before applied on" in problem.value.errors["closed_on"]


def test_active_counts_follow_the_spec_rules(fresh_db):
    add_application(fresh_db, Application("Fresh", "", DAY - dt.timedelta(days=3)))                 # active
    add_application(fresh_db, Application("Stale", "", DAY - dt.timedelta(days=45)))                # silent 45 days
    add_application(fresh_db, Application("Closes today", "", DAY - dt.timedelta(days=10),
                                          status="rejected", closed_on=DAY))                         # still counts today
    add_application(fresh_db, Application("Closed", "", DAY - dt.timedelta(days=10),
                                          status="withdrawn", closed_on=DAY - dt.timedelta(days=1)))
    add_application(fresh_db, Application("Future", "", DAY + dt.timedelta(days=1)))
    revived = add_application(fresh_db, Application("Revived", "", DAY - dt.timedelta(days=60)))
    save_debrief(fresh_db, Debrief(application_id=revived, starts_at=dt.datetime(2026, 3, 20, 10), time_zone="UTC"))
    assert active_applications_on(fresh_db, DAY, stale_after_days=30) == 3  # Fresh, Closes today, Revived
    assert active_applications_on(fresh_db, DAY + dt.timedelta(days=1), stale_after_days=30) == 3  # Fresh, Future, Revived


def test_editing_an_application_keeps_its_interviews(fresh_db):
    save_debrief(fresh_db, Debrief(company="Contoso", starts_at=dt.datetime(2026, 3, 20, 10), time_zone="UTC"))
    update_application(fresh_db, 1, Application("Contoso Ltd", "Analyst", dt.date(2026, 3, 1), status="offer",
                                                closed_on=DAY))
    assert fresh_db.query("list_applications").iloc[0][["company", "interviews"]].tolist() == ["Contoso Ltd", 1]


@pytest.mark.parametrize("active, words", [(1, "below your 2–3 target"), (2, "within"), (3, "within"), (4, "above")])
def test_the_pipeline_line_nudges_outside_the_band(active, words):
    assert words in pipeline_message(active, (2, 3))
