"""The small demo makes campaigns alive: progress against targets, tasks with evidence, and one mandal
flagged by verification calls made on past Mondays (today's call lists are left to the daily program)."""

import io

import pytest
from django.core.management import call_command

from sangathan.access.scope import Scope, ScopeRoot
from sangathan.campaigns.demo import CODE
from sangathan.campaigns.models import BoothTask, Campaign, Report, Target, Verification
from sangathan.campaigns.selectors import campaign_progress, flagged_units
from sangathan.core.clock import today
from sangathan.org.enums import Grant
from sangathan.org.models import Unit
from sangathan.outreach.enums import CallKind
from sangathan.outreach.models import CallAssignment

pytestmark = pytest.mark.django_db


def test_small_demo_campaign(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):   # call_logged is sent after each commit
        call_command("demo", "--scale", "small", stdout=io.StringIO())
    campaign = Campaign.objects.get(code=CODE)
    district = Unit.objects.filter(level="district").order_by("path").first()
    scope = Scope.build([ScopeRoot(district.pk, district.path, Grant.WRITE)])
    total, rows = campaign_progress(scope=scope, campaign=campaign, unit=district)
    homes = total.metrics[0]
    assert homes.metric.code == "homes" and homes.reported > 0 and homes.target > homes.reported
    assert Report.objects.filter(campaign=campaign).count() == 3 * total.reporting_units
    assert Target.objects.filter(campaign=campaign).count() == 4 * total.reporting_units
    flagged = flagged_units(scope=scope, campaign=campaign, unit=district)
    assert len(flagged) == 1 and flagged[0].score.checked >= 2   # 3, or 2 on a Monday
    assert BoothTask.objects.filter(campaign=campaign).exclude(photo="").count() == 3
    calls = CallAssignment.objects.filter(kind=CallKind.VERIFICATION)
    assert calls.count() == Verification.objects.exclude(call=None).count() > 0
    assert not calls.filter(day__gte=today()).exists()
    again = io.StringIO()
    call_command("demo", "--scale", "small", "--if-empty", stdout=again)
    assert Campaign.objects.count() == 1
