from django.urls import path

from regulators import feeds, views
from regulators.calendar import InstrumentCalendarView
from regulators.consultations import ConsultationsView

app_name = "regulators"

# The regulator pages and an instrument's page, which show items, are items/landscape_views.py's:
# digest_site/urls.py joins both lists under this namespace, these first.

urlpatterns = [
    path("instruments/", views.InstrumentListView.as_view(), name="instrument-list"),
    path("instruments/consultations/", ConsultationsView.as_view(), name="consultations"),
    path("instruments/calendar.ics", InstrumentCalendarView.as_view(), name="instrument-calendar"),
    path("instruments/feed/rss/", feeds.InstrumentFeed(), name="instrument-feed-rss"),
    path("instruments/feed/atom/", feeds.InstrumentAtomFeed(), name="instrument-feed-atom"),
    path("instruments/<slug:slug>/feed/", feeds.InstrumentFamilyFeed(), name="instrument-feed"),
    path(
        "instruments/<slug:slug>/compare/<slug:other>/",
        views.InstrumentCompareView.as_view(),
        name="instrument-compare",
    ),
]
