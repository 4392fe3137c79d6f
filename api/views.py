"""The API's views: a list and a detail per kind of public record, read-only and anonymous.

Each list is its page's list (items/lists.py, regulators/lists.py): the same published, ordered
rows, filtered by the same FilterSet; an invalid filter value answers 400 with the errors (never unfiltered rows).
`?format=csv` on a list answers every row of the same query as CSV, streamed.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from api import serializers
from api.renderers import CSVRenderer, cell
from items.exports import CHUNK_SIZE, csv_response, enforcement_csv, news_items_csv
from items.lists import ENFORCEMENT, ISSUES, ITEMS, ORGANISATIONS
from items.models import PUBLIC_ID_PATTERN, EnforcementAction, LegalBasisArticle, NewsItem, Organisation
from regulators.lists import INSTRUMENTS, REGULATORS

ITEM_RELATIONS = ("regulators", "instruments", "topics", "sources", "enforcement_actions")
ACTION_RELATIONS = ("regulators", "legal_basis", "violations")

CSV_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description="csv: every row of the same query as CSV (not paginated).",
)


class PagePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PublicAPIMixin:
    """Anonymous and read-only: no login, no session, no CSRF; throttled per client address."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    renderer_classes = [JSONRenderer]


class PublicListView(PublicAPIMixin, ListAPIView):
    renderer_classes = [JSONRenderer, CSVRenderer]
    filter_backends = [DjangoFilterBackend]
    pagination_class = PagePagination
    csv_filename = "export.csv"

    @extend_schema(parameters=[CSV_PARAMETER])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == CSVRenderer.format:
            return self.csv_response(self.filter_queryset(self.get_queryset()))
        return super().list(request, *args, **kwargs)

    def csv_response(self, queryset):
        """Every row as the serializer gives it, one column per field; lists joined with " | "."""
        header = list(self.get_serializer().fields)
        context = self.get_serializer_context()
        serializer_class = self.get_serializer_class()
        rows = (
            [cell(value) for value in serializer_class(record, context=context).data.values()]
            for record in queryset.iterator(chunk_size=CHUNK_SIZE)
        )
        return csv_response(self.csv_filename, header, rows)


class PublicDetailView(PublicAPIMixin, RetrieveAPIView):
    pass


class APIRootView(PublicAPIMixin, APIView):
    """Where each list of the API is, with its description and documentation."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        names = ["issue-list", "item-list", "enforcement-list", "instrument-list", "regulator-list"]
        names += ["organisation-list", "schema", "docs"]
        return Response({name: request.build_absolute_uri(reverse(f"api:{name}")) for name in names})


# Issues


class IssueListView(PublicListView):
    serializer_class = serializers.IssueSerializer
    filterset_class = ISSUES.filterset_class
    csv_filename = "issues.csv"

    def get_queryset(self):
        return ISSUES.rows()


class IssueDetailView(PublicDetailView):
    serializer_class = serializers.IssueDetailSerializer

    def get_object(self):
        items = (
            NewsItem.objects.select_related("issue__series", "section")
            .prefetch_related(*ITEM_RELATIONS)
            .order_by("section__order", "position", "pk")
        )
        issues = ISSUES.rows().prefetch_related(Prefetch("items", items))
        return get_object_or_404(issues, series__slug=self.kwargs["series"], number=self.kwargs["number"])


# News items


def news_items():
    return ITEMS.rows().prefetch_related(*ITEM_RELATIONS)


class NewsItemListView(PublicListView):
    serializer_class = serializers.NewsItemSerializer
    filterset_class = ITEMS.filterset_class

    def get_queryset(self):
        return news_items()

    def csv_response(self, queryset):
        # The export prefetches what its rows show, in its own way.
        return news_items_csv(queryset.prefetch_related(None), "items.csv", self.request.build_absolute_uri)


class NewsItemDetailView(PublicDetailView):
    serializer_class = serializers.NewsItemSerializer

    def get_queryset(self):
        return news_items()


# Enforcement


def enforcement_actions():
    """The list's rows with what the serializer shows of them; other actions only if published."""
    published = EnforcementAction.objects.published().only("public_id")
    return ENFORCEMENT.rows().prefetch_related(
        *ACTION_RELATIONS,
        Prefetch("legal_basis_articles", queryset=LegalBasisArticle.objects.select_related("instrument")),
        Prefetch("related_actions", queryset=published, to_attr="published_related"),
        Prefetch("appeal_of", queryset=published, to_attr="published_appeal_of"),
    )


class EnforcementActionListView(PublicListView):
    serializer_class = serializers.EnforcementActionSerializer
    filterset_class = ENFORCEMENT.filterset_class

    def get_queryset(self):
        return enforcement_actions()

    def csv_response(self, queryset):
        return enforcement_csv(queryset.prefetch_related(None), "enforcement.csv", self.request.build_absolute_uri)


class EnforcementActionDetailView(PublicDetailView):
    serializer_class = serializers.EnforcementActionSerializer
    lookup_field = "public_id"

    def get_queryset(self):
        return enforcement_actions()

    def get_object(self):
        # Only a well-formed id reaches the database (a NUL byte would make PostgreSQL fail).
        if not PUBLIC_ID_PATTERN.match(self.kwargs["public_id"]):
            raise Http404
        return super().get_object()


# Instruments and regulators


def instruments():
    return INSTRUMENTS.rows().prefetch_related("implements", "supersedes", "superseded_by", "amends", "repeals")


class InstrumentListView(PublicListView):
    serializer_class = serializers.InstrumentSerializer
    filterset_class = INSTRUMENTS.filterset_class
    csv_filename = "instruments.csv"

    def get_queryset(self):
        return instruments()


class InstrumentDetailView(PublicDetailView):
    serializer_class = serializers.InstrumentSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return instruments()


def regulators():
    return REGULATORS.rows()


class RegulatorListView(PublicListView):
    serializer_class = serializers.RegulatorSerializer
    filterset_class = REGULATORS.filterset_class
    csv_filename = "regulators.csv"

    def get_queryset(self):
        return regulators()


class RegulatorDetailView(PublicDetailView):
    serializer_class = serializers.RegulatorSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return regulators()


# Organisations


def organisations():
    return ORGANISATIONS.rows()


class OrganisationListView(PublicListView):
    serializer_class = serializers.OrganisationSerializer
    filterset_class = ORGANISATIONS.filterset_class
    csv_filename = "organisations.csv"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema generator (and its system check) only needs the model: no query.
            return Organisation.objects.none()
        return organisations()


class OrganisationDetailView(PublicDetailView):
    serializer_class = serializers.OrganisationSerializer
    lookup_field = "slug"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # The schema generator (and its system check) only needs the model: no query.
            return Organisation.objects.none()
        return organisations()
