"""File responses with safe headers, after the caller has checked permission."""

import csv
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse


def content_disposition(filename, disposition="attachment"):
    ascii_name = filename.encode("ascii", "ignore").decode().replace('"', "").replace("\\", "") or "berkas"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def csv_cell(value):
    """A CSV cell that a spreadsheet will not run as a formula (CSV injection)."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


class EscapingCsvWriter:
    """A ``csv.writer`` that writes every cell through ``csv_cell``.

    Every CSV that SIAP exports is written with it, so no cell (a title, a
    label, an address, a header) can be left out of the escaping by a caller.
    """

    def __init__(self, stream, **options):
        self.writer = csv.writer(stream, **options)

    def writerow(self, row):
        return self.writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


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


def _byte_range(header, size):
    """(start, end) of a single ``bytes=a-b`` range within ``size``, or None to send everything."""
    if not header.startswith("bytes=") or "," in header:
        return None
    first, _dash, last = header[len("bytes="):].strip().partition("-")
    try:
        if first:
            start, end = int(first), int(last) if last else size - 1
        else:
            start, end = size - int(last), size - 1
    except ValueError:
        return None
    if start < 0 or start >= size or end < start:
        return False
    return start, min(end, size - 1)


def ranged_file_response(request, blob, filename):
    """Serve a blob inline with HTTP ranges, so a player can seek in a long recording over a slow line."""
    size = blob.size
    wanted = _byte_range(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if wanted is None or settings.SIAP_SENDFILE_PREFIX:
        response = stored_file_response(blob, filename)  # nginx answers ranges itself
        response["Content-Disposition"] = content_disposition(filename, "inline")
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = wanted
    handle = blob.file.open("rb")
    handle.seek(start)
    remaining = end - start + 1

    def chunks():
        left = remaining
        try:
            while left > 0:
                data = handle.read(min(left, 256 * 1024))
                if not data:
                    break
                left -= len(data)
                yield data
        finally:
            handle.close()

    response = StreamingHttpResponse(chunks(), status=206, content_type=blob.media_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(remaining)
    response["Accept-Ranges"] = "bytes"
    return protect(response, filename, "inline")
