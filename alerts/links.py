"""The signed links in alert emails: confirm an alert, unsubscribe, manage all of a reader's alerts.

Each link carries the reader's random secret (Subscriber.token) signed with the site's
SECRET_KEY and a salt of its own, so a link made for one purpose never works for another and
a changed character is refused. Confirmation links also carry a timestamp and expire
(settings.ALERT_CONFIRMATION_MAX_AGE, 7 days by default); unsubscribe and manage links last as
long as the reader's secret, since they sit in every email the reader keeps.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from alerts.models import Rhythm, Subscriber, Subscription

CONFIRM_SALT = "alerts.confirm"
MANAGE_SALT = "alerts.manage"
UNSUBSCRIBE_SALT = "alerts.unsubscribe"


class InvalidLink(Exception):
    """A link that was changed, has expired, or points at an alert that no longer exists."""

    def __init__(self, message, expired=False):
        super().__init__(message)
        self.message = message
        self.expired = expired


BROKEN = _("This link is not valid. It may have been cut short or changed; copy the whole link from the email.")
EXPIRED = _("This confirmation link has expired. Follow again from the site to receive a new one.")
GONE = _("This alert no longer exists.")


def confirmation_max_age():
    value = getattr(settings, "ALERT_CONFIRMATION_MAX_AGE", datetime.timedelta(days=7))
    return value if isinstance(value, datetime.timedelta) else datetime.timedelta(seconds=int(value))


def make_confirmation_token(subscription, rhythm):
    """The rhythm the reader asked for rides in the signed value, so confirming applies it."""
    value = f"{subscription.pk}.{rhythm}.{subscription.subscriber.token}"
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(value)


def read_confirmation_token(token):
    """(subscription, rhythm) for a valid confirmation token, else InvalidLink."""
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=confirmation_max_age())
    except signing.SignatureExpired as error:
        raise InvalidLink(EXPIRED, expired=True) from error
    except signing.BadSignature as error:
        raise InvalidLink(BROKEN) from error
    try:
        pk, rhythm, secret = value.split(".", 2)
        subscription = Subscription.objects.select_related("subscriber").get(pk=int(pk))
    except (ValueError, Subscription.DoesNotExist) as error:
        raise InvalidLink(GONE) from error
    if rhythm not in Rhythm.values or not constant_time_compare(secret, subscription.subscriber.token):
        raise InvalidLink(GONE)
    return subscription, rhythm


def make_manage_token(subscriber):
    return signing.Signer(salt=MANAGE_SALT).sign(subscriber.token)


def read_manage_token(token):
    try:
        secret = signing.Signer(salt=MANAGE_SALT).unsign(token)
    except signing.BadSignature as error:
        raise InvalidLink(BROKEN) from error
    subscriber = Subscriber.objects.filter(token=secret).first()
    if subscriber is None:
        raise InvalidLink(GONE)
    return subscriber


def make_unsubscribe_token(subscriber):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(subscriber.token)


def read_unsubscribe_token(token):
    try:
        secret = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature as error:
        raise InvalidLink(BROKEN) from error
    subscriber = Subscriber.objects.filter(token=secret).first()
    if subscriber is None:
        raise InvalidLink(GONE)
    return subscriber


def confirm_url(subscription, rhythm):
    return reverse("alerts:confirm", kwargs={"token": make_confirmation_token(subscription, rhythm)})


def manage_url(subscriber):
    return reverse("alerts:manage", kwargs={"token": make_manage_token(subscriber)})


def unsubscribe_url(subscriber):
    return reverse("alerts:unsubscribe", kwargs={"token": make_unsubscribe_token(subscriber)})
