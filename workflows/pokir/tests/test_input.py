"""Bad input: each refused with a clear Indonesian message, and nothing half-saved."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Document
from workflows.pokir import checklist
from workflows.pokir.forms import NewPokirForm, PhotoForm, PokirForm, PokirYearForm, RealisationForm
from workflows.pokir.models import Pokir

from .conftest import client_for, png_upload

TOKEN = "b" * 32


def edit_data(world, **overrides):
    data = {"submission_token": TOKEN, "title": "Pembangunan drainase Jl. Mawar", "problem": "", "kelurahan": world.klandasan.pk,
            "rt": "005", "rw": "002", "address": "Jl. Mawar No. 12", "boundaries": "dari simpang sampai jembatan",
            "latitude": "", "longitude": "", "kind": "fisik", "volume": "150", "unit": "meter",
            "estimated_cost": "180000000", "kamus": world.drainase.pk, "opd": world.dpu.pk}
    data.update(overrides)
    return data


@pytest.mark.parametrize("volume,message", [("-5", "Volume harus lebih dari 0."), ("0", "Volume harus lebih dari 0."),
                                            ("banyak", "Masukkan sebuah bilangan.")])
def test_volume_must_be_a_positive_number(world, make_pokir, volume, message):
    pokir = make_pokir()
    form = PokirForm(edit_data(world, volume=volume), instance=pokir)
    assert not form.is_valid()
    assert message in form.errors["volume"]


@pytest.mark.parametrize("field,value,message", [
    ("rt", "lima", "RT ditulis dengan angka (1–3 digit), mis. 005."),
    ("rw", "1234", "RW ditulis dengan angka (1–3 digit), mis. 005."),
    ("estimated_cost", "-1", "Perkiraan biaya tidak boleh negatif."),
    ("latitude", "95", "Lintang harus antara -90 dan 90."),
])
def test_field_rules(world, make_pokir, field, value, message):
    form = PokirForm(edit_data(world, **{field: value, "longitude": "116.8" if field == "latitude" else ""}), instance=make_pokir())
    assert not form.is_valid() and message in form.errors[field]


def test_coordinates_come_in_pairs(world, make_pokir):
    form = PokirForm(edit_data(world, latitude="-1.27"), instance=make_pokir())
    assert not form.is_valid()
    assert "Isi lintang dan bujur bersama-sama, atau kosongkan keduanya." in form.errors["longitude"]


def test_a_negative_volume_posted_to_the_page_changes_nothing(world, make_pokir):
    pokir = make_pokir()
    response = client_for(world.member_user).post(reverse("pokir:edit", args=[pokir.pk]),
                                                  edit_data(world, volume="-5", title="Judul baru"))
    assert response.status_code == 200
    assert "Volume harus lebih dari 0." in response.content.decode()
    pokir.refresh_from_db()
    assert pokir.volume == 150 and pokir.title == "Pembangunan drainase lingkungan Jl. Mawar"


def test_a_location_outside_the_dapil_is_accepted_but_fails_the_checklist(world, make_pokir):
    pokir = make_pokir()
    client = client_for(world.member_user)
    response = client.post(reverse("pokir:edit", args=[pokir.pk]), edit_data(world, kelurahan=world.sepinggan.pk))
    assert response.status_code == 302
    pokir.refresh_from_db()
    failed = {check.code: check.reason for check in checklist.failed(checklist.checklist(pokir))}
    assert list(failed) == ["dapil"] and "Sepinggan" in failed["dapil"]


def test_a_photo_that_is_not_an_image_is_refused(world, make_pokir):
    pokir = make_pokir(photo=False)
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 bukan foto", content_type="image/jpeg")
    form = PhotoForm({"submission_token": TOKEN}, {"photos": [fake]})
    assert not form.is_valid()
    assert "Jenis berkas tidak diizinkan; yang diterima: JPEG atau PNG." in form.errors["photos"]
    client = client_for(world.member_user)
    text = SimpleUploadedFile("catatan.png", b"hanya teks, bukan gambar", content_type="image/png")
    response = client.post(reverse("pokir:add_photos", args=[pokir.pk]), {"submission_token": TOKEN, "photos": [text]})
    assert response.status_code == 400
    assert "Jenis berkas tidak diizinkan" in response.content.decode()
    assert not Document.objects.exists(), "nothing stored"


def test_a_photo_is_stored_without_its_metadata(world, make_pokir):
    from PIL import Image

    pokir = make_pokir(photo=False)
    response = client_for(world.staff).post(reverse("pokir:add_photos", args=[pokir.pk]),
                                            {"submission_token": TOKEN, "photos": [png_upload()]})
    assert response.status_code == 302
    document = pokir.photos().get()
    assert document.current.media_type == "image/jpeg", "re-encoded by the photo sandbox"
    with document.current.blob.file.open("rb") as handle:
        assert not Image.open(handle).getexif()
    assert document.current.get_text_status_display() == "Bukan dokumen teks"


def test_a_new_draft_needs_a_title_or_items_and_an_open_year(world, reses_items):
    form = NewPokirForm({"submission_token": TOKEN, "year": world.year.pk, "title": " "}, member=world.member)
    assert not form.is_valid()
    assert "Isi usulan atau pilih sedikitnya satu usulan reses." in form.errors["title"]
    form = NewPokirForm({"submission_token": TOKEN, "year": world.year.pk, "reses_items": [reses_items.draft.pk]}, member=world.member)
    assert not form.is_valid() and "reses_items" in form.errors, "a draft reses item is not offered"
    world.year.deadline = world.today.replace(year=world.today.year - 1)
    world.year.save()
    form = NewPokirForm({"submission_token": TOKEN, "year": world.year.pk, "title": "Usulan"}, member=world.member)
    assert not form.is_valid() and "year" in form.errors


def test_the_create_page_makes_one_draft_per_form(world, reses_items):
    client = client_for(world.member_user)
    page = client.get(reverse("pokir:create")).content.decode()
    token = re.search(r'name="submission_token" value="([0-9a-f]{32})"', page).group(1)
    data = {"submission_token": token, "year": world.year.pk, "reses_items": [reses_items.first.pk, reses_items.second.pk]}
    first = client.post(reverse("pokir:create"), data)
    again = client.post(reverse("pokir:create"), data)
    assert Pokir.objects.count() == 1
    pokir = Pokir.objects.get()
    assert first["Location"] == pokir.get_absolute_url() == again["Location"]


def test_calendar_and_realisation_forms(world):
    form = PokirYearForm({"year": "1990", "deadline": "2027-03-31", "ceiling_per_member": "-5", "reminder_working_days": "90"})
    assert not form.is_valid()
    assert set(form.errors) == {"year", "ceiling_per_member", "reminder_working_days"}
    form = PokirYearForm({"year": world.year.year, "deadline": "2027-03-31", "reminder_working_days": "5"})
    assert not form.is_valid() and "year" in form.errors, "one calendar per year"
    form = RealisationForm({"submission_token": TOKEN, "realisation": Pokir.Realisation.ACCOMMODATED})
    assert not form.is_valid()
    assert {"realisation_opd", "realisation_year", "realisation_budget"} <= set(form.errors)
    form = RealisationForm({"submission_token": TOKEN, "realisation": Pokir.Realisation.NOT_ACCOMMODATED})
    assert form.is_valid(), form.errors
