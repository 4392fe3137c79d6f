"""Public pages of the regulatory landscape that need nothing the newsletter reported.

The pages that show a regulator's or an instrument's items and enforcement are the items app's
(items/landscape_views.py): a page that shows two apps' data lives in the higher one.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from core.bilingual import reader_wants_chinese
from core.content_cache import RowsById, declare_query
from core.listing import FilteredListView
from core.page_cache import KeptPageMixin
from regulators.comparison import compare_texts
from regulators.lists import INSTRUMENTS
from regulators.models import Instrument
from regulators.versions import linked_ids, version_date


class InstrumentListView(KeptPageMixin, FilteredListView):
    template_name = "regulators/instrument_list.html"
    public_list = INSTRUMENTS
    paginate_by = 50

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)

    def rows_by_id(self, queryset, ids):
        # Every instrument is public: the page's rows are read by id from the plain rows, without
        # the stage expression a `status` filter adds (each row's stage is computed in Python).
        return RowsById(self.public_list.rows(), ids)

    def cache_parts(self, *more):
        # The stages (filter, facet, counts) are today's: yesterday's cached counts are not.
        return super().cache_parts(timezone.localdate().isoformat(), *more)


class InstrumentCompareView(KeptPageMixin, TemplateView):
    """Two versions of one text (linked by supersedes, amends or repeals, however far), the older
    against the newer, article by article, in a language both are held in (`?lang=zh|en` when
    both have both). It shows only the texts: nothing the newsletter reported."""

    template_name = "regulators/instrument_compare.html"

    def get_context_data(self, **kwargs):
        one = get_object_or_404(Instrument, slug=kwargs["slug"])
        other = get_object_or_404(Instrument, slug=kwargs["other"])
        if one.pk == other.pk or other.pk not in linked_ids(one):
            raise Http404("These texts are not versions of one another.")
        older, newer = sorted([one, other], key=lambda version: (version_date(version), version.pk))
        languages = [language for language in older.texts if language in newer.texts]
        if not languages:
            raise Http404("These versions have no text in a common language.")
        language = self.request.GET.get("lang")
        if language in languages:
            declare_query(self.request, ["lang"])
        else:  # none asked for, or one not held: the reader's language if both have it
            language = "zh" if "zh" in languages and (reader_wants_chinese() or "en" not in languages) else "en"
        return super().get_context_data(
            older=older,
            newer=newer,
            languages=languages,
            language=language,
            comparison=compare_texts(older.texts[language], newer.texts[language], language),
            **kwargs,
        )
