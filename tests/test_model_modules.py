from django.apps import apps
from django.utils.module_loading import import_string


def test_every_model_history_ones_too_is_found_where_its_module_says():
    """`manage.py shell` imports each model by `__module__` and name; none may be missing there."""
    missing = []
    for model in apps.get_models(include_auto_created=True):
        path = f"{model.__module__}.{model.__name__}"
        try:
            found = import_string(path)
        except ImportError:
            found = None
        if found is not model and not model._meta.auto_created:
            missing.append(path)
    assert missing == []
