"""Thank-yous & follow-ups: what is due, thank-you drafts, the follow-up diary, the calendar file, your time zone."""
from functools import partial

import streamlit as st

from lib import clock, rules, settings
from lib.calendar_ics import calendar_bytes
from lib.ui import get_db, page_header, show_flash
from lib.ui.follow_ups import P, follow_up_diary, show_today, thank_you_drafts, time_zone_picker
from lib.words import hours

page_header("Thank-yous & follow-ups", f"A thank-you within {hours(rules.THANK_YOU_WITHIN)}; a follow-up the business "
            "day after the date "
            "you should have heard by. Drafts, the diary and a calendar file to keep you on time.")
db = get_db()
show_flash()
zone = settings.time_zone(db)
today = clock.today_in(zone)

st.header("Today")
show_today(db, P)
thank_you_drafts(db, zone)
follow_up_diary(db, today)
st.header("Calendar")
st.caption("Thank-you deadlines, expected answers and follow-up days, with reminders. Import the file into your "
           "calendar; importing a newer one updates the same events instead of adding copies.")
st.download_button("Download calendar (.ics)", data=partial(calendar_bytes, db), file_name="debrief.ics",
                   mime="text/calendar", icon=":material/calendar_month:", key=f"{P}.calendar", on_click="ignore")
st.header("Your time zone")
time_zone_picker(db, zone)
