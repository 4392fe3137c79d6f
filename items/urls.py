from django.urls import path

from items import changes, dashboard, feeds, organisations, views, yearly_report

app_name = "items"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("issues/", views.IssueArchiveView.as_view(), name="issue-archive"),
    path("issues/export.csv", views.ArchiveExportView.as_view(), name="archive-export"),
    path("issues/<slug:series>/<int:number>/", views.IssueDetailView.as_view(), name="issue-detail"),
    path("issues/<slug:series>/<int:number>/export.csv", views.IssueExportView.as_view(), name="issue-export"),
    path("items/", views.NewsItemListView.as_view(), name="item-list"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("items/<int:pk>/", views.NewsItemDetailView.as_view(), name="item-detail"),
    path("enforcement/", views.EnforcementListView.as_view(), name="enforcement-list"),
    path("enforcement/export.csv", views.EnforcementExportView.as_view(), name="enforcement-export"),
    path("enforcement/stats/", dashboard.EnforcementStatsView.as_view(), name="enforcement-stats"),
    path("enforcement/report/", yearly_report.EnforcementReportView.as_view(), name="enforcement-report"),
    path(
        "enforcement/report/<int:year>/", yearly_report.EnforcementReportView.as_view(), name="enforcement-report-year"
    ),
    path(
        "enforcement/report/<slug:table>.csv",
        yearly_report.EnforcementReportCSVView.as_view(),
        name="enforcement-report-csv",
    ),
    path(
        "enforcement/report/<int:year>/<slug:table>.csv",
        yearly_report.EnforcementReportCSVView.as_view(),
        name="enforcement-report-year-csv",
    ),
    path("enforcement/<str:public_id>/", views.EnforcementDetailView.as_view(), name="enforcement-detail"),
    path("feeds/issues/rss/", feeds.IssueFeed(), name="issue-feed-rss"),
    path("feeds/issues/atom/", feeds.IssueAtomFeed(), name="issue-feed-atom"),
    path("items/feed/rss/", feeds.NewsItemFeed(), name="item-feed-rss"),
    path("items/feed/atom/", feeds.NewsItemAtomFeed(), name="item-feed-atom"),
    path("enforcement/feed/rss/", feeds.EnforcementActionFeed(), name="enforcement-feed-rss"),
    path("enforcement/feed/atom/", feeds.EnforcementActionAtomFeed(), name="enforcement-feed-atom"),
    path("organisations/", organisations.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<slug:slug>/", organisations.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("changes/", changes.ChangeListView.as_view(), name="changes"),
    path("changes/feed/rss/", changes.ChangeFeed(), name="changes-feed-rss"),
]
