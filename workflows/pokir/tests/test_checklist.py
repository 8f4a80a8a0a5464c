"""The verification checklist, rule by rule (pass and fail), and the duplicate detection."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from workflows.pokir import checklist, services
from workflows.pokir.models import Pokir, PokirYear

from .conftest import complete


def checks_of(pokir, **kwargs):
    return {check.code: check for check in checklist.checklist(Pokir.objects.get(pk=pokir.pk), **kwargs)}


def test_a_complete_pokir_passes_every_check(world, make_pokir):
    checks = checks_of(make_pokir())
    assert list(checks) == list(checklist.CODES)
    assert all(check.passed for check in checks.values()), {c.code: c.reason for c in checks.values() if not c.passed}
    assert "Jl. Mawar No. 12" in checks["address"].reason and "Klandasan Ilir" in checks["address"].reason


@pytest.mark.parametrize("field,label", [("rt", "RT"), ("rw", "RW"), ("address", "alamat"), ("kelurahan", "kelurahan")])
def test_address_fails_when_any_part_is_missing(world, make_pokir, field, label):
    check = checks_of(make_pokir(**{field: None if field == "kelurahan" else ""}))["address"]
    assert not check.passed and label in check.reason


def test_boundaries(world, make_pokir):
    assert not checks_of(make_pokir(boundaries="  "))["boundaries"].passed
    assert checks_of(make_pokir(boundaries="dari masjid sampai sekolah"))["boundaries"].passed


def test_photo_counts_own_uploads_and_the_reses_items_photos(world, make_pokir, reses_items):
    without = make_pokir(photo=False)
    check = checks_of(without)["photo"]
    assert not check.passed and check.reason == "Belum ada foto lokasi."
    assert checks_of(make_pokir())["photo"].reason == "1 foto."
    from_item = services.create_draft(member=world.member, year=world.year, user=world.member_user, items=[reses_items.first])
    assert checks_of(from_item)["photo"].passed


def test_volume_and_unit(world, make_pokir):
    assert checks_of(make_pokir())["volume"].reason == "150 meter"
    pokir = make_pokir(unit="")
    assert not checks_of(pokir)["volume"].passed
    Pokir.objects.filter(pk=pokir.pk).update(unit="meter", volume=None)
    check = checks_of(pokir)["volume"]
    assert not check.passed and "lebih dari 0" in check.reason


def test_kamus_entry_and_matching_opd(world, make_pokir):
    assert not checks_of(make_pokir(kamus=None))["kamus"].passed
    mismatch = checks_of(make_pokir(opd=world.perkim))["kamus"]
    assert not mismatch.passed and "tidak sesuai kamus usulan (Dinas Pekerjaan Umum)" in mismatch.reason
    assert not checks_of(make_pokir(opd=None))["kamus"].passed
    world.drainase.active = False
    world.drainase.save()
    assert "tidak aktif" in checks_of(make_pokir())["kamus"].reason


def test_location_outside_the_members_dapil_fails(world, make_pokir):
    check = checks_of(make_pokir(kelurahan=world.sepinggan))["dapil"]
    assert not check.passed
    assert "Sepinggan" in check.reason and "Dapil Balikpapan 1" in check.reason and "Dapil Balikpapan 5" in check.reason
    assert checks_of(make_pokir(kelurahan=world.damai))["dapil"].passed


def test_ceiling_per_member_counts_the_members_other_live_pokir(world, make_pokir, flow):
    first = make_pokir(estimated_cost=Decimal(600_000_000))
    services.submit(first, user=world.member_user)
    second = make_pokir(title="Pembangunan drainase Gg. Melati", estimated_cost=Decimal(500_000_000))
    check = checks_of(second)["ceiling"]
    assert not check.passed and "Rp 1.100.000.000" in check.reason and "Rp 1.000.000.000" in check.reason
    make_pokir(title="Draf lain", estimated_cost=Decimal(900_000_000))  # drafts do not count
    Pokir.objects.filter(pk=first.pk).update(status=Pokir.Status.REJECTED)  # nor do rejected ones
    assert checks_of(second)["ceiling"].passed
    other_member = make_pokir(member=world.other, kelurahan=world.sepinggan, estimated_cost=Decimal(900_000_000))
    assert checks_of(other_member)["ceiling"].passed, "the ceiling is per member"
    assert not checks_of(make_pokir(estimated_cost=None))["ceiling"].passed
    world.year.ceiling_per_member = None
    world.year.save()
    assert checks_of(make_pokir(estimated_cost=None))["ceiling"].passed


def test_submitted_before_the_deadline(world, make_pokir):
    pokir = make_pokir()
    assert checks_of(pokir)["deadline"].passed
    late = world.year.deadline + datetime.timedelta(days=1)
    assert not checks_of(pokir, today=late)["deadline"].passed
    services.submit(pokir, user=world.member_user)
    assert checks_of(pokir, today=late)["deadline"].passed, "submitted in time stays in time"
    after = timezone.make_aware(datetime.datetime.combine(late, datetime.time(9)))
    Pokir.objects.filter(pk=pokir.pk).update(submitted_at=after)
    check = checks_of(pokir)["deadline"]
    assert not check.passed and "sesudah batas" in check.reason


def test_normalised_text_ignores_case_punctuation_and_abbreviations():
    assert checklist.normalise("Pembangunan  DRAINASE, Jl. Mawar (RT 05)!") == "pembangunan drainase jalan mawar rt 05"
    assert checklist.normalise("Gg. Kenanga") == checklist.normalise("gang kenanga")
    assert checklist.similarity("pembangunan drainase jalan mawar", "pembangunan drainase jalan mawar") == 1


def test_duplicates_from_another_member_in_the_same_kelurahan_are_shown(world, make_pokir):
    mine = make_pokir(title="Pembangunan drainase lingkungan Jl. Mawar", address="Jl. Mawar No. 12")
    services.submit(mine, user=world.member_user)
    theirs = make_pokir(member=world.pks_leader.council_member, title="PEMBANGUNAN DRAINASE LINGKUNGAN JALAN MAWAR",
                        address="Jl. Mawar no 12")
    check = checks_of(theirs)["duplicates"]
    assert not check.passed
    assert [similar.pokir.pk for similar in check.similar] == [mine.pk] and check.similar[0].percent >= 90


def test_no_duplicate_for_different_text_other_kelurahan_drafts_or_the_same_members_same_year(world, make_pokir):
    base = make_pokir(title="Pembangunan drainase lingkungan Jl. Mawar")
    services.submit(base, user=world.member_user)
    leader_member = world.pks_leader.council_member
    different = make_pokir(member=leader_member, title="Pelatihan usaha mikro ibu-ibu PKK", address="Balai RW 3")
    assert checks_of(different)["duplicates"].passed
    elsewhere = make_pokir(member=leader_member, kelurahan=world.damai)
    assert checks_of(elsewhere)["duplicates"].passed
    same_member = make_pokir(title="Pembangunan drainase lingkungan Jl. Mawar")
    assert checks_of(same_member)["duplicates"].passed, "the same member's own other proposal of the year"
    draft_only = make_pokir(member=leader_member, title="Pemasangan lampu jalan Gg. Kenanga")
    later = make_pokir(title="Pemasangan lampu jalan Gg. Kenanga")
    assert draft_only.status == Pokir.Status.DRAFT and checks_of(later)["duplicates"].passed, "drafts are not compared"


def test_the_same_members_proposal_of_an_earlier_year_is_a_duplicate(world, make_pokir):
    earlier_year = PokirYear.objects.create(year=world.year.year - 1, deadline=world.today + datetime.timedelta(days=3))
    earlier = make_pokir(year=earlier_year)
    services.submit(earlier, user=world.member_user)
    now = make_pokir()
    check = checks_of(now)["duplicates"]
    assert not check.passed and check.similar[0].pokir.pk == earlier.pk


def test_duplicates_shown_to_a_member_are_only_pokir_the_member_sees(world, make_pokir):
    theirs = make_pokir(member=world.pks_leader.council_member)
    services.submit(theirs, user=world.pks_leader)
    mine = make_pokir()
    assert not checks_of(mine)["duplicates"].passed, "the verifier sees it"
    assert checks_of(mine, candidates=Pokir.objects.visible_to(world.member_user))["duplicates"].passed


def test_checklist_is_the_same_for_the_form_and_the_service(world, make_pokir):
    pokir = make_pokir(boundaries="", kelurahan=world.sepinggan)
    failed = [check.code for check in checklist.failed(checklist.checklist(pokir))]
    assert failed == ["boundaries", "dapil"]
    from workflows.pokir.forms import VerifyForm

    form = VerifyForm({"submission_token": "a" * 32}, checks=checklist.checklist(pokir))
    assert not form.is_valid()
    assert set(form.errors) == {"override_boundaries", "override_dapil"}
    ticked = VerifyForm({"submission_token": "a" * 32, "override_boundaries": "on", "override_dapil": "on",
                         "reason_dapil": "Lokasi berbatasan dengan dapil anggota."}, checks=checklist.checklist(pokir))
    assert not ticked.is_valid() and set(ticked.errors) == {"reason_boundaries"}
    assert complete(world)["rt"] == "005"
