from django.urls import path

from regulators import views
from regulators.calendar import InstrumentCalendarView
from regulators.consultations import ConsultationsView

app_name = "regulators"

urlpatterns = [
    path("regulators/", views.RegulatorListView.as_view(), name="regulator-list"),
    path("regulators/<slug:slug>/", views.RegulatorDetailView.as_view(), name="regulator-detail"),
    path("instruments/", views.InstrumentListView.as_view(), name="instrument-list"),
    path("instruments/consultations/", ConsultationsView.as_view(), name="consultations"),
    path("instruments/<slug:slug>/", views.InstrumentDetailView.as_view(), name="instrument-detail"),
    path("instruments/calendar.ics", InstrumentCalendarView.as_view(), name="instrument-calendar"),
]
