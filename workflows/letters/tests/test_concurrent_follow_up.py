"""Units closing their branches of the same letters at the same moment (the load test's one error page)."""

import threading

import pytest
from django.db import connection

from tests.support import requires_postgresql
from workflows import inbox
from workflows.letters import services
from workflows.letters.models import Letter

from .support import follow_up_task


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_every_branch_closes_and_every_letter_is_archived_when_units_close_at_once(org, register, dispose):
    held = []
    for letter in [register() for _ in range(3)]:
        dispose(letter, [org.komisi1, org.komisi2])
        for unit, head in ((org.komisi1, org.k1), (org.komisi2, org.k2)):
            task = follow_up_task(letter, unit)
            inbox.claim(task, user=head)
            task.refresh_from_db()
            held.append((task, head))
    barrier = threading.Barrier(len(held))
    errors = []

    def close(task, head):
        try:
            barrier.wait()
            services.close_branch(task, user=head, report="Sudah dibahas dalam rapat komisi.")
        except Exception as exc:  # reported below; a thread cannot fail the test itself
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=close, args=pair) for pair in held]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [], "each unit's close waits for the other's instead of failing on the process lock"
    assert set(Letter.objects.values_list("status", flat=True)) == {Letter.Status.ARCHIVED}
