from django import template

from sangathan.grievances.models import GrievanceAssignment
from sangathan.grievances.policies import CELL_LEVELS, SAHYOG_WING
from sangathan.org.enums import Grant
from sangathan.org.templatetags.org_tags import current_positions

register = template.Library()


@register.simple_tag(takes_context=True)
def may_see_grievances(context) -> bool:
    """Whether the logged-in user works in the Sahyog Cell: an office-bearer of a district or above, a cell
    member, or someone with cases assigned (a minister). Reads the header's cached positions, so it costs
    no query for office-bearers and one for users holding no post."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    if request.user.is_superuser:
        return True
    positions = current_positions(context)
    if any(p.unit_id and p.unit.level in CELL_LEVELS and (p.post.grant != Grant.NONE or
                                                           (p.wing_id and p.wing.code == SAHYOG_WING))
           for p in positions):
        return True
    if positions or not request.user.person_id:
        return False
    return GrievanceAssignment.objects.filter(person_id=request.user.person_id).exists()
