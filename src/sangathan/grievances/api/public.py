"""The complainant's own view: status and confirmation by tracking code and mobile, no login."""


from sangathan.access.scope import Scope
from sangathan.core.ratelimit import request_limited
from sangathan.core.schemas import Error
from sangathan.grievances.api.router import router
from sangathan.grievances.api.schemas import StatusConfirmIn, StatusIn, StatusOut, status_out
from sangathan.grievances.selectors import grievance_by_code_and_mobile
from sangathan.grievances.services import grievance_confirm


@router.post("/status", auth=None, response={200: StatusOut, 400: Error, 429: Error})
def public_status(request, payload: StatusIn):
    """The complainant's view: status and the latest public note, for the tracking code and mobile."""
    if limited := request_limited("status.ip", request):
        raise limited
    return status_out(grievance_by_code_and_mobile(tracking_code=payload.tracking_code, mobile=payload.mobile))


@router.post("/status/confirm", auth=None, response={200: StatusOut, 400: Error, 429: Error})
def public_confirm(request, payload: StatusConfirmIn):
    """The complainant confirms a resolution (satisfied or not)."""
    if limited := request_limited("status.ip", request):
        raise limited
    grievance = grievance_by_code_and_mobile(tracking_code=payload.tracking_code, mobile=payload.mobile)
    # The code and mobile matched: the system records the complainant's own answer.
    grievance = grievance_confirm(scope=Scope.system(channel="api"), grievance=grievance,
                                  satisfied=payload.satisfied, channel="api")
    return status_out(grievance)
