"""Public pages of the newsletter. Every queryset starts at published(); staff may preview drafts."""

from django.contrib.auth.mixins import UserPassesTestMixin
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.generic import DetailView, ListView, TemplateView

from core.content_cache import cached, declare_query, in_order
from core.listing import FilteredListView, ForgivingPaginationMixin
from core.page_cache import KeptPageMixin
from core.throttles import refuse_if_throttled
from items.conversion import DISPLAY_CURRENCIES, in_other_currency
from items.exports import enforcement_csv, news_items_csv
from items.lists import ENFORCEMENT, ISSUES, ITEMS, SEARCH
from items.models import PUBLIC_ID_PATTERN, EnforcementAction, Issue, NewsItem, Organisation, canonical_public_id
from regulators.models import Instrument, Regulator
from regulators.stages import open_for_comment


def can_preview(user):
    return user.is_active and user.is_staff and user.has_perm("items.view_issue")


class StaffOnlyMixin(UserPassesTestMixin):
    """Staff who may view issues; anyone else is sent to log in (or refused once logged in)."""

    login_url = reverse_lazy("admin:login")

    def test_func(self):
        return can_preview(self.request.user)


class PreviewMixin:
    """Staff with view rights see drafts (a preview); everyone else sees published() only."""

    def base_queryset(self, model):
        if can_preview(self.request.user):
            return model.objects.all()
        return model.objects.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        issue = self.object_issue()
        context["preview"] = issue is None or not issue.is_public
        context["can_export"] = can_preview(self.request.user)
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["preview"]:
            # Unpublished text: no shared cache or browser history keeps a copy.
            patch_cache_control(response, private=True, no_store=True)
        return response


ITEM_RELATIONS = ("regulators", "instruments", "topics", "sources")


class HomeView(KeptPageMixin, TemplateView):
    template_name = "items/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        actions = EnforcementAction.objects.published()
        newest_items = NewsItem.objects.published().select_related("issue__series", "section")
        fined = actions.exclude(fine_amount=None).select_related("organisation").prefetch_related("regulators")
        # Only drafts open today, and the latest others: no row needs the whole stage expression.
        open_drafts = open_for_comment(Instrument.objects.all(), today)
        open_now = open_drafts.order_by("comment_deadline")[:6]
        closed_drafts = Instrument.objects.filter(status=Instrument.Status.DRAFT).exclude(comment_deadline=None)
        closed_drafts = closed_drafts.exclude(pk__in=open_drafts.values("pk"))

        def figures():
            return {
                "newest_item_ids": list(
                    newest_items.order_by("-issue__issued_on", "-issue__number", "position").values_list(
                        "pk", flat=True
                    )[:8]
                ),
                "action_totals": list(
                    actions.order_by().values("action_type").annotate(total=Count("pk")).order_by("-total")
                ),
                "largest_fine_ids": list(
                    fined.order_by(F("fine_cny").desc(nulls_last=True), "-pk").values_list("pk", flat=True)[:5]
                ),
            }

        # The figures over the whole archive, from the cache while the content is unchanged.
        home = cached("home", (), figures)
        context.update(
            latest_issue=Issue.objects.published().select_related("series").first(),
            newest_items=in_order(newest_items, home["newest_item_ids"]),
            open_for_comment=open_now,
            recent_consultations=closed_drafts.order_by("-comment_deadline")[:5],
            today=today,
            action_figures=[
                {**row, "label": EnforcementAction.ActionType(row["action_type"]).label}
                for row in home["action_totals"]
            ],
            largest_fines=in_order(fined, home["largest_fine_ids"]),
        )
        return context


class IssueArchiveView(KeptPageMixin, ForgivingPaginationMixin, ListView):
    template_name = "items/issue_archive.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_export=can_preview(self.request.user), **kwargs)

    def get_queryset(self):
        return ISSUES.rows()


class IssueDetailView(KeptPageMixin, PreviewMixin, DetailView):
    template_name = "items/issue_detail.html"

    def object_issue(self):
        return self.object

    def get_object(self, queryset=None):
        issues = self.base_queryset(Issue).select_related("series")
        return get_object_or_404(issues, series__slug=self.kwargs["series"], number=self.kwargs["number"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The items with everything they show, read only when the page's cached body (or the
        # description made of their headlines, cached beside it) has to be rendered afresh.
        items = SimpleLazyObject(
            lambda: list(
                self.object.items.select_related("section")
                .prefetch_related(*ITEM_RELATIONS)
                .order_by("section__order", "position", "pk")
            )
        )
        context["issue_items"] = items
        context["issue_headlines"] = SimpleLazyObject(
            lambda: cached("issue-headlines", (self.object.pk,), lambda: "; ".join(item.headline for item in items))
        )
        return context


class NewsItemListView(KeptPageMixin, FilteredListView):
    template_name = "items/newsitem_list.html"
    public_list = ITEMS


class NewsItemDetailView(KeptPageMixin, PreviewMixin, DetailView):
    template_name = "items/newsitem_detail.html"

    def object_issue(self):
        return self.object.issue

    def get_queryset(self):
        return (
            self.base_queryset(NewsItem)
            .select_related("issue__series", "section")
            .prefetch_related(
                *ITEM_RELATIONS,
                Prefetch(
                    "enforcement_actions",
                    queryset=EnforcementAction.objects.select_related("organisation").prefetch_related("regulators"),
                ),
            )
        )


class EnforcementListView(KeptPageMixin, FilteredListView):
    template_name = "items/enforcementaction_list.html"
    public_list = ENFORCEMENT
    paginate_by = 50

    # Columns a reader may hide (the table's script remembers the choice): class name, header.
    OPTIONAL_COLUMNS = [
        ("col-jurisdiction", gettext_lazy("Jurisdiction")),
        ("col-sector", gettext_lazy("Sector")),
        ("col-violations", gettext_lazy("Violations")),
        ("col-legal-basis", gettext_lazy("Legal basis")),
        ("col-damages", gettext_lazy("Damages (CNY)")),
        ("col-sentence", gettext_lazy("Sentence")),
    ]

    def get_queryset(self):
        # The table's rows show their violations, legal bases and articles: three queries a page, not per row.
        return super().get_queryset().prefetch_related("legal_basis", "violations", "legal_basis_articles")

    def get_context_data(self, **kwargs):
        return super().get_context_data(optional_columns=self.OPTIONAL_COLUMNS, **kwargs)


class EnforcementDetailView(KeptPageMixin, PreviewMixin, DetailView):
    template_name = "items/enforcementaction_detail.html"
    slug_field = "public_id"
    slug_url_kwarg = "public_id"

    def object_issue(self):
        return self.object.news_item.issue if self.object.news_item else None

    def get(self, request, *args, **kwargs):
        # A loosely written id ("ea-2021-7") is sent to its canonical page, whether or not that
        # page exists for this reader: the redirect says nothing of drafts.
        canonical = canonical_public_id(self.kwargs["public_id"])
        if canonical and canonical != self.kwargs["public_id"]:
            url = reverse("items:enforcement-detail", kwargs={"public_id": canonical})
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        # Only a well-formed id reaches the database (PostgreSQL refuses a NUL byte in text).
        if not PUBLIC_ID_PATTERN.match(self.kwargs["public_id"]):
            raise Http404
        return super().get_object(queryset)

    def get_queryset(self):
        return (
            self.base_queryset(EnforcementAction)
            .select_related("organisation", "news_item__issue__series")
            .prefetch_related("regulators", "legal_basis", "violations", "legal_basis_articles")
        )

    def get_context_data(self, **kwargs):
        """The case around the action: its first instance, its appeals, the same case's other
        decisions; published ones only, read in one query."""
        action = self.object
        case = (
            EnforcementAction.objects.published()
            .filter(Q(pk=action.appeal_of_id) | Q(appeal_of=action.pk) | Q(related_actions=action.pk))
            .exclude(pk=action.pk)
            .distinct()
            .order_by("decided_on", "public_id")
        )
        appeal_of, appeals, related = None, [], []
        for other in case:
            if other.pk == action.appeal_of_id:
                appeal_of = other
            elif other.appeal_of_id == action.pk:
                appeals.append(other)
            else:  # matched as the same case's
                related.append(other)
        return super().get_context_data(
            appeal_of=appeal_of,
            appeals=appeals,
            related_actions=related,
            other_currencies=DISPLAY_CURRENCIES,
            in_other_currency=self.asked_currency(action),
            **kwargs,
        )

    def asked_currency(self, action):
        """The amounts in the currency the reader asked for with ?in=EUR or ?in=USD (else None)."""
        asked = self.request.GET.get("in", "").upper()
        if asked not in DISPLAY_CURRENCIES:
            return None
        declare_query(self.request, ["in"])
        return in_other_currency(action, asked)


def matching_records(words):
    """The regulators, instruments, enforcement actions and organisations the words name, beside
    the items a search finds: an authority by any of its names (网信办 is the CAC), an action by
    its id (however written), its target or its organisation; published actions and their
    organisations only. Their ids are kept for the content version (the organisations' public
    door is a dear statement); the rows are read afresh by id, through the same doors."""
    kinds = {
        "matching_regulators": Regulator.objects.order_by("name"),
        "matching_instruments": Instrument.objects.order_by("title"),
        "matching_actions": EnforcementAction.objects.published().order_by("-decided_on", "-public_id"),
        "matching_organisations": Organisation.objects.published().order_by("name"),
    }

    def find():
        public_id = canonical_public_id(words) or words
        conditions = {
            "matching_regulators": Q(name__icontains=words)
            | Q(name_zh__icontains=words)
            | Q(abbreviation__iexact=words)
            | Q(aliases__icontains=words),
            "matching_instruments": Q(title__icontains=words)
            | Q(title_zh__icontains=words)
            | Q(short_title__iexact=words),
            "matching_actions": Q(public_id__iexact=public_id)
            | Q(target__icontains=words)
            | Q(target_zh__icontains=words)
            | Q(organisation__name__icontains=words)
            | Q(organisation__name_zh__icontains=words),
            "matching_organisations": Q(name__icontains=words) | Q(name_zh__icontains=words),
        }
        return {
            kind: list(rows.filter(conditions[kind]).values_list("pk", flat=True)[:10]) for kind, rows in kinds.items()
        }

    ids = cached("search-records", (words,), find)
    # One statement per kind whatever the words match (no row has id 0): the page's queries do
    # not depend on which kinds are empty.
    return {kind: in_order(rows, ids[kind] or [0]) for kind, rows in kinds.items()}


class SearchView(NewsItemListView):
    """Search is the item list led by its words: same filters, facets and feeds."""

    template_name = "items/search.html"
    public_list = SEARCH

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        words = self.filterset.form.cleaned_data.get("q", "") if self.filterset.is_valid() else ""
        context["words"] = words
        if words:
            context.update(matching_records(words))
        return context


# Staff exports hold drafts (and the whole archive): no shared cache or disk keeps a copy.
STAFF_ONLY_RESPONSE = method_decorator(cache_control(private=True, no_store=True), name="dispatch")


@STAFF_ONLY_RESPONSE
class IssueExportView(StaffOnlyMixin, View):
    """One CSV row per news item of an issue, in order; staff only (drafts included)."""

    def get(self, request, series, number):
        issue = get_object_or_404(Issue, series__slug=series, number=number)
        return news_items_csv(issue.items.all(), f"{series}-{number}.csv", request.build_absolute_uri)


@STAFF_ONLY_RESPONSE
class ArchiveExportView(StaffOnlyMixin, View):
    """Every item of every published issue, newest issue first; staff only."""

    def get(self, request):
        return news_items_csv(ITEMS.rows(), "review-archive.csv", request.build_absolute_uri)


class EnforcementExportView(EnforcementListView):
    """The enforcement list as filtered (same query string), every row, as CSV: open to all."""

    def get(self, request, *args, **kwargs):
        refusal = refuse_if_throttled(
            request, "enforcement_export", "EXPORT_ANON_RATE", _("Too many CSV downloads from your address.")
        )
        # Strict, as feeds and the API are: an invalid filter gives no rows, never the others' rows.
        rows = ENFORCEMENT.filtered(request.GET)
        return refusal or enforcement_csv(rows, "enforcement.csv", request.build_absolute_uri)
