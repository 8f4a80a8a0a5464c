"""Fixtures of the reses tests (helpers in ``support.py``)."""

from decimal import Decimal

import pytest

from .support import Council, complete_recording, record_item


@pytest.fixture
def council(org):
    return Council(org)


@pytest.fixture
def reported(council):
    """``member``'s reses in period 1: two recorded requests, attendance documented, report submitted."""
    from workflows import inbox
    from workflows.reses import services
    from workflows.reses.flows import ResesFlow

    reses = council.open()
    record_item(council, reses)
    record_item(council, reses, request="Pemasangan 8 titik lampu jalan di Jl. Ahmad Yani", kamus=council.pju,
                volume=Decimal("8"), problem="Jalan gelap dan rawan pencurian", proposer_name="Abdul Lamba")
    complete_recording(council, reses)
    services.finish_recording(inbox.open_task(reses, ResesFlow.record), user=council.member_user)
    services.submit_report(inbox.open_task(reses, ResesFlow.submit), user=council.member_user, summary="Ringkasan.")
    reses.refresh_from_db()
    return reses
