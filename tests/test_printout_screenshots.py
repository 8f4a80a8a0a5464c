"""Page 1 of each printout as a PNG in docs/, from demo-like data: only with ``SIAP_SCREENSHOTS=1``.

The catatan rapat is shown as a draft (with its ``DRAF`` watermark), the
others approved. Needs ``pdftoppm`` (poppler-utils).
"""

import datetime
import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from documents.models import ClassificationCode
from documents.services import add_document
from tests.support import make_user
from workflows.letters.printouts import disposition_sheet_pdf
from workflows.minutes import printouts as minutes_printouts
from workflows.minutes.models import AUDIO, Meeting, Participant, Recording, TranscriptLine

pytestmark = pytest.mark.skipif(not os.environ.get("SIAP_SCREENSHOTS"), reason="set SIAP_SCREENSHOTS=1 to write docs/")

DOCS = Path(__file__).resolve().parent.parent / "docs"
TRANSCRIPT = [
    ("Andi Rahman, S.H.", "Rapat kerja Komisi II dengan Dinas Pekerjaan Umum kami buka dan terbuka untuk umum."),
    ("Ir. Rita Kusuma", "Anggaran penanganan banjir Sepinggan tahun ini Rp 12,4 miliar; dua paket sudah dilelang."),
    ("Sabaruddin Panrecalle", "Kami minta jadwal pengerjaan drainase Jalan MT Haryono disampaikan kepada Komisi II."),
    ("Andi Rahman, S.H.", "Rapat kami tutup. Kesimpulan dan keputusan dibacakan notulis."),
]


def page_one_png(content, name):
    pdf = DOCS / f"{name}.pdf"
    pdf.write_bytes(content)
    try:
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", "1", "-l", "1", pdf, DOCS / name], check=True)
    finally:
        pdf.unlink()
    png = DOCS / f"{name}.png"
    assert png.stat().st_size < 150 * 1024, png


def named(org):
    people = ((org.chair, "H. Abdulloh"), (org.k2, "Andi Rahman, S.H."), (org.member, "Sabaruddin Panrecalle"))
    for user, name in people:
        user.first_name = name
        user.save()


def test_lembar_disposisi(org, register, dispose):
    named(org)
    code = ClassificationCode.objects.create(code="600.1", name="Pekerjaan umum")
    letter = register(
        sender="Dinas Pekerjaan Umum Kota Balikpapan", sender_number="600.1/1187/DPU", nature="segera",
        subject="Permohonan audiensi penanganan banjir di Jalan MT Haryono dan Sepinggan", classification=code,
    )
    dispose(letter, [org.komisi2, org.komisi1], deadline=datetime.date.today() + datetime.timedelta(days=7))
    page_one_png(disposition_sheet_pdf(letter), "printout-lembar-disposisi")


@pytest.fixture
def meeting(org):
    from workflows.minutes import services

    named(org)
    notulis = make_user("notulis", first_name="Nurul Hidayati")
    meeting = services.schedule_meeting(
        data={
            "title": "Rapat kerja pembahasan penanganan banjir Sepinggan", "kind": "komisi", "is_closed": False,
            "unit": org.komisi2, "date": datetime.date.today(), "start_time": datetime.time(9, 0),
            "end_time": datetime.time(12, 0), "place": "Ruang Rapat Komisi II", "chair": org.k2, "secretary": notulis,
            "opened_at": datetime.time(9, 10), "closed_at": datetime.time(11, 35),
            "main_points": "Realisasi anggaran penanganan banjir.\nJadwal pengerjaan drainase Jalan MT Haryono.",
            "conclusions": "Komisi II mendukung percepatan pengerjaan drainase Sepinggan.",
            "decisions": "Dinas Pekerjaan Umum menyampaikan jadwal pengerjaan kepada Komisi II paling lambat 14 hari.",
        },
        agenda=["Pembukaan", "Paparan Dinas Pekerjaan Umum", "Tanya jawab", "Penutup"],
        invitees=[org.member], guests=[("Ir. Rita Kusuma", "Kepala Dinas Pekerjaan Umum")], user=org.registrar,
    )
    meeting.participants.update(attendance=Participant.Attendance.PRESENT)
    audio = add_document(
        meeting, role=AUDIO, file=ContentFile(b"RIFF", name="rekaman.wav"), media_type="audio/x-wav", user=notulis,
        extract_text=False,
    )
    recording = Recording.objects.create(meeting=meeting, document=audio, position=1)
    speakers = {participant.name: participant for participant in meeting.participants.all()}
    for position, (speaker, text) in enumerate(TRANSCRIPT, start=1):
        TranscriptLine.objects.create(
            meeting=meeting, recording=recording, position=position, start=position * 61.0, end=position * 61.0 + 30,
            machine_text=text, text=text, speaker=speakers.get(speaker),
        )
    return meeting


def approve(meeting):
    meeting.status, meeting.document_number = Meeting.Status.PUBLISHED, "RIS/KOM/0007/DPRD/2026"
    meeting.approved_at = datetime.datetime.now(datetime.UTC)
    return meeting


def test_risalah(meeting):
    page_one_png(minutes_printouts.risalah_pdf(approve(meeting)), "printout-risalah")


def test_catatan_rapat_draft(meeting):
    page_one_png(minutes_printouts.catatan_pdf(meeting), "printout-catatan-rapat")


def test_laporan_singkat(meeting):
    page_one_png(minutes_printouts.laporan_singkat_pdf(approve(meeting)), "printout-laporan-singkat")
