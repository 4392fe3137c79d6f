"""Read replicas: public reads may go to a replica, everything else to the primary.

Active only when DATABASE_REPLICA_URL is set. A request qualifies for the replica when it is a
GET or HEAD from a visitor who is not logged in and not in the admin: such pages only read
published data, where a second or two of replication lag is harmless. Editors, every write and
everything outside a request (commands, cron) use the primary, so nobody reads their own edit
from a replica that has not caught up.
"""

from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
use_replica = ContextVar("use_replica", default=False)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if use_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def has_session(request):
    """Whether the visitor has a session (signed in, or state of their own): such a visitor reads
    the primary and is given pages rendered for them, never a kept one (page_cache.py)."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES


class ReplicaReadsMiddleware:
    """Marks anonymous public GET/HEAD requests as allowed to read from the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        eligible = (
            request.method in ("GET", "HEAD") and not request.path.startswith("/admin/") and not has_session(request)
        )
        token = use_replica.set(eligible)
        try:
            return self.get_response(request)
        finally:
            use_replica.reset(token)
