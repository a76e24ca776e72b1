import io

import pytest
from django.core.management import CommandError, call_command

from sangathan.access.scope import Scope
from sangathan.committees.models import Committee, Page
from sangathan.committees.selectors import completeness
from sangathan.org.models import Unit

pytestmark = pytest.mark.django_db


def test_small_demo_has_pages_and_committees(settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", "--scale", "small", stdout=out)
    assert "committees:" in out.getvalue()
    assert Page.objects.count() >= 30
    district = Unit.objects.filter(level="district").order_by("path").first()
    total, rows = completeness(scope=Scope.system(), unit=district)
    figures = {f.type.code: f for f in total.figures}
    assert 0 < figures["booth"].complete < figures["booth"].formed < figures["booth"].units
    assert 0 < figures["page"].complete < figures["page"].units
    assert figures["assembly_management"].formed == 1 and figures["assembly_management"].complete == 0
    assert Committee.objects.filter(type__code="assembly_office", is_complete=False).exists()
    again = io.StringIO()
    call_command("demo", "--if-empty", stdout=again)  # loaded already: nothing added
    assert Committee.objects.filter(type__code="assembly_office").count() == 1


def test_pages_command_reads_csv_and_refuses_bad_rows(ctree, tmp_path):
    good = tmp_path / "pages.csv"
    good.write_text("booth,pages,voters\nD1A1B1,3,30;29;31\nD1A1B2,2,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("committees", "pages", str(good), stdout=out)
    assert "2 booths, 5 pages created" in out.getvalue()
    assert Page.objects.get(booth=ctree["d1a1b1"], number=2).voters == 29
    bad = tmp_path / "bad.csv"
    bad.write_text("booth,pages\nD1A1B1,4\nNOPE,3\nD1A1B2,x\n", encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("committees", "pages", str(bad), stdout=io.StringIO())
    assert "line 3" in str(error.value) and "line 4" in str(error.value)
    assert Page.objects.filter(booth=ctree["d1a1b1"]).count() == 3  # nothing written


def test_pages_command_reads_xlsx(ctree, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["booth", "pages"])
    sheet.append(["D1A2B1", 4])
    path = tmp_path / "pages.xlsx"
    workbook.save(path)
    call_command("committees", "pages", str(path), stdout=io.StringIO())
    assert Unit.objects.filter(parent=ctree["d1a2b1"], level="page").count() == 4
