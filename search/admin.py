"""Archivists keep the search synonyms here (``search.*_synonym`` permissions, the archivist role)."""

from django.contrib import admin

from .models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["abbreviation", "expansion", "updated_at"]
    search_fields = ["abbreviation", "expansion"]
    ordering = ["abbreviation"]
