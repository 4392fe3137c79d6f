"""Staff read the alerts here: who follows what, and what was sent to whom (read-mostly).

Nothing is added by hand: readers subscribe themselves, by double opt-in. Editors see failed
and interrupted sends and may queue them again ("Send again"); the next run sends them once.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alerts import services
from alerts.models import DeadlineReminder, Delivery, StageNotice, Subscriber, Subscription


class ReadOnlyAdminMixin:
    """Every field read-only and no adding; deleting stays (a reader may ask to be forgotten)."""

    def has_add_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + list(self.readonly_fields)


class SubscriptionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Subscription
    extra = 0
    fields = ["kind", "regulator", "instrument", "organisation", "list_name", "query_string", "rhythm", "active"]
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["email", "language", "confirmed_at", "created_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), "language", "created_at"]
    search_fields = ["email"]
    exclude = ["token", "confirmation_window_started_at", "confirmations_in_window"]
    inlines = [SubscriptionInline]

    def get_readonly_fields(self, request, obj=None):
        return ["email", "language", "confirmed_at", "created_at"]


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["subscriber", "kind", "followed", "rhythm", "active", "confirmed_at", "last_run_at"]
    list_filter = ["kind", "rhythm", "active", ("confirmed_at", admin.EmptyFieldListFilter), "list_name"]
    search_fields = ["subscriber__email", "query_string", "regulator__slug", "instrument__slug", "organisation__slug"]
    list_select_related = ["subscriber", "regulator", "instrument", "organisation"]
    date_hierarchy = "created_at"

    @admin.display(description=_("follows"))
    def followed(self, obj):
        return obj.describe()


class SendLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_filter = ["status", "claimed_at", "sent_at"]
    date_hierarchy = "claimed_at"
    actions = ["send_again"]

    @admin.action(description=_("Send again (failed or interrupted only)"), permissions=["change"])
    def send_again(self, request, queryset):
        count = services.queue_again(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d send queued again; the next run sends it.",
                "%(count)d sends queued again; the next run sends them.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Delivery)
class DeliveryAdmin(SendLogAdmin):
    list_display = ["label", "subscriber_email", "alert", "status", "claimed_at", "sent_at", "attempts"]
    search_fields = ["label", "subscription__subscriber__email"]
    list_select_related = [
        "subscription__subscriber",
        "subscription__regulator",
        "subscription__instrument",
        "subscription__organisation",
    ]
    list_filter = ["status", "content_type", "claimed_at", "sent_at"]

    @admin.display(description=_("subscriber"), ordering="subscription__subscriber__email")
    def subscriber_email(self, obj):
        return obj.subscription.subscriber.email

    @admin.display(description=_("alert"))
    def alert(self, obj):
        return obj.subscription.describe()


@admin.register(DeadlineReminder)
class DeadlineReminderAdmin(SendLogAdmin):
    list_display = ["instrument", "comment_deadline", "subscriber", "status", "claimed_at", "sent_at"]
    search_fields = ["subscriber__email", "instrument__title", "instrument__short_title"]
    list_select_related = ["subscriber", "instrument"]


@admin.register(StageNotice)
class StageNoticeAdmin(SendLogAdmin):
    list_display = ["instrument", "stage", "subscriber", "status", "claimed_at", "sent_at"]
    list_filter = ["status", "stage"]
    search_fields = ["subscriber__email", "instrument__title", "instrument__short_title"]
    list_select_related = ["subscriber", "instrument"]
