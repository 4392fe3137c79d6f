"""Regulators and instruments: constraints in the database and in validation, names, precise dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template import Context, Template
from django.utils import translation

from core.dates import format_precise_date, iso_precise_date
from regulators.models import Instrument, Regulator
from tests.factories import InstrumentFactory, RegulatorFactory

pytestmark = pytest.mark.django_db

DEADLINE_MESSAGE = "The comment deadline cannot be before the publication date."


def new_regulator(**fields):
    values = {"name": "Cyberspace Administration of China", "slug": "cac", "jurisdiction": "CN", **fields}
    return Regulator(**values)


def new_instrument(**fields):
    values = {"title": "Measures", "slug": "measures", "kind": "departmental_rule", "status": "draft", **fields}
    return Instrument(**values)


# Regulator slug and abbreviation


def test_regulator_slug_is_unique_in_the_database():
    new_regulator(abbreviation="CAC").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        new_regulator(name="Another", abbreviation="OTHER").save()


def test_regulator_slug_clash_fails_validation_with_a_message():
    new_regulator().save()
    with pytest.raises(ValidationError) as error:
        new_regulator(name="Another").full_clean()
    assert error.value.message_dict["slug"] == ["Regulator with this Slug already exists."]


def test_regulator_abbreviation_is_unique_in_the_database_when_set():
    new_regulator(abbreviation="CAC").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        new_regulator(slug="cac-2", abbreviation="CAC").save()


def test_regulator_abbreviation_clash_fails_validation_with_a_message():
    new_regulator(abbreviation="CAC").save()
    with pytest.raises(ValidationError) as error:
        new_regulator(slug="cac-2", abbreviation="CAC").full_clean()
    assert "Another regulator already uses this abbreviation." in error.value.messages


def test_several_regulators_may_leave_the_abbreviation_blank():
    new_regulator(slug="court-a", name="Court A").save()
    second = new_regulator(slug="court-b", name="Court B")
    second.full_clean()
    second.save()
    assert Regulator.objects.filter(abbreviation="").count() == 2


@pytest.mark.parametrize("code", ["CN", "CN-ZJ", "CN-SH", "EU", "IE", "US"])
def test_iso_3166_jurisdiction_codes_pass_validation(code):
    new_regulator(jurisdiction=code).full_clean()


@pytest.mark.parametrize("code", ["China", "cn", "CN-", "C"])
def test_other_jurisdiction_codes_fail_validation_with_a_message(code):
    with pytest.raises(ValidationError) as error:
        new_regulator(jurisdiction=code).full_clean()
    assert error.value.message_dict["jurisdiction"] == [
        "Use an ISO 3166 code such as CN, EU, US, or a subdivision such as CN-ZJ."
    ]


# Instrument comment deadline


def test_comment_deadline_before_publication_is_rejected_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        new_instrument(published_on=datetime.date(2021, 11, 14), comment_deadline=datetime.date(2021, 11, 1)).save()


def test_comment_deadline_before_publication_fails_validation_with_a_message():
    instrument = new_instrument(published_on=datetime.date(2021, 11, 14), comment_deadline=datetime.date(2021, 11, 1))
    with pytest.raises(ValidationError) as error:
        instrument.full_clean()
    assert DEADLINE_MESSAGE in error.value.messages


@pytest.mark.parametrize(
    ("published_on", "comment_deadline"),
    [
        (datetime.date(2021, 11, 14), datetime.date(2021, 11, 14)),
        (datetime.date(2021, 11, 14), datetime.date(2021, 12, 13)),
        (None, datetime.date(2021, 12, 13)),
        (datetime.date(2021, 11, 14), None),
    ],
)
def test_comment_deadline_on_or_after_publication_or_unknown_is_accepted(published_on, comment_deadline):
    instrument = new_instrument(published_on=published_on, comment_deadline=comment_deadline)
    instrument.full_clean()
    instrument.save()


def test_month_precise_deadline_in_the_publication_month_passes_validation_and_saves():
    instrument = new_instrument(
        published_on=datetime.date(2021, 11, 14),
        comment_deadline=datetime.date(2021, 11, 30),
        comment_deadline_precision="month",
    )
    instrument.full_clean()
    instrument.save()
    instrument.refresh_from_db()
    assert instrument.comment_deadline == datetime.date(2021, 11, 1)


@pytest.mark.parametrize(
    ("comment_deadline", "precision"),
    [(datetime.date(2021, 10, 1), "month"), (datetime.date(2020, 1, 1), "year")],
)
def test_month_or_year_precise_deadline_before_publication_fails_validation(comment_deadline, precision):
    instrument = new_instrument(
        published_on=datetime.date(2021, 11, 14),
        comment_deadline=comment_deadline,
        comment_deadline_precision=precision,
    )
    with pytest.raises(ValidationError) as error:
        instrument.full_clean()
    assert DEADLINE_MESSAGE in error.value.messages


def test_year_precise_deadline_in_the_publication_year_passes_validation():
    new_instrument(
        published_on=datetime.date(2021, 11, 14),
        comment_deadline=datetime.date(2021, 1, 1),
        comment_deadline_precision="year",
    ).full_clean()


# Names and addresses


def test_regulator_str_shows_the_abbreviation_in_brackets():
    assert str(new_regulator(abbreviation="CAC")) == "Cyberspace Administration of China (CAC)"


def test_regulator_str_without_abbreviation_is_the_name():
    assert str(new_regulator(name="Beijing Internet Court")) == "Beijing Internet Court"


def test_instrument_str_shows_the_short_title_in_brackets():
    instrument = new_instrument(title="Personal Information Protection Law", short_title="PIPL")
    assert str(instrument) == "Personal Information Protection Law (PIPL)"
    assert str(new_instrument(title="Untitled Measures")) == "Untitled Measures"


def test_regulator_and_instrument_addresses():
    assert RegulatorFactory(slug="cac").get_absolute_url() == "/regulators/cac/"
    assert InstrumentFactory(slug="pipl").get_absolute_url() == "/instruments/pipl/"


def test_regulator_and_instrument_are_found_by_slug_as_natural_key():
    regulator = RegulatorFactory(slug="cac")
    instrument = InstrumentFactory(slug="pipl")
    assert Regulator.objects.get_by_natural_key("cac") == regulator
    assert Instrument.objects.get_by_natural_key("pipl") == instrument


# Dates known only to the month or the year


def test_month_precise_date_is_stored_as_the_first_of_the_month_and_shown_as_month_and_year():
    instrument = InstrumentFactory(effective_on=datetime.date(2022, 7, 19), effective_on_precision="month")
    instrument.refresh_from_db()
    assert instrument.effective_on == datetime.date(2022, 7, 1)
    assert instrument.display_date("effective_on") == "July 2022"


def test_year_precise_date_is_stored_as_the_first_of_january_and_shown_as_the_year():
    instrument = InstrumentFactory(effective_on=datetime.date(2022, 9, 19), effective_on_precision="year")
    instrument.refresh_from_db()
    assert instrument.effective_on == datetime.date(2022, 1, 1)
    assert instrument.display_date("effective_on") == "2022"


def test_day_precise_date_keeps_its_day():
    instrument = InstrumentFactory(effective_on=datetime.date(2022, 7, 19))
    instrument.refresh_from_db()
    assert instrument.effective_on == datetime.date(2022, 7, 19)
    assert "19" in instrument.display_date("effective_on")
    assert "July" in instrument.display_date("effective_on")


def test_unknown_date_is_shown_as_nothing():
    assert format_precise_date(None, "month") == ""
    assert new_instrument().display_date("effective_on") == ""


def test_precise_date_template_tag_shows_the_date_at_its_precision():
    month = InstrumentFactory(effective_on=datetime.date(2022, 7, 1), effective_on_precision="month")
    year = InstrumentFactory(effective_on=datetime.date(2022, 1, 1), effective_on_precision="year")
    template = Template('{% load precise_dates %}{% precise_date instrument "effective_on" %}')
    assert template.render(Context({"instrument": month})) == "July 2022"
    assert template.render(Context({"instrument": year})) == "2022"


def test_month_precise_date_is_shown_in_chinese_for_chinese_readers():
    instrument = new_instrument(effective_on=datetime.date(2022, 7, 1), effective_on_precision="month")
    with translation.override("zh-hans"):
        assert instrument.display_date("effective_on") == "2022年7月"


def test_instrument_page_shows_a_month_precise_date_as_month_and_year(client):
    instrument = InstrumentFactory(
        slug="chongqing-data-regulations", effective_on=datetime.date(2022, 7, 1), effective_on_precision="month"
    )
    page = client.get(instrument.get_absolute_url()).content.decode()
    assert "July 2022" in page
    assert "July 1, 2022" not in page


def test_iso_precise_date_cuts_a_date_or_its_iso_text_to_the_precision():
    for value in (datetime.date(2022, 7, 1), "2022-07-01"):
        assert iso_precise_date(value, "day") == "2022-07-01"
        assert iso_precise_date(value, "month") == "2022-07"
        assert iso_precise_date(value, "year") == "2022"
    assert iso_precise_date(datetime.date(999, 1, 1), "year") == "0999"
    assert iso_precise_date(None, "day") == ""
