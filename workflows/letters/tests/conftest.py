import datetime

import pytest
from django.utils import timezone

from workflows import inbox

from .support import follow_up_task


@pytest.fixture
def held_branch(org, register, dispose):
    """Komisi I's follow-up task of a letter due in two days, claimed by its head."""
    letter = register()
    dispose(letter, [org.komisi1], deadline=timezone.localdate() + datetime.timedelta(days=2))
    task = follow_up_task(letter, org.komisi1)
    inbox.claim(task, user=org.k1)
    task.refresh_from_db()
    return task
