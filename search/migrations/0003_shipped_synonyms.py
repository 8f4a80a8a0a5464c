"""The abbreviations of local government SIAP ships; archivists add more in the admin.

Written out here (not imported) so this migration means the same whatever
the list becomes later. Reversing removes only these entries.
"""

from django.db import migrations

SHIPPED = [
    ("AKD", "alat kelengkapan dewan"),
    ("APBD", "anggaran pendapatan dan belanja daerah"),
    ("APBD-P", "anggaran pendapatan dan belanja daerah perubahan"),
    ("ASN", "aparatur sipil negara"),
    ("Banggar", "badan anggaran"),
    ("Banmus", "badan musyawarah"),
    ("Bansos", "bantuan sosial"),
    ("Bapemperda", "badan pembentukan peraturan daerah"),
    ("Bapenda", "badan pendapatan daerah"),
    ("Bappeda", "badan perencanaan pembangunan daerah"),
    ("BK", "badan kehormatan"),
    ("BPBD", "badan penanggulangan bencana daerah"),
    ("BPJS", "badan penyelenggara jaminan sosial"),
    ("Disdikbud", "dinas pendidikan dan kebudayaan"),
    ("Disdukcapil", "dinas kependudukan dan pencatatan sipil"),
    ("Dishub", "dinas perhubungan"),
    ("Dinkes", "dinas kesehatan"),
    ("DLH", "dinas lingkungan hidup"),
    ("DPRD", "dewan perwakilan rakyat daerah"),
    ("DPUPR", "dinas pekerjaan umum dan penataan ruang"),
    ("IMB", "izin mendirikan bangunan"),
    ("KUA-PPAS", "kebijakan umum anggaran prioritas dan plafon anggaran sementara"),
    ("LKPJ", "laporan keterangan pertanggungjawaban"),
    ("Musrenbang", "musyawarah perencanaan pembangunan"),
    ("OPD", "organisasi perangkat daerah"),
    ("PAD", "pendapatan asli daerah"),
    ("PBG", "persetujuan bangunan gedung"),
    ("PDAM", "perusahaan daerah air minum"),
    ("Pemkot", "pemerintah kota"),
    ("Perda", "peraturan daerah"),
    ("PJU", "penerangan jalan umum"),
    ("Pokir", "pokok pikiran"),
    ("PPDB", "penerimaan peserta didik baru"),
    ("PPPK", "pegawai pemerintah dengan perjanjian kerja"),
    ("PUPR", "pekerjaan umum dan penataan ruang"),
    ("Raperda", "rancangan peraturan daerah"),
    ("RDP", "rapat dengar pendapat"),
    ("RKPD", "rencana kerja pemerintah daerah"),
    ("RPJMD", "rencana pembangunan jangka menengah daerah"),
    ("RSUD", "rumah sakit umum daerah"),
    ("RTRW", "rencana tata ruang wilayah"),
    ("Satpol PP", "satuan polisi pamong praja"),
    ("Setwan", "sekretariat dewan"),
    ("Setwan", "sekretariat DPRD"),
    ("SILPA", "sisa lebih pembiayaan anggaran"),
    ("SKPD", "satuan kerja perangkat daerah"),
    ("TPA", "tempat pemrosesan akhir"),
    ("UMKM", "usaha mikro kecil dan menengah"),
]


def ship(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for abbreviation, expansion in SHIPPED:
        Synonym.objects.get_or_create(abbreviation=abbreviation, expansion=expansion)


def unship(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    for abbreviation, expansion in SHIPPED:
        Synonym.objects.filter(abbreviation=abbreviation, expansion=expansion).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_synonym")]
    operations = [migrations.RunPython(ship, unship)]
