"""Debrief an interview: the five good-practice steps, in order, on one page."""
import streamlit as st

from lib import settings
from lib.ui import debriefs as form
from lib.ui import get_db, page_header, show_flash

page_header("Debrief an interview", "Five minutes now, while it is fresh. Work down the five steps; only the "
            "company and the date are required.")
db = get_db()
show_flash()
time_zone = settings.time_zone(db)

opening_problem = form.open_form(db, time_zone, form.requested_interview())
form.start(time_zone)  # what is typed is kept by page_header (form.keep_if_live), first thing every run
errors = form.messages(db, time_zone, opening_problem)
form.how_it_went(errors)
form.salient_notes(db, time_zone, errors)
form.thank_you_step(time_zone)
form.follow_up_step(db, errors)
form.keep_two_or_three_going(db)
form.save_button(db, time_zone, errors)
