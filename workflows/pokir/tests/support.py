"""Helpers for pokir tests (also used by the browser journey): a small world, complete fields, PNG photos."""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from project.org import roles
from project.org.models import CouncilMember, Dapil, Fraksi
from project.reference.models import KamusUsulan, Kecamatan, Kelurahan, Opd
from tests.support import make_user
from workflows.pokir.models import PokirYear
from workflows.reses.models import PHOTO, Reses, ResesItem, ResesPeriod


def png_bytes(colour=(90, 140, 90)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name="foto.png", colour=(90, 140, 90)):
    return SimpleUploadedFile(name, png_bytes(colour), content_type="image/png")


def build_world(org):
    """``org`` (registrar, auditor, chair, deputy, komisi heads, member) plus what pokir needs."""
    w = SimpleNamespace(org=org, today=timezone.localdate())
    w.dapil5 = Dapil.objects.create(code="bpp-5", name="Dapil Balikpapan 5", kecamatan="Balikpapan Kota")
    w.dapil1 = Dapil.objects.create(code="bpp-1", name="Dapil Balikpapan 1", kecamatan="Balikpapan Selatan")
    kota = Kecamatan.objects.create(code="balikpapan-kota", name="Balikpapan Kota", dapil=w.dapil5)
    selatan = Kecamatan.objects.create(code="balikpapan-selatan", name="Balikpapan Selatan", dapil=w.dapil1)
    w.klandasan = Kelurahan.objects.create(code="klandasan-ilir", name="Klandasan Ilir", kecamatan=kota)
    w.damai = Kelurahan.objects.create(code="damai", name="Damai", kecamatan=kota)
    w.sepinggan = Kelurahan.objects.create(code="sepinggan", name="Sepinggan", kecamatan=selatan)
    w.dpu = Opd.objects.create(code="dpu", name="Dinas Pekerjaan Umum")
    w.perkim = Opd.objects.create(code="disperkim", name="Dinas Perumahan dan Permukiman")
    w.drainase = KamusUsulan.objects.create(code="drainase", urusan="Pekerjaan umum", name="Pembangunan drainase lingkungan",
                                            kind="fisik", unit="meter", opd=w.dpu)
    w.pju = KamusUsulan.objects.create(code="pju", urusan="Perumahan", name="Pemasangan penerangan jalan umum",
                                       kind="fisik", unit="titik", opd=w.perkim)
    w.golkar = Fraksi.objects.create(code="golkar", name="Fraksi Golkar")
    w.pks = Fraksi.objects.create(code="pks", name="Fraksi PKS")

    w.member_user = org.member
    w.member = CouncilMember.objects.create(user=org.member, fraksi=w.golkar, dapil=w.dapil5)
    w.staff = make_user("staf.member", first_name="Rudi")
    w.member.staff.add(w.staff)
    w.other_user = make_user("anggota.lain", first_name="Siti")
    w.other = CouncilMember.objects.create(user=w.other_user, fraksi=w.pks, dapil=w.dapil1)
    w.other_staff = make_user("staf.lain")
    w.other.staff.add(w.other_staff)
    w.leader = make_user("ketua.golkar", first_name="Ketua Golkar")
    CouncilMember.objects.create(user=w.leader, fraksi=w.golkar, dapil=w.dapil1)
    w.golkar.leader = w.leader
    w.golkar.save()
    w.pks_leader = make_user("ketua.pks", first_name="Ketua PKS")
    CouncilMember.objects.create(user=w.pks_leader, fraksi=w.pks, dapil=w.dapil5)
    w.pks.leader = w.pks_leader
    w.pks.save()
    w.verifier = make_user("verifikator", groups=[roles.VERIFIER])
    w.verifier2 = make_user("verifikator2", groups=[roles.VERIFIER])
    w.year = PokirYear.objects.create(year=w.today.year + 1, deadline=w.today + datetime.timedelta(days=30),
                                      ceiling_per_member=Decimal(1_000_000_000), reminder_working_days=5)
    return w


def complete(w, **overrides):
    """Fields with which every check passes for ``w.member`` (dapil 5)."""
    data = {
        "title": "Pembangunan drainase lingkungan Jl. Mawar", "problem": "Saluran meluap setiap hujan.",
        "kelurahan": w.klandasan, "rt": "005", "rw": "002", "address": "Jl. Mawar No. 12",
        "boundaries": "dari simpang Jl. Mawar sampai Gg. Melati", "latitude": Decimal("-1.270000"),
        "longitude": Decimal("116.830000"), "kind": "fisik", "volume": Decimal(150), "unit": "meter",
        "estimated_cost": Decimal(180_000_000), "kamus": w.drainase, "opd": w.dpu,
    }
    data.update(overrides)
    return data


def build_reses_items(world):
    """Two recorded reses items of the member (the first with a photo) and one still a draft."""

    def item(reses, **fields):
        data = {"status": ResesItem.Status.RECORDED, "created_by": world.member_user, "kelurahan": world.klandasan,
                "rt": "005", "rw": "002", "address": "Jl. Mawar No. 12", "kind": "fisik", "volume": Decimal(120),
                "unit": "meter", "estimated_cost": Decimal(150_000_000), "kamus": world.drainase, "opd": world.dpu}
        data.update(fields)
        return ResesItem.objects.create(reses=reses, **data)

    today = world.today
    period = ResesPeriod.objects.create(year=today.year, number=1, starts_on=today - datetime.timedelta(days=40),
                                        ends_on=today - datetime.timedelta(days=35), report_due=today - datetime.timedelta(days=20))
    reses = Reses.objects.create(period=period, member=world.member, starts_on=period.starts_on, ends_on=period.ends_on,
                                 venue="Balai warga", created_by=world.member_user)
    first = item(reses, problem="Saluran meluap", request="Pembangunan drainase Jl. Mawar", boundaries="")
    second = item(reses, problem="Gang gelap", request="Lampu jalan Gg. Kenanga", kamus=world.pju, opd=world.perkim,
                  unit="titik", volume=Decimal(6))
    draft = item(reses, status=ResesItem.Status.DRAFT, request="Belum selesai dicatat")
    from documents.services import add_document

    add_document(first, role=PHOTO, file=png_upload("reses.png", (10, 20, 30)), media_type="image/png",
                 user=world.member_user, title="Foto saluran", extract_text=False)
    return SimpleNamespace(first=first, second=second, draft=draft, reses=reses)
