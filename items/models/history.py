"""simple_history's `HistoricalRecords`, for models defined in a models package.

For a model defined in `items.models.issues`, simple_history stores `HistoricalIssue` in that
module but names its `__module__` after the app (`items`), so nothing finds it where its name
says (`manage.py shell` reports it cannot import `items.HistoricalIssue`). This subclass names
the module the history model is stored in; the table, app label and migrations are unchanged.
"""

from simple_history.models import HistoricalRecords as BaseHistoricalRecords


class HistoricalRecords(BaseHistoricalRecords):
    def create_history_model(self, model, inherited):
        history_model = super().create_history_model(model, inherited)
        if not inherited:  # an inherited one is named after its concrete model's module already
            history_model.__module__ = self.module
        return history_model
