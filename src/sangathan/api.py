"""The REST API under /api/v1/: one NinjaAPI, one router per app mounted here, one error shape.

Every error answers ``{"detail": "...", "errors": {field: [messages]}}`` with a 4xx status; 401 and 422 can
come from any operation, so the OpenAPI schema declares them on every one (``SangathanAPI``).
"""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sangathan.access.api import router as access_router
from sangathan.access.api_auth import api_auth
from sangathan.campaigns.api import router as campaigns_router
from sangathan.committees.api import router as committees_router
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.schemas import LoneSurrogate, TextParser
from sangathan.dashboard.api import router as units_router
from sangathan.events.api import router as events_router
from sangathan.fieldwork.api import router as fieldwork_router
from sangathan.grievances.api import router as grievances_router
from sangathan.messaging.api import router as messaging_router
from sangathan.messaging.api_broadcasts import router as broadcasts_router
from sangathan.outreach.api import router as outreach_router
from sangathan.people.api import router as people_router
from sangathan.people.api_dedup import router as duplicates_router
from sangathan.people.api_verify import router as verify_router
from sangathan.rosters.api import router as rosters_router

# Answered by the handlers below for any operation, so every operation declares them in the OpenAPI schema.
COMMON_ERRORS = {
    401: "Authentication required: no valid bearer token or session.",
    422: "Invalid input: errors names each field and what is wrong with it.",
}


class SangathanAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for item in schema["paths"].values():
            for operation in item.values():
                for code, description in COMMON_ERRORS.items():
                    if code == 401 and not operation.get("security"):
                        continue  # public: never asks who the caller is
                    operation["responses"].setdefault(code, {"description": description, "content": error})
        return schema


api = SangathanAPI(
    title="Sangathan API",
    version="1",
    urls_namespace="api-v1",
    auth=api_auth,
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=TextParser(),
)


def _field_name(loc: list) -> str:
    # ninja locations look like ["query", "page"] or ["body", "payload", "mobile"].
    parts = [str(p) for p in loc if p not in ("query", "body", "path", "payload", "form", "header", "cookie")]
    return ".".join(parts) or "__all__"


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_field_name(list(error.get("loc", []))), []).append(error.get("msg", "Invalid value."))
    return api.create_response(request, {"detail": "Invalid input.", "errors": errors}, status=422)


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    if isinstance(exc, NotFound):
        status = 404
    elif isinstance(exc, PermissionDenied):
        status = 403
    else:
        status = {"duplicate": 409, "rate_limited": 429}.get(exc.code, 400)
    response = api.create_response(request, exc.as_dict(), status=status)
    if getattr(exc, "retry_after", None):
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Authentication required.", "errors": {}}, status=401)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "Not found.", "errors": {}}, status=404)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    # ninja wraps a body that is not JSON in a 400 caused by the decoder's ValueError: it is bad input.
    if isinstance(exc.__cause__, LoneSurrogate):
        return api.create_response(request, {"detail": "Invalid input.", "errors": {
            exc.__cause__.field: ["Not valid text: remove the broken character."]}}, status=422)
    if isinstance(exc.__cause__, ValueError):
        return api.create_response(request, {"detail": "Invalid input.", "errors": {"body": ["Not valid JSON."]}},
                                   status=422)
    return api.create_response(request, {"detail": str(exc), "errors": {}}, status=exc.status_code)


api.add_router("/", access_router)
api.add_router("/units", units_router)
api.add_router("/people/duplicates", duplicates_router)
api.add_router("/people", people_router)
api.add_router("/verify", verify_router)
api.add_router("/messaging", messaging_router)
api.add_router("/broadcasts", broadcasts_router)
api.add_router("/outreach", outreach_router)
api.add_router("/campaigns", campaigns_router)
api.add_router("/committees", committees_router)
api.add_router("/events", events_router)
api.add_router("/fieldwork", fieldwork_router)
api.add_router("/grievances", grievances_router)
api.add_router("/rosters", rosters_router)

__all__ = ["api"]
