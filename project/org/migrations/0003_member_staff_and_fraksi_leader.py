

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0002_unit_permissions_from_processes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='councilmember',
            name='staff',
            field=models.ManyToManyField(blank=True, related_name='assisted_members', to=settings.AUTH_USER_MODEL, verbose_name='staf anggota'),
        ),
        migrations.AddField(
            model_name='fraksi',
            name='leader',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='led_fraksi', to=settings.AUTH_USER_MODEL, verbose_name='ketua fraksi'),
        ),
    ]
