"""How each public record reads in the API: its fields, related records by their natural keys
(slugs, public ids, "series/number" for an issue), and its addresses in the API and on the site.

Every relation a serializer reads is selected or prefetched by its view (api/views.py).
"""

from django.urls import reverse
from rest_framework import serializers

from items.models import EnforcementAction, Issue, LegalBasisArticle, NewsItem, Organisation, Source
from regulators.models import Instrument, Regulator
from regulators.stages import Stage


def issue_key(issue):
    return f"{issue.series.slug}/{issue.number}"


class AddressesMixin(serializers.Serializer):
    """`url`, the record in the API, and `web_url`, its page on the site; both absolute."""

    url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()
    api_url_name = None

    def absolute(self, path):
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def api_url_kwargs(self, record):
        raise NotImplementedError

    def get_url(self, record) -> str:
        return self.absolute(reverse(self.api_url_name, kwargs=self.api_url_kwargs(record)))

    def get_web_url(self, record) -> str:
        return self.absolute(record.get_absolute_url())


def slugs(**kwargs):
    return serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True, **kwargs)


class RegulatorSerializer(AddressesMixin, serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    api_url_name = "api:regulator-detail"

    class Meta:
        model = Regulator
        fields = [
            "slug",
            "name",
            "name_zh",
            "abbreviation",
            "kind",
            "jurisdiction",
            "level",
            "parent",
            "website",
            "description",
            "url",
            "web_url",
        ]

    def api_url_kwargs(self, record):
        return {"slug": record.slug}


class InstrumentSerializer(AddressesMixin, serializers.ModelSerializer):
    issuers = slugs(help_text="Slugs of the regulators that issued it.")
    implements = slugs(help_text="Slugs of the instruments it implements.")
    supersedes = slugs(help_text="Slugs of the earlier versions (drafts, old versions) it replaces.")
    superseded_by = slugs(help_text="Slugs of the later versions that replace it.")
    amends = slugs(help_text="Slugs of the instruments it amends.")
    repeals = slugs(help_text="Slugs of the instruments it repeals.")
    stage = serializers.ChoiceField(
        choices=Stage.choices,
        source="current_stage.code",
        read_only=True,
        help_text="Its stage today, computed from its dates and versions (the `status` filter reads this).",
    )
    api_url_name = "api:instrument-detail"

    class Meta:
        model = Instrument
        fields = [
            "slug",
            "title",
            "title_zh",
            "short_title",
            "kind",
            "status",
            "stage",
            "document_number",
            "jurisdiction",
            "issuers",
            "implements",
            "supersedes",
            "superseded_by",
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
            "url",
            "web_url",
        ]

    def api_url_kwargs(self, record):
        return {"slug": record.slug}


class OrganisationSerializer(AddressesMixin, serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    api_url_name = "api:organisation-detail"

    class Meta:
        model = Organisation
        fields = ["slug", "name", "name_zh", "parent", "country", "url", "web_url"]

    def api_url_kwargs(self, record):
        return {"slug": record.slug}


class IssueSerializer(AddressesMixin, serializers.ModelSerializer):
    series = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    key = serializers.SerializerMethodField(help_text="The issue's natural key: series/number.")
    api_url_name = "api:issue-detail"

    class Meta:
        model = Issue
        fields = [
            "key",
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
            "summary_html",
            "published_at",
            "updated_at",
            "url",
            "web_url",
        ]

    def get_key(self, issue) -> str:
        return issue_key(issue)

    def api_url_kwargs(self, record):
        return {"series": record.series.slug, "number": record.number}


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["url", "label", "footnote", "language", "is_official"]


class NewsItemSerializer(AddressesMixin, serializers.ModelSerializer):
    issue = serializers.SerializerMethodField(help_text="The issue that reports it, as series/number.")
    section = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    regulators = slugs()
    instruments = slugs()
    topics = slugs()
    sources = SourceSerializer(many=True, read_only=True)
    enforcement_actions = serializers.SlugRelatedField(slug_field="public_id", many=True, read_only=True)
    api_url_name = "api:item-detail"

    class Meta:
        model = NewsItem
        fields = [
            "id",
            "issue",
            "section",
            "position",
            "headline",
            "headline_zh",
            "body",
            "body_html",
            "body_zh",
            "body_zh_html",
            "event_date",
            "event_date_precision",
            "jurisdiction",
            "regulators",
            "instruments",
            "topics",
            "sources",
            "enforcement_actions",
            "updated_at",
            "url",
            "web_url",
        ]

    def get_issue(self, item) -> str:
        return issue_key(item.issue)

    def api_url_kwargs(self, record):
        return {"pk": record.pk}


class IssueItemSerializer(NewsItemSerializer):
    """An item within its issue's record: what it says, without repeating the issue."""

    class Meta(NewsItemSerializer.Meta):
        fields = [name for name in NewsItemSerializer.Meta.fields if name != "issue"]


class IssueDetailSerializer(IssueSerializer):
    items = IssueItemSerializer(many=True, read_only=True)

    class Meta(IssueSerializer.Meta):
        fields = [*IssueSerializer.Meta.fields, "items"]


class LegalBasisArticleSerializer(serializers.ModelSerializer):
    instrument = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    label = serializers.CharField(source="__str__", read_only=True, help_text='E.g. "PIPL Art. 13".')

    class Meta:
        model = LegalBasisArticle
        fields = ["instrument", "article", "label"]


class EnforcementActionSerializer(AddressesMixin, serializers.ModelSerializer):
    regulators = slugs()
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    legal_basis = slugs(help_text="Slugs of the instruments applied.")
    violations = slugs()
    news_item = serializers.PrimaryKeyRelatedField(read_only=True, help_text="The id of the item that reports it.")
    issue = serializers.SerializerMethodField(help_text="The issue that reports it, as series/number.")
    legal_basis_articles = LegalBasisArticleSerializer(
        many=True, read_only=True, help_text="The articles applied, each with its instrument's slug."
    )
    appeal_of = serializers.SerializerMethodField(help_text="The public id of the decision it appeals (published).")
    related_actions = serializers.SerializerMethodField(
        help_text="The public ids of the same case's other decisions (published)."
    )
    api_url_name = "api:enforcement-detail"

    class Meta:
        model = EnforcementAction
        fields = [
            "public_id",
            "decided_on",
            "decided_on_precision",
            "action_type",
            "regulators",
            "jurisdiction",
            "target",
            "target_zh",
            "organisation",
            "target_count",
            "sector",
            "fine_amount",
            "currency",
            "damages_amount",
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
            "news_item",
            "issue",
            "updated_at",
            "url",
            "web_url",
        ]

    def get_issue(self, action) -> str:
        return issue_key(action.news_item.issue)

    def get_appeal_of(self, action) -> str | None:
        appealed = action.published_appeal_of  # prefetched through published(): None if not (api/views.py)
        return appealed.public_id if appealed else None

    def get_related_actions(self, action) -> list[str]:
        return sorted(other.public_id for other in action.published_related)

    def api_url_kwargs(self, record):
        return {"public_id": record.public_id}
