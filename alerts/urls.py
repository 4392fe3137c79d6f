from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("alerts/follow/", views.FollowView.as_view(), name="follow"),
    path("alerts/follow/sent/", views.FollowSentView.as_view(), name="follow-sent"),
    path("alerts/confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("alerts/manage/<str:token>/", views.ManageView.as_view(), name="manage"),
]
