"""The indexing outbox: the commit that changes an item records what the index must do.

A worker applies pending operations in order (``search.indexing``); if the
search engine is down, they wait and nothing is lost. Synonyms are the
archivists' list of abbreviations that searches expand.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class IndexOperation(models.Model):
    class Op(models.TextChoices):
        UPSERT = "upsert"
        DELETE = "delete"

    item_id = models.CharField(max_length=100, db_index=True)
    op = models.CharField(max_length=10, choices=Op.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        permissions = [("export_results", "Mengekspor hasil pencarian (CSV)")]
        indexes = [models.Index(fields=["applied_at", "id"])]


class SynonymQuerySet(models.QuerySet):
    def thesaurus(self):
        """Every entry as the search port's ``Thesaurus`` (read for each search: an edit applies to the next one)."""
        from .analysis import Thesaurus

        return Thesaurus(self.values_list("abbreviation", "expansion"))


class Synonym(models.Model):
    """An abbreviation of local government and what it stands for (*PJU* — *penerangan jalan umum*).

    A search for either finds items that use the other; applied when the
    query is read, so a new entry needs no reindex. SIAP ships the common
    ones (migration 0003); archivists add the rest in the admin.
    """

    abbreviation = models.CharField(_("singkatan"), max_length=40, help_text=_("Misalnya: PJU, raperda, APBD-P."))
    expansion = models.CharField(_("kepanjangan"), max_length=200,
                                 help_text=_("Misalnya: penerangan jalan umum."))
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = SynonymQuerySet.as_manager()

    class Meta:
        ordering = ["abbreviation", "expansion"]
        verbose_name = _("sinonim pencarian")
        verbose_name_plural = _("sinonim pencarian")
        constraints = [models.UniqueConstraint(fields=["abbreviation", "expansion"], name="search_synonym_unique")]

    def __str__(self):
        return f"{self.abbreviation} — {self.expansion}"

    def clean(self):
        from .analysis import analyse

        errors = {}
        for name in ("abbreviation", "expansion"):
            if not analyse(getattr(self, name) or ""):
                errors[name] = _("Isi dengan kata yang dapat dicari, bukan hanya kata umum seperti \"dan\" atau \"di\".")
        if not errors and analyse(self.abbreviation) == analyse(self.expansion):
            errors["expansion"] = _("Kepanjangan sama dengan singkatannya setelah kata dasarnya diambil.")
        if errors:
            raise ValidationError(errors)
