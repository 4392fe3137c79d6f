"""Search names records beside the items it finds: an enforcement action by its id (however
written), target or organisation; an authority by any of its names, Chinese short forms too;
published records only."""

import pytest

from items.importers.landscape import Landscape
from regulators.models import Regulator

pytestmark = pytest.mark.usefixtures("seeds")


def matching(client, words, kind):
    page = client.get("/search/", {"q": words}).content.decode()
    assert page.count('class="facts matching-records"') <= 1
    block = page.split('class="facts matching-records"')[1].split("</dl>")[0] if "matching-records" in page else ""
    return block.split(f"<dt>{kind}</dt>")[1].split("</dd>")[0] if f"<dt>{kind}</dt>" in block else ""


@pytest.mark.parametrize("words", ["EA-2021-0007", "ea-2021-7"])
def test_an_action_is_found_by_its_id_however_written(client, words):
    assert 'href="/enforcement/EA-2021-0007/"' in matching(client, words, "Enforcement")


def test_an_action_is_found_by_its_target_or_organisation(client):
    assert "EA-2021-0015" in matching(client, "Bank of Beijing", "Enforcement")
    assert "/organisations/bank-of-beijing/" in matching(client, "Bank of Beijing", "Organisations")


@pytest.mark.parametrize("alias", ["网信办", "国家网信办", "NISSTC", "工信部"])
def test_an_authority_is_found_by_the_other_names_readers_use(client, alias):
    slug = Regulator.objects.get(aliases__contains=alias).slug  # 网信办 within 国家网信办
    found = matching(client, alias, "Regulators")
    assert f'href="/regulators/{slug}/"' in found
    # The authority's news and enforcement, rolled up with its offices, one click away.
    assert f'href="/items/?regulator={slug}"' in found and f'href="/enforcement/?regulator={slug}"' in found


def test_the_importer_knows_an_authority_by_its_other_names_but_not_a_local_office_by_them():
    landscape = Landscape(Regulator.objects.all(), [], [])
    found = [regulator.slug for regulator in landscape.regulators_in("据国家网信办通报，工信部约谈了三家企业。")]
    assert sorted(found) == ["cac", "miit"]
    # Aliases are national names only: a local office written short is not taken for its national body.
    assert [r.slug for r in landscape.regulators_in("北京市网信办约谈了一家企业。")] == []


def test_a_draft_actions_target_is_never_named(client, newsroom):
    assert newsroom.draft_action.public_id not in client.get("/search/", {"q": "60 apps"}).content.decode()


def test_a_withdrawn_issues_actions_leave_the_search_at_once(client):
    from items.models import EnforcementAction
    from items.services import withdraw_issue

    assert "EA-2021-0015" in matching(client, "Bank of Beijing", "Enforcement")  # now kept for this version
    withdraw_issue(EnforcementAction.objects.get(public_id="EA-2021-0015").news_item.issue_id)
    assert "EA-2021-0015" not in client.get("/search/", {"q": "Bank of Beijing"}).content.decode()
