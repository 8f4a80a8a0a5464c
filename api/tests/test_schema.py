"""The OpenAPI schema: valid, committed as ``api/schema.yaml``, and its documentation served from SIAP itself."""

import difflib
import os
import re
import subprocess
import sys

import pytest
import yaml
from django.conf import settings
from django.test import Client
from openapi_spec_validator import validate

COMMITTED = settings.BASE_DIR / "api" / "schema.yaml"
REGENERATE = "make api-schema"


def generated_schema(folder):
    """The schema as the regenerating command makes it: with the project's settings, not the tests'
    (which install a process of their own, ``tests/memos``)."""
    target = folder / "schema.yaml"
    subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--file", str(target)],
        cwd=settings.BASE_DIR, env={**os.environ, "DJANGO_SETTINGS_MODULE": "project.settings"},
        check=True, capture_output=True, timeout=300,
    )
    return target.read_text(encoding="utf-8")


def test_the_schema_is_valid_openapi_and_the_committed_one(tmp_path):
    generated = generated_schema(tmp_path)
    validate(yaml.safe_load(generated))
    committed = COMMITTED.read_text(encoding="utf-8")
    if generated != committed:
        diff = "\n".join(list(difflib.unified_diff(
            committed.splitlines(), generated.splitlines(), "api/schema.yaml", "generated", lineterm=""
        ))[:60])
        pytest.fail(f"api/schema.yaml is out of date: regenerate it with `{REGENERATE}` and commit it.\n{diff}")


def test_every_api_path_is_in_the_schema_with_its_errors():
    schema = yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))
    assert {"/api/v1/me/", "/api/v1/tasks/inbox/", "/api/v1/letters/", "/api/v1/meetings/", "/api/v1/search/"} <= set(schema["paths"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "429"} <= set(operation["responses"]), (method, path)
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http", "scheme": "bearer", "description": schema["components"]["securitySchemes"]["token"]["description"],
    }


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_the_documentation_pages_and_their_assets_are_served_locally(page):
    client = Client()
    html = client.get(page).content.decode()
    assets = re.findall(r'src="(/static/drf_spectacular_sidecar/[^"]+)"', html)
    assert assets, "Swagger UI / Redoc come from drf-spectacular-sidecar, not a CDN"
    assert "cdn" not in html.lower()
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
    assert client.get("/api/schema/").status_code == 200
