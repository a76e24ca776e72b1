"""The public cross-check in the API: ``GET /api/v1/verify?mobile=…`` or ``?membership_no=…``, no login.

Answers only whether the number belongs to a registered, active worker and, if so, the name, district,
mandal and current posts (see ``people.verify``). Rate-limited per client address and per number asked:
429 with ``code: "rate_limited"``.
"""

from ninja import Field, Query, Router, Schema, Status

from sangathan.access.services import client_ip
from sangathan.core.schemas import Error, Text
from sangathan.people.verify import RateLimited, verify_lookup

router = Router(tags=["verify"])


class VerifyQuestion(Schema):
    mobile: Text = Field("", max_length=32, description="A mobile number in any common Indian format.")
    membership_no: Text = Field("", max_length=32, description="A membership number.")


class VerifiedPostOut(Schema):
    post: str
    wing: str | None
    place: str | None


class LimitedOut(Error):
    code: str = Field(..., description="rate_limited")


class VerifyOut(Schema):
    active: bool = Field(..., description="True only for a registered, active worker.")
    message: str
    name: str | None
    district: str | None
    mandal: str | None
    posts: list[VerifiedPostOut]


@router.get("", auth=None, response={200: VerifyOut, 400: Error, 429: LimitedOut})
def verify(request, question: Query[VerifyQuestion]):
    """Is this a registered, active worker? Unknown, expelled, inactive and deceased all answer
    ``active: false`` alike. Every question is logged."""
    try:
        answer = verify_lookup(mobile=question.mobile, membership_no=question.membership_no, ip=client_ip(request),
                               user_agent=request.META.get("HTTP_USER_AGENT", ""), channel="api")
    except RateLimited as error:
        return Status(429, error.as_dict())
    return answer.as_dict()
