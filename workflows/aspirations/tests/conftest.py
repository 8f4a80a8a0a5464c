import pytest

from .support import build_world


@pytest.fixture
def world(org):
    return build_world(org)


@pytest.fixture
def graph(settings):
    """The Graph API stand-in (``graph_standin``) on a free port, with SIAP's WhatsApp settings pointing at it."""
    from .graph_standin import GraphStandIn

    standin = GraphStandIn(token="test-access-token", phone_number_id="109876543210",
                           templates={"siap_pemberitahuan": "id"}).start()
    settings.WHATSAPP_GRAPH_URL = standin.graph_url
    settings.WHATSAPP_PHONE_NUMBER_ID = standin.phone_number_id
    settings.WHATSAPP_ACCESS_TOKEN = standin.token
    settings.WHATSAPP_APP_SECRET = "test-app-secret"
    settings.WHATSAPP_VERIFY_TOKEN = "test-verify-token"
    settings.WHATSAPP_TEMPLATE_NAME = "siap_pemberitahuan"
    settings.WHATSAPP_TEMPLATE_LANGUAGE = "id"
    yield standin
    standin.stop()
