"""One rule per process, everywhere: for every registered process and every kind of demo user,
the subjects on the list page = those found by search = those reachable by URL = ``visible_to``.

Runs over the demo data of every registered process (``load_demo``), so a
new process is covered as soon as it registers. Demo users who hold exactly
the same units, positions, groups and flags see exactly the same things;
one of each such kind is checked.
"""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from search import registry as search_registry
from workflows import registry


def kinds_of_users():
    """One user per distinct visibility signature."""
    kinds = {}
    for user in get_user_model().objects.order_by("username").prefetch_related("groups", "positions"):
        signature = (
            user.is_superuser,
            tuple(sorted(group.name for group in user.groups.all())),
            tuple(sorted((position.unit_id, position.role) for position in user.positions.all())),
        )
        kinds.setdefault(signature, user)
    return list(kinds.values())


def list_page_subjects(client, process, subjects_by_url):
    """Subjects linked from the process's list page, following its pages."""
    found, url = set(), reverse(process.menu[0].url_name)
    for _page in range(50):
        html = client.get(url).content.decode()
        found |= {subjects_by_url[href] for href in re.findall(r'href="([^"?#]+)"', html) if href in subjects_by_url}
        following = re.search(r'href="(\?[^"]*)" rel="next"', html)
        if not following:
            return found
        url = reverse(process.menu[0].url_name) + following.group(1).replace("&amp;", "&")
    raise AssertionError("the list page never ended")


def search_items():
    """Every search item of every source as (URL path, principals): built once, since no item depends on who asks."""
    items = []
    for source in search_registry.sources():
        for pk in source.all_ids():
            item = source.build(pk)
            if item is not None:  # a source may have nothing to index for a subject (no sender data, not rahasia)
                items.append((urlsplit(item.url).path, set(item.principals)))
    return items


def searchable_subjects(user, subjects_by_url, items):
    """Subjects with a search item the user's principals reach (the filter every engine applies)."""
    principals = search_registry.principals_of(user)
    return {subjects_by_url[path] for path, allowed in items
            if path in subjects_by_url and (principals is None or allowed & set(principals))}


def subjects_with_items(subjects_by_url, items):
    return {subjects_by_url[path] for path, _allowed in items if path in subjects_by_url}


@pytest.mark.django_db(transaction=False)
def test_list_search_url_and_rule_agree_for_every_process_and_user(settings):
    call_command("load_demo", count=4, stdout=StringIO())
    users = kinds_of_users()
    assert len(users) >= 8, [user.username for user in users]
    items = search_items()
    checked = []
    for process in registry.processes():
        subjects = list(process.subject_model.objects.all())
        assert subjects, f"{process.name}: its demo made nothing to check"
        by_url = {subject.get_absolute_url(): (process.name, subject.pk) for subject in subjects}
        with_items = subjects_with_items(by_url, items)
        for user in users:
            client = Client()
            client.force_login(user)
            rule = {(process.name, pk) for pk in process.visible_to(user).values_list("pk", flat=True)}
            by_link = {key for url, key in by_url.items() if client.get(url).status_code == 200}
            assert by_link == rule, (process.name, user.username, "URL")
            assert list_page_subjects(client, process, by_url) == rule, (process.name, user.username, "list page")
            assert searchable_subjects(user, by_url, items) == rule & with_items, (process.name, user.username, "search")
            checked.append((process.name, user.username, len(rule)))
    names = {name for name, _user, _count in checked}
    assert {"letters", "minutes", "memos"} <= names
    # the rule is not trivial: someone sees less than everything, someone sees something
    for name in names:
        counts = [count for process, _user, count in checked if process == name]
        assert min(counts) < max(counts), name
