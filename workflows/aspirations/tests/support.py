"""A small world for aspiration tests: the letter tests' organisation plus the desk, its head, the Sekretaris DPRD,
two kelurahan in two dapil and members elected there."""

from types import SimpleNamespace

from project.org.models import CouncilMember, Dapil, Fraksi, Position, Unit
from project.reference.models import Kecamatan, Kelurahan
from tests.support import make_user
from workflows import inbox
from workflows.aspirations import services
from workflows.aspirations.flows import AspirationFlow


def build_world(org):
    w = SimpleNamespace(org=org)
    w.desk_unit = Unit.objects.create(code="bag-umum", name="Bagian Umum", kind=Unit.Kind.SEKRETARIAT)
    Position.objects.create(unit=w.desk_unit, role=Position.Role.STAFF, holder=org.registrar)
    w.desk_head = make_user("kabag.umum", first_name="Kabag")
    Position.objects.create(unit=w.desk_unit, role=Position.Role.HEAD, holder=w.desk_head)
    w.secretariat = Unit.objects.create(code="sekretariat", name="Sekretariat DPRD", kind=Unit.Kind.SEKRETARIAT)
    w.sekwan = make_user("sekwan", first_name="Sekwan")
    Position.objects.create(unit=w.secretariat, role=Position.Role.HEAD, holder=w.sekwan)
    w.dapil5 = Dapil.objects.create(code="bpp-5", name="Dapil Balikpapan 5", kecamatan="Balikpapan Kota")
    w.dapil1 = Dapil.objects.create(code="bpp-1", name="Dapil Balikpapan 1", kecamatan="Balikpapan Selatan")
    kota = Kecamatan.objects.create(code="balikpapan-kota", name="Balikpapan Kota", dapil=w.dapil5)
    selatan = Kecamatan.objects.create(code="balikpapan-selatan", name="Balikpapan Selatan", dapil=w.dapil1)
    w.klandasan = Kelurahan.objects.create(code="klandasan-ilir", name="Klandasan Ilir", kecamatan=kota)
    w.sepinggan = Kelurahan.objects.create(code="sepinggan", name="Sepinggan", kecamatan=selatan)
    fraksi = Fraksi.objects.create(code="golkar", name="Fraksi Golkar")
    w.member = CouncilMember.objects.create(user=org.member, fraksi=fraksi, dapil=w.dapil5)
    w.other_user = make_user("anggota.lain", first_name="Siti")
    w.other = CouncilMember.objects.create(user=w.other_user, fraksi=fraksi, dapil=w.dapil1)
    w.outsider = make_user("staf.lain")  # signed in, in no unit the aspiration meets
    return w


def receive(world, **overrides):
    data = {"channel": "web", "subject": "Lampu jalan padam", "text": "Lampu jalan di RT 12 padam sejak sebulan.",
            "name": "Warga Klandasan", "phone": "081234567890", "email": "warga@example.org",
            "kelurahan": world.klandasan, "consent": True, **overrides}
    return services.receive(**data)


def task_of(aspiration, node, user=None):
    task = inbox.open_task(aspiration, node)
    assert task is not None, f"no open {node.name} task"
    if user is not None and task.owner_id is None:
        task = inbox.claim(task, user=user)
    return task


def verify(world, aspiration, decision="valid", **kwargs):
    task = task_of(aspiration, AspirationFlow.verify, world.org.registrar)
    return services.verify(task, user=world.org.registrar, decision=decision, **kwargs)


def dispose(world, aspiration, unit=None, members=()):
    task = task_of(aspiration, AspirationFlow.dispose)
    return services.dispose(task, user=world.org.chair, unit=unit, members=members)


def answer(aspiration, user, text="Sudah kami sampaikan kepada dinas; lampu diperbaiki pekan ini."):
    task = task_of(aspiration, AspirationFlow.follow_up, user)
    return services.draft_answer(task, user=user, answer=text)


def approve(aspiration, user):
    task = task_of(aspiration, AspirationFlow.approve)
    return services.approve_answer(task, user=user, approve=True)
