"""OpenAPI details drf-spectacular cannot see for itself: the token scheme, Idempotency-Key, the error answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter

from .forms import IDEMPOTENCY_HEADER

ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Invalid input only: the messages for each field (`non_field_errors` for the whole form).",
        },
    },
    "required": ["detail", "code"],
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input.",
    "401": "No valid token or session.",
    "403": "Not allowed (the message says why).",
    "404": "Not found, or not visible to the caller.",
    "429": "Too many requests; see Retry-After.",
}

IDEMPOTENCY_KEY = OpenApiParameter(
    IDEMPOTENCY_HEADER, str, OpenApiParameter.HEADER,
    description="A key the client makes per request: a request repeated with the same key is refused (409), "
    "never carried out twice.",
)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token made on the page /akun/token/: `Authorization: Bearer siap_…`.",
        }


def error_responses(result, generator, request, public):
    """Every operation documents the errors every view may answer, all with the one ``Error`` body.

    401, 403 and 429 anywhere; 404 where the path names an object or a page
    is asked for; 400 where input is read. Error codes a view declares itself (409, 503) get the body too.
    """
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            query = {parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "query"}
            codes = ["401", "403", "429"]
            if "{" in path or "page" in query:
                codes.append("404")
            if query or operation.get("requestBody"):
                codes.append("400")
            for code in codes:
                responses.setdefault(code, {"description": ERROR_DESCRIPTIONS[code]})
            for code, response in responses.items():
                if int(code) >= 400:
                    response["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
            operation["responses"] = dict(sorted(responses.items()))
    return result
