"""Editors paste a version's texts in the admin, or bring them in a spreadsheet."""

import pytest

from regulators.models import Instrument
from regulators.resources import InstrumentResource
from tests.admin_pages import admin_url, assert_saved, change_form_data
from tests.factories import InstrumentFactory
from tests.regulators.test_import_export import export_file, import_file
from tests.regulators.texts import DRAFT_EN, DRAFT_ZH, FINAL_ZH

pytestmark = pytest.mark.django_db


def test_an_editor_pastes_both_texts_in_the_admin_and_sees_the_articles_found(editor_client):
    instrument = InstrumentFactory(slug="sample-measures-draft")
    url = admin_url(Instrument, "change", instrument.pk)
    data = change_form_data(editor_client.get(url))
    data.update(text_zh=DRAFT_ZH, text_en=DRAFT_EN)
    assert_saved(editor_client.post(url, data))
    instrument.refresh_from_db()
    assert instrument.texts == {"zh": DRAFT_ZH.strip(), "en": DRAFT_EN.strip()}  # the form trims the ends
    page = editor_client.get(url).content.decode()
    assert "Chinese: 6 articles, 第一条 to 第六条" in page
    assert "English: 6 articles, Article 1 to Article 6" in page


def test_the_admin_says_when_no_article_was_found_in_a_text(editor_client):
    instrument = InstrumentFactory(slug="notice", text_en="A notice without any article heading.")
    page = editor_client.get(admin_url(Instrument, "change", instrument.pk)).content.decode()
    assert "English: no article found" in page


def test_a_pasted_text_is_kept_in_the_instruments_history(editor_client):
    instrument = InstrumentFactory(slug="sample-measures-draft", text_zh=DRAFT_ZH)
    instrument.text_zh = FINAL_ZH
    instrument.save()
    assert [record.text_zh for record in instrument.history.order_by("history_date")] == [DRAFT_ZH, FINAL_ZH]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_texts_travel_through_a_spreadsheet_export_and_import(fmt):
    InstrumentFactory(slug="sample-measures-draft", title="Sample Measures", text_zh=DRAFT_ZH, text_en=DRAFT_EN)
    data = export_file(InstrumentResource(), fmt, Instrument.objects.all())
    Instrument.objects.all().delete()
    import_file(InstrumentResource(), fmt, data)
    instrument = Instrument.objects.get(slug="sample-measures-draft")
    assert (instrument.text_zh, instrument.text_en) == (DRAFT_ZH, DRAFT_EN)


def test_an_import_without_text_columns_leaves_the_texts_alone():
    InstrumentFactory(slug="sample-measures-draft", title="Sample Measures", text_zh=DRAFT_ZH)
    header = ["slug", "title", "kind", "status", "jurisdiction"]
    row = ["sample-measures-draft", "Sample Measures (renamed)", "departmental_rule", "draft", "CN"]
    import_file(InstrumentResource(), "csv", ",".join(header) + "\n" + ",".join(row) + "\n")
    instrument = Instrument.objects.get(slug="sample-measures-draft")
    assert (instrument.title, instrument.text_zh) == ("Sample Measures (renamed)", DRAFT_ZH)
