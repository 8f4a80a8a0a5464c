"""Hostile and odd PDFs, built by the tests (never shipped as files).

Each function returns bytes. The real-world counterpart, PDFs nobody on this
project wrote, are the Debian Reference manuals installed by ``make test``.
"""

import io
import zlib

from pypdf import PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

DEBIAN_REFERENCE_ID = "/usr/share/debian-reference/debian-reference.id.pdf"
DEBIAN_REFERENCE_EN = "/usr/share/debian-reference/debian-reference.en.pdf"


def text_pdf(pages=1, text="Rapat paripurna DPRD Kota Balikpapan membahas anggaran"):
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        sheet.drawString(72, 760, f"{text} halaman {number}")
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def truncated():
    content = text_pdf(pages=3)
    return content[: len(content) // 2]


def broken_xref():
    """Valid objects, but the cross-reference table points at the wrong offsets."""
    content = text_pdf(pages=2)
    start = content.rindex(b"startxref")
    xref = content.index(b"xref", content.index(b"endobj"))
    broken = content[:xref] + content[xref:start].replace(b" 00000 n", b" 00000 f").replace(b"0000", b"9999")
    return broken + content[start:]


def encrypted(user_password):
    writer = PdfWriter(clone_from=io.BytesIO(text_pdf()))
    writer.encrypt(user_password=user_password, owner_password="pemilik-rahasia")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _assemble(objects, root=1):
    """A PDF from numbered object bodies, with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref))
    return out.getvalue()


def page_tree_loop():
    """The page tree's Kids point back at the tree itself."""
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [3 0 R] /Count 1 >>",
    ])


def decompression_bomb(uncompressed_bytes=1024 * 1024 * 1024):
    """One page whose 1 MiB content stream inflates to ``uncompressed_bytes`` (1 GiB) of text operators."""
    compressor = zlib.compressobj(9)
    chunk = b"(A) Tj " * (1024 * 1024 // 7)
    parts = [compressor.compress(b"BT /F1 1 Tf ")]
    for _ in range(uncompressed_bytes // len(chunk)):
        parts.append(compressor.compress(chunk))
    parts.append(compressor.compress(b" ET") + compressor.flush())
    stream = b"".join(parts)
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])


def many_pages(count=2000):
    return text_pdf(pages=count, text="Halaman uji")


JPEG_BYTES = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    b"\xff\xdb\x00C\x00" + bytes(range(64)) + b"\xff\xd9"
)


def scanned_letter(lines):
    """An image-only PDF: the letter rendered as a picture, no text layer (as a scanner makes it)."""
    from PIL import Image, ImageDraw, ImageFont

    from documents.pdf import _FONT_DIR

    image = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(_FONT_DIR / "Vera.ttf"), 38)
    y = 180
    for line in lines:
        draw.text((150, y), line, fill=0, font=font)
        y += 70
    buffer = io.BytesIO()
    image.save(buffer, format="PDF", resolution=200)
    return buffer.getvalue()
