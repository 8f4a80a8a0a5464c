"""Secondary classification codes a DPRD secretariat uses, and a provisional JRA.

The code names follow the structure of Permendagri 83/2022; the retention
years and final dispositions are provisional defaults set per primary code
(inherited by their children) until the secretariat's archivist enters the
official JRA values in the admin. An operator's edits are never overwritten:
this migration only fills codes and empty retention fields.
"""

from django.db import migrations

SECONDARY = {
    "000": [
        ("000.1", "Ketatausahaan dan Kerumahtanggaan"),
        ("000.2", "Perlengkapan"),
        ("000.3", "Pengadaan"),
        ("000.4", "Perpustakaan"),
        ("000.5", "Kearsipan"),
        ("000.6", "Persandian"),
        ("000.7", "Perencanaan Pembangunan"),
        ("000.8", "Organisasi dan Tata Laksana"),
        ("000.9", "Penelitian, Pengkajian, dan Pengembangan"),
    ],
    "100": [
        ("100.1", "Otonomi Daerah"),
        ("100.2", "Pemerintahan Umum"),
        ("100.3", "Hukum"),
    ],
    "200": [
        ("200.1", "Kesatuan Bangsa dan Politik"),
        ("200.2", "Pemilihan Umum"),
    ],
    "300": [
        ("300.1", "Ketenteraman dan Ketertiban Umum"),
        ("300.2", "Penanggulangan Bencana"),
    ],
    "400": [
        ("400.3", "Pendidikan"),
        ("400.7", "Kesehatan"),
        ("400.9", "Sosial"),
    ],
    "500": [
        ("500.1", "Perdagangan dan Perindustrian"),
        ("500.2", "Koperasi dan Usaha Kecil Menengah"),
    ],
    "600": [
        ("600.1", "Pekerjaan Umum"),
        ("600.2", "Perumahan dan Kawasan Permukiman"),
        ("600.3", "Penataan Ruang"),
    ],
    "700": [
        ("700.1", "Pengawasan Internal"),
        ("700.2", "Pengawasan Eksternal"),
    ],
    "800": [
        ("800.1", "Sumber Daya Manusia"),
        ("800.2", "Pendidikan dan Pelatihan"),
    ],
    "900": [
        ("900.1", "Keuangan Daerah"),
    ],
}

# (active years, inactive years, final disposition) per primary code: provisional.
RETENTION = {
    "000": (2, 3, "musnah"),
    "100": (2, 5, "dinilai_kembali"),
    "200": (2, 5, "dinilai_kembali"),
    "300": (2, 3, "musnah"),
    "400": (2, 3, "dinilai_kembali"),
    "500": (2, 3, "dinilai_kembali"),
    "600": (2, 5, "dinilai_kembali"),
    "700": (3, 7, "dinilai_kembali"),
    "800": (2, 5, "dinilai_kembali"),
    "900": (2, 8, "musnah"),
}


def forwards(apps, schema_editor):
    ClassificationCode = apps.get_model("documents", "ClassificationCode")
    for primary_code, (active, inactive, final) in RETENTION.items():
        primary = ClassificationCode.objects.filter(code=primary_code).first()
        if primary is None:
            continue
        if primary.active_years is None:
            primary.active_years, primary.inactive_years, primary.final_disposition = active, inactive, final
            primary.save()
        for code, name in SECONDARY.get(primary_code, []):
            ClassificationCode.objects.get_or_create(code=code, defaults={"name": name, "parent": primary})


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_document_store")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
