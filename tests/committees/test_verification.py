import pytest

from sangathan.access.scope import Scope
from sangathan.committees.enums import HistoryAction
from sangathan.committees.models import PageCheck
from sangathan.committees.selectors import completeness
from sangathan.committees.services import (
    PageCount,
    committee_form,
    member_add,
    page_check_sample,
    pages_create,
)
from sangathan.core.errors import NotFound
from sangathan.org.models import Post, Unit
from sangathan.outreach.enums import CallKind, CallOutcome
from sangathan.outreach.services import call_log_save
from tests.committees.conftest import ctype, scope_of
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(ctree):
    scope = Scope.system()
    pages_create(scope=scope, counts=[PageCount(ctree["d1a1b1"], 3)])
    incharge = Post.objects.get(code="page_incharge")
    for page in Unit.objects.filter(parent=ctree["d1a1b1"], level="page"):
        committee = committee_form(scope=scope, unit=page, type=ctype("page"))
        member_add(scope=scope, committee=committee, person=PersonFactory(unit=ctree["d1a1b1"]), post=incharge)
    return ctree


def test_sampled_page_incharges_get_calls_and_answers_score_them(pages, django_capture_on_commit_callbacks):
    tree = pages
    made = page_check_sample(scope=scope_of(tree, "district_president"), unit=tree["d1"], n=2, seed=7)
    assert len(made) == 2
    check = made[0]
    assert check.call.kind == CallKind.VERIFICATION and check.call.source == f"committees.page:{check.committee_id}"
    assert check.caller == tree.people["district_president"]  # an official outside the booth
    again = page_check_sample(scope=scope_of(tree, "district_president"), unit=tree["d1"], n=3, seed=7)
    assert len(again) == 1  # pages already checked are not drawn twice
    caller_scope = scope_of(tree, "district_president")
    with django_capture_on_commit_callbacks(execute=True):
        call_log_save(scope=caller_scope, assignment=made[0].call, outcome=CallOutcome.REACHED,
                      answers=["हाँ", "लगभग 12", "हाँ"])
        call_log_save(scope=caller_scope, assignment=made[1].call, outcome=CallOutcome.REACHED,
                      answers=["नहीं", "0", "नहीं"])
    statuses = {c.pk: c.status for c in PageCheck.objects.all()}
    assert statuses[made[0].pk] == PageCheck.Status.WORKING
    assert statuses[made[1].pk] == PageCheck.Status.NOT_WORKING
    assert made[0].committee.history.filter(action=HistoryAction.VERIFIED).exists()
    total, _rows = completeness(scope=scope_of(tree, "district_president"), unit=tree["d1"])
    assert (total.checked, total.working) == (2, 1)


def test_sample_needs_write_scope(pages):
    with pytest.raises(NotFound):
        page_check_sample(scope=scope_of(pages, "mandal_president"), unit=pages["d2"], n=1, seed=1)


def test_weekly_job_samples_each_district_once_a_week(pages, settings):
    from datetime import timedelta

    from sangathan.committees.tasks import page_checks_weekly
    from sangathan.core import clock
    from sangathan.schedule.tasks import JOBS

    assert "committees_page_checks_weekly" in {job.name for job in JOBS}
    assert page_checks_weekly() == 3  # all three pages: fewer candidates than the minimum sample
    assert PageCheck.objects.count() == 3
    assert all(c.call.kind == CallKind.VERIFICATION for c in PageCheck.objects.select_related("call"))
    assert page_checks_weekly() == 0  # the same week: nothing drawn twice
    with clock.frozen(clock.now() + timedelta(days=7)):
        assert page_checks_weekly() == 0  # next week: every page already checked
    assert PageCheck.objects.count() == 3
