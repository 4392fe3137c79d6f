"""Django's PostgreSQL backend with a short memory of failed connection attempts.

A PostgreSQL that accepts connections and never answers (hung, overloaded, a half-dead network
path) holds each attempt for the whole `connect_timeout` (settings). A request used to make two
attempts (the page cache's lookup, then the view), and every request a sync worker had
queued made its own: 12 concurrent requests waited up to 36 s for their 503. Here, once an attempt
to a server has failed, further attempts to it from this process fail at once for
`DB_CONNECT_RETRY_SECONDS` (settings): the rest of the request and the requests queued behind it
answer 503 immediately (core/middleware.py), and the next attempt after that tries the
server again, so the site recovers by itself within those seconds of the database's return.
"""

import time

from django.conf import settings
from django.db.backends.postgresql import base

# {(host, port, dbname): monotonic time until which attempts fail at once}, per process.
_failed_until = {}


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        server = (conn_params.get("host"), conn_params.get("port"), conn_params.get("dbname"))
        if time.monotonic() < _failed_until.get(server, 0.0):
            raise self.Database.OperationalError(
                "connection to server not attempted: the previous attempt failed less than "
                f"{settings.DB_CONNECT_RETRY_SECONDS} s ago"
            )
        try:
            connection = super().get_new_connection(conn_params)
        except self.Database.Error:
            _failed_until[server] = time.monotonic() + settings.DB_CONNECT_RETRY_SECONDS
            raise
        _failed_until.pop(server, None)
        return connection
