"""Private file storage: files under MEDIA_ROOT with no public URL.

Files are only ever served by views that check object permissions first.
"""

import hashlib

from django.core.files.storage import FileSystemStorage

# No location: follows settings.MEDIA_ROOT (also when tests change it).
# MEDIA_URL is routed nowhere, so a stored file has no public address.
private_storage = FileSystemStorage()


def sha256_of(file):
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
