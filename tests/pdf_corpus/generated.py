"""Hostile and odd PDFs for the corpus, built at test time as bytes.

Each public function returns the bytes of one PDF (or of a file that claims
to be one). ``GENERATORS`` maps the ``generator`` names used in
``manifest.json`` to callables; a few of them reuse the builders in
``tests/hostile_pdfs.py`` rather than repeating them.

Only pypdf, reportlab, Pillow and fontTools are used (all pinned in
requirements.txt); nothing is fetched from the network.
"""

import io
import random
from pathlib import Path

import reportlab
from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont as FontToolsFont
from pypdf import PdfWriter
from pypdf.generic import NameObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests import hostile_pdfs
from tests.hostile_pdfs import _assemble

VERA = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"

# Sentences a human sees on the generated pages. The words listed in the
# manifest come from these.
KALIMAT = "Rapat paripurna DPRD membahas anggaran daerah"
KALIMAT_2 = "Sekretariat dewan menerima surat aspirasi warga"
SURAT = [
    "Kepada Yth. Ketua DPRD Kota Balikpapan",
    "Perihal: Permohonan perbaikan jalan",
    "Dengan hormat, kami warga kelurahan",
    "Sepinggan memohon perbaikan jalan",
    "yang rusak di depan sekolah dasar.",
    "Hormat kami, Ketua RT 12",
]


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

def _text_page(lines=(KALIMAT,), pagesize=A4, font_size=14):
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=pagesize)
    y = pagesize[1] - 100
    for line in lines:
        sheet.setFont("Helvetica", font_size)
        sheet.drawString(72, y, line)
        y -= font_size * 2
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _encrypt(content, user_password, algorithm):
    writer = PdfWriter(clone_from=io.BytesIO(content))
    writer.encrypt(user_password=user_password, owner_password="pemilik-rahasia", algorithm=algorithm)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _page_image(lines, size=(1654, 2339), font_size=40, noise=0, contrast=0):
    """A grey page (A4 at 200 dpi) with the lines drawn on it, as a scanner would see it."""
    from PIL import Image, ImageDraw, ImageFont

    background = 255 - contrast
    image = Image.new("L", size, background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(VERA), font_size)
    y = 200
    for line in lines:
        draw.text((150, y), line, fill=contrast, font=font)
        y += int(font_size * 1.8)
    if noise:
        rng = random.Random(1234)
        pixels = image.load()
        for _ in range(noise):
            x, y = rng.randrange(size[0]), rng.randrange(size[1])
            pixels[x, y] = rng.choice((0, 90, 160))
    return image


def _image_pdf(images, resolution=200):
    buffer = io.BytesIO()
    first, *rest = images
    first.save(buffer, format="PDF", resolution=resolution, save_all=True, append_images=rest)
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# 1-2. Encryption
# ---------------------------------------------------------------------------

def aes_empty_password_128():
    """AES-128 (V4, AESV2), empty user password: anyone can open it."""
    return _encrypt(_text_page(), "", "AES-128")


def aes_empty_password_256():
    """AES-256 (V5 R6, AESV3), empty user password: anyone can open it."""
    return _encrypt(_text_page(), "", "AES-256")


def aes_256_user_password():
    """AES-256 with a real user password: cannot be read without it."""
    return _encrypt(_text_page(), "rahasia-dewan", "AES-256")


# ---------------------------------------------------------------------------
# 3. Damaged structure that poppler still reads
# ---------------------------------------------------------------------------

_SPEC_CONTENT = b"BT /F1 24 Tf 72 700 Td (Rapat paripurna DPRD) Tj 0 -36 Td (membahas anggaran daerah) Tj ET"


def spec_minimal_wrong_offsets():
    """Hand-written like the PDF specification's "Simple Text String" example,
    with every cross-reference offset and the startxref offset wrong (as when
    someone types a PDF in a text editor or an FTP transfer rewrites line ends)."""
    objects = [
        b"1 0 obj\n<< /Type /Catalog /Outlines 2 0 R /Pages 3 0 R >>\nendobj\n",
        b"2 0 obj\n<< /Type /Outlines /Count 0 >>\nendobj\n",
        b"3 0 obj\n<< /Type /Pages /Kids [4 0 R] /Count 1 >>\nendobj\n",
        b"4 0 obj\n<< /Type /Page /Parent 3 0 R /MediaBox [0 0 612 792] /Contents 5 0 R"
        b" /Resources << /ProcSet 6 0 R /Font << /F1 7 0 R >> >> >>\nendobj\n",
        b"5 0 obj\n<< /Length %d >>\nstream\n" % len(_SPEC_CONTENT) + _SPEC_CONTENT + b"\nendstream\nendobj\n",
        b"6 0 obj\n[/PDF /Text]\nendobj\n",
        b"7 0 obj\n<< /Type /Font /Subtype /Type1 /Name /F1 /BaseFont /Helvetica /Encoding /MacRomanEncoding >>\nendobj\n",
    ]
    body = b"%PDF-1.4\n" + b"".join(objects)
    xref = b"xref\n0 8\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % (100 * n) for n in range(1, 8))
    trailer = b"trailer\n<< /Size 8 /Root 1 0 R >>\nstartxref\n12345\n%%EOF\n"
    return body + xref + trailer


def no_startxref():
    """A normal ReportLab page with its last lines (startxref, offset, %%EOF) cut off."""
    content = _text_page()
    return content[: content.rindex(b"startxref")]


def no_xref_at_all():
    """Objects only: neither the cross-reference table, the trailer nor startxref."""
    content = _text_page()
    return content[: content.rindex(b"\nxref") + 1]


def truncated_incremental_update():
    """A complete one-page PDF followed by an incremental update that was cut
    off while being written (a save interrupted, an upload cut short): the
    file ends inside a 20 KB content stream, so the last startxref and %%EOF
    are far from the end. The first revision's trailer is intact in the
    middle of the file; poppler finds it and shows page 1."""
    original = _text_page([KALIMAT, KALIMAT_2])
    update = b"\n5 0 obj\n<< /Length 40000 >>\nstream\nBT /F1 12 Tf 72 700 Td\n"
    update += b"(Tambahan lampiran halaman kedua) Tj 0 -14 Td\n" * 450
    return original + update


# ---------------------------------------------------------------------------
# 4. Damaged beyond reading
# ---------------------------------------------------------------------------

def empty_file():
    """Zero bytes (an upload that was interrupted before anything arrived)."""
    return b""


def header_then_noise():
    """A PDF header followed by random bytes: nothing to read."""
    rng = random.Random(42)
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(rng.randrange(256) for _ in range(20000))


def html_saved_as_pdf():
    """A web server's error page saved with a .pdf name (a common upload mistake)."""
    return (
        b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
        b"<body><h1>Not Found</h1><p>The requested URL was not found on this server.</p></body></html>\n"
    )


def zero_pages():
    """A well-formed PDF whose page tree is empty."""
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ])


# ---------------------------------------------------------------------------
# 5. Text layers that are garbage (the page should go to OCR)
# ---------------------------------------------------------------------------

class _PdfPathPen(BasePen):
    """Turns a TrueType glyph outline into PDF path operators."""

    def __init__(self, glyph_set):
        super().__init__(glyph_set)
        self.ops = []

    def _moveTo(self, point):
        self.ops.append("%d %d m" % point)

    def _lineTo(self, point):
        self.ops.append("%d %d l" % point)

    def _curveToOne(self, p1, p2, p3):
        self.ops.append("%d %d %d %d %d %d c" % (*p1, *p2, *p3))

    def _closePath(self):
        self.ops.append("h")


def _type3_page(lines, glyph_name, to_unicode=None, one_glyph_at_a_time=False, declared_width=1.0):
    """A page whose text is drawn with a Type3 font built from Vera's outlines.

    Character codes are handed out 1, 2, 3 ... in order of first use (as many
    PDF producers do when they subset), ``glyph_name(char, gid)`` names each
    glyph in the font's /Differences, and ``to_unicode(char)``, if given,
    says what a /ToUnicode CMap claims each code means. With
    ``one_glyph_at_a_time`` every glyph is placed by its own text matrix and
    spaces become gaps; ``declared_width`` scales the advance widths written
    in /Widths (the outlines and positions stay true).
    """
    font = FontToolsFont(str(VERA))
    glyph_set = font.getGlyphSet()
    cmap = font.getBestCmap()
    units = font["head"].unitsPerEm
    codes = {}
    for line in lines:
        for char in line:
            codes.setdefault(char, len(codes) + 1)
    procs, names, widths = [], [], []
    for char, code in codes.items():
        name = cmap[ord(char)]
        pen = _PdfPathPen(glyph_set)
        glyph_set[name].draw(pen)
        width = glyph_set[name].width
        body = ("%d 0 d0\n" % width + "\n".join(pen.ops) + ("\nf" if pen.ops else "")).encode()
        procs.append(body)
        names.append(glyph_name(char, font.getGlyphID(name)))
        widths.append(width)
    size = 18
    content = [b"BT"]
    y = 740
    advance = {char: widths[code - 1] * size / units for char, code in codes.items()}
    content.append(b"/T3 %d Tf" % size)
    for line in lines:
        if one_glyph_at_a_time:
            x = 72.0
            for char in line:
                if char == " ":
                    x += advance[char] * 1.5
                    continue
                content.append(b"1 0 0 1 %.2f %d Tm (\\%03o) Tj" % (x, y, codes[char]))
                x += advance[char]
        else:
            encoded = "".join("\\%03o" % codes[char] for char in line).encode()
            content.append(b"1 0 0 1 72 %d Tm (%s) Tj" % (y, encoded))
        y -= 2 * size
    content.append(b"ET")
    stream = b"\n".join(content)
    first_proc = 6
    proc_refs = b" ".join(b"/%s %d 0 R" % (names[i].encode(), first_proc + i) for i in range(len(procs)))
    differences = b"[1 " + b" ".join(b"/" + n.encode() for n in names) + b"]"
    scale = 1.0 / units
    font_dict = (
        b"<< /Type /Font /Subtype /Type3 /FontBBox [-200 -500 2200 2000]"
        b" /FontMatrix [%.8f 0 0 %.8f 0 0]" % (scale, scale)
        + b" /CharProcs << " + proc_refs + b" >>"
        b" /Encoding << /Type /Encoding /Differences " + differences + b" >>"
        b" /FirstChar 1 /LastChar %d /Widths [%s] /Resources << >> >>"
        % (len(procs), b" ".join(b"%d" % (w * declared_width) for w in widths))
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /T3 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        None,  # the font, filled in below
    ]
    objects += [b"<< /Length %d >>\nstream\n" % len(p) + p + b"\nendstream" for p in procs]
    if to_unicode:
        pairs = b"\n".join(
            b"<%02X> <%04X>" % (code, ord(to_unicode(char))) for char, code in codes.items()
        )
        cmap_stream = (
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CMapName /Corpus-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"%d beginbfchar\n" % len(codes) + pairs + b"\nendbfchar\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end"
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(cmap_stream) + cmap_stream + b"\nendstream")
        font_dict = font_dict[:-2] + b" /ToUnicode %d 0 R >>" % len(objects)
    objects[4] = font_dict
    return _assemble(objects)


def glyph_names_no_tounicode():
    """Type3 font, glyphs named /g18 /g152 ... (glyph ids), codes 1, 2, 3 ... and no
    /ToUnicode: the page shows Indonesian words, the text layer is control
    characters (or ``/g18``-style names, depending on the extractor)."""
    return _type3_page([KALIMAT, KALIMAT_2], lambda char, gid: "g%d" % gid)


def type3_symbols():
    """Type3 font whose /ToUnicode maps every glyph to a box or a dingbat: the
    page shows words, the extracted text is a row of symbols."""
    symbols = "\u25a1\u25a0\u2756\u2605\u25c6\u25cf\u2663\u2660\u2022\u25b2"

    def to_unicode(char):
        return symbols[ord(char) % len(symbols)]

    return _type3_page([KALIMAT, KALIMAT_2], lambda char, gid: "a%d" % gid, to_unicode=to_unicode)


def truetype_subset_without_tounicode():
    """ReportLab's embedded Vera subset with its /ToUnicode removed: the codes are
    the subset's own numbering (1, 2, 3 ...), so extracted text is noise."""
    pdfmetrics.registerFont(TTFont("CorpusVera", str(VERA)))
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.setFont("CorpusVera", 18)
    sheet.drawString(72, 740, KALIMAT)
    sheet.drawString(72, 700, KALIMAT_2)
    sheet.showPage()
    sheet.save()
    writer = PdfWriter(clone_from=io.BytesIO(buffer.getvalue()))
    for page in writer.pages:
        fonts = page["/Resources"]["/Font"]
        for key in list(fonts.keys()):
            font = fonts[key].get_object()
            if "/ToUnicode" in font:
                del font[NameObject("/ToUnicode")]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def words_run_together():
    """Each glyph placed on its own with a text matrix and no space characters
    (word gaps are just a bigger move), in a font whose /Widths claim every
    glyph is twice as wide as it is drawn. On the page the words stand apart;
    extractors, trusting /Widths, see the glyphs touching and join the words:
    "RapatparipurnaDPRDmembahas..." although every letter maps to the right
    Unicode character."""
    return _type3_page(
        [KALIMAT, KALIMAT_2], lambda char, gid: "g%d" % gid, to_unicode=lambda char: char,
        one_glyph_at_a_time=True, declared_width=2.0,
    )


# ---------------------------------------------------------------------------
# 6. Scans
# ---------------------------------------------------------------------------

def scanned_letter_indonesian():
    """An image-only A4 page with an Indonesian letter (uses hostile_pdfs.scanned_letter)."""
    return hostile_pdfs.scanned_letter(SURAT)


def scanned_noisy_grey():
    """A 150 dpi grey scan with speckles and a grey background (a poor photocopy)."""
    image = _page_image(SURAT, size=(1240, 1754), font_size=30, noise=20000, contrast=40)
    return _image_pdf([image], resolution=150)


def scanned_rotated():
    """The letter fed into the scanner sideways: the image itself lies on its
    side (landscape) and the page carries /Rotate 90, as scanner software
    writes it, so a viewer shows it upright. A renderer that honours /Rotate
    hands OCR an upright page."""
    image = _page_image(SURAT).rotate(90, expand=True)
    writer = PdfWriter(clone_from=io.BytesIO(_image_pdf([image])))
    writer.pages[0].rotate(90)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def text_then_scan():
    """Page 1 has a text layer, page 2 is a scanned letter: only page 2 needs OCR."""
    scan = io.BytesIO(_image_pdf([_page_image(SURAT)]))
    writer = PdfWriter(clone_from=io.BytesIO(_text_page([KALIMAT, KALIMAT_2])))
    writer.append(scan)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---------------------------------------------------------------------------
# 7. AcroForm with filled values
# ---------------------------------------------------------------------------

def acroform_filled():
    """ReportLab AcroForm text fields with values filled in (a fill-in form as sent back)."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.setFont("Helvetica", 14)
    sheet.drawString(72, 780, "Formulir aspirasi masyarakat")
    sheet.drawString(72, 740, "Nama pengirim:")
    sheet.acroForm.textfield(name="nama", value="Siti Rahmawati", x=200, y=730, width=250, height=22, fontSize=12)
    sheet.drawString(72, 700, "Kelurahan:")
    sheet.acroForm.textfield(name="kelurahan", value="Sepinggan", x=200, y=690, width=250, height=22, fontSize=12)
    sheet.drawString(72, 660, "Isi aspirasi:")
    sheet.acroForm.textfield(
        name="isi", value="Perbaikan drainase", x=200, y=650, width=250, height=22, fontSize=12,
    )
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# 8. Odd but valid
# ---------------------------------------------------------------------------

def cropbox_offset():
    """A page whose MediaBox does not start at 0 0 and whose CropBox is smaller."""
    content = b"BT /F1 14 Tf 1072 1700 Td (%s) Tj ET" % KALIMAT.encode()
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [1000 1000 1595 1842] /CropBox [1010 1010 1585 1832]"
        b" /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ])


# ---------------------------------------------------------------------------
# 9. Hostile for the renderer
# ---------------------------------------------------------------------------

def huge_mediabox(points=14400):
    """A few hundred bytes whose only page is 14400 x 14400 pt (200 x 200 in, the
    largest PDF 1.x allows): at 300 dpi that is 60000 x 60000 pixels, about
    3.6 GB for a grey bitmap and 10.8 GB in colour."""
    content = b"BT /F1 200 Tf 200 14000 Td (%s) Tj ET" % KALIMAT.encode()
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R"
        b" /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>" % (points, points),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ])


def error_flood(depth=6, fanout=10):
    """Form XObjects nested ``depth`` levels, each drawing the next ``fanout``
    times; the innermost one is full of unknown operators and bad operands. A
    renderer that reports every error prints fanout**depth (a million) times
    the innermost errors, from a file of a few kilobytes."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /XObject << /X 5 0 R >> /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
    ]
    page = b"BT /F1 14 Tf 72 760 Td (%s) Tj ET q /X Do Q" % KALIMAT.encode()
    objects.append(b"<< /Length %d >>\nstream\n" % len(page) + page + b"\nendstream")
    draw_next = b" ".join([b"q /X Do Q"] * fanout)
    for level in range(depth):
        number = 5 + level
        if level < depth - 1:
            body = draw_next
            resources = b"<< /XObject << /X %d 0 R >> >>" % (number + 1)
        else:
            body = b"foo bar 1 2 baz (x) Tj 1 0 0 rg ] } 7 Tz qq QQ zz 3 w 0 0 m 9 9 l S"
            resources = b"<< >>"
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources %s /Length %d >>\nstream\n"
            % (resources, len(body)) + body + b"\nendstream"
        )
    return _assemble(objects)


# ---------------------------------------------------------------------------
# The names used in manifest.json
# ---------------------------------------------------------------------------

GENERATORS = {
    "aes_empty_password_128": aes_empty_password_128,
    "aes_empty_password_256": aes_empty_password_256,
    "aes_256_user_password": aes_256_user_password,
    "spec_minimal_wrong_offsets": spec_minimal_wrong_offsets,
    "no_startxref": no_startxref,
    "no_xref_at_all": no_xref_at_all,
    "truncated_incremental_update": truncated_incremental_update,
    "truncated": hostile_pdfs.truncated,
    "empty_file": empty_file,
    "header_then_noise": header_then_noise,
    "html_saved_as_pdf": html_saved_as_pdf,
    "zero_pages": zero_pages,
    "page_tree_loop": hostile_pdfs.page_tree_loop,
    "glyph_names_no_tounicode": glyph_names_no_tounicode,
    "type3_symbols": type3_symbols,
    "truetype_subset_without_tounicode": truetype_subset_without_tounicode,
    "words_run_together": words_run_together,
    "scanned_letter_indonesian": scanned_letter_indonesian,
    "scanned_noisy_grey": scanned_noisy_grey,
    "scanned_rotated": scanned_rotated,
    "text_then_scan": text_then_scan,
    "acroform_filled": acroform_filled,
    "cropbox_offset": cropbox_offset,
    "huge_mediabox": huge_mediabox,
    "error_flood": error_flood,
}
