"""The e-Piper process through its services: the chain, the number, the signature, dispatch and every refusal."""

import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from project.org import services as org_services
from project.signing.backends import get_signer
from project.signing.models import SignerCertificate
from tests.support import requires_postgresql
from workflows import inbox
from workflows.outgoing import services
from workflows.outgoing.flows import OutgoingLetterFlow
from workflows.outgoing.kinds import Kind
from workflows.outgoing.models import Dispatch, NumberCounter, OutgoingLetter, Review

from .support import PASSPHRASE


def pdf_text(letter):
    with letter.final_document.current.blob.file.open("rb") as handle:
        data = handle.read()
    return data, "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_whole_chain_gives_a_signed_numbered_letter(epiper, draft, walk):
    letter = walk.to_signature(draft())
    assert letter.status == OutgoingLetter.Status.SIGNING
    steps = list(letter.paraf_steps.order_by("order"))
    assert [(step.position, step.initialled_by) for step in steps] == [
        (epiper.sekwan_position, epiper.sekwan), (epiper.kabag_position, epiper.kabag)]

    letter = walk.sign(letter)
    assert letter.status == OutgoingLetter.Status.SIGNED
    assert letter.number == "000.8.3.3/1/KOM-I"
    assert letter.signed_by == epiper.org.chair and letter.signed_as == ""
    data, text = pdf_text(letter)
    assert "000.8.3.3/1/KOM-I" in text and "KETUA DPRD KOTA BALIKPAPAN" in text
    assert "Substansi" in text and "Redaksi" in text, "the paraf box lists both officials"
    assert "/keluar/verifikasi/" in text, "the QR's address is printed under it"
    assert get_signer().verify(data).is_valid
    assert letter.signed_sha256 and services.compare_upload(letter, data, None)["same_file"]


def test_numbers_run_per_unit_and_classification_family_and_year(epiper, draft, walk):
    first = walk.sign(walk.to_signature(draft()))
    second = walk.sign(walk.to_signature(draft()))
    assert (first.serial, second.serial) == (1, 2)
    other_family = walk.sign(walk.to_signature(draft(classification=_code("100.2"))))
    assert other_family.number == "100.2/1/KOM-I"


def _code(code):
    from documents.models import ClassificationCode

    return ClassificationCode.objects.get_or_create(code=code, defaults={"name": code})[0]


def test_the_number_pattern_is_configurable(epiper, draft, walk, settings):
    settings.SIAP_OUTGOING_NUMBER_PATTERN = "{serial}/{unit}-{classification}/{month_roman}/{year}"
    letter = walk.sign(walk.to_signature(draft()))
    today = timezone.localdate()
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][today.month - 1]
    assert letter.number == f"1/KOM-I-000.8.3.3/{roman}/{today.year}"


def test_a_returned_draft_is_corrected_and_the_chain_starts_again(epiper, draft, walk):
    letter = services.submit(draft(), user=epiper.org.k1_staff)
    services.return_draft(walk.task(letter, OutgoingLetterFlow.verify), user=epiper.org.k1, note="Perbaiki tanggal acara.")
    letter.refresh_from_db()
    assert letter.status == OutgoingLetter.Status.RETURNED
    assert services.last_return(letter).note == "Perbaiki tanggal acara."
    services.update_draft(letter, user=epiper.org.k1_staff, data={"event_day": "Selasa, 8 Desember 2026"})
    letter = services.submit(letter, user=epiper.org.k1_staff)
    services.verify(walk.task(letter, OutgoingLetterFlow.verify), user=epiper.org.k1)
    # the first paraf official returns it too: back to the drafting unit, chain reset on the next submission
    services.return_draft(walk.task(letter, OutgoingLetterFlow.paraf), user=epiper.sekwan, note="Lengkapi dasar undangan.")
    letter.refresh_from_db()
    assert letter.status == OutgoingLetter.Status.RETURNED
    assert list(letter.reviews.values_list("decision", flat=True)) == [
        Review.Decision.RETURNED, Review.Decision.VERIFIED, Review.Decision.RETURNED]
    letter = walk.to_signature(letter)
    assert letter.paraf_steps.filter(initialled_at__isnull=True).count() == 0


def test_a_return_needs_a_note(epiper, draft, walk):
    letter = services.submit(draft(), user=epiper.org.k1_staff)
    with pytest.raises(ValidationError):
        services.return_draft(walk.task(letter, OutgoingLetterFlow.verify), user=epiper.org.k1, note="  ")


def test_an_invitation_without_its_event_is_not_submitted(epiper, draft):
    letter = draft(event_day="", event_place="")
    with pytest.raises(ValidationError) as refused:
        services.submit(letter, user=epiper.org.k1_staff)
    assert "Undangan harus menyebut" in str(refused.value)


# --- refusals ---------------------------------------------------------------------------------------------------


def test_paraf_by_someone_outside_the_chain_is_refused(epiper, draft, walk):
    letter = services.submit(draft(), user=epiper.org.k1_staff)
    services.verify(walk.task(letter, OutgoingLetterFlow.verify), user=epiper.org.k1)
    task = walk.task(letter, OutgoingLetterFlow.paraf)
    assert task.owner == epiper.sekwan
    for intruder in (epiper.outsider, epiper.kabag, epiper.org.chair):
        with pytest.raises(PermissionDenied):
            services.initial(task, user=intruder)
    assert letter.paraf_steps.filter(initialled_at__isnull=False).count() == 0


def test_signing_out_of_order_is_refused(epiper, draft, walk):
    letter = services.submit(draft(), user=epiper.org.k1_staff)
    services.verify(walk.task(letter, OutgoingLetterFlow.verify), user=epiper.org.k1)
    assert walk.task(letter, OutgoingLetterFlow.sign) is None, "no signature task before the chain is complete"
    paraf_task = walk.task(letter, OutgoingLetterFlow.paraf)
    with pytest.raises(PermissionDenied):
        services.sign(paraf_task, user=epiper.org.chair, passphrase=PASSPHRASE)
    letter.refresh_from_db()
    assert letter.number == "" and not NumberCounter.objects.exists()


def test_editing_after_signing_is_refused(epiper, draft, walk):
    letter = walk.sign(walk.to_signature(draft()))
    for attempt in (lambda: services.update_draft(letter, user=epiper.org.k1_staff, data={"subject": "Diubah"}),
                    lambda: services.submit(letter, user=epiper.org.k1_staff)):
        with pytest.raises(PermissionDenied):
            attempt()
    letter.refresh_from_db()
    assert letter.subject == "Undangan rapat dengar pendapat"


def test_a_wrong_passphrase_signs_nothing_and_takes_no_number(epiper, draft, walk):
    letter = walk.to_signature(draft())
    with pytest.raises(ValidationError) as refused:
        walk.sign(letter, passphrase="bukan-frasa-sandinya")
    assert "rasa sandi" in str(refused.value)
    letter.refresh_from_db()
    assert (letter.status, letter.number, letter.final_document) == (OutgoingLetter.Status.SIGNING, "", None)
    assert walk.task(letter, OutgoingLetterFlow.sign) is not None, "the task waits for the right passphrase"
    assert walk.sign(letter).serial == 1, "the refused attempt left no gap"


def test_a_signer_without_a_certificate_is_refused(epiper, draft, walk):
    SignerCertificate.objects.filter(user=epiper.org.chair).delete()
    letter = walk.to_signature(draft())
    with pytest.raises(ValidationError) as refused:
        walk.sign(letter)
    assert "sertifikat" in str(refused.value)
    letter.refresh_from_db()
    assert letter.number == ""


def test_only_the_drafting_unit_drafts_and_edits(epiper, draft):
    with pytest.raises(PermissionDenied):
        services.create_draft(user=epiper.org.k2, unit=epiper.org.komisi1, data={})
    letter = draft()
    with pytest.raises(PermissionDenied):
        services.update_draft(letter, user=epiper.org.k2, data={"subject": "x"})


# --- who signs: a.n., u.b., Plh. -----------------------------------------------------------------------------------


def test_during_a_delegation_the_deputy_signs_as_plh(epiper, draft, walk):
    now = timezone.now()
    letter = walk.to_signature(draft())
    org_services.create_delegation(position=epiper.org.chair_position, delegate=epiper.org.deputy, starts_at=now,
                                   ends_at=now + timezone.timedelta(days=3), reason="Dinas luar")
    org_services.reroute_position_tasks()
    task = walk.task(letter, OutgoingLetterFlow.sign)
    assert task.owner == epiper.org.deputy
    with pytest.raises(PermissionDenied):
        services.sign(task, user=epiper.org.chair, passphrase=PASSPHRASE)
    letter = services.sign(task, user=epiper.org.deputy, passphrase=PASSPHRASE)
    assert letter.signed_as == "Plh."
    _data, text = pdf_text(letter)
    assert "Plh. KETUA DPRD KOTA BALIKPAPAN" in text
    assert "Wakil" in text, "the deputy's own name is printed"


def test_a_plt_delegation_prints_plt(epiper, draft, walk):
    now = timezone.now()
    letter = walk.to_signature(draft())
    org_services.create_delegation(position=epiper.org.chair_position, delegate=epiper.org.deputy, starts_at=now,
                                   ends_at=now + timezone.timedelta(days=30), kind="plt")
    org_services.reroute_position_tasks()
    letter = walk.sign(letter, user=epiper.org.deputy)
    assert "Plt. KETUA DPRD KOTA BALIKPAPAN" in pdf_text(letter)[1]


def test_an_letter_signed_on_behalf_prints_an_and_the_civil_servants_nip(epiper, draft, walk):
    letter = draft(kind=Kind.SURAT_DINAS, signer_position=epiper.sekwan_position, on_behalf_of=epiper.org.chair_position)
    letter = services.submit(letter, user=epiper.org.k1_staff)
    services.verify(walk.task(letter, OutgoingLetterFlow.verify), user=epiper.org.k1)
    letter = walk.sign(letter)  # no paraf chain configured for the Sekretaris DPRD
    text = pdf_text(letter)[1]
    assert text.index("a.n. KETUA DPRD KOTA BALIKPAPAN") < text.index("SEKRETARIS DPRD KOTA BALIKPAPAN")
    assert "Drs. Hery Sudarsono, M.Si." in text and "NIP. 197003121995031004" in text


def test_a_decision_prints_the_signers_name_without_titles(epiper, draft, walk):
    letter = draft(kind=Kind.KEPUTUSAN, signer_position=epiper.sekwan_position, addressees="")
    letter = services.submit(letter, user=epiper.org.k1_staff)
    services.verify(walk.task(letter, OutgoingLetterFlow.verify), user=epiper.org.k1)
    text = pdf_text(walk.sign(letter))[1]
    assert "TENTANG" in text and "Drs." not in text and "Hery" in text


# --- dispatch --------------------------------------------------------------------------------------------------------


def test_a_nota_dinas_reaches_the_recipient_units_queue(epiper, draft, walk):
    letter = draft(kind=Kind.NOTA_DINAS, addressees="", recipient_units=[epiper.org.komisi2],
                   signer_position=epiper.k1_head)
    letter = services.submit(letter, user=epiper.org.k1_staff)
    services.verify(walk.task(letter, OutgoingLetterFlow.verify), user=epiper.org.k1)
    letter = walk.sign(letter)
    assert not OutgoingLetter.objects.visible_to(epiper.org.k2).filter(pk=letter.pk).exists(), "not yet delivered"
    walk.dispatch(letter)
    task = walk.task(letter, OutgoingLetterFlow.receive)
    assert task is not None and task.data["unit"] == epiper.org.komisi2.pk
    assert OutgoingLetter.objects.visible_to(epiper.org.k2).filter(pk=letter.pk).exists()
    with pytest.raises(PermissionDenied):
        inbox.claim(task, user=epiper.org.k1_staff)
    services.receive(inbox.claim(task, user=epiper.org.k2), user=epiper.org.k2)
    row = letter.dispatches.get()
    assert (row.method, row.status) == (Dispatch.Method.INTERNAL, Dispatch.Status.RECEIVED)
    letter.refresh_from_db()
    assert letter.process.status == "DONE"


def test_dispatch_needs_a_way_to_send(epiper, draft, walk):
    letter = walk.sign(walk.to_signature(draft()))
    with pytest.raises(ValidationError):
        walk.dispatch(letter)
    letter = walk.dispatch(letter, courier=True, note="Kurir sekretariat")
    assert letter.status == OutgoingLetter.Status.SENT
    assert letter.dispatches.get().recipient == "Kurir sekretariat"


# --- numbers under concurrency -------------------------------------------------------------------------------------


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_one_hundred_concurrent_signings_get_distinct_gap_free_numbers(epiper, draft, walk):
    """100 letters of one unit and family signed at once (each thread its own connection and transaction)."""
    letters = []
    for _ in range(100):
        letter = services.submit(draft(kind=Kind.SURAT_DINAS, signer_position=epiper.k1_head), user=epiper.org.k1_staff)
        services.verify(walk.task(letter, OutgoingLetterFlow.verify), user=epiper.org.k1)
        letters.append(letter)
    tasks = [walk.task(letter, OutgoingLetterFlow.sign) for letter in letters]
    barrier = threading.Barrier(len(tasks))
    errors = []

    def work(task):
        try:
            barrier.wait()
            services.sign(task, user=epiper.org.k1, passphrase=PASSPHRASE)
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(task,)) for task in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    signed = OutgoingLetter.objects.filter(pk__in=[letter.pk for letter in letters])
    assert sorted(signed.values_list("serial", flat=True)) == list(range(1, 101))
    assert len(set(signed.values_list("number", flat=True))) == 100
    assert NumberCounter.objects.get().last_number == 100


def test_a_wrong_passphrase_never_touches_the_counter_and_repeated_guesses_wait(epiper, draft, walk):
    letter = walk.to_signature(draft())
    for _attempt in range(services.SIGN_FAILURES_ALLOWED):
        with pytest.raises(ValidationError, match="rasa sandi salah"):
            walk.sign(letter, passphrase="tebakan-salah")
    assert not NumberCounter.objects.exists(), "the key is opened before the number is taken"
    with pytest.raises(ValidationError, match="Terlalu banyak"):
        walk.sign(letter)  # even the right passphrase waits now
    letter.refresh_from_db()
    assert letter.number == ""


def test_a_former_delegate_cannot_act_on_a_task_not_yet_rerouted(epiper, draft, walk):
    from project.org.models import Delegation

    now = timezone.now()
    letter = walk.to_signature(draft())
    delegation = org_services.create_delegation(position=epiper.org.chair_position, delegate=epiper.org.deputy,
                                                starts_at=now, ends_at=now + timezone.timedelta(days=1))
    org_services.reroute_position_tasks()
    task = walk.task(letter, OutgoingLetterFlow.sign)
    assert task.owner == epiper.org.deputy
    Delegation.objects.filter(pk=delegation.pk).update(revoked_at=timezone.now())  # ended; the timers have not run yet
    with pytest.raises(PermissionDenied):
        services.sign(task, user=epiper.org.deputy, passphrase=PASSPHRASE)


def test_a_unit_cannot_name_another_units_head_as_signer(epiper, draft):
    with pytest.raises(ValidationError):
        draft(signer_position=services.head_of(epiper.org.komisi2))


def test_council_members_sitting_in_a_unit_do_not_draft_its_letters(epiper):
    from project.org.models import Position
    from tests.support import make_user

    member = make_user("anggota.komisi1")
    Position.objects.create(unit=epiper.org.komisi1, role=Position.Role.MEMBER, holder=member)
    from project.org.services import sync_unit_group

    sync_unit_group(epiper.org.komisi1)
    assert not services.drafting_units(member).exists()
    assert services.drafting_units(epiper.org.k1_staff).filter(pk=epiper.org.komisi1.pk).exists()


def test_a_superuser_cannot_claim_an_officials_task(epiper, draft, walk):
    from tests.support import make_user

    from project.org.models import Position

    admin = make_user("root")
    admin.is_superuser = True
    admin.save()
    Position.objects.filter(pk=epiper.k1_head.pk).update(holder=None)  # vacant: the task waits for a holder
    letter = services.submit(draft(), user=epiper.org.k1_staff)
    task = walk.task(letter, OutgoingLetterFlow.verify)
    assert task.owner_id is None
    with pytest.raises(PermissionDenied, match="tidak berwenang"):
        inbox.claim(task, user=admin)


def test_only_the_drafting_units_staff_send_the_letter(epiper, draft, walk):
    from project.org.models import Position
    from project.org.services import sync_unit_group
    from tests.support import make_user

    member = make_user("anggota.komisi1")
    Position.objects.create(unit=epiper.org.komisi1, role=Position.Role.MEMBER, holder=member)
    sync_unit_group(epiper.org.komisi1)
    letter = walk.sign(walk.to_signature(draft()))
    task = walk.task(letter, OutgoingLetterFlow.dispatch)
    with pytest.raises(PermissionDenied):
        inbox.claim(task, user=member)
    assert not inbox.may_act_on(member, task) and inbox.may_act_on(epiper.org.k1_staff, task)
    letter.refresh_from_db()
    assert letter.status == OutgoingLetter.Status.SIGNED
