"""`make run` loads the seed newsletters into an empty database only, never over editors' work."""

import io

import pytest
from django.core.management import call_command

from items.models import Issue
from regulators.models import Regulator


def load_seeds(*args):
    out = io.StringIO()
    call_command("load_seeds", *args, stdout=out, verbosity=0)
    return out.getvalue()


@pytest.mark.django_db
def test_an_empty_database_gets_the_five_seed_issues():
    load_seeds()
    assert Issue.objects.published().count() == 5


def test_a_second_load_leaves_an_editors_correction_alone(seeds):
    cac = Regulator.objects.get(slug="cac")
    cac.name = "Corrected by an editor"
    cac.save()

    said = load_seeds()

    assert Regulator.objects.get(slug="cac").name == "Corrected by an editor"
    assert "already holds content" in said and "--reload" in said


def test_reload_on_purpose_loads_the_fixtures_over_what_is_there(seeds):
    cac = Regulator.objects.get(slug="cac")
    original = cac.name
    cac.name = "Corrected by an editor"
    cac.save()

    load_seeds("--reload")

    assert Regulator.objects.get(slug="cac").name == original
