import pytest

from .support import build_world


@pytest.fixture
def world(org):
    return build_world(org)
