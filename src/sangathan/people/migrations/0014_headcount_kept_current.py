from collections import defaultdict

from django.db import migrations, models
from django.db.models import Count
from django.utils import timezone

SEGMENT = 4  # core.tree.SEGMENT, fixed here as the data had it


def recount(apps, schema_editor):
    """From now on writers keep the headcount current: start from exact counts (the periodic refresh's
    roll-up, for databases with people written since it last ran)."""
    Person = apps.get_model("people", "Person")
    Unit = apps.get_model("org", "Unit")
    UnitHeadcount = apps.get_model("people", "UnitHeadcount")
    totals = defaultdict(int)
    for path, people in Person.objects.order_by().values_list("unit_path").annotate(n=Count("*")).iterator(
            chunk_size=10_000):
        for end in range(SEGMENT, len(path) + 1, SEGMENT):
            totals[path[:end]] += people
    now = timezone.now()
    UnitHeadcount.objects.all().delete()
    UnitHeadcount.objects.bulk_create(
        [UnitHeadcount(unit_id=unit_id, people=totals[path], computed_at=now)
         for unit_id, path in Unit.objects.values_list("id", "path").iterator(chunk_size=10_000) if path in totals],
        batch_size=5_000)


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0007_unit_booth_count'),
        ('people', '0013_search_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='unitheadcount',
            name='people',
            field=models.IntegerField(),
        ),
        migrations.RunPython(recount, migrations.RunPython.noop),
    ]
