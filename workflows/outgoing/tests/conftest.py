"""The world of the e-Piper tests: ``org`` plus the secretariat, officials' identities, SIAP's CA and paraf rules."""

from types import SimpleNamespace

import pytest

from documents.models import ClassificationCode
from project.org.models import OfficialProfile, Position, Unit
from project.signing import services as signing
from tests.support import make_user
from workflows import inbox
from workflows.outgoing import services
from workflows.outgoing.flows import OutgoingLetterFlow
from workflows.outgoing.kinds import Kind
from workflows.outgoing.models import Aspect, ParafRule


from .support import CA_PASSPHRASE, PASSPHRASE


@pytest.fixture
def epiper(org):
    sekretariat = Unit.objects.create(code="sekretariat", name="Sekretariat DPRD", kind=Unit.Kind.SEKRETARIAT)
    bag_umum = Unit.objects.create(code="bag-umum", name="Bagian Umum", kind=Unit.Kind.SEKRETARIAT, parent=sekretariat)
    Unit.objects.filter(pk=org.komisi1.pk).update(letter_code="KOM-I")
    org.komisi1.refresh_from_db()
    sekwan, kabag = make_user("sekwan", first_name="Hery"), make_user("kabag", first_name="Joko")
    outsider = make_user("outsider")
    sekwan_position = Position.objects.create(unit=sekretariat, role=Position.Role.HEAD, holder=sekwan)
    kabag_position = Position.objects.create(unit=bag_umum, role=Position.Role.HEAD, holder=kabag)
    Position.objects.create(unit=bag_umum, role=Position.Role.STAFF, holder=outsider)
    OfficialProfile.objects.create(user=sekwan, name_with_titles="Drs. Hery Sudarsono, M.Si.", nip="197003121995031004",
                                   rank="Pembina Utama Muda (IV/c)")
    ParafRule.objects.create(signer_position=org.chair_position, order=1, aspect=Aspect.SUBSTANSI, position=sekwan_position)
    ParafRule.objects.create(signer_position=org.chair_position, order=2, aspect=Aspect.REDAKSI, position=kabag_position)
    signing.create_authority("SIAP test CA", CA_PASSPHRASE)
    for user in (org.chair, org.deputy, org.k1, sekwan):
        signing.issue_certificate(user, passphrase=PASSPHRASE, ca_passphrase=CA_PASSPHRASE)
    code, _ = ClassificationCode.objects.get_or_create(code="000.8.3.3", defaults={"name": "Tata naskah dinas"})
    return SimpleNamespace(
        org=org, sekwan=sekwan, kabag=kabag, outsider=outsider, sekwan_position=sekwan_position,
        kabag_position=kabag_position, code=code, k1_head=Position.objects.get(unit=org.komisi1, role=Position.Role.HEAD),
    )


@pytest.fixture
def draft(epiper):
    """A draft of Komisi I written by its staff member (an invitation to the chair's signature unless told)."""

    def _draft(**fields):
        data = {
            "kind": Kind.UNDANGAN, "classification": epiper.code, "subject": "Undangan rapat dengar pendapat",
            "addressees": "Kepala Dinas Pekerjaan Umum", "addressee_place": "Tempat",
            "body": "Kami mengundang Saudara.\n\nAtas perhatiannya kami ucapkan terima kasih.",
            "event_day": "Senin, 7 Desember 2026", "event_time": "09.00 WITA", "event_place": "Ruang Rapat Komisi I",
            "event_agenda": "Rapat dengar pendapat", "copies": "Ketua DPRD", "signer_position": epiper.org.chair_position,
            **fields,
        }
        units = data.pop("recipient_units", ())
        return services.create_draft(user=epiper.org.k1_staff, unit=epiper.org.komisi1, data=data, recipient_units=units)

    return _draft


@pytest.fixture
def walk(epiper):
    """The steps of the flow as the people who take them."""

    def task(letter, node):
        return inbox.open_task(letter, node)

    def to_signature(letter):
        letter = services.submit(letter, user=epiper.org.k1_staff)
        services.verify(task(letter, OutgoingLetterFlow.verify), user=epiper.org.k1)
        while (step := task(letter, OutgoingLetterFlow.paraf)) is not None:
            services.initial(step, user=step.owner)
        letter.refresh_from_db()
        return letter

    def sign(letter, user=None, passphrase=PASSPHRASE):
        step = task(letter, OutgoingLetterFlow.sign)
        return services.sign(step, user=user or step.owner, passphrase=passphrase)

    def dispatch(letter, user=None, **options):
        user = user or epiper.org.k1_staff
        step = task(letter, OutgoingLetterFlow.dispatch)
        if step.owner_id is None:
            step = inbox.claim(step, user=user)
        return services.dispatch(step, user=user, **options)

    return SimpleNamespace(task=task, to_signature=to_signature, sign=sign, dispatch=dispatch)
