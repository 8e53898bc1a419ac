"""Dashboard: am I getting better, which questions keep hurting me, am I running two or three applications?"""
from lib import dashboard
from lib.ui import cached, get_db, page_header, show_flash
from lib.ui.dashboard import (calibration_section, charts_toggle, filters, notes_section, nothing_yet, pipeline_section,
                              questions_section, repeats_section, scores_section, settings_form, thank_you_section)

page_header("Dashboard", "The pattern across your interviews: for a review session with yourself or your coach.",
            layout="wide")
db = get_db()
show_flash()

choices = cached(db, dashboard.filter_choices)
if choices.interviews == 0:
    nothing_yet(db)
else:
    chosen = filters(choices)
    charts_toggle(db)
    scores_section(db, chosen)
    questions_section(db, chosen)
    repeats_section(db)
    calibration_section(db, chosen)
    pipeline_section(db, chosen)
    notes_section(db, chosen)
    thank_you_section(db)
settings_form(db)
