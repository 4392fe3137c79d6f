"""The editors' admin for the regulatory landscape: every page renders and the add form saves."""

import datetime

import pytest
from django.contrib import admin

from regulators.models import Instrument, Regulator
from tests.admin_pages import admin_url, assert_saved, list_filter_links
from tests.conftest import make_staff_user

pytestmark = pytest.mark.django_db

SEARCHES = {Regulator: ("CAC", "cac"), Instrument: ("PIPL", "pipl")}


def record_of(newsroom, model):
    return {Regulator: newsroom.cac, Instrument: newsroom.pipl}[model]


@pytest.mark.parametrize("model", [Regulator, Instrument])
def test_changelist_lists_records_for_editor(editor_client, newsroom, model):
    record = record_of(newsroom, model)
    response = editor_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert admin_url(model, "change", record.pk) in response.content.decode()


@pytest.mark.parametrize("model", [Regulator, Instrument])
def test_changelist_search_finds_the_record(editor_client, newsroom, model):
    term, _slug = SEARCHES[model]
    record = record_of(newsroom, model)
    response = editor_client.get(admin_url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    assert admin_url(model, "change", record.pk) in response.content.decode()
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("model", [Regulator, Instrument])
def test_changelist_renders_with_each_list_filter_applied(editor_client, newsroom, model):
    url = admin_url(model, "changelist")
    links = list_filter_links(editor_client.get(url))
    assert len(links) == len(admin.site.get_model_admin(model).list_filter)
    for title, query_string in links:
        response = editor_client.get(url + query_string)
        assert response.status_code == 200, (title, query_string)
        applied = [spec for spec in response.context["cl"].filter_specs if spec.title == title]
        assert any(choice["selected"] for choice in list(applied[0].choices(response.context["cl"]))[1:]), title


@pytest.mark.parametrize("model", [Regulator, Instrument])
def test_add_page_renders(editor_client, model):
    assert editor_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", [Regulator, Instrument])
def test_change_page_shows_the_record(editor_client, newsroom, model):
    record = record_of(newsroom, model)
    response = editor_client.get(admin_url(model, "change", record.pk))
    assert response.status_code == 200
    assert record.slug in response.content.decode()


@pytest.mark.parametrize("model", [Regulator, Instrument])
def test_history_page_renders(editor_client, newsroom, model):
    record = record_of(newsroom, model)
    response = editor_client.get(admin_url(model, "history", record.pk))
    assert response.status_code == 200
    assert "Change history" in response.content.decode()


def test_adding_a_regulator_saves_it_under_its_parent(editor_client, newsroom):
    response = editor_client.post(
        admin_url(Regulator, "add"),
        {
            "name": "Zhejiang Communications Administration",
            "name_zh": "浙江省通信管理局",
            "abbreviation": "Zhejiang CA",
            "slug": "zhejiang-ca",
            "kind": "agency",
            "level": "provincial",
            "jurisdiction": "CN-ZJ",
            "parent": newsroom.miit.pk,
            "website": "https://zjca.miit.gov.cn/",
            "description": "",
        },
    )
    assert_saved(response)
    regulator = Regulator.objects.get(slug="zhejiang-ca")
    assert regulator.parent == newsroom.miit
    assert regulator.jurisdiction == "CN-ZJ"


def test_adding_an_instrument_saves_issuers_links_and_month_precise_date(editor_client, newsroom):
    response = editor_client.post(
        admin_url(Instrument, "add"),
        {
            "title": "Regulations on Network Data Security Management",
            "title_zh": "",
            "short_title": "NDSR",
            "slug": "network-data-security-regulations",
            "kind": "administrative_regulation",
            "status": "draft",
            "jurisdiction": "CN",
            "issuers": [newsroom.cac.pk],
            "implements": [newsroom.pipl.pk],
            "official_url": "http://www.cac.gov.cn/2021-11/14/c_1638501991577898.htm",
            "published_on": "2021-11-14",
            "published_on_precision": "day",
            "comment_deadline": "2021-12-13",
            "comment_deadline_precision": "day",
            "adopted_on": "",
            "adopted_on_precision": "day",
            "effective_on": "2022-07-20",
            "effective_on_precision": "month",
            "description": "",
        },
    )
    assert_saved(response)
    instrument = Instrument.objects.get(slug="network-data-security-regulations")
    assert list(instrument.issuers.all()) == [newsroom.cac]
    assert list(instrument.implements.all()) == [newsroom.pipl]
    assert instrument.effective_on == datetime.date(2022, 7, 1)
    assert instrument.display_date("effective_on") == "July 2022"


def test_admin_edit_is_kept_in_history_with_the_editor_named(client, django_user_model, newsroom):
    client.force_login(make_staff_user(django_user_model, "wang.lawyer", "Editors"))
    regulator = newsroom.cac
    data = {
        "name": regulator.name,
        "name_zh": regulator.name_zh,
        "abbreviation": regulator.abbreviation,
        "slug": regulator.slug,
        "kind": regulator.kind,
        "level": regulator.level,
        "jurisdiction": regulator.jurisdiction,
        "parent": "",
        "website": "https://www.cac.gov.cn/",
        "description": "The national internet regulator.",
    }
    assert_saved(client.post(admin_url(Regulator, "change", regulator.pk), data))

    latest = regulator.history.latest()
    assert latest.history_user.username == "wang.lawyer"
    assert latest.description == "The national internet regulator."
    history_page = client.get(admin_url(Regulator, "history", regulator.pk)).content.decode()
    assert "wang.lawyer" in history_page


@pytest.mark.parametrize("model", [Regulator, Instrument])
def test_deleted_record_can_still_be_found_in_its_admin_history(client, django_user_model, model):
    client.force_login(make_staff_user(django_user_model, "partner", "Publishers"))
    if model is Regulator:
        record = Regulator.objects.create(name="Defunct Bureau", slug="defunct-bureau", jurisdiction="CN")
    else:
        record = Instrument.objects.create(
            title="Defunct Bureau Rules", slug="defunct", kind="guideline", status="repealed"
        )
    record_pk = record.pk
    record.delete()
    response = client.get(admin_url(model, "history", record_pk))
    assert response.status_code == 200
    assert "Defunct Bureau" in response.content.decode()
