"""Forms for opleiders and aios in Jupyter: one rule set, widgets, idempotent saving.

- :mod:`mlkit.forms.rules`: what a complete, valid form is (used by the importer too);
- :mod:`mlkit.forms.submit`: saving a filled form once, by its submission id;
- :mod:`mlkit.forms.widgets`: the ipywidgets forms of the assessment notebook;
- :mod:`mlkit.forms.reflect`: the self-reflection form on a personal extract, and merging back.

Nothing is imported here, so the importer can use the rules without loading widgets.
"""
