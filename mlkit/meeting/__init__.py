"""The progress committee's meeting: decisions recorded insert-only, the committee notebook.

Import the parts you need: :mod:`mlkit.meeting.decisions` (record, correct, history, latest,
CSV export) needs no notebook; :mod:`mlkit.meeting.cards` builds the notebook's widgets.
"""
