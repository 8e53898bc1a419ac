"""Debrief's logic: everything that is not drawing. Pages call these modules; so does `python -m lib`."""
