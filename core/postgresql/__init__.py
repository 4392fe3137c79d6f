"""Django's PostgreSQL backend, failing fast while the server does not answer (see base.py)."""
