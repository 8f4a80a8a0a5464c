"""The primary archive classification codes of Permendagri 83/2022."""

from django.db import migrations

PRIMARY_CODES = [
    ("000", "Umum"),
    ("100", "Pemerintahan"),
    ("200", "Politik"),
    ("300", "Keamanan dan Ketertiban"),
    ("400", "Kesejahteraan Rakyat"),
    ("500", "Perekonomian"),
    ("600", "Pekerjaan Umum dan Ketenagaan"),
    ("700", "Pengawasan"),
    ("800", "Kepegawaian"),
    ("900", "Keuangan"),
]


def add_codes(apps, schema_editor):
    ClassificationCode = apps.get_model("documents", "ClassificationCode")
    for code, name in PRIMARY_CODES:
        ClassificationCode.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(add_codes, migrations.RunPython.noop)]
