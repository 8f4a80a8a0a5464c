from django import forms
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import Synonym
from .port import SearchQuery

ORDERS = [("relevance", _("Paling relevan")), ("date", _("Terbaru"))]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=500)
    order = forms.ChoiceField(label=_("Urutan"), choices=ORDERS, required=False)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    page = forms.IntegerField(required=False, min_value=1, max_value=10000)

    def __init__(self, data, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.facet_filters = {name: [value for value in data.getlist(name) if value][:20] for name in registry.facet_names()}

    def query(self, principals, per_page=20, fallback=False):
        data = self.cleaned_data
        return SearchQuery(
            text=data["q"],
            principals=principals,
            filters={name: values for name, values in self.facet_filters.items() if values},
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            order=data.get("order") or "relevance",
            page=data.get("page") or 1,
            per_page=per_page,
            fallback=fallback,
            thesaurus=Synonym.objects.thesaurus(),
        )
