"""Spreadsheet import and export of the landscape: regulators and instruments.

The rules every resource keeps are in core/spreadsheets/resources.py (NaturalKeyResource)."""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from core.spreadsheets.resources import NaturalKeyResource, SlugsWidget, SlugWidget
from regulators.models import Instrument, Regulator


def find_regulators(keys):
    """{key: regulator} for each key that is a regulator's slug or, failing that, its abbreviation."""
    found = {regulator.slug: regulator for regulator in Regulator.objects.filter(slug__in=keys)}
    rest = [key for key in keys if key not in found]
    if rest:
        abbreviated = Regulator.objects.filter(abbreviation__in=rest)
        by_abbreviation = {regulator.abbreviation: regulator for regulator in abbreviated}
        found.update({key: by_abbreviation[key] for key in rest if key in by_abbreviation})
    return found


class RegulatorWidget(SlugWidget):
    """A regulator by slug ("cac") or, where no slug matches, by abbreviation ("CAC", "Ningbo AMR")."""

    key_name = _("slug or abbreviation")

    def __init__(self, **kwargs):
        super().__init__(Regulator, **kwargs)

    def lookup(self, key):
        regulator = find_regulators([key]).get(key)
        if regulator is None:
            return super().lookup(key)  # raises the "no regulator has…" error
        return regulator


class RegulatorsWidget(SlugsWidget):
    """Regulators by slug or abbreviation, separated by "|"; exported as slugs."""

    key_name = _("slug or abbreviation")

    def __init__(self, **kwargs):
        super().__init__(Regulator, **kwargs)

    def lookup(self, keys):
        return find_regulators(keys)


# The landscape's resources.


class RegulatorResource(NaturalKeyResource):
    """Regulators, one per row, keyed by `slug`.

    `parent` is the parent's slug (an abbreviation is accepted on import). Parents are exported
    above their children; in a file of your own, put a parent above the regulators under it.
    """

    parent = fields.Field(attribute="parent", column_name="parent", widget=RegulatorWidget())
    self_references = ("parent",)
    export_select_related = ("parent",)

    class Meta(NaturalKeyResource.Meta):
        model = Regulator
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "name",
            "name_zh",
            "abbreviation",
            "aliases",
            "kind",
            "level",
            "jurisdiction",
            "parent",
            "website",
            "description",
        ]


class InstrumentResource(NaturalKeyResource):
    """Laws, regulations, standards and other texts, one per row, keyed by `slug`.

    `issuers` lists regulators by slug (abbreviations accepted on import); `implements`,
    `supersedes` (the earlier versions it replaces), `amends` and `repeals` list instruments by
    slug; each separated by "|". `text_zh` and `text_en` hold the version's whole text (the site
    splits it into articles). `status` is the kind of text (draft, final, withdrawn): the
    stage readers see is computed, so it is not a column. Every date has its precision column
    (day, month or year); a month- or year-precise date is the first day of its period. An
    instrument is exported below the instruments it refers to.
    """

    issuers = fields.Field(attribute="issuers", column_name="issuers", widget=RegulatorsWidget())
    implements = fields.Field(attribute="implements", column_name="implements", widget=SlugsWidget(Instrument))
    supersedes = fields.Field(attribute="supersedes", column_name="supersedes", widget=SlugsWidget(Instrument))
    amends = fields.Field(attribute="amends", column_name="amends", widget=SlugsWidget(Instrument))
    repeals = fields.Field(attribute="repeals", column_name="repeals", widget=SlugsWidget(Instrument))
    self_references = ("implements", "supersedes", "amends", "repeals")
    export_prefetch_related = ("issuers", "implements", "supersedes", "amends", "repeals")

    class Meta(NaturalKeyResource.Meta):
        model = Instrument
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "title_zh",
            "short_title",
            "kind",
            "status",
            "document_number",
            "jurisdiction",
            "issuers",
            "implements",
            "supersedes",
            "amends",
            "repeals",
            "published_on",
            "published_on_precision",
            "comment_deadline",
            "comment_deadline_precision",
            "adopted_on",
            "adopted_on_precision",
            "effective_on",
            "effective_on_precision",
            "official_url",
            "description",
            "text_zh",
            "text_en",
        ]
