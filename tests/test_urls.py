"""Every URL pattern of the project has a name, so templates, feeds and tests can reverse() it."""

from django.urls import URLPattern, URLResolver, get_resolver

# Django's own URLconfs: their names are Django's business.
FOREIGN_NAMESPACES = {"admin"}
FOREIGN_URLCONFS = {"django.conf.urls.i18n"}


def project_patterns(patterns, prefix=""):
    """Yield (route, pattern) for every URLPattern, descending into includes except Django's own."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            # A list of patterns (joined lists under one namespace) has no module name.
            urlconf_name = getattr(entry.urlconf_module, "__name__", None)
            if entry.namespace in FOREIGN_NAMESPACES or urlconf_name in FOREIGN_URLCONFS:
                continue
            yield from project_patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def test_every_url_pattern_has_a_name():
    patterns = list(project_patterns(get_resolver().url_patterns))
    unnamed = [route for route, pattern in patterns if not pattern.name]
    assert unnamed == []


def test_the_walk_reaches_the_public_pages():
    names = {pattern.name for _route, pattern in project_patterns(get_resolver().url_patterns)}
    assert {"home", "issue-archive", "issue-detail", "item-list", "item-detail"} <= names
    assert {"enforcement-list", "enforcement-detail", "regulator-detail", "instrument-list"} <= names
    assert "index" not in names  # the admin's own patterns were skipped
