"""Public pages of the regulatory landscape."""

from django.views.generic import DetailView, ListView

from regulators.models import Instrument, Regulator


class RegulatorListView(ListView):
    template_name = "regulators/regulator_list.html"

    def get_queryset(self):
        return Regulator.objects.select_related("parent").order_by("jurisdiction", "name")


class RegulatorDetailView(DetailView):
    template_name = "regulators/regulator_detail.html"
    queryset = Regulator.objects.select_related("parent")


class InstrumentListView(ListView):
    template_name = "regulators/instrument_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Instrument.objects.prefetch_related("issuers")


class InstrumentDetailView(DetailView):
    template_name = "regulators/instrument_detail.html"

    def get_queryset(self):
        return Instrument.objects.prefetch_related("issuers", "implements")
