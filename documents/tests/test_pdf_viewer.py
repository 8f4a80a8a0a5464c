"""The scan shown inline: the viewer's URL, its permission check, its markup, and pdf.js as a static file."""

from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from documents.services import add_document
from project.audit.models import AuditEvent
from tests.support import PASSWORD


def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_inline_url_serves_the_pdf_inline_to_whoever_may_download_it(org, register, dispose):
    letter = register()
    dispose(letter, [org.komisi1])
    scan = letter.scan
    url = reverse("documents:view", args=[scan.pk, 1])
    response = client_for(org.k1).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    seen = AuditEvent.objects.filter(action="file.viewed").order_by("-pk").first()  # viewed, not downloaded
    assert seen.detail["document"] == scan.pk and not AuditEvent.objects.filter(action="file.downloaded").exists()
    # the download next to it is still an attachment
    download = client_for(org.k1).get(reverse("documents:download", args=[scan.pk, 1]))
    assert download["Content-Disposition"].startswith("attachment;")


def test_the_inline_url_is_refused_like_the_download(org, register, dispose, client):
    letter = register()
    dispose(letter, [org.komisi1])
    url = reverse("documents:view", args=[letter.scan.pk, 1])
    assert client_for(org.k2).get(url).status_code == 404
    assert client_for(org.k1).get(reverse("documents:view", args=[letter.scan.pk, 9])).status_code == 404
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/akun/masuk/" in anonymous["Location"]


def test_a_file_that_is_not_a_pdf_is_never_served_inline(org, register):
    letter = register()
    page = SimpleUploadedFile("catatan.html", b"<script>alert(1)</script>", content_type="text/html")
    document = add_document(letter, role="lampiran", file=page, media_type="text/html", user=org.registrar,
                            extract_text=False)
    response = client_for(org.registrar).get(reverse("documents:view", args=[document.pk, 1]))
    assert response["Content-Disposition"].startswith("attachment;")
    markup = render_to_string("documents/_pdf_viewer.html", {"document": document})
    assert "data-pdf-viewer" not in markup and "hanya tersedia untuk PDF" in markup
    assert reverse("documents:download", args=[document.pk, 1]) in markup


def test_the_include_renders_the_viewer_of_the_current_version(org, register):
    from workflows.letters import services

    letter = register()
    services.stamp_scan(letter)  # version 2, the stamped scan
    scan = letter.scan
    markup = render_to_string("documents/_pdf_viewer.html", {"document": scan})
    assert f'data-src="{reverse("documents:view", args=[scan.pk, 2])}"' in markup
    assert f'href="{reverse("documents:download", args=[scan.pk, 2])}"' in markup
    assert 'data-worker="/static/pdfjs/build/pdf.worker.min.mjs"' in markup
    assert 'data-lib="/static/pdfjs/build/pdf.min.mjs"' in markup
    assert 'src="/static/documents/pdf-viewer.mjs"' in markup and 'type="module"' in markup
    assert ">Unduh<" in markup
    page = client_for(org.registrar).get(reverse("documents:detail", args=[scan.pk])).content.decode()
    assert "data-pdf-viewer" in page


def test_pdfjs_is_installed_as_static_files():
    """`make install` runs `npm ci`; the viewer needs these files, served by WhiteNoise from node_modules."""
    for path in ("pdfjs/build/pdf.min.mjs", "pdfjs/build/pdf.worker.min.mjs", "pdfjs/wasm/jbig2.wasm",
                 "pdfjs/wasm/openjpeg.wasm", "pdfjs/standard_fonts/FoxitSerif.pfb", "documents/pdf-viewer.mjs",
                 "documents/pdf-viewer.css"):
        assert finders.find(path), f"{path} is missing: run `make install`"


def test_the_module_files_are_served_as_javascript(client):
    response = client.get("/static/pdfjs/build/pdf.worker.min.mjs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
