"""Public pages of email alerts: follow, confirm, unsubscribe, manage.

The follow form answers "check your inbox" whatever the address, so it tells no one who
follows what. The other pages are reached through signed links from the emails; a changed,
expired or stale link gets a page saying so (status 400), never a 500. Confirming and
unsubscribing happen on a POST (a button on the page the link opens, or the mail client's
RFC 8058 one-click POST), so link scanners that open every link in an email change nothing.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from alerts import links, services
from alerts.forms import FollowForm, ManageAlertForm, describe_target, resolve_target
from alerts.models import Rhythm
from core.throttles import refuse_if_throttled


def invalid_link(request, error):
    return render(request, "alerts/invalid_link.html", {"message": error.message, "expired": error.expired}, status=400)


class FollowView(FormView):
    template_name = "alerts/follow.html"
    form_class = FollowForm

    def get_initial(self):
        keys = ("kind", "target", "list", "query")
        return {key: self.request.GET.get(key, "") for key in keys if self.request.GET.get(key)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        values = form.data if form.is_bound else self.get_initial()
        try:
            followed = resolve_target(
                values.get("kind") or "issues",
                values.get("target", ""),
                values.get("list", ""),
                values.get("query", ""),
            )
            context["following"] = describe_target(followed)
        except ValidationError as error:
            context["target_error"] = " ".join(error.messages)
        return context

    def form_valid(self, form):
        # Each request mails an inbox: besides each recipient's budget, each client address has one.
        refusal = refuse_if_throttled(
            self.request, "alert_follow", "ALERT_FOLLOW_CLIENT_RATE", _("Too many alert requests from your address.")
        )
        if refusal:
            return refusal
        services.request_subscription(
            form.cleaned_data["email"],
            form.cleaned_data["followed"],
            form.cleaned_data["rhythm"],
            base_url=self.request.build_absolute_uri("/").rstrip("/"),
        )
        return redirect("alerts:follow-sent")


class FollowSentView(TemplateView):
    template_name = "alerts/follow_sent.html"


@method_decorator(never_cache, name="dispatch")
class ConfirmView(View):
    def get(self, request, token):
        try:
            subscription, rhythm = links.read_confirmation_token(token)
        except links.InvalidLink as error:
            return invalid_link(request, error)
        context = {"following": subscription.describe(), "rhythm": Rhythm(rhythm).label}
        return render(request, "alerts/confirm.html", context)

    def post(self, request, token):
        try:
            subscription, rhythm = links.read_confirmation_token(token)
        except links.InvalidLink as error:
            return invalid_link(request, error)
        subscription = services.confirm_subscription(subscription, rhythm)
        context = {
            "subscription": subscription,
            "following": subscription.describe(),
            "manage_url": links.manage_url(subscription.subscriber),
        }
        return render(request, "alerts/confirmed.html", context)


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class UnsubscribeView(View):
    """GET shows one button; POST (that button, or the mail client's one-click POST) unsubscribes.

    Exempt from CSRF because RFC 8058 mail clients post without a token: the signed link is the
    authority, and the worst a forged post can do is what the link's holder may do anyway."""

    def get(self, request, token):
        try:
            subscriber = links.read_unsubscribe_token(token)
        except links.InvalidLink as error:
            return invalid_link(request, error)
        return render(request, "alerts/unsubscribe.html", {"email": subscriber.email})

    def post(self, request, token):
        try:
            subscriber = links.read_unsubscribe_token(token)
        except links.InvalidLink as error:
            return invalid_link(request, error)
        services.unsubscribe(subscriber)
        return render(request, "alerts/unsubscribed.html", {"manage_url": links.manage_url(subscriber)})


@method_decorator(never_cache, name="dispatch")
class ManageView(View):
    def get(self, request, token):
        try:
            subscriber = links.read_manage_token(token)
        except links.InvalidLink as error:
            return invalid_link(request, error)
        alerts = subscriber.subscriptions.select_related("regulator", "instrument", "organisation")
        context = {"subscriber": subscriber, "alerts": alerts, "rhythms": Rhythm.choices}
        return render(request, "alerts/manage.html", context)

    def post(self, request, token):
        try:
            subscriber = links.read_manage_token(token)
        except links.InvalidLink as error:
            return invalid_link(request, error)
        if request.POST.get("action") == "forget":
            services.forget_subscriber(subscriber)
            return render(request, "alerts/forgotten.html")
        form = ManageAlertForm(subscriber, request.POST)
        if not form.is_valid():
            messages.error(request, _("That change could not be made; reload the page and try again."))
            return redirect(request.path)
        alert, action = form.cleaned_data["alert"], form.cleaned_data["action"]
        if action == "delete":
            services.delete_subscription(subscriber, alert.pk)
            messages.success(request, _("Deleted: %(alert)s.") % {"alert": alert.describe()})
        else:
            active = {"pause": False, "resume": True}.get(action)
            services.change_subscription(subscriber, alert.pk, rhythm=form.cleaned_data["rhythm"], active=active)
            messages.success(request, _("Saved: %(alert)s.") % {"alert": alert.describe()})
        return redirect(reverse("alerts:manage", kwargs={"token": token}))
