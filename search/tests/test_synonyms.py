"""Search synonyms: who keeps them in the admin, and the search page applying a new entry at once."""

import pytest
from django.test import Client
from django.urls import reverse

from project.org import roles
from search import indexing
from search.models import Synonym
from tests.support import PASSWORD, make_user


@pytest.fixture(autouse=True)
def engine(search_engine):
    return search_engine


def login(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def archivist(db):
    user = make_user("arsip", groups=[roles.ARCHIVIST])
    user.is_staff = True
    user.save()
    return user


def test_an_archivist_adds_a_synonym_in_the_admin(archivist):
    client = login(archivist)
    response = client.post(reverse("admin:search_synonym_add"),
                           {"abbreviation": "TPS", "expansion": "tempat pemungutan suara"})
    assert response.status_code == 302
    assert Synonym.objects.filter(abbreviation="TPS").exists()
    refused = client.post(reverse("admin:search_synonym_add"), {"abbreviation": "yang", "expansion": "dan di"})
    assert refused.status_code == 200 and "bukan hanya kata umum" in refused.content.decode()
    assert client.get(reverse("admin:search_synonym_changelist")).status_code == 200


def test_nobody_else_edits_synonyms(org):
    """Staff without the archivist's permissions get 403; people who are not staff are sent to the admin login."""
    clerk = make_user("staf.admin")
    clerk.is_staff = True
    clerk.save()
    assert login(clerk).get(reverse("admin:search_synonym_changelist")).status_code == 403
    assert login(clerk).post(reverse("admin:search_synonym_add"),
                             {"abbreviation": "TPS", "expansion": "tempat pemungutan suara"}).status_code == 403
    for user in (org.registrar, org.chair, org.auditor):
        response = login(user).get(reverse("admin:search_synonym_changelist"))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Synonym.objects.filter(abbreviation="TPS").exists()


def test_the_search_page_applies_a_new_synonym_without_reindexing(org, register):
    register(subject="Logistik tempat pemungutan suara di Kelurahan Damai")
    indexing.apply_pending()
    client = login(org.registrar)
    assert client.get(reverse("search:search"), {"q": "TPS Damai"}).context["result"].partial, "Damai alone"
    Synonym.objects.create(abbreviation="TPS", expansion="tempat pemungutan suara")
    result = client.get(reverse("search:search"), {"q": "TPS Damai"}).context["result"]
    assert result.total == 1 and not result.partial, "both words found"
    assert "Logistik <mark>tempat</mark> <mark>pemungutan</mark> <mark>suara</mark>" in result.hits[0].snippet
