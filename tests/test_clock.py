"""Time rules: the 24-hour thank-you deadline and the five-business-day default."""
import datetime as dt

import pytest

from lib.clock import default_expected_response, thank_you_due_at, to_instant, to_local


def test_thank_you_is_due_24_real_hours_later_across_a_daylight_saving_change():
    # Clocks in London go forward at 01:00 on Sunday 29 March 2026.
    start = to_instant(dt.datetime(2026, 3, 28, 10, 0), "Europe/London")
    due = thank_you_due_at(start)
    assert due - start == dt.timedelta(hours=24)
    assert to_local(due, "Europe/London") == dt.datetime(2026, 3, 29, 11, 0)  # 25 wall-clock hours


def test_local_time_round_trips_through_an_instant():
    local = dt.datetime(2026, 11, 2, 9, 30)
    assert to_local(to_instant(local, "America/New_York"), "America/New_York") == local


@pytest.mark.parametrize("interview_day, expected", [
    (dt.date(2026, 3, 12), dt.date(2026, 3, 19)),   # Thursday -> next Thursday
    (dt.date(2026, 3, 13), dt.date(2026, 3, 20)),   # Friday -> next Friday
    (dt.date(2026, 3, 14), dt.date(2026, 3, 20)),   # Saturday counts from Monday
])
def test_expected_response_defaults_to_five_business_days(interview_day, expected):
    assert default_expected_response(interview_day) == expected
