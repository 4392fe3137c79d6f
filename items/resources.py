"""Spreadsheet import and export of issues, their items and the enforcement in them.

The rules every resource keeps (natural keys, all-or-nothing imports, inert formulas, ISO dates)
are in regulators.resources.NaturalKeyResource. The natural keys here:

- series, section, topic, violation, organisation: `slug`
- issue: its series' slug and its number. An Issue row has them as two columns, `series` and
  `number`; a column that points to an issue holds both in one cell, "series-slug/number"
  (e.g. "weekly-review/53"), since a series slug never contains "/".
- news item: its issue and its `position` in it; a column that points to an item holds
  "series-slug/number/position" (e.g. "weekly-review/53/3"). Changing an item's position in a
  file therefore adds an item; reorder items in the admin.
- source: its news item and its `url`.
- enforcement action: its `public_id` (see EnforcementActionResource).

Import files in this order, so that what a row points to exists: series, sections, topics,
violations, organisations (and, in regulators, regulators and instruments), then issues, news
items, sources, enforcement actions.
"""

import re

from django.core.exceptions import MultipleObjectsReturned, ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from core.spreadsheets.resources import (
    KeyWidget,
    NaturalKeyResource,
    SlugsWidget,
    SlugWidget,
    TextWidget,
    refuse_nul,
    split_keys,
)
from items import publishing_rules
from items.amounts import currency_code
from items.models import (
    ARTICLE_PATTERN,
    PUBLIC_ID_PATTERN,
    EnforcementAction,
    Issue,
    LegalBasisArticle,
    NewsItem,
    Organisation,
    Section,
    Series,
    Source,
    Topic,
    Violation,
    article_key,
)
from regulators.models import Instrument
from regulators.resources import RegulatorsWidget

# ISO 4217 codes (Debian iso-codes 4.15, less the XTS test code and XXX "no currency", plus ZWG
# and XCG, added by ISO in 2024-2025). The model checks only the shape of a code; an import also
# refuses codes that name no currency (the yuan's usual names, "RMB", "¥", "元", are read as CNY).
ISO_4217_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN
    BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD
    FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS
    KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN
    MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR
    SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD
    USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU
    XUA YER ZAR ZMW ZWG ZWL
"""
ISO_4217_CURRENCIES = frozenset(ISO_4217_CODES.split())


def issue_key(issue):
    return f"{issue.series.slug}/{issue.number}"


def parse_issue_key(key):
    """("weekly-review", 53) from "weekly-review/53"."""
    series, _slash, number = key.rpartition("/")
    if not series or not number.isdigit():
        raise ValueError(_("Write an issue as series/number, e.g. weekly-review/53 (got “%s”).") % key)
    return series, int(number)


class IssueWidget(widgets.ForeignKeyWidget):
    """An issue as "series-slug/number", e.g. "weekly-review/53"."""

    def __init__(self, **kwargs):
        super().__init__(Issue, field="number", **kwargs)

    def clean(self, value, row=None, **kwargs):
        key = force_str(value).strip() if value is not None else ""
        if not key:
            return None
        series, number = parse_issue_key(key)
        try:
            return Issue.objects.get(series__slug=series, number=number)
        except Issue.DoesNotExist:
            raise ValueError(_("No issue is numbered %s.") % key) from None

    def render(self, value, obj=None, **kwargs):
        return issue_key(value) if value is not None else ""


class NewsItemWidget(widgets.ForeignKeyWidget):
    """A news item as "series-slug/number/position", e.g. "weekly-review/53/3"."""

    def __init__(self, **kwargs):
        super().__init__(NewsItem, field="position", **kwargs)

    def clean(self, value, row=None, **kwargs):
        key = force_str(value).strip() if value is not None else ""
        if not key:
            return None
        issue, _slash, position = key.rpartition("/")
        if not issue or not position.isdigit():
            raise ValueError(
                _("Write a news item as series/number/position, e.g. weekly-review/53/3 (got “%s”).") % key
            )
        issue_record = IssueWidget().clean(issue)
        try:
            return issue_record.items.get(position=int(position))
        except NewsItem.DoesNotExist:
            raise ValueError(
                _("Issue %(issue)s has no item at position %(position)s.") % {"issue": issue, "position": position}
            ) from None
        except MultipleObjectsReturned:
            raise ValueError(
                _("Issue %(issue)s has several items at position %(position)s; give each its own position first.")
                % {"issue": issue, "position": position}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return f"{issue_key(value.issue)}/{value.position}" if value is not None else ""


class CurrencyWidget(TextWidget):
    """An ISO 4217 currency code such as CNY, EUR or USD; the yuan also as "RMB", "¥" or "元"."""

    def clean(self, value, row=None, **kwargs):
        code = currency_code(super().clean(value, row, **kwargs))
        if code and code not in ISO_4217_CURRENCIES:
            raise ValueError(_("“%s” is not an ISO 4217 currency code; use one such as CNY, EUR or USD.") % code)
        return code


class NamedTagResource(NaturalKeyResource):
    """The small vocabularies (series, sections, topics, violations): one per row, keyed by `slug`."""

    class Meta(NaturalKeyResource.Meta):
        import_id_fields = ["slug"]


class SeriesResource(NamedTagResource):
    """Newsletter series, keyed by `slug`."""

    class Meta(NamedTagResource.Meta):
        model = Series
        fields = ["slug", "name", "name_zh", "publisher", "description"]


class SectionResource(NamedTagResource):
    """Sections, keyed by `slug`; `order` places them in an issue."""

    class Meta(NamedTagResource.Meta):
        model = Section
        fields = ["slug", "name", "name_zh", "order"]


class TopicResource(NamedTagResource):
    """Topics, keyed by `slug`."""

    class Meta(NamedTagResource.Meta):
        model = Topic
        fields = ["slug", "name", "name_zh"]


class ViolationResource(NamedTagResource):
    """Violations, keyed by `slug`."""

    class Meta(NamedTagResource.Meta):
        model = Violation
        fields = ["slug", "name", "name_zh"]


class OrganisationResource(NaturalKeyResource):
    """Organisations, keyed by `slug`; `parent` is the group's slug, exported above its members."""

    parent = fields.Field(attribute="parent", column_name="parent", widget=SlugWidget(Organisation))
    self_references = ("parent",)
    export_select_related = ("parent",)

    class Meta(NaturalKeyResource.Meta):
        model = Organisation
        import_id_fields = ["slug"]
        fields = ["slug", "name", "name_zh", "parent", "country"]


class IssueResource(NaturalKeyResource):
    """Issues, keyed by two columns: `series` (the series' slug) and `number` within it.

    `status` and `published_at` are exported for information and never imported: an import never
    publishes or withdraws (that is the publishers' action), and a new issue arrives as a draft.
    The original file (`source_file`) stays in the admin.
    """

    series = fields.Field(attribute="series", column_name="series", widget=SlugWidget(Series))
    status = fields.Field(attribute="status", column_name="status", widget=TextWidget(), readonly=True)
    published_at = fields.Field(
        attribute="published_at", column_name="published_at", widget=widgets.DateTimeWidget(), readonly=True
    )
    export_select_related = ("series",)

    class Meta(NaturalKeyResource.Meta):
        model = Issue
        import_id_fields = ["series", "number"]
        fields = [
            "series",
            "number",
            "edition_number",
            "title",
            "title_zh",
            "slug",
            "issued_on",
            "issued_on_precision",
            "period_start",
            "period_end",
            "summary",
            "status",
            "published_at",
        ]


def placement_errors(attribute, error):
    """The row's errors for the publishing rule (publishing_rules), or {}."""
    return {attribute: ValidationError(error, code="published")} if error else {}


class NewsItemResource(NaturalKeyResource):
    """News items, keyed by `issue` ("series-slug/number") and `position` within the issue.

    `section` is the section's slug; `regulators` (slugs or abbreviations), `instruments` and
    `topics` list slugs separated by "|".
    """

    issue = fields.Field(attribute="issue", column_name="issue", widget=IssueWidget())
    section = fields.Field(attribute="section", column_name="section", widget=SlugWidget(Section))
    regulators = fields.Field(attribute="regulators", column_name="regulators", widget=RegulatorsWidget())
    instruments = fields.Field(attribute="instruments", column_name="instruments", widget=SlugsWidget(Instrument))
    topics = fields.Field(attribute="topics", column_name="topics", widget=SlugsWidget(Topic))
    export_select_related = ("issue__series", "section")
    export_prefetch_related = ("regulators", "instruments", "topics")

    class Meta(NaturalKeyResource.Meta):
        model = NewsItem
        import_id_fields = ["issue", "position"]
        fields = [
            "issue",
            "position",
            "section",
            "headline",
            "headline_zh",
            "body",
            "body_zh",
            "event_date",
            "event_date_precision",
            "jurisdiction",
            "regulators",
            "instruments",
            "topics",
        ]

    def check_row(self, instance, errors, user=None, **kwargs):
        if "issue" not in errors and user is not None:
            # An editor's file may correct a published issue's items, never add one to it.
            error = publishing_rules.item_placement_error(user, instance.pk, instance.issue_id)
            errors.update(placement_errors("issue", error))


class SourceResource(NaturalKeyResource):
    """Sources, keyed by `news_item` ("series-slug/number/position") and `url`."""

    news_item = fields.Field(attribute="news_item", column_name="news_item", widget=NewsItemWidget())
    url = fields.Field(attribute="url", column_name="url", widget=KeyWidget())
    export_select_related = ("news_item__issue__series",)

    class Meta(NaturalKeyResource.Meta):
        model = Source
        import_id_fields = ["news_item", "url"]
        fields = ["news_item", "url", "label", "footnote", "language", "is_official"]


class PublicIdWidget(SlugWidget):
    """An enforcement action named by its public id (EA-2021-0007)."""

    key_name = _("public id")


class PublicIdsWidget(SlugsWidget):
    """Enforcement actions named by their public ids, separated by "|"."""

    key_name = _("public id")


class SameCaseWidget(PublicIdsWidget):
    """The same case's other actions: in the database, or rows of the file being imported (the
    links of a case go both ways, so some always point further down the file)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ids_in_file = set()

    def lookup(self, keys):
        found = super().lookup(keys)
        return {**dict.fromkeys((key for key in keys if key in self.ids_in_file), None), **found}


class SameCaseField(fields.Field):
    """`related_actions`, set once every row of the file is saved (EnforcementActionResource.after_import)."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        pass

    def links(self, row):
        """The actions the row's cell names, all saved by now."""
        keys = split_keys(refuse_nul(row.get(self.column_name)), self.widget.separator)
        return list(EnforcementAction.objects.filter(public_id__in=keys))


class ArticlesWidget(widgets.ManyToManyWidget):
    """The articles an action applies, "instrument-slug:article" separated by "|": "pipl:13|pipl:66(2)"."""

    def __init__(self, separator="|", **kwargs):
        super().__init__(LegalBasisArticle, separator=separator, field="article", **kwargs)

    def clean(self, value, row=None, **kwargs):
        """[(instrument, article)], in the file's order; a malformed pair or unknown slug is an error."""
        pairs = []
        for key in split_keys(refuse_nul(value), self.separator):
            slug, colon, article = (part.strip() for part in key.partition(":"))
            if not colon or not slug or not re.match(ARTICLE_PATTERN, article):
                raise ValueError(
                    _("Write each article as instrument-slug:article, e.g. pipl:13 or pipl:66(2) (got “%s”).") % key
                )
            pairs.append((slug, article))
        instruments = Instrument.objects.in_bulk({slug for slug, _article in pairs}, field_name="slug")
        unknown = [slug for slug, _article in pairs if slug not in instruments]
        if unknown:
            raise ValueError(
                _("No instrument has the slug %s.") % ", ".join(f"“{slug}”" for slug in dict.fromkeys(unknown))
            )
        return [(instruments[slug], article) for slug, article in dict.fromkeys(pairs)]

    def render(self, value, obj=None, **kwargs):
        if value is None or value.instance.pk is None:  # a new action (the import's diff reads it)
            return ""
        articles = sorted(value.all(), key=lambda article: (article.instrument.slug, article_key(article)))
        return self.separator.join(f"{article.instrument.slug}:{article.article}" for article in articles)


class ArticlesField(fields.Field):
    """Sets an action's articles to those of the cell, after the action is saved (as a many-to-many)."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        if self.readonly or not is_m2m:
            return
        wanted = self.clean(row, **kwargs) or []
        kept = set()
        for article in instance.legal_basis_articles.all():
            key = (article.instrument_id, article.article)
            if key in {(instrument.pk, text) for instrument, text in wanted}:
                kept.add(key)
            else:
                article.delete()
        for instrument, text in wanted:
            if (instrument.pk, text) not in kept:
                LegalBasisArticle.objects.create(action=instance, instrument=instrument, article=text)


class EnforcementActionResource(NaturalKeyResource):
    """Enforcement actions, keyed by `public_id`.

    A row whose public_id exists updates that action. A row with a blank public_id adds an action,
    and the site assigns its id (so re-importing such a row adds it again). A public_id that no
    action has is an error: ids are assigned by the site, never typed in, and a mistyped id must
    not create a second action. Only to restore exported actions into another or an emptied
    database, build the resource with `restore_public_ids=True`: it then creates an action under
    an unknown, well-formed id (EA-YYYY-NNNN), and the site's later ids continue above it.

    `news_item` is "series-slug/number/position"; `organisation` an organisation's slug;
    `regulators` (slugs or abbreviations), `legal_basis` (instrument slugs) and `violations` list
    keys separated by "|"; `legal_basis_articles` lists "instrument-slug:article" ("pipl:13|pipl:66(2)"),
    each article's instrument joining the legal basis; `appeal_of` is the public id of the decision
    appealed, `related_actions` the public ids of the same case's other decisions ("|").
    Amounts are plain numbers (250000, 1250.50) with an ISO 4217 currency.
    `cny_rate_override` is an editor's rate to the yuan (blank: the ECB's). The amounts in yuan,
    the rate used and its date are exported; on import they are ignored, since each save works
    them out again.
    """

    public_id = fields.Field(attribute="public_id", column_name="public_id", widget=KeyWidget())
    news_item = fields.Field(attribute="news_item", column_name="news_item", widget=NewsItemWidget())
    regulators = fields.Field(attribute="regulators", column_name="regulators", widget=RegulatorsWidget())
    organisation = fields.Field(attribute="organisation", column_name="organisation", widget=SlugWidget(Organisation))
    currency = fields.Field(attribute="currency", column_name="currency", widget=CurrencyWidget())
    legal_basis = fields.Field(attribute="legal_basis", column_name="legal_basis", widget=SlugsWidget(Instrument))
    violations = fields.Field(attribute="violations", column_name="violations", widget=SlugsWidget(Violation))
    fine_cny = fields.Field(attribute="fine_cny", column_name="fine_cny", widget=widgets.DecimalWidget(), readonly=True)
    damages_cny = fields.Field(
        attribute="damages_cny", column_name="damages_cny", widget=widgets.DecimalWidget(), readonly=True
    )
    cny_rate = fields.Field(attribute="cny_rate", column_name="cny_rate", widget=widgets.DecimalWidget(), readonly=True)
    cny_rate_date = fields.Field(
        attribute="cny_rate_date", column_name="cny_rate_date", widget=widgets.DateWidget("%Y-%m-%d"), readonly=True
    )
    cny_rate_source = fields.Field(attribute="cny_rate_source", column_name="cny_rate_source", readonly=True)
    legal_basis_articles = ArticlesField(
        attribute="legal_basis_articles", column_name="legal_basis_articles", widget=ArticlesWidget()
    )
    appeal_of = fields.Field(
        attribute="appeal_of", column_name="appeal_of", widget=PublicIdWidget(EnforcementAction, field="public_id")
    )
    related_actions = SameCaseField(
        attribute="related_actions",
        column_name="related_actions",
        widget=SameCaseWidget(EnforcementAction, field="public_id"),
    )
    # A first instance is exported before its appeal, so a file imports top to bottom.
    self_references = ("appeal_of",)
    export_select_related = ("news_item__issue__series", "organisation", "appeal_of")
    export_prefetch_related = (
        "regulators",
        "legal_basis",
        "violations",
        "legal_basis_articles__instrument",
        "related_actions",
    )

    class Meta(NaturalKeyResource.Meta):
        model = EnforcementAction
        import_id_fields = ["public_id"]
        fields = [
            "public_id",
            "news_item",
            "decided_on",
            "decided_on_precision",
            "action_type",
            "regulators",
            "target",
            "target_zh",
            "organisation",
            "target_count",
            "sector",
            "jurisdiction",
            "fine_amount",
            "currency",
            "damages_amount",
            "cny_rate_override",
            "fine_cny",
            "damages_cny",
            "cny_rate",
            "cny_rate_date",
            "cny_rate_source",
            "sentence",
            "legal_basis",
            "legal_basis_articles",
            "violations",
            "summary",
            "summary_zh",
            "decision_number",
            "decision_url",
            "decision_status",
            "appeal_of",
            "related_actions",
        ]

    def __init__(self, restore_public_ids=False, **kwargs):
        super().__init__(**kwargs)
        self.restore_public_ids = restore_public_ids

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        column = dataset["public_id"] if "public_id" in (dataset.headers or []) else []
        self.fields["related_actions"].widget.ids_in_file = {str(key).strip() for key in column if key}

    def after_import(self, dataset, result, **kwargs):
        """Link each row to the same case's other actions, now that every row is saved."""
        super().after_import(dataset, result, **kwargs)
        field = self.fields["related_actions"]
        if result.has_errors() or result.has_validation_errors() or field.column_name not in (dataset.headers or []):
            return
        for row, row_result in zip(dataset.dict, result.rows, strict=False):
            if row_result.object_id is not None:
                EnforcementAction.objects.get(pk=row_result.object_id).related_actions.set(field.links(row))

    def check_row(self, instance, errors, user=None, **kwargs):
        if "news_item" not in errors and user is not None:
            # An editor's file may correct a published issue's actions, never add or move one in or out.
            error = publishing_rules.action_placement_error(user, instance.pk, instance.news_item_id)
            errors.update(placement_errors("news_item", error))
        public_id = instance.public_id
        if instance.pk is None and public_id and "public_id" not in errors:
            if not self.restore_public_ids:
                errors["public_id"] = ValidationError(
                    _(
                        "No enforcement action has the public id “%s”. Leave public_id blank to add an "
                        "action: the site assigns its id."
                    )
                    % public_id
                )
            elif not PUBLIC_ID_PATTERN.match(public_id):
                errors["public_id"] = ValidationError(_("Write a public id as EA-YYYY-NNNN (got “%s”).") % public_id)

    def validation_exclusions(self, instance):
        # A new action's public id is blank until save() assigns it.
        return [] if instance.public_id else ["public_id"]
