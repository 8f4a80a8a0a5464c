"""The pages: opening a reses, typing requests on a phone (autosave), the steps, the periods, the report PDF."""

import datetime
import io
import json
import uuid

import pytest

from documents.models import Document
from tests.support import pdf_text
from workflows import inbox
from workflows.reses import services
from workflows.reses.flows import ResesFlow
from workflows.reses.models import Reses, ResesItem, ResesPeriod

from .support import complete_recording, login, record_item, token_of


def open_form(council, **overrides):
    data = {
        "member": council.member.pk, "period": council.period1.pk, "starts_on": "2026-04-14", "ends_on": "2026-04-16",
        "places": [council.kota[0].pk, council.kota[1].pk], "venue": "Aula Kantor Kelurahan Klandasan Ilir",
        "residents_present": "40",
    }
    data.update(overrides)
    return data


def post_open(client, data):
    data["submission_token"] = token_of(client.get("/reses/buka/").content.decode())
    return client.post("/reses/buka/", data)


def test_the_members_aide_opens_a_reses_once(council):
    client = login(council.aide)
    page = client.get("/reses/buka/").content.decode()
    assert council.kota[0].name in page and council.selatan[0].name not in page, "only the dapil's kelurahan are offered"
    data = open_form(council)
    data["submission_token"] = token_of(page)
    answer = client.post("/reses/buka/", data)
    reses = Reses.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reses.get_absolute_url()
    assert reses.created_by == council.aide and reses.places.count() == 2 and reses.residents_present == 40
    again = client.post("/reses/buka/", data)
    assert again.status_code == 302 and Reses.objects.count() == 1, "a form sent twice opens one reses"


def test_the_open_page_says_why_a_reses_cannot_be_opened(council):
    council.open()
    answer = post_open(login(council.aide), open_form(council, period=council.period2.pk, starts_on="2026-08-11",
                                                      ends_on="2026-08-12"))
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Laporan hasil reses masa sidang I tahun 2026 belum diserahkan" in html and "Pasal 88 ayat 6" in html
    assert Reses.objects.count() == 1


@pytest.mark.parametrize("overrides, message", [
    ({"starts_on": "2026-04-10"}, "Tanggal reses harus di dalam masa sidang I tahun 2026"),
    ({"starts_on": "2026-04-13", "ends_on": "2026-04-19"}, "paling lama 6 hari"),
    ({"places": []}, "Pilih sedikitnya satu kelurahan"),
    ({"residents_present": "-3"}, "Pastikan nilai ini lebih besar dari atau sama dengan 0"),
])
def test_the_open_page_refuses_bad_input_with_its_message(council, overrides, message):
    answer = post_open(login(council.member_user), open_form(council, **overrides))
    assert message in answer.content.decode()
    assert not Reses.objects.exists()


def test_a_kelurahan_outside_the_dapil_is_refused_by_name(council):
    answer = post_open(login(council.member_user), open_form(council, places=[council.selatan[2].pk]))
    html = answer.content.decode()
    assert f"Kelurahan {council.selatan[2].name} (Kecamatan Balikpapan Selatan) tidak berada di Dapil Balikpapan 5" in html
    assert not Reses.objects.exists()


def test_only_members_and_their_staff_open_reses(council):
    for user in (council.verifier, council.auditor, council.chair, council.registrar):
        assert login(user).get("/reses/buka/").status_code == 403
    other = post_open(login(council.other_aide), open_form(council))
    assert "Anda bukan anggota ini atau stafnya." in other.content.decode(), "another member is not among the aide's members"
    assert not Reses.objects.exists()


def autosave(client, reses, key, **fields):
    data = {"client_key": str(key), "autosave": "1", "action": "save"}
    data.update(fields)
    return client.post(f"/reses/{reses.pk}/usulan/simpan/", data, HTTP_ACCEPT="application/json")


def test_autosave_with_the_same_client_key_updates_one_draft(council):
    reses = council.open()
    client, key = login(council.aide), uuid.uuid4()
    page = client.get(f"/reses/{reses.pk}/usulan/baru/").content.decode()
    assert 'name="client_key"' in page and "setInterval(save" in page
    first = autosave(client, reses, key, problem="Jalan berlubang")
    second = autosave(client, reses, key, problem="Jalan berlubang di depan SD", request="Semenisasi jalan")
    assert first.status_code == second.status_code == 200
    body = json.loads(second.content)
    assert body["ok"] and body["status"] == "draft" and "Tersimpan" in body["message"]
    item = ResesItem.objects.get()
    assert item.pk == body["item"] and item.problem == "Jalan berlubang di depan SD" and item.is_draft
    bad = autosave(client, reses, key, volume="-2")
    assert bad.status_code == 400 and json.loads(bad.content)["errors"]["volume"] == ["Volume harus lebih dari nol."]
    assert ResesItem.objects.get().volume is None


def test_without_javascript_draft_then_catat(council):
    reses = council.open()
    client, key = login(council.aide), str(uuid.uuid4())
    draft = client.post(f"/reses/{reses.pk}/usulan/simpan/", {"client_key": key, "action": "save", "problem": "Banjir"})
    item = ResesItem.objects.get()
    assert draft.status_code == 302 and draft["Location"] == item.get_absolute_url()
    incomplete = client.post(f"/reses/{reses.pk}/usulan/simpan/", {"client_key": key, "action": "record", "problem": "Banjir"})
    html = incomplete.content.decode()
    assert incomplete.status_code == 200 and "Isi usulan warga." in html and "Pilih kamus usulan yang sesuai." in html
    assert ResesItem.objects.get().is_draft
    done = client.post(f"/reses/{reses.pk}/usulan/simpan/", {
        "client_key": key, "action": "record", "problem": "Banjir", "request": "Normalisasi parit",
        "kelurahan": council.kota[0].pk, "kamus": council.drainase.pk, "volume": "0"})
    assert "Volume harus lebih dari nol." in done.content.decode() and ResesItem.objects.get().is_draft
    done = client.post(f"/reses/{reses.pk}/usulan/simpan/", {
        "client_key": key, "action": "record", "problem": "Banjir", "request": "Normalisasi parit",
        "kelurahan": council.kota[0].pk, "kamus": council.drainase.pk, "volume": "75"})
    item = ResesItem.objects.get()
    assert done.status_code == 302 and done["Location"] == item.get_anchor_url()
    assert item.status == ResesItem.Status.RECORDED and item.unit == "meter" and ResesItem.objects.count() == 1


def test_an_item_in_a_kelurahan_outside_the_dapil_is_refused_on_the_page(council):
    reses = council.open()
    answer = autosave(login(council.aide), reses, uuid.uuid4(), problem="x", kelurahan=council.selatan[0].pk)
    assert answer.status_code == 400
    assert "tidak berada di Dapil Balikpapan 5" in json.loads(answer.content)["errors"]["kelurahan"][0]
    assert not ResesItem.objects.exists()


def test_another_members_staff_gets_404_and_readers_get_403(council):
    reses = council.open()
    item = record_item(council, reses)
    outsider = login(council.other_aide)
    assert autosave(outsider, reses, uuid.uuid4(), problem="x").status_code == 404
    assert outsider.get(f"/reses/{reses.pk}/usulan/baru/").status_code == 404
    assert outsider.get(item.get_absolute_url()).status_code == 404
    assert outsider.post(f"/reses/usulan/{item.pk}/hapus/").status_code == 404
    for reader in (council.leader, council.chair, council.verifier, council.auditor):
        assert autosave(login(reader), reses, uuid.uuid4(), problem="x").status_code == 403, reader
        assert login(reader).get(f"/reses/{reses.pk}/ubah/").status_code == 403
    assert ResesItem.objects.count() == 1


def test_the_member_closes_the_recording_and_submits_the_report_on_task_pages(council):
    reses = council.open()
    member = login(council.member_user)
    task = inbox.open_task(reses, ResesFlow.record)
    page = member.get(f"/tugas/{task.pk}/").content.decode()
    assert "Belum ada usulan warga yang dicatat." in page
    refused = member.post(f"/tugas/{task.pk}/", {"submission_token": token_of(page)})
    assert "Unggah pindaian daftar hadir." in refused.content.decode()
    assert Reses.objects.get().status == Reses.Status.OPEN
    assert login(council.aide).get(f"/tugas/{task.pk}/").status_code == 404, "the step is the member's own"

    record_item(council, reses)
    complete_recording(council, reses)
    page = member.get(f"/tugas/{task.pk}/").content.decode()
    answer = member.post(f"/tugas/{task.pk}/", {"submission_token": token_of(page)})
    assert answer.status_code == 302 and answer["Location"] == reses.get_absolute_url()
    submit = inbox.open_task(reses, ResesFlow.submit)
    page = member.get(f"/tugas/{submit.pk}/").content.decode()
    member.post(f"/tugas/{submit.pk}/", {"submission_token": token_of(page), "summary": "Aspirasi drainase."})
    reses.refresh_from_db()
    assert reses.status == Reses.Status.REPORTED and reses.summary == "Aspirasi drainase."

    acknowledge = inbox.open_task(reses, ResesFlow.acknowledge)
    assert login(council.deputy).get(f"/tugas/{acknowledge.pk}/").status_code == 404
    chair = login(council.chair)
    page = chair.get(f"/tugas/{acknowledge.pk}/").content.decode()
    assert "Unduh laporan yang diserahkan" in page
    chair.post(f"/tugas/{acknowledge.pk}/", {"submission_token": token_of(page), "note": "Terima kasih."})
    reses.refresh_from_db()
    assert reses.status == Reses.Status.ACKNOWLEDGED and reses.acknowledgement_note == "Terima kasih."


def test_the_report_pdf_has_time_place_each_request_and_the_attendance(council, reported):
    answer = login(council.member_user).get(f"/reses/{reported.pk}/laporan.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(answer.content).split())
    for expected in ("LAPORAN HASIL RESES", str(council.member), "masa sidang I tahun 2026", "Balai Pertemuan RT 12",
                     council.kota[0].name, "13 April 2026", "15 April 2026", "57 orang", "Daftar hadir reses",
                     "Pembangunan drainase beton sepanjang 120 meter di Gg. Mawar",
                     "Pemasangan 8 titik lampu jalan di Jl. Ahmad Yani", "ASPIRASI DAN USULAN WARGA (2 usulan)",
                     "DOKUMENTASI", "57 warga hadir", "Ringkasan."):
        assert expected in text, expected
    assert "Suharti Syahrir" in text, "the member's own copy names the residents"
    submitted = reported.report()
    with submitted.current.blob.file.open("rb") as handle:
        kept = " ".join(pdf_text(handle.read()).split())
    assert "Pemasangan 8 titik lampu jalan" in kept and "Suharti Syahrir" not in kept and "0812-5555-1234" not in kept


def test_the_report_pdf_shows_photos_as_thumbnails(council, reported):
    from pypdf import PdfReader

    from workflows.reses.photos import CleanPhoto
    from workflows.reses.printouts import report_pdf

    from .support import jpeg_bytes

    photo = CleanPhoto(content=jpeg_bytes(size=(400, 300), gps=False, orientation=0), width=400, height=300)
    services._store_photo(reported, photo, council.aide)  # the reses is no longer open: stored directly
    reader = PdfReader(io.BytesIO(report_pdf(reported)))
    assert [image for page in reader.pages for image in page.images], "the photo is drawn into the report"


def test_periods_are_kept_by_the_secretariat_with_validation(council, settings):
    verifier = login(council.verifier)
    assert verifier.get("/reses/masa/").status_code == 200
    for user in (council.member_user, council.auditor, council.chair):
        assert login(user).get("/reses/masa/").status_code == 403
        assert login(user).post("/reses/masa/baru/", {}).status_code == 403

    def post(**data):
        values = {"year": "2027", "number": "1", "starts_on": "2027-04-12", "ends_on": "2027-04-17", "report_due": "2027-05-10"}
        values.update(data)
        return verifier.post("/reses/masa/baru/", values)

    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in post(ends_on="2027-04-10").content.decode()
    assert "harus berada dalam tahun 2027" in post(ends_on="2028-01-02").content.decode()
    assert "sudah ada" in post(year="2026").content.decode()
    assert "Batas laporan tidak boleh sebelum" in post(report_due="2027-04-13").content.decode()
    assert "bertumpang tindih" in post(number="3", starts_on="2026-08-15", ends_on="2026-08-20", year="2026").content.decode()
    settings.SIAP_RESES_LAST_MASA_SIDANG = "2027-1"
    assert "masa sidang terakhir masa jabatan" in post().content.decode()
    assert ResesPeriod.objects.count() == 2
    settings.SIAP_RESES_LAST_MASA_SIDANG = ""
    answer = post()
    assert answer.status_code == 302 and ResesPeriod.objects.filter(year=2027, number=1).exists()
    assert login(council.registrar).get("/reses/masa/baru/").status_code == 200


def test_a_period_cannot_move_away_from_its_reses(council):
    council.open()
    answer = login(council.verifier).post(f"/reses/masa/{council.period1.pk}/ubah/", {
        "year": "2026", "number": "1", "starts_on": "2026-04-15", "ends_on": "2026-04-20", "report_due": "2026-05-10"})
    assert "1 reses yang sudah dibuka berada di luar tanggal baru ini" in answer.content.decode()
    council.period1.refresh_from_db()
    assert council.period1.starts_on == datetime.date(2026, 4, 13)


def test_a_draft_is_deleted_from_the_page_with_its_photos(council):
    from .support import photo_upload

    reses = council.open()
    client, key = login(council.aide), str(uuid.uuid4())
    client.post(f"/reses/{reses.pk}/usulan/simpan/", {"client_key": key, "action": "save", "problem": "x",
                                                      "photos": photo_upload()})
    item = ResesItem.objects.get()
    assert Document.objects.count() == 1
    client.post(f"/reses/usulan/{item.pk}/hapus/")
    assert not ResesItem.objects.exists() and not Document.objects.exists()


def test_the_list_filters_and_the_dashboard_counts_drafts(council, reported):
    second = council.open(period=council.period2)
    services.save_item(second, client_key=uuid.uuid4(), data={"problem": "draf"}, user=council.aide)
    client = login(council.aide)
    everything = client.get("/reses/").content.decode()
    assert reported.get_absolute_url() in everything and second.get_absolute_url() in everything
    only_open = client.get("/reses/", {"status": "open"}).content.decode()
    assert second.get_absolute_url() in only_open and reported.get_absolute_url() not in only_open
    by_period = client.get("/reses/", {"masa": council.period1.pk}).content.decode()
    assert reported.get_absolute_url() in by_period and second.get_absolute_url() not in by_period
    dashboard = client.get("/").content.decode()
    assert "Reses dengan usulan draf" in dashboard and "Reses belum dilaporkan" in dashboard
    assert "Reses dengan usulan draf" not in login(council.auditor).get("/").content.decode()
