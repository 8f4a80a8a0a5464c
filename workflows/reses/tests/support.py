"""Helpers of the reses tests: a small council for reses: dapil with Balikpapan's kelurahan, two fraksi, members with their staff.

- ``member`` (dapil 5, Balikpapan Kota; fraksi A) with aide ``staf.member``;
- ``anggota2`` (dapil 1, Balikpapan Selatan; fraksi B) with aide ``staf.anggota2``;
- ``ketua.fraksi`` leads fraksi A (a member in dapil 2); ``verifikator`` (verifier role);
- from ``tests.support.Org``: the chair and deputy (Pimpinan), auditor, registrar, komisi1.
"""

import datetime
import io
import re
import uuid
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, TiffImagePlugin

from fixtures import regions
from project.org import roles
from project.org.models import CouncilMember, Dapil, Fraksi
from project.reference.models import KamusUsulan, Kelurahan
from tests.support import make_user, pdf_upload

DAPIL = [("bpp-1", "Dapil Balikpapan 1"), ("bpp-2", "Dapil Balikpapan 2"), ("bpp-3", "Dapil Balikpapan 3"),
         ("bpp-4", "Dapil Balikpapan 4"), ("bpp-5", "Dapil Balikpapan 5")]


class Council:
    def __init__(self, org):
        self.org = org
        dapil = {code: Dapil.objects.create(code=code, name=name) for code, name in DAPIL}
        regions.build()
        self.fraksi_a = Fraksi.objects.create(code="a", name="Fraksi A")
        self.fraksi_b = Fraksi.objects.create(code="b", name="Fraksi B")
        self.member_user = org.member
        self.member = CouncilMember.objects.create(user=org.member, fraksi=self.fraksi_a, dapil=dapil["bpp-5"])
        self.aide = make_user("staf.member", first_name="Rudi")
        self.member.staff.add(self.aide)
        self.other_user = make_user("anggota2", first_name="Siti")
        self.other = CouncilMember.objects.create(user=self.other_user, fraksi=self.fraksi_b, dapil=dapil["bpp-1"])
        self.other_aide = make_user("staf.anggota2")
        self.other.staff.add(self.other_aide)
        self.leader = make_user("ketua.fraksi", first_name="Ketua Fraksi")
        CouncilMember.objects.create(user=self.leader, fraksi=self.fraksi_a, dapil=dapil["bpp-2"])
        self.fraksi_a.leader = self.leader
        self.fraksi_a.save()
        self.verifier = make_user("verifikator", groups=[roles.VERIFIER])
        self.chair, self.deputy, self.auditor, self.registrar = org.chair, org.deputy, org.auditor, org.registrar
        self.kota = list(Kelurahan.objects.filter(kecamatan__dapil=dapil["bpp-5"]).order_by("name"))  # member's dapil
        self.selatan = list(Kelurahan.objects.filter(kecamatan__dapil=dapil["bpp-1"]).order_by("name"))
        self.drainase = KamusUsulan.objects.get(code="pembangunan-drainase-lingkungan")
        self.pju = KamusUsulan.objects.get(code="pemasangan-penerangan-jalan-umum")
        from workflows.reses.models import ResesPeriod

        self.period1 = ResesPeriod.objects.create(year=2026, number=1, starts_on=datetime.date(2026, 4, 13),
                                                  ends_on=datetime.date(2026, 4, 19), report_due=datetime.date(2026, 5, 10))
        self.period2 = ResesPeriod.objects.create(year=2026, number=2, starts_on=datetime.date(2026, 8, 10),
                                                  ends_on=datetime.date(2026, 8, 20), report_due=datetime.date(2026, 9, 10))

    def open(self, member=None, period=None, user=None, **overrides):
        from workflows.reses import services

        member = member or self.member
        period = period or self.period1
        places = overrides.pop("places", None) or ([self.kota[0]] if member == self.member else [self.selatan[0]])
        data = {"starts_on": period.starts_on, "ends_on": period.starts_on + datetime.timedelta(days=2),
                "venue": "Balai Pertemuan RT 12", "residents_present": 0}
        data.update(overrides)
        return services.open_reses(period=period, member=member, places=places, user=user or member.user, **data)


def item_data(council, reses, **overrides):
    kelurahan = reses.places.first()
    data = {
        "problem": "Saluran tersumbat dan meluap setiap hujan di RT 12",
        "request": "Pembangunan drainase beton sepanjang 120 meter di Gg. Mawar",
        "kelurahan": kelurahan, "rt": "012", "rw": "003", "address": "Jl. Mulawarman Gg. Mawar",
        "boundaries": "Utara: Jl. Mulawarman; Selatan: parit besar", "kamus": council.drainase,
        "volume": Decimal("120"), "estimated_cost": Decimal("150000000"), "proposer_group": "Ketua RT 12",
        "proposer_name": "Suharti Syahrir", "proposer_phone": "0812-5555-1234",
    }
    data.update(overrides)
    return data


def record_item(council, reses, user=None, **overrides):
    from workflows.reses import services

    item, _outcome = services.save_item(reses, client_key=uuid.uuid4(), data=item_data(council, reses, **overrides),
                                        user=user or council.aide, record=True)
    return item


def complete_recording(council, reses, user=None):
    """Residents counted and the attendance sheet uploaded (what closing the recording needs besides items)."""
    from workflows.reses import services

    from workflows.reses.models import Reses

    Reses.objects.filter(pk=reses.pk).update(residents_present=57)
    upload = pdf_upload("daftar-hadir.pdf", subject="Daftar hadir reses")
    services.add_attendance_sheet(reses, file=upload, media_type="application/pdf", page_count=1, user=user or council.aide)
    reses.refresh_from_db()
    return reses


def login(user):
    client = Client()
    client.force_login(user)
    return client


def token_of(html):
    return re.search(r'name="submission_token" value="([0-9a-f]{32})"', html).group(1)


def jpeg_bytes(size=(40, 20), gps=True, orientation=6, fmt="JPEG"):
    """A picture whose left half is red and right half blue, with EXIF orientation and GPS (1°15'30"S 116°50'E)."""
    image = Image.new("RGB", size, (255, 0, 0))
    image.paste((0, 0, 255), (size[0] // 2, 0, size[0], size[1]))
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if gps:
        rational = TiffImagePlugin.IFDRational
        exif[0x8825] = {1: "S", 2: (rational(1), rational(15), rational(30)), 3: "E",
                        4: (rational(116), rational(50), rational(0))}
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif)
    return buffer.getvalue()


def photo_upload(name="foto.jpg", **kwargs):
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")
