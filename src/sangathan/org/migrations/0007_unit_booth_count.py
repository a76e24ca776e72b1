from collections import defaultdict

from django.db import migrations, models

SEGMENT = 4  # core.tree.SEGMENT, fixed here as the data had it


def count_booths(apps, schema_editor):
    """Fill ``booth_count`` for the units already there (the same roll-up as ``unit_booths_recount``)."""
    Unit = apps.get_model("org", "Unit")
    totals = defaultdict(int)
    for path in Unit.objects.filter(level="booth").values_list("path", flat=True).iterator(chunk_size=10_000):
        for end in range(SEGMENT, len(path) + 1, SEGMENT):
            totals[path[:end]] += 1
    changed = [Unit(pk=pk, booth_count=totals[path])
               for pk, path in Unit.objects.values_list("pk", "path").iterator(chunk_size=10_000) if totals.get(path)]
    Unit.objects.bulk_update(changed, ["booth_count"], batch_size=2_000)


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0006_hindi_field_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='unit',
            name='booth_count',
            field=models.PositiveIntegerField(db_default=0, default=0, verbose_name='booths below'),
        ),
        migrations.RunPython(count_booths, migrations.RunPython.noop),
    ]
