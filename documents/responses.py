"""File responses with safe headers, after the caller has checked permission."""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse


def content_disposition(filename, disposition="attachment"):
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "") or "berkas"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def csv_cell(value):
    """A CSV cell that a spreadsheet will not run as a formula (CSV injection)."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def protect(response, filename, disposition="attachment"):
    response["Content-Disposition"] = content_disposition(filename, disposition)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(blob, filename):
    """Stream a blob; nginx streams it instead when SIAP_SENDFILE_PREFIX is set."""
    if settings.SIAP_SENDFILE_PREFIX:
        response = HttpResponse(content_type=blob.media_type)
        response["X-Accel-Redirect"] = f"{settings.SIAP_SENDFILE_PREFIX.rstrip('/')}/{blob.file.name}"
    else:
        response = FileResponse(blob.file.open("rb"), content_type=blob.media_type)
    return protect(response, filename)
