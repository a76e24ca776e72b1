"""The Sahyog Cell's dashboard: what is open where and for how long, what is late, how fast problems are
solved, by department and by district. Scoped like every read: the state cell sees the state, a district
its own district, a minister what was assigned to them."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from sangathan.core.charts import bar_chart, column_chart
from sangathan.core.db_router import reading_from_replica
from sangathan.grievances.policies import grievance_scope
from sangathan.grievances.reports import AGE_BUCKETS, sahyog_report
from sangathan.grievances.selectors import grievances_visible
from sangathan.org.models import Unit

SINCE_DAYS = 30


def _overdue_tone(value, target):
    return "bad" if value else "ok"


@login_required
@reading_from_replica()
def sahyog(request):
    grievances = grievances_visible(request.scope)
    district = None
    district_id = request.GET.get("district", "")
    if district_id:
        if not district_id.isdigit() or len(district_id) > 18:
            raise Http404
        district = Unit.objects.filter(pk=int(district_id), level="district").first()
        if district is None or not grievance_scope(request.scope).can_read_path(district.path):
            raise Http404
        grievances = grievances.filter(district=district)
    report = sahyog_report(grievances, since_days=SINCE_DAYS, by_district=district is None)
    context = {
        "report": report,
        "district": district,
        "since_days": SINCE_DAYS,
        "age_labels": [label for label, _lower, _upper in AGE_BUCKETS],
        "level_chart": bar_chart([(row.label, row.open) for row in report.levels], title=_("Open, by level")),
        "age_chart": column_chart([(_("%(days)s days") % {"days": label}, value)
                                   for (label, _l, _u), value in zip(AGE_BUCKETS, report.age_totals, strict=True)],
                                  title=_("Open, by days since taken")),
        "overdue_chart": bar_chart([(row.label, row.overdue) for row in report.levels],
                                   title=_("Overdue, by level"), tone=_overdue_tone),
        "week_chart": column_chart([(f"{row.start:%d/%m}", row.taken) for row in report.weeks],
                                   title=_("Taken, week by week")),
        "resolved_week_chart": column_chart([(f"{row.start:%d/%m}", row.resolved) for row in report.weeks],
                                            title=_("Resolved, week by week"), tone=lambda value: "ok"),
        "department_chart": bar_chart([(row.name, row.open) for row in report.departments[:12]],
                                      title=_("Open, by department")),
        "district_chart": bar_chart([(row.name, row.open, None, f"?district={row.id}")
                                     for row in report.districts[:40]], title=_("Open, by district")),
    }
    return render(request, "dashboard/sahyog.html", context)
