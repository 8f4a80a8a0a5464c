# Unit permissions are registered by the processes now (project/org/permissions.py).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='unit',
            options={'ordering': ['kind', 'name'], 'verbose_name': 'unit', 'verbose_name_plural': 'unit'},
        ),
    ]
