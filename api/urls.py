from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"

urlpatterns = [
    path("", views.APIRootView.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("issues/", views.IssueListView.as_view(), name="issue-list"),
    path("issues/<slug:series>/<int:number>/", views.IssueDetailView.as_view(), name="issue-detail"),
    path("items/", views.NewsItemListView.as_view(), name="item-list"),
    path("items/<int:pk>/", views.NewsItemDetailView.as_view(), name="item-detail"),
    path("enforcement/", views.EnforcementActionListView.as_view(), name="enforcement-list"),
    path("enforcement/<str:public_id>/", views.EnforcementActionDetailView.as_view(), name="enforcement-detail"),
    path("instruments/", views.InstrumentListView.as_view(), name="instrument-list"),
    path("instruments/<slug:slug>/", views.InstrumentDetailView.as_view(), name="instrument-detail"),
    path("regulators/", views.RegulatorListView.as_view(), name="regulator-list"),
    path("regulators/<slug:slug>/", views.RegulatorDetailView.as_view(), name="regulator-detail"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
]
