"""The WhatsApp channel against a stand-in of the Graph API: handshake, signed webhooks, media, replies, statuses."""

import hashlib
import hmac
import io
import json
import threading
import time
from datetime import timedelta

import pytest
import requests
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.support import pdf_upload
from workflows.aspirations.channels import whatsapp
from workflows.aspirations.models import ATTACHMENT, Aspiration, AspirationMessage, WhatsAppInbound
from workflows.reses.tests.support import jpeg_bytes

from .support import answer, approve, dispose, receive, verify

pytestmark = pytest.mark.django_db

URL = reverse("aspirations:whatsapp_webhook")
WA_ID = "6281234567890"
NAME = "Budi Santoso"
LAMENT = "Jalan berlubang di Jl. Sudirman\nSudah tiga bulan belum diperbaiki, sudah dua motor jatuh."


def text_message(wamid, text, wa_id=WA_ID):
    return {"from": wa_id, "id": wamid, "timestamp": str(int(time.time())), "type": "text", "text": {"body": text}}


def media_message(wamid, kind, media_id, caption="", wa_id=WA_ID, **extra):
    media = {"id": media_id, "mime_type": extra.pop("mime_type", "image/jpeg"), **extra}
    if caption:
        media["caption"] = caption
    return {"from": wa_id, "id": wamid, "timestamp": str(int(time.time())), "type": kind, kind: media}


def delivery(graph, *, messages=(), statuses=(), name=NAME, wa_id=WA_ID):
    """A webhook delivery as Meta sends it: one entry, one ``messages`` change."""
    value = {"messaging_product": "whatsapp",
             "metadata": {"display_phone_number": "6254200001111", "phone_number_id": graph.phone_number_id}}
    if messages:
        value["contacts"] = [{"profile": {"name": name}, "wa_id": wa_id}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": value}]}]}


def signature(body, secret="test-app-secret"):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post(client, body, sign=True, **headers):
    """POST ``body`` (a payload, or the raw bytes) to the webhook, signed with the app secret unless told otherwise."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    if sign:
        headers.setdefault("X-Hub-Signature-256", signature(raw))
    return client.post(URL, data=raw, content_type="application/json", headers=headers)


def status(wamid, state, **extra):
    return {"id": wamid, "status": state, "timestamp": str(int(time.time())), "recipient_id": WA_ID, **extra}


@pytest.fixture
def deliver_now(eager_jobs, django_capture_on_commit_callbacks):
    """Run ``action`` and then what it left for after commit (deliveries included), as production would."""

    def _run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return _run


def take_to_answer(world, aspiration, deliver_now):
    deliver_now(verify, world, aspiration)
    deliver_now(dispose, world, aspiration, unit=world.org.komisi1)
    deliver_now(answer, aspiration, world.org.k1_staff)
    deliver_now(approve, aspiration, world.org.k1)
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.ANSWERED
    return aspiration.messages.get(purpose=AspirationMessage.Purpose.ANSWER)


# --- the handshake --------------------------------------------------------------------------


def test_the_handshake_echoes_the_challenge_only_for_the_verify_token(client, graph, settings):
    good = {"hub.mode": "subscribe", "hub.verify_token": "test-verify-token", "hub.challenge": "1158201444"}
    answer_ = client.get(URL, good)
    assert answer_.status_code == 200 and answer_.content == b"1158201444"
    assert answer_["Content-Type"].startswith("text/plain")
    assert client.get(URL, {**good, "hub.verify_token": "tebakan"}).status_code == 403
    assert client.get(URL, {**good, "hub.mode": "unsubscribe"}).status_code == 403
    settings.WHATSAPP_VERIFY_TOKEN = ""
    assert client.get(URL, {**good, "hub.verify_token": ""}).status_code == 403, "no configured token: never verified"


# --- end to end -------------------------------------------------------------------------------


def test_a_text_message_becomes_an_aspiration_and_the_answer_goes_back_by_whatsapp(world, graph, client, deliver_now):
    answer_ = deliver_now(post, client, delivery(graph, messages=[text_message("wamid.IN1", LAMENT)]))
    assert answer_.status_code == 200
    aspiration = Aspiration.objects.get()
    assert aspiration.channel == Aspiration.Channel.WHATSAPP and aspiration.name == NAME
    assert (aspiration.wa_id, aspiration.phone) == (WA_ID, f"+{WA_ID}")
    assert aspiration.subject == "Jalan berlubang di Jl. Sudirman" and aspiration.text == LAMENT
    assert aspiration.messages.get(purpose="original").external_id == "wamid.IN1"
    inbound = WhatsAppInbound.objects.get()
    assert (inbound.wamid, inbound.kind, inbound.aspiration, inbound.error) == ("wamid.IN1", "text", aspiration, "")
    assert inbound.sent_at is not None

    [receipt] = graph.sent
    assert receipt["type"] == "text" and receipt["to"] == WA_ID and aspiration.code in receipt["text"]["body"]
    receipt_message = aspiration.messages.get(purpose="receipt")
    assert receipt_message.delivery == AspirationMessage.Delivery.SENT
    assert receipt_message.external_id.startswith("wamid.STANDIN")

    answer_message = take_to_answer(world, aspiration, deliver_now)
    assert answer_message.delivery == AspirationMessage.Delivery.SENT
    texts = graph.texts()
    assert "lampu diperbaiki pekan ini" in texts[-1] and aspiration.code in texts[-1]
    assert not graph.templates_sent(), "the resident wrote today: free text, no template"
    assert not graph.refused

    # Meta reports the answer delivered, then read
    post(client, delivery(graph, statuses=[status(answer_message.external_id, "delivered")]))
    answer_message.refresh_from_db()
    assert answer_message.delivery == AspirationMessage.Delivery.DELIVERED and answer_message.delivered_at
    post(client, delivery(graph, statuses=[status(answer_message.external_id, "read"),
                                           status(answer_message.external_id, "delivered")]))
    answer_message.refresh_from_db()
    assert answer_message.delivery == AspirationMessage.Delivery.READ, "a late 'delivered' does not step back"

    # the resident answers back within the reply window: the aspiration reopens
    deliver_now(post, client, delivery(graph, messages=[text_message("wamid.IN2", "Jalannya masih berlubang, Pak.")]))
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.IN_FOLLOW_UP and aspiration.reopened_at
    assert Aspiration.objects.count() == 1
    reply = aspiration.messages.get(purpose="reply")
    assert (reply.text, reply.external_id, reply.channel) == ("Jalannya masih berlubang, Pak.", "wamid.IN2", "whatsapp")
    assert WhatsAppInbound.objects.get(wamid="wamid.IN2").aspiration == aspiration


def test_after_24_hours_of_silence_the_answer_goes_as_the_approved_template(world, graph, client, deliver_now):
    deliver_now(post, client, delivery(graph, messages=[text_message("wamid.IN1", LAMENT)]))
    aspiration = Aspiration.objects.get()
    long_ago = timezone.now() - timedelta(hours=25)
    WhatsAppInbound.objects.update(sent_at=long_ago, received_at=long_ago)

    answer_message = take_to_answer(world, aspiration, deliver_now)
    assert [message["type"] for message in graph.sent] == ["text", "template", "template"], "receipt; status, answer"
    template = graph.templates_sent()[-1]
    assert template["name"] == "siap_pemberitahuan" and template["language"] == {"code": "id"}
    [parameter] = template["components"][0]["parameters"]
    assert aspiration.code in parameter["text"] and "lampu diperbaiki pekan ini" in parameter["text"]
    assert "\n" not in parameter["text"]
    assert answer_message.delivery == AspirationMessage.Delivery.SENT and answer_message.external_id
    assert not graph.refused


def test_a_long_answer_is_cut_to_the_templates_limit_keeping_the_tracking_link(world, graph, client, deliver_now):
    deliver_now(post, client, delivery(graph, messages=[text_message("wamid.IN1", LAMENT)]))
    aspiration = Aspiration.objects.get()
    WhatsAppInbound.objects.update(sent_at=timezone.now() - timedelta(days=3))
    long_answer = "Dinas Pekerjaan Umum sudah meninjau lokasi.   " * 60
    deliver_now(verify, world, aspiration)
    deliver_now(dispose, world, aspiration, unit=world.org.komisi1)
    deliver_now(answer, aspiration, world.org.k1_staff, long_answer)
    deliver_now(approve, aspiration, world.org.k1)
    template = graph.templates_sent()[-1]
    text = template["components"][0]["parameters"][0]["text"]
    assert len(text) <= whatsapp.TEMPLATE_PARAM_MAX and text.endswith(aspiration.tracking_url())
    assert not graph.refused


# --- media ------------------------------------------------------------------------------------


def stored(document):
    with document.current.blob.file.open("rb") as handle:
        return handle.read()


def test_a_photo_is_downloaded_cleaned_of_its_metadata_and_stored(world, graph, client, deliver_now):
    graph.add_media("1045392810", jpeg_bytes(), "image/jpeg")
    message = media_message("wamid.IMG1", "image", "1045392810", caption="Foto lubang di depan SD 012")
    assert deliver_now(post, client, delivery(graph, messages=[message])).status_code == 200
    aspiration = Aspiration.objects.get()
    assert aspiration.text == "Foto lubang di depan SD 012"
    [document] = aspiration.documents(ATTACHMENT)
    data = stored(document)
    assert document.current.media_type == "image/jpeg"
    assert b"Exif" not in data and b"GPS" not in data and dict(Image.open(io.BytesIO(data)).getexif()) == {}
    assert WhatsAppInbound.objects.get().error == ""
    assert len(graph.sent) == 1, "only the receipt"


def test_a_pdf_document_is_kept_as_sent(world, graph, client, deliver_now):
    content = pdf_upload().read()
    graph.add_media("2071152311", content, "application/pdf")
    message = media_message("wamid.DOC1", "document", "2071152311", caption="Surat permohonan warga RT 12",
                            mime_type="application/pdf", filename="permohonan-rt12.pdf")
    deliver_now(post, client, delivery(graph, messages=[message]))
    [document] = Aspiration.objects.get().documents(ATTACHMENT)
    assert document.current.media_type == "application/pdf" and document.title == "permohonan-rt12.pdf"
    assert stored(document) == content


def test_a_refused_file_keeps_the_text_and_tells_the_resident_what_is_accepted(world, graph, client, deliver_now):
    graph.add_media("3001", b"PK\x03\x04 not really a word document", "application/vnd.ms-word")
    message = media_message("wamid.DOC2", "document", "3001", caption="Proposal renovasi musala",
                            mime_type="application/vnd.ms-word", filename="proposal.docx")
    assert deliver_now(post, client, delivery(graph, messages=[message])).status_code == 200
    aspiration = Aspiration.objects.get()
    assert aspiration.text == "Proposal renovasi musala" and not aspiration.documents(ATTACHMENT).exists()
    assert "tidak diizinkan" in WhatsAppInbound.objects.get().error
    notice = graph.texts()[-1]
    assert "lampiran Anda tidak dapat kami terima" in notice and "PDF" in notice and aspiration.code in notice


def test_a_failed_download_keeps_the_text_and_still_answers_200(world, graph, client, deliver_now):
    graph.add_media("4001", jpeg_bytes(), "image/jpeg")
    graph.unavailable.add("4001")
    message = media_message("wamid.IMG2", "image", "4001", caption="Banjir di Gunung Samarinda")
    assert deliver_now(post, client, delivery(graph, messages=[message])).status_code == 200
    aspiration = Aspiration.objects.get()
    assert aspiration.text == "Banjir di Gunung Samarinda" and not aspiration.documents(ATTACHMENT).exists()
    inbound = WhatsAppInbound.objects.get()
    assert inbound.aspiration == aspiration and "500" in inbound.error
    assert "gagal kami unduh" in graph.texts()[-1]


def test_a_photo_without_caption_that_cannot_be_downloaded_makes_no_aspiration(world, graph, client, deliver_now):
    deliver_now(post, client, delivery(graph, messages=[media_message("wamid.IMG3", "image", "999")]))
    assert not Aspiration.objects.exists()
    assert WhatsAppInbound.objects.get().error.startswith("media:")
    assert "Silakan kirim ulang" in graph.texts()[-1]


def test_a_file_over_the_size_limit_is_refused_before_it_is_downloaded(world, graph, client, deliver_now, settings):
    settings.SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES = 100
    graph.add_media("5001", jpeg_bytes(), "image/jpeg")
    message = media_message("wamid.IMG4", "image", "5001", caption="Sampah")
    deliver_now(post, client, delivery(graph, messages=[message]))
    assert "terlalu besar" in WhatsAppInbound.objects.get().error
    assert not Aspiration.objects.get().documents(ATTACHMENT).exists()


# --- what is not a text or a file ---------------------------------------------------------------


def test_a_voice_note_is_recorded_and_the_resident_told_what_is_accepted(world, graph, client, deliver_now):
    voice = {"from": WA_ID, "id": "wamid.AUD1", "timestamp": str(int(time.time())), "type": "audio",
             "audio": {"id": "6001", "mime_type": "audio/ogg; codecs=opus", "voice": True}}
    reaction = {"from": WA_ID, "id": "wamid.REA1", "timestamp": str(int(time.time())), "type": "reaction",
                "reaction": {"message_id": "wamid.STANDIN000001", "emoji": "\U0001f44d"}}
    assert deliver_now(post, client, delivery(graph, messages=[voice, reaction])).status_code == 200
    assert not Aspiration.objects.exists()
    assert set(WhatsAppInbound.objects.values_list("kind", flat=True)) == {"audio", "reaction"}
    [notice] = graph.texts()
    assert "jenis pesan ini belum dapat kami terima" in notice and "PDF" in notice
    assert graph.sent[0]["to"] == WA_ID


# --- refusals -----------------------------------------------------------------------------------


def test_an_unsigned_or_badly_signed_delivery_is_refused_and_nothing_stored(world, graph, client, caplog):
    payload = delivery(graph, messages=[text_message("wamid.IN1", LAMENT)])
    raw = json.dumps(payload).encode()
    assert post(client, raw, sign=False).status_code == 403
    assert post(client, raw, **{"X-Hub-Signature-256": signature(raw, "another-secret")}).status_code == 403
    assert post(client, raw, **{"X-Hub-Signature-256": signature(raw + b" ")}).status_code == 403
    assert post(client, raw, **{"X-Hub-Signature-256": signature(raw)[7:]}).status_code == 403, "without sha256="
    assert not WhatsAppInbound.objects.exists() and not Aspiration.objects.exists() and not graph.sent
    assert caplog.text.count("X-Hub-Signature-256") == 4


def test_no_app_secret_means_no_delivery_is_accepted(world, graph, client, settings):
    settings.WHATSAPP_APP_SECRET = ""
    payload = delivery(graph, messages=[text_message("wamid.IN1", LAMENT)])
    raw = json.dumps(payload).encode()
    assert post(client, raw, **{"X-Hub-Signature-256": "sha256=" + hmac.new(b"", raw, hashlib.sha256).hexdigest()}
                ).status_code == 403
    assert not WhatsAppInbound.objects.exists()


def test_a_signed_body_that_is_not_json_is_a_bad_request(world, graph, client, caplog):
    assert post(client, b'{"object": "whatsapp_business_account", "entry": [').status_code == 400
    assert post(client, b"[1, 2]").status_code == 400
    assert not WhatsAppInbound.objects.exists() and "not JSON" in caplog.text


def test_an_oversized_body_is_refused(world, graph, client):
    raw = json.dumps({"object": "whatsapp_business_account", "padding": "x" * whatsapp.MAX_WEBHOOK_BYTES}).encode()
    assert post(client, raw).status_code == 413


def test_only_get_and_post(client, graph):
    assert client.put(URL).status_code == 405


def test_a_change_for_another_phone_number_is_skipped(world, graph, client, deliver_now):
    payload = delivery(graph, messages=[text_message("wamid.IN1", LAMENT)])
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "555000111"
    assert deliver_now(post, client, payload).status_code == 200
    assert not WhatsAppInbound.objects.exists()


# --- exactly once ---------------------------------------------------------------------------------


def test_a_replayed_delivery_changes_nothing(world, graph, client, deliver_now):
    payload = delivery(graph, messages=[text_message("wamid.IN1", LAMENT)])
    deliver_now(post, client, payload)
    before = (Aspiration.objects.count(), AspirationMessage.objects.count(), WhatsAppInbound.objects.count())
    assert deliver_now(post, client, payload).status_code == 200
    assert (Aspiration.objects.count(), AspirationMessage.objects.count(), WhatsAppInbound.objects.count()) == before
    assert before[0] == 1 and len(graph.sent) == 1, "one receipt"


@pytest.mark.django_db(transaction=True)
def test_the_same_message_delivered_twice_at_once_is_handled_once(graph):
    """The unique ``wamid`` decides: the second delivery waits on the first's row and then skips the message."""
    payload = delivery(graph, messages=[text_message("wamid.RACE", LAMENT)])
    answers = []

    def second_delivery():
        try:
            answers.append(post(Client(), payload))
        finally:
            connection.close()

    with transaction.atomic():
        WhatsAppInbound.objects.create(wamid="wamid.RACE", wa_id=WA_ID, kind="text")  # the first, not committed yet
        other = threading.Thread(target=second_delivery)
        other.start()
        deadline = time.monotonic() + 20
        with connection.cursor() as cursor:
            while True:  # until the second delivery waits on this transaction's row
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                if cursor.fetchone()[0] or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
        assert time.monotonic() <= deadline, "the second delivery never waited on the first's row"
    other.join(20)
    assert [answer_.status_code for answer_ in answers] == [200]
    assert WhatsAppInbound.objects.count() == 1 and not Aspiration.objects.exists()


# --- routing --------------------------------------------------------------------------------------


def test_a_reply_while_information_is_needed_resumes_the_verification(world, graph, client, deliver_now):
    deliver_now(post, client, delivery(graph, messages=[text_message("wamid.IN1", LAMENT)]))
    aspiration = Aspiration.objects.get()
    deliver_now(verify, world, aspiration, "needs_info", info_request="Di RT berapa tepatnya?")
    assert "Di RT berapa tepatnya?" in graph.texts()[-1]
    deliver_now(post, client, delivery(graph, messages=[text_message("wamid.IN2", "RT 12, depan SD 012.")]))
    aspiration.refresh_from_db()
    assert aspiration.status == Aspiration.Status.RECEIVED and Aspiration.objects.count() == 1
    assert aspiration.messages.filter(purpose="reply", external_id="wamid.IN2").exists()


def test_a_tracking_code_routes_a_message_only_from_its_own_sender(world, graph, client, deliver_now):
    deliver_now(post, client, delivery(graph, messages=[text_message("wamid.IN1", LAMENT)]))
    aspiration = Aspiration.objects.get()
    typed = aspiration.code.lower().replace("-", " ")
    more = text_message("wamid.IN2", f"Tambahan untuk {typed}: lubangnya makin besar.")
    deliver_now(post, client, delivery(graph, messages=[more]))
    assert Aspiration.objects.count() == 1
    assert aspiration.messages.filter(purpose="reply", external_id="wamid.IN2").exists()

    stranger = text_message("wamid.IN3", f"Soal {aspiration.code}, saya juga mau lapor.", wa_id="6285311112222")
    deliver_now(post, client, delivery(graph, messages=[stranger], name="Orang Lain", wa_id="6285311112222"))
    assert Aspiration.objects.count() == 2, "someone else's code starts their own aspiration"
    assert Aspiration.objects.get(wa_id="6285311112222").name == "Orang Lain"


# --- statuses and sending ---------------------------------------------------------------------------


def test_a_failed_status_records_graphs_error_and_unknown_ids_are_ignored(world, graph, client, deliver_now):
    deliver_now(post, client, delivery(graph, messages=[text_message("wamid.IN1", LAMENT)]))
    receipt = AspirationMessage.objects.get(purpose="receipt")
    failed = status(receipt.external_id, "failed",
                    errors=[{"code": 131047, "title": "Re-engagement message", "message": "Re-engagement message"}])
    unknown = status("wamid.NEVERSENT", "delivered")
    assert post(client, delivery(graph, statuses=[failed, unknown])).status_code == 200
    receipt.refresh_from_db()
    assert receipt.delivery == AspirationMessage.Delivery.FAILED and "131047" in receipt.error


def test_deliver_raises_graphs_error_so_the_job_retries(world, graph, client, deliver_now, settings):
    deliver_now(post, client, delivery(graph, messages=[text_message("wamid.IN1", LAMENT)]))
    receipt = AspirationMessage.objects.get(purpose="receipt")
    settings.WHATSAPP_ACCESS_TOKEN = "expired-token"
    with pytest.raises(requests.HTTPError, match="190"):
        whatsapp.deliver(receipt)


def test_a_photo_sent_right_after_the_text_joins_that_aspiration(world, graph, client, deliver_now):
    assert deliver_now(post, client, delivery(graph, messages=[text_message("wamid.SPLIT1", LAMENT)])).status_code == 200
    graph.add_media("1045392811", jpeg_bytes(), "image/jpeg")
    photo = media_message("wamid.SPLIT2", "image", "1045392811")
    assert deliver_now(post, client, delivery(graph, messages=[photo])).status_code == 200
    aspiration = Aspiration.objects.get()
    assert len(aspiration.documents(ATTACHMENT)) == 1, "the photo joined the text's aspiration"
    assert aspiration.messages.filter(direction="in", purpose="reply").count() == 1


def test_a_web_form_with_only_a_mobile_number_is_answered_by_whatsapp_template(world, graph, deliver_now):
    aspiration = deliver_now(receive, world, email="", phone="0812-3456-7890")
    assert aspiration.wa_id == "6281234567890"
    [receipt] = graph.sent
    assert receipt["to"] == "6281234567890" and receipt["type"] == "template", "the resident never wrote to us"
    assert aspiration.code in receipt["template"]["components"][0]["parameters"][0]["text"]
    take_to_answer(world, aspiration, deliver_now)
    assert [message["type"] for message in graph.sent][-1] == "template"


def test_a_landline_is_no_whatsapp_number(world):
    from workflows.aspirations.models import whatsapp_number

    assert whatsapp_number("0542 123456") == "" and whatsapp_number("+62 812 3456 7890") == "6281234567890"
