"""lib.validation: the parsers the forms, the import and the command line share."""
import datetime as dt

import pytest

from lib.validation import Invalid, check_date

LEAP_DAY = dt.date(2028, 2, 29)


def test_on_29_february_any_date_up_to_28_february_two_years_on_is_accepted():
    # Two years after a 29 February has no 29 February: every date typed that day was refused
    # with a ValueError (found by running the page tests at 2028-02-29, see the Makefile).
    assert check_date(dt.date(2026, 5, 4), "Applied on", today=LEAP_DAY) == dt.date(2026, 5, 4)
    assert check_date(dt.date(2030, 2, 28), "Applied on", today=LEAP_DAY) == dt.date(2030, 2, 28)


def test_on_29_february_the_day_after_the_window_is_refused_with_the_years():
    with pytest.raises(Invalid, match="Applied on 2030-03-01 is outside 2000–2030; check the year."):
        check_date(dt.date(2030, 3, 1), "Applied on", today=LEAP_DAY)
