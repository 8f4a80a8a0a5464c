"""Fixtures of the pokir tests; the world itself is built by ``support.build_world``."""

from types import SimpleNamespace

import pytest
from django.test import Client

from tests.support import PASSWORD
from workflows import inbox
from workflows.pokir import services
from workflows.pokir.flows import PokirFlow

from .support import build_reses_items, build_world, complete, png_upload  # noqa: F401  (tests import png_upload here)


def client_for(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def world(org):
    """``org`` (registrar, auditor, chair, deputy, komisi heads, member) plus what pokir needs."""
    return build_world(org)


@pytest.fixture
def make_pokir(world):
    """A draft of ``member`` (default: the demo member) with complete fields and one photo, as ``user``."""

    def _make(member=None, user=None, photo=True, year=None, **fields):
        member = member or world.member
        user = user or member.user
        data = complete(world, **fields)
        pokir = services.create_draft(member=member, year=year or world.year, user=user, title=data["title"])
        pokir = services.update_pokir(pokir, user=user, data=data)
        if photo:
            services.add_photos(pokir, user=user, files=[(png_upload(), "image/png")])
        return pokir

    return _make


@pytest.fixture
def flow(world):
    """Steps of the flow as the people who take them."""

    def claim(pokir, user=None):
        task = inbox.open_task(pokir, PokirFlow.verify)
        if task.owner_id is None:
            inbox.claim(task, user=user or world.verifier)
        task.refresh_from_db()
        return task

    def verify(pokir, user=None, overrides=None):
        return services.verify(claim(pokir, user), user=user or world.verifier, overrides=overrides or {})

    def approve(pokir, user=None):
        return services.approve_recap(inbox.open_task(pokir, PokirFlow.recap), user=user or world.org.chair)

    def to_final(pokir):
        services.submit(pokir, user=pokir.member.user)
        verify(pokir)
        return approve(pokir)

    return SimpleNamespace(claim=claim, verify=verify, approve=approve, to_final=to_final)


@pytest.fixture
def reses_items(world):
    """Two recorded reses items of the member (the first with a photo, no boundaries) and one still a draft."""
    return build_reses_items(world)
