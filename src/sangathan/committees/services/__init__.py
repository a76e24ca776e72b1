from sangathan.committees.services.committees import (
    CommitteeDissolve,
    CommitteeForm,
    ConvenerName,
    MemberAdd,
    MemberRemove,
    OfficeUpdate,
    committee_dissolve,
    committee_form,
    convener_name,
    member_add,
    member_remove,
    office_update,
    seat_warnings,
)
from sangathan.committees.services.setup import (
    CommitteeTypesSeed,
    PageCount,
    PagesCreate,
    committee_types_seed,
    pages_create,
)
from sangathan.committees.services.verification import (
    PageCheckRecord,
    PageCheckSample,
    page_check_record,
    page_check_sample,
)

__all__ = [
    "PageCheckRecord", "PageCheckSample", "page_check_record", "page_check_sample",
    "CommitteeDissolve", "CommitteeForm", "CommitteeTypesSeed", "ConvenerName", "MemberAdd", "MemberRemove",
    "OfficeUpdate", "PageCount", "PagesCreate", "committee_dissolve", "committee_form",
    "committee_types_seed", "convener_name", "member_add", "member_remove", "office_update", "pages_create",
    "seat_warnings",
]
