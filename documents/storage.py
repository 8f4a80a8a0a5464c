"""Private file storage: files under MEDIA_ROOT with no public URL.

Files are only ever served by views that check object permissions first.
"""

import hashlib

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


def sha256_of(file):
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()
