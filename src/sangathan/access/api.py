"""API of the access app: bearer tokens and "who am I, and what may I see"."""

from axes.utils import reset as axes_reset
from django.contrib.auth import authenticate
from ninja import Field, Router, Schema, Status

from sangathan.access.api_auth import BearerToken
from sangathan.access.scope import client_ip, scope_for_request, scope_for_user
from sangathan.access.services import api_token_issue, api_token_revoke
from sangathan.access.views import login_blocked_minutes
from sangathan.core.schemas import Body, Error, Text
from sangathan.org.schemas import PositionOut
from sangathan.org.selectors import person_positions

router = Router(tags=["auth"])


class TokenIn(Body):
    mobile: Text = Field(..., min_length=1, max_length=32)
    password: Text = Field(..., min_length=1, max_length=256)
    name: Text = Field("", max_length=100, description="A label for the token, e.g. the integration's name.")


class TokenOut(Schema):
    token: str


@router.post("/auth/token", auth=None, response={200: TokenOut, 401: Error, 429: Error})
def token_issue(request, payload: TokenIn):
    """Exchange a mobile number and password for a bearer token (shown once).

    Failures count towards the same lockout as the login page: after too many, 429 until the cool-off ends.
    """
    if login_blocked_minutes(request) is not None:
        return Status(429, {"detail": "Too many failed attempts from this address. Try again later.", "errors": {}})
    user = authenticate(request, mobile=payload.mobile, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        # Answered here in JSON; without this AxesMiddleware would replace the answer with the login page's.
        request.axes_locked_out = False
        return Status(429, {"detail": "Too many failed attempts. Try again later.", "errors": {}})
    if user is None:
        return Status(401, {"detail": "Invalid mobile number or password.", "errors": {}})
    # authenticate() alone does not fire user_logged_in, which is what resets axes' count on success.
    axes_reset(ip=request.axes_ip_address, username=user.mobile)
    # The caller is not logged in (auth=None): the scope is the one the password just proved.
    scope = scope_for_user(user).with_context(channel="api", ip=client_ip(request),
                                              user_agent=request.META.get("HTTP_USER_AGENT", ""))
    return {"token": api_token_issue(scope=scope, name=payload.name or "api")}


@router.delete("/auth/token", auth=BearerToken(), response={204: None})
def token_revoke(request):
    """Revoke the bearer token this request carries."""
    key = request.headers["Authorization"].split(" ", 1)[1].strip()
    api_token_revoke(scope=scope_for_request(request), key=key)
    return Status(204, None)


class PersonBrief(Schema):
    id: int
    name: str
    name_latin: str
    mobile: str
    unit_id: int


class UserOut(Schema):
    id: int
    mobile: str
    display_name: str


class ScopeOut(Schema):
    unit_ids: list[int] = Field(..., description="Roots of the subtrees the caller may read.")
    write_unit_ids: list[int] = Field(..., description="Roots of the subtrees the caller may also change.")


class MeOut(Schema):
    user: UserOut
    person: PersonBrief | None
    positions: list[PositionOut]
    scope: ScopeOut


@router.get("/me", response=MeOut)
def me(request):
    """The caller: account, person record, current positions and scope."""
    user = request.user
    scope = scope_for_request(request)
    person = user.person
    return {
        "user": user,
        "person": person,
        "positions": list(person_positions(person, current_only=True)) if person else [],
        "scope": {
            "unit_ids": scope.unit_ids,
            "write_unit_ids": sorted({r.unit_id for r in scope.roots if r.path in scope.write_paths}),
        },
    }
