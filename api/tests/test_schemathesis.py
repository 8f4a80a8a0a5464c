"""Schemathesis against a live server with the demo's data: every operation of ``api/schema.yaml``.

For each operation Schemathesis generates a few requests from the schema
(valid ones, then invalid ones) as the chair, and each write also as the
registrar (who may register letters); then each GET that names an object is
called once with the ids of real objects. No answer may be a server error,
and every answer must be one the schema documents (status, content type,
headers, body). Nothing is skipped: the generated writes are refused by the
forms or the rules, and that is what is checked. The seed is fixed
(``derandomize``) and the examples few, so the run repeats exactly and takes
well under two minutes.
"""

import io

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from api.models import ApiToken
from documents.models import Document
from documents.owners import visible_owner
from tests.support import restore_migration_data
from workflows import inbox, registry

CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 10


@pytest.fixture
def demo():
    """What ``make run`` shows: the demo organisation and every process's demo data (a dozen letters), indexed."""
    restore_migration_data()
    call_command("load_demo", count=14, stdout=io.StringIO())


def real_ids(user):
    """Path parameters of objects ``user`` may see, by the first segment of the path (``tasks``, ``letters``, …)."""
    task = next(task for task in inbox.inbox_tasks(user) if registry.actions_for(task))
    document = next(document for document in Document.objects.order_by("pk") if visible_owner(user, document))
    ids = {
        "tasks": {"id": task.pk, "name": registry.actions_for(task)[0].name},
        "documents": {"id": document.pk, "number": 1},
    }
    for process in registry.processes():
        if process.api_urls:
            ids[process.api_prefix.strip("/")] = {"id": process.visible_to(user).order_by("pk").first().pk}
    return ids


@pytest.mark.django_db(transaction=True)
def test_every_operation_answers_as_documented(live_server, demo, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": None, "token": None}}
    chair, registrar = (get_user_model().objects.get(username=name) for name in ("chair", "registrar"))
    schema = schemathesis.openapi.from_path(django_settings.BASE_DIR / "api" / "schema.yaml")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19
    writes = [operation for operation in operations if operation.method.upper() != "GET"]
    failures = []
    # the chair sees every letter and meeting and has tasks; the registrar may also register letters
    for user, tried in ((chair, operations), (registrar, writes)):
        headers = bearer(user)
        for operation in tried:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    fuzz(operation, mode, live_server.url, headers)
                except Exception as failure:  # noqa: BLE001 - every operation is tried, all failures reported
                    failures.append(f"{operation.label} as {user} ({mode.value}): {failure}")
    headers, ids = bearer(chair), real_ids(chair)
    for operation in operations:
        if operation.method.upper() == "GET" and "{" in operation.path:
            case = operation.Case(path_parameters=ids[operation.path.removeprefix("/api/v1/").split("/")[0]])
            try:
                response = case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)
                assert response.status_code == 200, (case.formatted_path, response.status_code)
            except Exception as failure:  # noqa: BLE001
                failures.append(f"{operation.label} (real ids): {failure}")
    assert not failures, "\n\n".join(failures)


def bearer(user):
    _token, key = ApiToken.issue(user, "schemathesis")
    return {"Authorization": f"Bearer {key}"}


def fuzz(operation, mode, base_url, headers):
    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    run()
