"""The pages people use: the verifier's step with its checklist, the member's correction, the chair's recap, the figures."""

import re

from django.urls import reverse

from workflows import inbox
from workflows.pokir import services
from workflows.pokir.flows import PokirFlow
from workflows.pokir.models import Pokir

from .conftest import client_for


def token(html):
    return re.search(r'name="(?:[a-z]+-)?submission_token" value="([0-9a-f]{32})"', html).group(1)


def tokens(html):
    return dict(re.findall(r'name="([a-z]+)-submission_token" value="([0-9a-f]{32})"', html))


def test_the_verifier_claims_sees_the_failing_check_and_must_override_or_return(world, make_pokir):
    pokir = make_pokir(boundaries="")
    services.submit(pokir, user=world.member_user)
    task = inbox.open_task(pokir, PokirFlow.verify)
    client = client_for(world.verifier)
    assert "Verifikasi sekretariat" in client.get(reverse("tasks:queue")).content.decode()
    assert client.post(reverse("tasks:claim", args=[task.pk])).status_code == 302
    page = client.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert 'data-code="boundaries"' in page and "check-fail" in page and page.count("check-fail") == 1
    assert "Letak batas lokasi belum diisi" in page
    forms = tokens(page)

    skipped = client.post(reverse("tasks:task", args=[task.pk]), {"verify-submission_token": forms["verify"], "verify": ""})
    assert skipped.status_code == 200
    assert "“Letak batas” gagal" in skipped.content.decode()
    assert Pokir.objects.get(pk=pokir.pk).status == Pokir.Status.SUBMITTED

    returned = client.post(reverse("tasks:task", args=[task.pk]), {
        "return-submission_token": forms["return"], "return-note_address": "Tulis nomor rumah dan patokan.",
        "return-note_boundaries": "Letak batas belum ada.", "return": "",
    })
    assert returned.status_code == 302
    pokir.refresh_from_db()
    assert pokir.status == Pokir.Status.RETURNED
    assert pokir.return_notes == {"address": "Tulis nomor rumah dan patokan.", "boundaries": "Letak batas belum ada."}

    edit = client_for(world.staff).get(reverse("pokir:edit", args=[pokir.pk])).content.decode()
    assert "Catatan verifikator: Tulis nomor rumah dan patokan." in edit
    field = edit.split('id="field-boundaries"')[1].split("</div>")[0]
    assert "Letak batas belum ada." in field, "the note sits at its field"
    counter = client_for(world.member_user).get("/").content.decode()
    assert "Pokir dikembalikan" in counter


def test_override_with_reason_on_the_page_verifies(world, make_pokir):
    pokir = make_pokir(boundaries="")
    services.submit(pokir, user=world.member_user)
    task = inbox.open_task(pokir, PokirFlow.verify)
    inbox.claim(task, user=world.verifier)
    client = client_for(world.verifier)
    forms = tokens(client.get(reverse("tasks:task", args=[task.pk])).content.decode())
    response = client.post(reverse("tasks:task", args=[task.pk]), {
        "verify-submission_token": forms["verify"], "verify-override_boundaries": "on",
        "verify-reason_boundaries": "Batas tercantum pada sketsa lokasi.", "verify": "",
    })
    assert response.status_code == 302
    assert Pokir.objects.get(pk=pokir.pk).status == Pokir.Status.VERIFIED


def test_the_chair_approves_one_on_its_page_and_the_rest_at_once(world, make_pokir, flow):
    pokirs = [make_pokir(title=f"Usulan {index}") for index in range(3)]
    for pokir in pokirs:
        services.submit(pokir, user=world.member_user)
        flow.verify(pokir)
    client = client_for(world.org.chair)
    task = inbox.open_task(pokirs[0], PokirFlow.recap)
    page = client.get(reverse("tasks:task", args=[task.pk])).content.decode()
    assert "Setujui dalam rekap" in page
    assert client.post(reverse("tasks:task", args=[task.pk]), {"submission_token": token(page)}).status_code == 302
    assert Pokir.objects.get(pk=pokirs[0].pk).status == Pokir.Status.FINAL
    recap = client.get(reverse("pokir:recap")).content.decode()
    assert "2 pokir terverifikasi menunggu rekap" in recap
    assert client_for(world.org.deputy).get(reverse("pokir:recap")).content.decode().count("tasks/") == 0
    assert client.post(reverse("pokir:recap"), {"tahun": world.year.year}).status_code == 302
    assert set(Pokir.objects.values_list("status", flat=True)) == {Pokir.Status.FINAL}
    client_for(world.org.deputy).post(reverse("pokir:recap"), {"tahun": world.year.year})  # nothing of theirs to approve


def test_the_member_builds_a_pokir_from_reses_items_on_the_page(world, reses_items):
    client = client_for(world.member_user)
    page = client.get(reverse("pokir:create")).content.decode()
    assert "Pembangunan drainase Jl. Mawar" in page and "Belum selesai dicatat" not in page, "only recorded items"
    response = client.post(reverse("pokir:create"), {"submission_token": token(page), "year": world.year.pk,
                                                     "reses_items": [reses_items.first.pk, reses_items.second.pk]})
    pokir = Pokir.objects.get()
    assert response["Location"] == pokir.get_absolute_url()
    second_page = client.get(reverse("pokir:create")).content.decode()
    assert f"dipakai di {pokir.number}" in second_page, "items already used are flagged"
    client.post(reverse("pokir:create"), {"submission_token": token(second_page), "year": world.year.pk,
                                          "reses_items": [reses_items.second.pk]})
    other = Pokir.objects.exclude(pk=pokir.pk).get()
    detail = client.get(pokir.get_absolute_url()).content.decode()
    assert "Juga dipakai di" in detail and other.number in detail
    assert "Foto saluran" in detail
    assert "Juga dipakai di" in client.get(other.get_absolute_url()).content.decode()


def test_a_staff_of_two_members_chooses_for_whom(world):
    world.other.staff.add(world.staff)
    page = client_for(world.staff).get(reverse("pokir:create"), {"anggota": world.other.pk}).content.decode()
    assert "Siti" in page and "Susun pokir untuk" in page
    assert client_for(world.verifier).get(reverse("pokir:create")).status_code == 403


def test_saving_and_submitting_from_the_edit_page(world, make_pokir):
    pokir = make_pokir()
    client = client_for(world.member_user)
    page = client.get(reverse("pokir:edit", args=[pokir.pk])).content.decode()
    data = {name: value for name, value in re.findall(r'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', page)}
    data.update({"submission_token": token(page), "kelurahan": world.klandasan.pk, "kind": "fisik", "kamus": world.drainase.pk,
                 "opd": world.dpu.pk, "problem": "Banjir", "boundaries": "dari A sampai B", "send": ""})
    response = client.post(reverse("pokir:edit", args=[pokir.pk]), data)
    assert response.status_code == 302
    pokir.refresh_from_db()
    assert pokir.status == Pokir.Status.SUBMITTED and pokir.boundaries == "dari A sampai B"


def test_the_detail_page_shows_the_flow_checklist_and_trail(world, make_pokir):
    pokir = make_pokir(kelurahan=world.sepinggan)
    page = client_for(world.member_user).get(pokir.get_absolute_url()).content.decode()
    assert "Penyusunan oleh anggota" in page, "the flow diagram"
    assert 'data-code="dapil"' in page and "bukan dapil anggota" in page
    assert "Draf pokir dibuat" in page and "Ajukan untuk verifikasi" in page
    leader = client_for(world.leader).get(pokir.get_absolute_url()).content.decode()
    assert "Ajukan untuk verifikasi" not in leader, "the fraksi leader reads, does not edit"


def test_the_dashboard_charts_count_what_the_viewer_sees(world, make_pokir, reses_items):
    mine = make_pokir()
    services.submit(mine, user=world.member_user)
    make_pokir(member=world.other, kelurahan=world.sepinggan, kamus=world.pju, opd=world.perkim, unit="titik")
    verifier = client_for(world.verifier).get(reverse("pokir:dashboard")).content.decode()
    for title in ("Usulan reses dan pokir per kecamatan", "Pokir per OPD tujuan", "Pokir per jenis", "Pokir per status",
                  "Hasil verifikasi", "Tingkat realisasi per tahun"):
        assert title in verifier
    assert "<svg" in verifier and "Dinas Perumahan dan Permukiman" in verifier
    member = client_for(world.member_user).get(reverse("pokir:dashboard")).content.decode()
    assert "Dinas Perumahan dan Permukiman" not in member, "another member's pokir is not counted"
    assert "Balikpapan Kota: 2 / 1" in member, "the member's own two recorded reses items and one pokir"
    dashboard = client_for(world.verifier).get("/").content.decode()
    assert "Pokir menunggu verifikasi" in dashboard


def test_the_menu_shows_pokir_to_those_who_use_it(world):
    assert 'href="/pokir/"' in client_for(world.member_user).get("/").content.decode()
    assert 'href="/pokir/kalender/"' in client_for(world.verifier).get("/").content.decode()
    registrar = client_for(world.org.registrar).get("/").content.decode()
    assert 'href="/pokir/"' not in registrar and 'href="/pokir/ekspor/"' not in registrar


def test_realisation_on_the_page(world, make_pokir, flow):
    pokir = flow.to_final(make_pokir())
    services.export_year(world.year, user=world.verifier, fmt="xlsx")
    client = client_for(world.verifier)
    page = client.get(pokir.get_absolute_url()).content.decode()
    assert "Catat realisasi" in page
    response = client.post(reverse("pokir:realisation", args=[pokir.pk]), {
        "submission_token": token(page.split('id="realisation-form"')[1]), "realisation": "cadangan", "realisation_note": "Cadangan",
    })
    assert response.status_code == 302
    assert Pokir.objects.get(pk=pokir.pk).realisation == "cadangan"
    assert client_for(world.member_user).post(reverse("pokir:realisation", args=[pokir.pk]), {}).status_code == 403
    public = client_for(world.member_user).get(reverse("pokir:public")).content.decode()
    assert "Cadangan" in public
