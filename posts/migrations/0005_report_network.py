from django.db import migrations, models
from django.db.models import F


def networks_of_earlier_reports(apps, schema_editor):
    # Their network was never recorded: each visitor counts as a network of its own.
    apps.get_model("posts", "Report").objects.update(network=F("visitor"))


class Migration(migrations.Migration):
    dependencies = [
        ("posts", "0004_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="report",
            name="network",
            field=models.CharField(default="", max_length=64, verbose_name="réseau"),
            preserve_default=False,
        ),
        migrations.RunPython(networks_of_earlier_reports, migrations.RunPython.noop),
    ]
