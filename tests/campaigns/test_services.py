"""Campaigns, targets split down the tree, reports with their corrections, booth tasks with evidence."""

import io
from datetime import date, timedelta

import pytest

from sangathan.campaigns.enums import TaskStatus
from sangathan.campaigns.models import Campaign, Metric, Report, ReportRevision, ReportValue, Target
from sangathan.campaigns.services import (
    MetricSpec,
    booth_task_complete,
    booth_task_create,
    campaign_close,
    report_submit,
    split_largest_remainder,
    target_set,
)
from sangathan.core.errors import DomainError, NotFound
from tests.campaigns.conftest import START, TODAY, WEEK, make_campaign, scope_of

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class TestCampaignCreate:
    def test_creates_campaign_with_metrics(self, tree, campaign):
        assert campaign.unit_path == tree["state"].path
        assert list(campaign.metrics.values_list("code", flat=True)) == ["homes", "members", "walls"]
        assert Metric.objects.get(campaign=campaign, code="walls").task_kind == "wall_writing"

    @pytest.mark.parametrize(("change", "field"), [
        ({"code": "Bad Code"}, "code"),
        ({"report_level": "page"}, "report_level"),
        ({"metrics": []}, "metrics"),
        ({"metrics": [MetricSpec(code="a", label_hi="क"), MetricSpec(code="a", label_hi="ख")]}, "metrics.1.code"),
        ({"metrics": [MetricSpec(code="a", label_hi="")]}, "metrics.0.label_hi"),
        ({"start_date": date(2026, 12, 1), "end_date": date(2026, 11, 1)}, "end_date"),
    ])
    def test_bad_input_is_a_field_error(self, tree, change, field):
        with pytest.raises(DomainError) as caught:
            make_campaign(tree, **change)
        assert field in caught.value.errors
        assert not Campaign.objects.exists()

    def test_duplicate_code(self, tree, campaign):
        with pytest.raises(DomainError) as caught:
            make_campaign(tree)
        assert caught.value.code == "duplicate"

    def test_needs_write_scope(self, tree):
        from sangathan.campaigns.services import campaign_create

        with pytest.raises(NotFound):  # outside the actor's scope: as if absent
            campaign_create(scope=scope_of(tree, "district_president"),
                            unit=tree["state"], code="x", name_hi="अभियान", report_level="mandal",
                            start_date=date(2026, 1, 1), end_date=date(2026, 2, 1),
                            metrics=[MetricSpec(code="a", label_hi="क")])

    def test_report_level_not_above_the_campaign(self, tree):
        with pytest.raises(DomainError) as caught:
            make_campaign(tree, unit=tree["d1a1m"], report_level="district")
        assert "report_level" in caught.value.errors


class TestTargets:
    def test_split_adds_up(self):
        assert split_largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
        assert split_largest_remainder(7, [2, 0, 1]) == [5, 0, 2]
        assert split_largest_remainder(5, [0, 0]) == [3, 2]
        assert sum(split_largest_remainder(1001, [3, 5, 7, 11])) == 1001

    def test_district_target_splits_to_its_mandals(self, tree, campaign):
        homes = campaign.metrics.get(code="homes")
        written = target_set(scope=scope_of(tree, "district_president"),
                             campaign=campaign, metric=homes, unit=tree["d1"], value=1001)
        assert written == 2
        targets = dict(Target.objects.filter(metric=homes).values_list("unit__code", "value"))
        assert targets == {"D1A1M": 501, "D1A2M": 500}
        assert set(Target.objects.values_list("set_at", flat=True)) == {tree["d1"].pk}

    def test_lower_target_replaces_its_part(self, tree, campaign):
        homes = campaign.metrics.get(code="homes")
        state = scope_of(tree, "state_president")
        target_set(scope=state, campaign=campaign, metric=homes, unit=tree["state"], value=400)
        target_set(scope=state, campaign=campaign, metric=homes, unit=tree["d1a1m"], value=250)
        assert Target.objects.get(unit=tree["d1a1m"]).value == 250
        assert sum(Target.objects.values_list("value", flat=True)) == 550

    def test_refused_outside_scope_and_bad_values(self, tree, campaign):
        homes = campaign.metrics.get(code="homes")
        with pytest.raises(NotFound):  # outside the actor's scope: as if absent
            target_set(scope=scope_of(tree, "district_president"), campaign=campaign, metric=homes,
                       unit=tree["d2"], value=10)
        for value in (-1, 10**9, "12", True):
            with pytest.raises(DomainError) as caught:
                target_set(scope=scope_of(tree, "state_president"), campaign=campaign, metric=homes,
                           unit=tree["d1"], value=value)
            assert "value" in caught.value.errors
        assert not Target.objects.exists()


class TestReports:
    def test_submit_then_correct_keeps_history(self, tree, campaign, clock):
        user = tree.users["mandal_president"]
        scope = scope_of(tree, "mandal_president")
        first = report_submit(scope=scope, campaign=campaign, unit=tree["d1a1m"],
                              values={"homes": 120, "members": 8})
        assert (first.period_start, first.period_end) == (START + 2 * WEEK, START + 3 * WEEK - timedelta(days=1))
        clock.advance(hours=3)
        second = report_submit(scope=scope, campaign=campaign, unit=tree["d1a1m"],
                               values={"homes": 112, "members": 8, "walls": 2}, note="गिनती सुधारी")
        assert second.pk == first.pk and second.revision == 2
        assert dict(ReportValue.objects.filter(report=second).values_list("metric__code", "value")) == {
            "homes": 112, "members": 8, "walls": 2}
        revisions = list(ReportRevision.objects.filter(report=second).order_by("number"))
        assert [r.values for r in revisions] == [{"homes": 120, "members": 8, "walls": 0},
                                                 {"homes": 112, "members": 8, "walls": 2}]
        assert revisions[1].note == "गिनती सुधारी" and revisions[1].actor == user

    def test_earlier_period_by_day(self, tree, campaign):
        report = report_submit(scope=scope_of(tree, "mandal_president"), campaign=campaign,
                               unit=tree["d1a1m"], day=START + timedelta(days=1), values={"homes": 50})
        assert report.period_start == START

    @pytest.mark.parametrize(("kwargs", "field"), [
        ({"values": {"homes": -1}}, "values.homes"),
        ({"values": {"homes": 1.5}}, "values.homes"),
        ({"values": {"homes": 10**8}}, "values.homes"),
        ({"values": {"voters": 3}}, "values.voters"),
        ({"values": {}, "day": TODAY + WEEK}, "period"),
        ({"values": {}, "day": START - timedelta(days=1)}, "period"),
    ])
    def test_bad_input(self, tree, campaign, kwargs, field):
        with pytest.raises(DomainError) as caught:
            report_submit(scope=scope_of(tree, "mandal_president"), campaign=campaign,
                          unit=tree["d1a1m"], **kwargs)
        assert field in caught.value.errors
        assert not Report.objects.exists()

    def test_only_reporting_units_inside_write_scope(self, tree, campaign):
        with pytest.raises(NotFound):  # outside the actor's scope: as if absent
            report_submit(scope=scope_of(tree, "mandal_president"), campaign=campaign,
                          unit=tree["d1a2m"], values={"homes": 1})
        with pytest.raises(DomainError) as caught:
            report_submit(scope=scope_of(tree, "mandal_president"), campaign=campaign,
                          unit=tree["d1a1b1"], values={"homes": 1})
        assert "unit" in caught.value.errors
        # A writing office-bearer above may enter a mandal's paper report.
        report_submit(scope=scope_of(tree, "district_president"), campaign=campaign,
                      unit=tree["d1a2m"], values={"homes": 1})

    def test_closed_campaign_takes_no_reports(self, tree, campaign):
        campaign_close(scope=scope_of(tree, "state_president"), campaign=campaign)
        with pytest.raises(DomainError) as caught:
            report_submit(scope=scope_of(tree, "mandal_president"), campaign=campaign,
                          unit=tree["d1a1m"], values={"homes": 1})
        assert caught.value.code == "closed"


class TestBoothTasks:
    def test_wall_writing_with_photo(self, tree, campaign, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        scope = scope_of(tree, "booth_president")
        task = booth_task_create(scope=scope_of(tree, "mandal_president"),
                                 campaign=campaign, unit=tree["d1a1b1"], kind="wall_writing")
        assert task.title == "Wall writing" or task.title == "दीवार लेखन"
        with pytest.raises(DomainError) as caught:
            booth_task_complete(scope=scope, task=task, attendance_count=4)
        assert "photo" in caught.value.errors
        with pytest.raises(DomainError) as caught:
            booth_task_complete(scope=scope, task=task, photo=io.BytesIO(b"GIF89a" + b"\x00" * 30))
        assert caught.value.code == "file_type"
        done = booth_task_complete(scope=scope, task=task,
                                   photo=io.BytesIO(PNG))
        assert done.status == TaskStatus.DONE and done.has_evidence
        assert done.photo.name.endswith(".png") and (tmp_path / done.photo.name).read_bytes() == PNG

    def test_meeting_with_attendance(self, tree, campaign):
        scope = scope_of(tree, "booth_president")
        task = booth_task_create(scope=scope, campaign=campaign, unit=tree["d1a1b1"], kind="meeting",
                                 title="बूथ समिति बैठक")
        with pytest.raises(DomainError) as caught:
            booth_task_complete(scope=scope, task=task, attendance_count=1,
                                attendance_names="राम\nश्याम")
        assert "attendance_count" in caught.value.errors
        member = tree.people["d1a1b1p0"]
        done = booth_task_complete(scope=scope, task=task, attendance_names="राम\nश्याम\n",
                                   attendees=[member])
        assert done.attendance_count == 3 and list(done.attendees.all()) == [member]
        with pytest.raises(DomainError) as caught:
            booth_task_complete(scope=scope, task=task, attendance_count=3)
        assert caught.value.code == "done"

    def test_tasks_only_for_booths_in_scope(self, tree, campaign):
        with pytest.raises(NotFound):  # outside the actor's scope: as if absent
            booth_task_create(scope=scope_of(tree, "booth_president"), campaign=campaign,
                              unit=tree["d1a1b2"], kind="meeting")
        with pytest.raises(DomainError):
            booth_task_create(scope=scope_of(tree, "mandal_president"), campaign=campaign,
                              unit=tree["d1a1m"], kind="meeting")
