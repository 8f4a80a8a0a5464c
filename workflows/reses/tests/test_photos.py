"""Photos from phones: upright, stripped of every metadata, their location kept only as the item's coordinates."""

import io
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from documents.models import Document
from workflows.reses.models import PHOTO, ResesItem

from .support import jpeg_bytes, login, photo_upload


def stored_image(document):
    with document.current.blob.file.open("rb") as handle:
        data = handle.read()
    return data, Image.open(io.BytesIO(data))


def post_item(client, reses, council, key=None, **fields):
    data = {
        "client_key": str(key or uuid.uuid4()), "action": "record",
        "problem": "Saluran tersumbat", "request": "Normalisasi saluran 50 meter", "kelurahan": council.kota[0].pk,
        "kamus": council.drainase.pk, "volume": "50", "unit": "meter", "kind": "fisik",
    }
    data.update(fields)
    return client.post(f"/reses/{reses.pk}/usulan/simpan/", data)


def test_a_phone_photo_is_stored_upright_without_gps_and_gives_the_item_its_coordinates(council):
    reses = council.open()
    answer = post_item(login(council.aide), reses, council, photos=photo_upload())
    assert answer.status_code == 302, answer.content.decode()[:2000]
    item = ResesItem.objects.get()
    assert item.status == ResesItem.Status.RECORDED
    assert (item.latitude, item.longitude) == (Decimal("-1.258333"), Decimal("116.833333"))
    assert item.coordinates_from_photo
    document = item.documents(PHOTO).get()
    data, image = stored_image(document)
    assert document.current.media_type == "image/jpeg"
    assert image.size == (20, 40), "the EXIF orientation (rotate 90°) is applied to the pixels"
    assert image.getpixel((10, 5))[0] > 200 and image.getpixel((10, 35))[2] > 200, "turned clockwise: the left (red) half is on top"
    assert dict(image.getexif()) == {} and b"Exif" not in data and b"GPS" not in data
    served = login(council.member_user).get(f"/reses/foto/{document.pk}/")
    body = b"".join(served.streaming_content)
    assert served.status_code == 200 and served["Content-Disposition"].startswith("inline")
    assert body == data and b"Exif" not in body, "what is served is the stripped file"


def test_the_items_own_coordinates_are_kept_and_the_photos_location_is_dropped(council):
    reses = council.open()
    answer = post_item(login(council.aide), reses, council, latitude="-1.270000", longitude="116.850000",
                       photos=photo_upload())
    assert answer.status_code == 302
    item = ResesItem.objects.get()
    assert (item.latitude, item.longitude) == (Decimal("-1.270000"), Decimal("116.850000"))
    assert not item.coordinates_from_photo
    data, image = stored_image(item.documents(PHOTO).get())
    assert b"Exif" not in data


def test_documentation_photos_of_the_reses_lose_their_location_entirely(council):
    reses = council.open()
    client = login(council.aide)
    page = client.get(reses.get_absolute_url()).content.decode()
    from .support import token_of

    answer = client.post(f"/reses/{reses.pk}/foto/", {"photos": [photo_upload("a.jpg"), photo_upload("b.png", fmt="PNG")],
                                                      "submission_token": token_of(page)})
    assert answer.status_code == 302
    photos = list(reses.photos())
    assert len(photos) == 2
    for document in photos:
        data, image = stored_image(document)
        assert image.format == "JPEG" and b"Exif" not in data and dict(image.getexif()) == {}


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(council):
    reses = council.open()
    fake = SimpleUploadedFile("foto.jpg", b"ini bukan gambar, hanya teks" * 20, content_type="image/jpeg")
    answer = post_item(login(council.aide), reses, council, photos=fake)
    assert answer.status_code == 200
    assert "Jenis berkas tidak diizinkan; yang diterima: foto JPEG atau PNG." in answer.content.decode()
    assert not ResesItem.objects.exists() and not Document.objects.exists()


def test_a_broken_jpeg_is_refused_with_a_clear_message(council):
    reses = council.open()
    broken = SimpleUploadedFile("rusak.jpg", jpeg_bytes()[:200] + b"\x00" * 500, content_type="image/jpeg")
    answer = post_item(login(council.aide), reses, council, photos=broken)
    assert "bukan foto yang dapat dibaca" in answer.content.decode()
    assert not ResesItem.objects.exists() and not Document.objects.exists()


def test_a_photo_over_the_configured_limit_is_refused(council, settings):
    settings.SIAP_RESES_PHOTO_MAX_BYTES = 500
    reses = council.open()
    answer = post_item(login(council.aide), reses, council, photos=photo_upload(size=(400, 300)))
    assert "Berkas terlalu besar" in answer.content.decode() and "batasnya 500" in answer.content.decode()
    assert not ResesItem.objects.exists() and not Document.objects.exists()


def test_a_real_file_over_the_default_limit_is_refused(council):
    reses = council.open()
    big = SimpleUploadedFile("besar.jpg", jpeg_bytes() + b"\x00" * settings.SIAP_RESES_PHOTO_MAX_BYTES, content_type="image/jpeg")
    answer = post_item(login(council.aide), reses, council, photos=big)
    assert "Berkas terlalu besar" in answer.content.decode() and "10,0" in answer.content.decode()
    assert not ResesItem.objects.exists() and not Document.objects.exists()


def test_an_attendance_sheet_photo_is_cleaned_and_a_pdf_kept(council):
    from tests.support import pdf_upload

    from .support import token_of

    reses = council.open()
    client = login(council.aide)
    token = token_of(client.get(reses.get_absolute_url()).content.decode())
    client.post(f"/reses/{reses.pk}/daftar-hadir/", {"sheet": photo_upload("hadir.jpg"), "submission_token": token})
    sheet = reses.attendance_sheet()
    data, image = stored_image(sheet)
    assert b"Exif" not in data and image.size == (20, 40)
    token = token_of(client.get(reses.get_absolute_url()).content.decode())
    client.post(f"/reses/{reses.pk}/daftar-hadir/", {"sheet": pdf_upload("hadir.pdf"), "submission_token": token})
    sheet = reses.attendance_sheet()
    assert sheet.versions.count() == 2 and sheet.current.media_type == "application/pdf"
    token = token_of(client.get(reses.get_absolute_url()).content.decode())
    refused = client.post(f"/reses/{reses.pk}/daftar-hadir/", {
        "sheet": SimpleUploadedFile("hadir.txt", b"daftar" * 50), "submission_token": token}, follow=True)
    assert "Jenis berkas tidak diizinkan" in refused.content.decode()
    assert reses.attendance_sheet().versions.count() == 2


def test_photos_of_an_item_are_served_only_to_those_who_see_it(council):
    reses = council.open()
    post_item(login(council.aide), reses, council, photos=photo_upload())
    document = ResesItem.objects.get().documents(PHOTO).get()
    for user in (council.member_user, council.aide, council.chair, council.auditor, council.leader, council.verifier):
        assert login(user).get(f"/reses/foto/{document.pk}/?ukuran=kecil").status_code == 200, user
    for user in (council.other_aide, council.other_user, council.org.k1):
        assert login(user).get(f"/reses/foto/{document.pk}/").status_code == 404, user
        assert login(user).get(f"/dokumen/{document.pk}/v1/").status_code == 404, user
