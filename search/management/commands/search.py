"""Print what a user would find (for operators and auditors at a terminal)."""

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from search.indexing import backend
from search.models import Synonym
from search.port import SearchQuery
from search.registry import principals_of


class Command(BaseCommand):
    help = 'Cari seperti pengguna tertentu: search "kata kunci" --user NAMA [--json]'

    def add_arguments(self, parser):
        parser.add_argument("text")
        parser.add_argument("--user", required=True)
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--limit", type=int, default=20)

    def handle(self, *args, text, user, limit=20, **options):
        try:
            account = get_user_model().objects.get(username=user)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user {user!r}")
        query = SearchQuery(text=text, principals=principals_of(account), per_page=limit,
                            thesaurus=Synonym.objects.thesaurus())
        result = backend().search(query)
        if options["json"]:
            self.stdout.write(_json_result(result))
            return
        self.stdout.write(f"{result.total} hasil")
        for hit in result.hits:
            self.stdout.write(f"{hit.date}  {hit.title}  {hit.url}")


def _json_result(result):
    return json.dumps(
        {
            "total": result.total,
            "hits": [
                {"id": h.id, "kind": h.kind, "title": h.title, "url": h.url, "date": h.date.isoformat(), "snippet": h.snippet}
                for h in result.hits
            ],
            "facets": result.facets,
        },
        ensure_ascii=False,
        indent=2,
    )
