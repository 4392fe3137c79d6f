"""Schemathesis reads the API's OpenAPI description and throws generated requests at every GET
operation, in process through the WSGI application: none may end in a server error.

The description is loaded from the application itself, after the seed newsletters are loaded, so
that the generated filter values (regulator slugs, dates, amounts…) meet real rows too. Each
operation gets valid requests (positive mode) and requests that break the description on purpose
(negative mode: wrong types, unknown choices, malformed dates).

(schemathesis.pytest.from_fixture would give one subtest per operation, but its node renaming does
not work with pytest 9; a plain loop over the operations does the same work.)
"""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from digest_site.wsgi import application

pytestmark = pytest.mark.django_db

# Examples per operation and mode: enough to try each filter with odd values, in well under a minute.
MAX_EXAMPLES = 20
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]


@pytest.fixture
def api_schema(seeds, monkeypatch):
    # Hundreds of requests in a row from one address: the throttle would answer most with a 429.
    monkeypatch.setattr("api.views.PublicAPIMixin.throttle_classes", [])
    # The real WSGI handler closes the database connection at the end of each request, which would
    # end the test's transaction (on PostgreSQL); Django's own test client holds it open the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def get_operations(schema):
    operations = [result.ok() for result in schema.get_all_operations()]
    return [operation for operation in operations if operation.method.upper() == "GET"]


def test_the_description_has_every_list_and_detail(api_schema):
    paths = {operation.path for operation in get_operations(api_schema)}
    for name in ("issues", "items", "enforcement", "instruments", "regulators", "organisations"):
        assert f"/api/{name}/" in paths
    assert {"/api/issues/{series}/{number}/", "/api/enforcement/{public_id}/", "/api/items/{id}/"} <= paths


def test_no_generated_request_gets_a_server_error(api_schema):
    failures = {}
    for operation in get_operations(api_schema):
        for mode in MODES:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=MAX_EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def request_answers_without_a_server_error(case):
                response = case.call()
                case.validate_response(response, checks=[not_a_server_error])

            try:
                request_answers_without_a_server_error()
            except Unsatisfiable:
                continue  # nothing to break: an operation without parameters has no negative case
            except Exception as error:  # noqa: BLE001 - every failing operation is reported at the end
                failures[f"{operation.method.upper()} {operation.path} ({mode.value})"] = error
    assert failures == {}, "\n\n".join(f"{name}:\n{error}" for name, error in failures.items())
