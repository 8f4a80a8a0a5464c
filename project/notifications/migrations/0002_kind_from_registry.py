from django.db import migrations, models


class Migration(migrations.Migration):
    """Kinds are registered by the processes (no choices in the schema, so a new process needs no migration here)."""

    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="notification", name="kind", field=models.CharField(max_length=40, verbose_name="jenis"),
        ),
    ]
