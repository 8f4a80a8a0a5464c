"""Issue 12's daily work on incoming letters: untimed dispositions, the next letter, duplicates,
corrections and cancellations, forwarding, deadline extensions and counters that open their lists."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.timers import fire_due_timers

from api.testing import token_client
from project.audit.models import AuditEvent
from project.notifications.models import Notification
from project.org.models import CouncilMember, Dapil, Fraksi
from tests.support import letter_data, pdf_upload
from workflows import inbox
from workflows.letters import services
from workflows.letters.flows import ExtensionFlow, LetterFlow
from workflows.letters.forms import DisposeForm, RegisterLetterForm
from workflows.letters.models import DeadlineExtension, DispositionBranch, Letter
from workflows.letters.tests.support import follow_up_task, login, token

TODAY = timezone.localdate()


def dispose_task(letter):
    return inbox.open_task(letter, LetterFlow.dispose)


def register_post(org, **overrides):
    data = letter_data(org, **overrides)
    data.update(classification=org.code.pk, letter_date=data["letter_date"].isoformat(),
                received_date=data["received_date"].isoformat(), scan=overrides.get("scan") or pdf_upload(),
                submission_token=RegisterLetterForm(user=None).fields["submission_token"].initial)
    return data


# --- 1. "untuk diketahui" has no deadline and never goes overdue -------------


def test_untuk_diketahui_has_no_deadline_and_no_running_timer(org, register):
    letter = register()
    services.dispose(dispose_task(letter), user=org.chair, units=[org.komisi1], instruction="diketahui",
                     note="", deadline=TODAY - datetime.timedelta(days=3))
    branch = DispositionBranch.objects.get(disposition__letter=letter)
    assert branch.deadline is None and branch.disposition.deadline is None, "a deadline sent along is ignored"
    assert not Task.objects.filter(process=letter.process, flow_task_type="TIMER", status=STATUS.SCHEDULED).exists()
    assert fire_due_timers() == 0
    branch.refresh_from_db()
    assert not branch.overdue and not Notification.objects.filter(kind="overdue").exists()
    assert services.task_deadline(follow_up_task(letter, org.komisi1)) is None
    assert "tanpa batas waktu" in login(org.k1).get(letter.get_absolute_url()).content.decode()


def test_the_dispose_form_needs_a_deadline_except_for_untuk_diketahui(org):
    def form(instruction):
        return DisposeForm({"decision": "dispose", "units": [org.komisi1.pk], "instruction": instruction,
                            "submission_token": token()}, units=services.recipient_units_choices())

    assert form("diketahui").is_valid()
    refused = form("dibahas")
    assert not refused.is_valid() and "deadline" in refused.errors


# --- 2. after disposing, the next letter --------------------------------------


def test_after_disposing_the_chair_lands_on_the_next_waiting_letter_then_the_inbox(org, register):
    first, second = register(), register(subject="Undangan rapat koordinasi")
    chair = login(org.chair)
    page = chair.get(reverse("tasks:task", args=[dispose_task(first).pk])).content.decode()
    assert "Surat berikutnya" in page and "Masih 1 surat lain" in page
    post = {"decision": "file", "note": "", "submission_token": token()}
    response = chair.post(reverse("tasks:task", args=[dispose_task(first).pk]), post)
    assert response.url == reverse("tasks:task", args=[dispose_task(second).pk])
    response = chair.post(response.url, {**post, "submission_token": token()}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("tasks:inbox")
    assert "Tidak ada lagi surat yang menunggu disposisi" in response.content.decode()


# --- 3. the same letter registered twice --------------------------------------


def test_the_same_sender_and_number_warns_with_a_link_until_confirmed(org, register):
    earlier = register()
    client = login(org.registrar)
    response = client.post(reverse("letters:register"), register_post(
        org, sender="  dinas pekerjaan  UMUM ", scan=pdf_upload(subject="Lain")))
    page = response.content.decode()
    assert response.status_code == 200 and 'id="duplicate-warning"' in page
    assert earlier.get_absolute_url() in page and "dipilih kembali" in page
    assert Letter.objects.count() == 1
    response = client.post(reverse("letters:register"), register_post(
        org, confirm_duplicate="on", scan=pdf_upload(subject="Lain")))
    assert response.status_code == 302 and Letter.objects.count() == 2


def test_the_same_scan_under_another_number_warns_too(org):
    scan = pdf_upload().read()
    earlier = services.register_letter(data=letter_data(org), scan=SimpleUploadedFile("a.pdf", scan), user=org.registrar)
    form = RegisterLetterForm(register_post(org, sender="Dinas Perhubungan"), {"scan": SimpleUploadedFile("b.pdf", scan)},
                              user=org.registrar)
    assert not form.is_valid() and form.duplicates == [earlier]


def test_the_api_answers_409_with_the_earlier_letter_unless_confirmed(org, register):
    earlier = register()
    client = token_client(org.registrar)
    data = register_post(org, scan=pdf_upload(subject="Lain"))
    data.pop("submission_token")
    response = client.post("/api/v1/letters/", data, format="multipart")
    assert response.status_code == 409 and response.json()["code"] == "duplicate"
    assert [letter["id"] for letter in response.json()["earlier"]] == [earlier.pk]
    data.update(confirm_duplicate="true", scan=pdf_upload(subject="Lain"))
    assert client.post("/api/v1/letters/", data, format="multipart").status_code == 201


# --- 4. correcting and cancelling before disposition -------------------------


def test_the_registrar_corrects_a_letter_and_the_trail_keeps_old_and_new(org, register):
    letter = register()
    data = register_post(org, subject="Permohonan audiensi banjir Jalan MT Haryono")
    response = login(org.registrar).post(reverse("letters:correct", args=[letter.pk]), data)
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.subject.endswith("MT Haryono")
    event = AuditEvent.objects.for_object(letter).get(action="letter.corrected")
    assert event.detail["changes"] == {"perihal": {
        "old": "Permohonan audiensi banjir Jalan Soekarno-Hatta", "new": "Permohonan audiensi banjir Jalan MT Haryono",
    }}


def test_only_registrars_correct_or_cancel_and_only_before_disposition(org, register, dispose):
    letter = register()
    k1 = login(org.k1)
    assert k1.get(reverse("letters:correct", args=[letter.pk])).status_code == 403
    assert k1.post(reverse("letters:cancel", args=[letter.pk]), {"reason": "x", "submission_token": token()}).status_code == 403
    dispose(letter, [org.komisi1])
    registrar = login(org.registrar)
    assert registrar.get(reverse("letters:correct", args=[letter.pk])).status_code == 302
    response = registrar.post(reverse("letters:cancel", args=[letter.pk]), {"reason": "keliru", "submission_token": token()})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.IN_FOLLOW_UP
    with pytest.raises(ValidationError):
        services.correct_letter(letter, user=org.registrar, data=letter_data(org))


def test_cancelling_keeps_the_letter_and_its_number_and_empties_the_chairs_inbox(org, register):
    letter = register()
    registrar = login(org.registrar)
    url = reverse("letters:cancel", args=[letter.pk])
    assert registrar.post(url, {"reason": "", "submission_token": token()}).status_code == 200, "a reason is required"
    assert registrar.post(url, {"reason": "Terdaftar dua kali", "submission_token": token()}).status_code == 302
    letter.refresh_from_db()
    assert letter.status == Letter.Status.CANCELLED and letter.cancel_reason == "Terdaftar dua kali"
    assert letter.process.status == PROCESS.CANCELED
    assert not inbox.inbox_tasks(org.chair).exists()
    assert AuditEvent.objects.for_object(letter).filter(action="letter.cancelled", user=org.registrar).exists()
    page = login(org.chair).get(letter.get_absolute_url()).content.decode()
    assert 'id="cancelled-banner"' in page and "Terdaftar dua kali" in page
    assert register().agenda_number == letter.agenda_number + 1, "a cancelled number is never given again"


# --- 5. forwarding ------------------------------------------------------------


def test_the_forward_list_groups_council_members_and_staff_and_the_note_reaches_the_staff(org, register, dispose):
    CouncilMember.objects.create(user=org.k1_staff, fraksi=Fraksi.objects.create(code="f", name="F"),
                                 dapil=Dapil.objects.create(code="d", name="D"))
    staff = org.komisi1.group.user_set.create(username="staf-sekretariat")
    letter = register()
    dispose(letter, [org.komisi1])
    task = follow_up_task(letter, org.komisi1)
    inbox.claim(task, user=org.k1)
    page = login(org.k1).get(reverse("tasks:task", args=[task.pk])).content.decode()
    council, secretariat = page.index('optgroup label="Anggota DPRD"'), page.index('optgroup label="Staf sekretariat"')
    assert council < page.index(f'value="{org.k1_staff.pk}"') < secretariat < page.index(f'value="{staff.pk}"')
    services.forward_branch(task, user=org.k1, staff=org.k1_staff, note="Siapkan bahan rapat")
    page = login(org.k1_staff).get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert 'id="forward-note"' in page and "Siapkan bahan rapat" in page


def test_releasing_a_branch_opens_it_for_the_unit_again(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1])
    task = follow_up_task(letter, org.komisi1)
    inbox.claim(task, user=org.k1)
    inbox.release(task, user=org.k1)
    branch = DispositionBranch.objects.get(disposition__letter=letter)
    assert branch.status == DispositionBranch.Status.OPEN and branch.claimed_by is None
    assert AuditEvent.objects.for_object(letter).filter(action="branch.released", user=org.k1).exists()


# --- 6. asking the chair for a later deadline ---------------------------------


def decide_task():
    return Task.objects.get(flow_task=ExtensionFlow.decide, status=STATUS.ASSIGNED)


def test_the_chair_grants_an_extension_and_the_overdue_timer_moves(org, held_branch):
    later = TODAY + datetime.timedelta(days=10)
    services.request_extension(held_branch, user=org.k1, new_deadline=later, reason="Menunggu data dinas")
    with pytest.raises(ValidationError):
        services.request_extension(held_branch, user=org.k1, new_deadline=later, reason="lagi")
    task = decide_task()
    assert task.owner == org.chair and task in inbox.inbox_tasks(org.chair)
    response = login(org.chair).post(reverse("tasks:task", args=[task.pk]),
                                     {"decision": "grant", "note": "", "submission_token": token()})
    assert response.status_code == 302
    branch = services.branch_of_task(held_branch)
    assert branch.deadline == later and services.task_deadline(held_branch) == later
    timer = Task.objects.get(previous=held_branch, flow_task_type="TIMER", status=STATUS.SCHEDULED)
    assert timer.scheduled == services.overdue_moment(branch)
    assert Notification.objects.filter(kind="extension", recipient=org.k1).exists()
    assert AuditEvent.objects.for_object(branch.letter).filter(action="extension.granted", user=org.chair).exists()
    with pytest.raises(PermissionDenied):
        services.decide_extension(task, user=org.chair, grant=False)


def test_an_extension_granted_after_the_deadline_clears_overdue_and_arms_a_new_timer(org, held_branch):
    Task.objects.filter(previous=held_branch, flow_task_type="TIMER").update(scheduled=timezone.now())
    assert fire_due_timers() == 1
    assert services.branch_of_task(held_branch).overdue
    later = TODAY + datetime.timedelta(days=10)
    services.request_extension(held_branch, user=org.k1, new_deadline=later, reason="Menunggu data dinas")
    services.decide_extension(decide_task(), user=org.chair, grant=True)
    assert not services.branch_of_task(held_branch).overdue
    assert Task.objects.filter(previous=held_branch, flow_task_type="TIMER", status=STATUS.SCHEDULED).count() == 1
    services.close_branch(held_branch, user=org.k1, report="Selesai")
    letter = Letter.objects.get(pk=services.branch_of_task(held_branch).letter.pk)
    assert letter.status == Letter.Status.ARCHIVED, "the branch's extra overdue path does not hold up the join"


def test_a_refused_extension_keeps_the_deadline(org, held_branch):
    before = services.branch_of_task(held_branch).deadline
    services.request_extension(held_branch, user=org.k1, new_deadline=before + datetime.timedelta(days=5), reason="r")
    services.decide_extension(decide_task(), user=org.chair, grant=False, note="Tidak mendesak")
    branch = services.branch_of_task(held_branch)
    assert branch.deadline == before
    assert branch.extensions.get().status == DeadlineExtension.Status.REFUSED
    assert AuditEvent.objects.for_object(branch.letter).filter(action="extension.refused").exists()


def test_only_the_holder_asks_and_only_the_chair_decides(org, held_branch):
    later = TODAY + datetime.timedelta(days=10)
    with pytest.raises(PermissionDenied):
        services.request_extension(held_branch, user=org.k2, new_deadline=later, reason="bukan pemegang")
    services.request_extension(held_branch, user=org.k1, new_deadline=later, reason="alasan")
    task = decide_task()
    assert login(org.k1).get(reverse("tasks:task", args=[task.pk])).status_code in (403, 404)
    with pytest.raises(PermissionDenied):
        services.decide_extension(task, user=org.k1, grant=True)
    assert services.branch_of_task(held_branch).deadline != later


# --- 7. counters open exactly what they count ---------------------------------


def counter(user, label):
    return next(c for c in services.dashboard_counters(user) if c.label == label)


def test_each_counter_opens_a_list_of_exactly_its_items(org, register, dispose):
    overdue_letter, _waiting = register(), register()
    dispose(overdue_letter, [org.komisi1])
    branch = DispositionBranch.objects.get(disposition__letter=overdue_letter)
    services.mark_branch_overdue(branch)
    for user, expected in ((org.registrar, 1), (org.chair, 1)):
        awaiting = counter(user, "Surat menunggu disposisi")
        assert awaiting.value == 1
        late = counter(user, "Tindak lanjut lewat batas waktu")
        assert late.value == expected and late.query == {"terlambat": "1"}
        client = login(user)
        page = client.get(late.url).content.decode()
        assert page.count('class="agenda"') == 1 and overdue_letter.agenda_label in page
    assert counter(org.registrar, "Surat menunggu disposisi").query == {"status": "awaiting_disposition"}
    assert counter(org.chair, "Surat menunggu disposisi").query == {"proses": "letters", "langkah": "dispose"}
    page = login(org.registrar).get(counter(org.registrar, "Surat menunggu disposisi").url).content.decode()
    assert page.count('class="agenda"') == 1
    page = login(org.chair).get(counter(org.chair, "Surat menunggu disposisi").url).content.decode()
    assert page.count('class="task-title"') == 1
