

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('org', '0002_unit_permissions_from_processes'),
    ]

    operations = [
        migrations.CreateModel(
            name='Opd',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(unique=True, verbose_name='kode')),
                ('name', models.CharField(max_length=200, verbose_name='nama')),
            ],
            options={
                'verbose_name': 'OPD',
                'verbose_name_plural': 'OPD',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Kecamatan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(unique=True, verbose_name='kode')),
                ('name', models.CharField(max_length=120, verbose_name='nama')),
                ('dapil', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='kecamatans', to='org.dapil', verbose_name='dapil')),
            ],
            options={
                'verbose_name': 'kecamatan',
                'verbose_name_plural': 'kecamatan',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='Kelurahan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(unique=True, verbose_name='kode')),
                ('name', models.CharField(max_length=120, verbose_name='nama')),
                ('kecamatan', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='kelurahans', to='reference.kecamatan', verbose_name='kecamatan')),
            ],
            options={
                'verbose_name': 'kelurahan',
                'verbose_name_plural': 'kelurahan',
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='KamusUsulan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(unique=True, verbose_name='kode')),
                ('urusan', models.CharField(max_length=200, verbose_name='urusan / bidang')),
                ('name', models.CharField(max_length=200, verbose_name='usulan')),
                ('kind', models.CharField(choices=[('fisik', 'Fisik'), ('non_fisik', 'Non-fisik')], max_length=20, verbose_name='jenis')),
                ('unit', models.CharField(max_length=40, verbose_name='satuan')),
                ('active', models.BooleanField(default=True, verbose_name='aktif')),
                ('opd', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='kamus', to='reference.opd', verbose_name='OPD tujuan')),
            ],
            options={
                'verbose_name': 'kamus usulan',
                'verbose_name_plural': 'kamus usulan',
                'ordering': ['urusan', 'name'],
            },
        ),
    ]
