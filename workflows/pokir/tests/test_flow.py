"""Every transition of a pokir, and every refusal on the way."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from viewflow.workflow.status import STATUS

from project.audit.models import AuditEvent
from project.notifications.models import Notification
from workflows import inbox
from workflows.pokir import services
from workflows.pokir.flows import PokirFlow
from workflows.pokir.models import Pokir, PokirReview

from .conftest import png_upload


def actions(pokir):
    return list(AuditEvent.objects.for_object(pokir).values_list("action", flat=True))


def test_draft_to_exported_through_every_step(world, make_pokir, flow):
    pokir = make_pokir()
    assert pokir.status == Pokir.Status.DRAFT
    assert inbox.open_task(pokir, PokirFlow.prepare) is not None

    services.submit(pokir, user=world.member_user)
    pokir.refresh_from_db()
    assert pokir.status == Pokir.Status.SUBMITTED and pokir.submitted_at is not None
    task = inbox.open_task(pokir, PokirFlow.verify)
    assert task.owner is None and task.status == STATUS.NEW
    assert task in inbox.queue_tasks(world.verifier) and task in inbox.queue_tasks(world.verifier2), "every verifier's queue"
    assert task not in inbox.queue_tasks(world.org.registrar) and task not in inbox.queue_tasks(world.member_user)

    inbox.claim(task, user=world.verifier)
    with pytest.raises(PermissionDenied, match="sudah diambil"):
        inbox.claim(task, user=world.verifier2)
    task.refresh_from_db()
    services.verify(task, user=world.verifier, overrides={}, note="Lengkap.")
    pokir.refresh_from_db()
    assert pokir.status == Pokir.Status.VERIFIED and pokir.verified_by == world.verifier
    recap = inbox.open_task(pokir, PokirFlow.recap)
    assert recap.owner == world.org.chair, "the recap is the chair's"

    services.approve_recap(recap, user=world.org.chair)
    pokir.refresh_from_db()
    assert pokir.status == Pokir.Status.FINAL and pokir.finalised_at is not None
    assert inbox.open_task(pokir, PokirFlow.export) is not None

    services.export_year(world.year, user=world.verifier, fmt="xlsx")
    pokir.refresh_from_db()
    assert pokir.status == Pokir.Status.EXPORTED and pokir.exported_at is not None
    assert pokir.process.status == STATUS.DONE
    assert actions(pokir) == [
        "pokir.created", "pokir.updated", "pokir.photo_added", "pokir.submitted", "task.claimed", "pokir.verified",
        "pokir.approved", "pokir.finalised", "pokir.exported",
    ]
    assert [r.decision for r in pokir.reviews.all()] == [PokirReview.Decision.VERIFIED, PokirReview.Decision.APPROVED]


def test_the_member_staff_drafts_and_submits_for_the_member(world, make_pokir):
    pokir = make_pokir(user=world.staff)
    assert pokir.created_by == world.staff and pokir.member == world.member
    services.submit(pokir, user=world.staff)
    assert Pokir.objects.get(pk=pokir.pk).status == Pokir.Status.SUBMITTED


def test_nobody_else_drafts_edits_or_submits_a_members_pokir(world, make_pokir):
    for stranger in (world.other_user, world.other_staff, world.verifier, world.leader, world.org.chair):
        with pytest.raises(PermissionDenied):
            services.create_draft(member=world.member, year=world.year, user=stranger, title="Usulan")
    pokir = make_pokir()
    for stranger in (world.other_user, world.other_staff, world.verifier, world.leader):
        with pytest.raises(PermissionDenied):
            services.update_pokir(pokir, user=stranger, data={"title": "Diubah orang lain"})
        with pytest.raises(PermissionDenied):
            services.submit(pokir, user=stranger)
    assert Pokir.objects.get(pk=pokir.pk).title == pokir.title


def test_returned_with_notes_per_field_then_fixed_and_resubmitted(world, make_pokir, flow):
    pokir = make_pokir(boundaries="")
    services.submit(pokir, user=world.member_user)
    task = flow.claim(pokir)
    services.return_pokir(task, user=world.verifier, notes={"address": "Tulis nomor rumah.", "boundaries": "Isi letak batas.",
                                                            "volume": ""})
    pokir.refresh_from_db()
    assert pokir.status == Pokir.Status.RETURNED
    assert pokir.return_notes == {"address": "Tulis nomor rumah.", "boundaries": "Isi letak batas."}
    assert Notification.objects.filter(recipient=world.member_user, kind=services.STATUS_NOTICE).exists()
    assert Notification.objects.filter(recipient=world.staff, kind=services.STATUS_NOTICE).exists(), "the staff hears too"
    assert inbox.open_task(pokir, PokirFlow.prepare) is not None, "back with the member"

    services.update_pokir(pokir, user=world.staff, data={"boundaries": "dari simpang sampai jembatan", "address": "Jl. Mawar No. 12A"})
    services.submit(pokir, user=world.staff)
    pokir.refresh_from_db()
    assert pokir.status == Pokir.Status.SUBMITTED and pokir.return_notes == {}
    assert "pokir.resubmitted" in actions(pokir)
    flow.verify(pokir)
    assert Pokir.objects.get(pk=pokir.pk).status == Pokir.Status.VERIFIED
    assert [r.decision for r in pokir.reviews.all()] == [PokirReview.Decision.RETURNED, PokirReview.Decision.VERIFIED]
    assert pokir.reviews.first().notes["address"] == "Tulis nomor rumah."


def test_return_needs_a_note_and_reject_a_reason(world, make_pokir, flow):
    pokir = make_pokir()
    services.submit(pokir, user=world.member_user)
    task = flow.claim(pokir)
    with pytest.raises(PermissionDenied, match="sedikitnya satu catatan"):
        services.return_pokir(task, user=world.verifier, notes={"address": "  "})
    with pytest.raises(PermissionDenied, match="alasan penolakan"):
        services.reject(task, user=world.verifier, reason=" ")
    assert Pokir.objects.get(pk=pokir.pk).status == Pokir.Status.SUBMITTED


def test_rejected_is_final(world, make_pokir, flow):
    pokir = make_pokir()
    services.submit(pokir, user=world.member_user)
    services.reject(flow.claim(pokir), user=world.verifier, reason="Jalan provinsi, bukan kewenangan kota.")
    pokir.refresh_from_db()
    assert pokir.status == Pokir.Status.REJECTED and pokir.rejection_reason.startswith("Jalan provinsi")
    assert pokir.process.status == STATUS.DONE
    with pytest.raises(PermissionDenied):
        services.update_pokir(pokir, user=world.member_user, data={"title": "Coba lagi"})
    with pytest.raises(PermissionDenied):
        services.submit(pokir, user=world.member_user)


def test_a_verifier_skipping_the_checklist_is_refused(world, make_pokir, flow):
    pokir = make_pokir(boundaries="", photo=False)
    services.submit(pokir, user=world.member_user)
    task = flow.claim(pokir)
    with pytest.raises(PermissionDenied, match="Letak batas.*Foto lokasi|Foto lokasi.*Letak batas"):
        services.verify(task, user=world.verifier, overrides={})
    with pytest.raises(PermissionDenied, match="Foto lokasi"):
        services.verify(task, user=world.verifier, overrides={"boundaries": "Batas jelas di peta."})
    with pytest.raises(PermissionDenied):
        services.verify(task, user=world.verifier, overrides={"boundaries": "Batas jelas di peta.", "photo": "   "})
    assert Pokir.objects.get(pk=pokir.pk).status == Pokir.Status.SUBMITTED, "nothing changed"
    services.verify(task, user=world.verifier, overrides={"boundaries": "Batas jelas di peta.", "photo": "Foto di berkas fisik."})
    review = Pokir.objects.get(pk=pokir.pk).reviews.get()
    assert review.overrides == {"boundaries": "Batas jelas di peta.", "photo": "Foto di berkas fisik."}
    event = AuditEvent.objects.for_object(pokir).get(action="pokir.verified")
    assert event.detail["overrides"] == review.overrides


def test_only_the_claimant_decides(world, make_pokir, flow):
    pokir = make_pokir()
    services.submit(pokir, user=world.member_user)
    task = flow.claim(pokir, world.verifier)
    with pytest.raises(PermissionDenied):
        services.verify(task, user=world.verifier2, overrides={})
    with pytest.raises(PermissionDenied):
        inbox.claim(inbox.open_task(pokir, PokirFlow.verify), user=world.member_user)


def test_submit_after_the_deadline_is_refused_but_a_returned_pokir_may_come_back(world, make_pokir, flow):
    late = world.year.deadline + datetime.timedelta(days=1)
    draft = make_pokir()
    with pytest.raises(PermissionDenied, match="sudah lewat") as refused:
        services.submit(draft, user=world.member_user, today=late)
    assert str(world.year.year) in str(refused.value)
    assert Pokir.objects.get(pk=draft.pk).status == Pokir.Status.DRAFT
    services.submit(draft, user=world.member_user, today=world.year.deadline)  # the deadline day itself is still open

    returned = make_pokir(title="Pemasangan lampu jalan Gg. Kenanga", kamus=world.pju, opd=world.perkim, unit="titik")
    services.submit(returned, user=world.member_user)
    services.return_pokir(flow.claim(returned), user=world.verifier, notes={"photos": "Foto kurang jelas."})
    services.submit(returned, user=world.member_user, today=late)
    assert Pokir.objects.get(pk=returned.pk).status == Pokir.Status.SUBMITTED


def test_a_final_pokir_is_locked_and_never_deleted(world, make_pokir, flow):
    pokir = flow.to_final(make_pokir())
    assert pokir.locked
    with pytest.raises(PermissionDenied, match="final dan dikunci"):
        services.update_pokir(pokir, user=world.member_user, data={"title": "Diubah setelah final"})
    with pytest.raises(PermissionDenied):
        services.add_photos(pokir, user=world.member_user, files=[(png_upload(), "image/png")])
    with pytest.raises(PermissionDenied):
        services.discard_draft(pokir, user=world.member_user)
    with pytest.raises(PermissionDenied):
        pokir.delete()
    with pytest.raises(PermissionDenied):
        Pokir.objects.filter(pk=pokir.pk).delete()
    assert Pokir.objects.get(pk=pokir.pk).title == "Pembangunan drainase lingkungan Jl. Mawar"


def test_a_submitted_pokir_cannot_be_deleted_but_a_draft_can_be_discarded(world, make_pokir):
    submitted = make_pokir()
    services.submit(submitted, user=world.member_user)
    with pytest.raises(PermissionDenied):
        services.discard_draft(submitted, user=world.member_user)
    with pytest.raises(PermissionDenied):
        submitted.delete()
    draft = make_pokir(title="Draf yang tidak jadi")
    with pytest.raises(PermissionDenied):
        services.discard_draft(draft, user=world.other_user)
    process_pk = draft.process_id
    services.discard_draft(draft, user=world.staff)
    assert not Pokir.objects.filter(pk=draft.pk).exists()
    from viewflow.workflow.models import Process

    assert not Process.objects.filter(pk=process_pk).exists()


def test_the_acting_chair_approves_the_recap_in_the_chairs_name(world, make_pokir, flow):
    from django.utils import timezone

    from project.org.services import create_delegation

    pokir = make_pokir()
    services.submit(pokir, user=world.member_user)
    flow.verify(pokir)
    now = timezone.now()
    create_delegation(position=world.org.chair_position, delegate=world.org.deputy,
                      starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(days=1))
    from project.org.services import reroute_position_tasks

    reroute_position_tasks()
    task = inbox.open_task(pokir, PokirFlow.recap)
    assert task.owner == world.org.deputy
    with pytest.raises(PermissionDenied):
        services.approve_recap(task, user=world.org.chair)
    services.approve_recap(task, user=world.org.deputy)
    review = pokir.reviews.get(decision=PokirReview.Decision.APPROVED)
    assert review.by == world.org.deputy and review.acting_for == world.org.chair


def test_building_from_reses_items_prefills_from_the_first_and_flags_shared_items(world, reses_items):
    items = reses_items
    first = services.create_draft(member=world.member, year=world.year, user=world.staff, items=[items.first, items.second])
    assert first.title == "Pembangunan drainase Jl. Mawar" and first.problem == "Saluran meluap"
    assert first.kelurahan == world.klandasan and first.rt == "005" and first.kamus == world.drainase and first.opd == world.dpu
    assert first.volume == 120 and first.unit == "meter"
    assert [d.title for d in first.photos()] == ["Foto saluran"], "the reses item's photo is the pokir's"
    second = services.create_draft(member=world.member, year=world.year, user=world.member_user, items=[items.second])
    assert services.shared_items(first) == {items.second: [second]}
    assert services.shared_items(second) == {items.second: [first]}
    with pytest.raises(PermissionDenied):
        services.create_draft(member=world.member, year=world.year, user=world.member_user, items=[items.draft])
    with pytest.raises(PermissionDenied):
        services.create_draft(member=world.other, year=world.year, user=world.other_user, items=[items.first])


def test_a_draft_needs_a_title_or_a_reses_item(world):
    with pytest.raises(ValidationError):
        services.create_draft(member=world.member, year=world.year, user=world.member_user, title="  ")
    assert not Pokir.objects.exists()


def test_realisation_is_recorded_by_verifiers_on_exported_pokir(world, make_pokir, flow):
    pokir = flow.to_final(make_pokir())
    data = {"realisation": Pokir.Realisation.ACCOMMODATED, "realisation_opd": world.dpu, "realisation_year": world.year.year,
            "realisation_budget": 170_000_000, "realisation_note": ""}
    with pytest.raises(PermissionDenied, match="setelah pokir diekspor"):
        services.record_realisation(pokir, user=world.verifier, data=data)
    services.export_year(world.year, user=world.verifier, fmt="csv")
    with pytest.raises(PermissionDenied):
        services.record_realisation(pokir, user=world.member_user, data=data)
    services.record_realisation(pokir, user=world.verifier, data=data)
    pokir.refresh_from_db()
    assert pokir.realisation == Pokir.Realisation.ACCOMMODATED and pokir.realisation_budget == 170_000_000
    assert "pokir.realisation_recorded" in actions(pokir)


def test_the_admin_neither_changes_nor_deletes_a_pokir(world, make_pokir, flow):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from .conftest import client_for
    from tests.support import PASSWORD

    pokir = flow.to_final(make_pokir())
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    admin = client_for(get_user_model().objects.get(username="root"))
    change = admin.get(reverse("admin:pokir_pokir_change", args=[pokir.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode(), "read-only"
    assert admin.post(reverse("admin:pokir_pokir_change", args=[pokir.pk]), {"title": "Diubah di admin"}).status_code == 403
    assert admin.get(reverse("admin:pokir_pokir_delete", args=[pokir.pk])).status_code == 403
    assert admin.post(reverse("admin:pokir_pokir_delete", args=[pokir.pk]), {"post": "yes"}).status_code == 403
    assert Pokir.objects.get(pk=pokir.pk).title == "Pembangunan drainase lingkungan Jl. Mawar"
