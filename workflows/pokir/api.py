"""Pokir in the API (mounted at ``/api/v1/pokir/`` by ``api.urls``).

The same rule as the pages: ``Pokir.objects.visible_to`` decides every
list, count and object, and a pokir outside it answers 404. The detail of
a pokir carries its verification checklist for verifiers. The steps
(verify, return, reject, the chair's approval) are the generic task actions
(``/api/v1/tasks/{id}/actions/…``), with the pages' forms and services.
"""

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import generics, serializers

from api.serializers import PersonField, TrailEventSerializer, absolute
from project.audit.models import AuditEvent

from . import checklist
from .models import Pokir, PokirReview


class SimilarSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pokir.pk")
    number = serializers.CharField(source="pokir.number")
    title = serializers.CharField(source="pokir.title")
    year = serializers.IntegerField(source="pokir.year_id")
    member = serializers.CharField(source="pokir.member.__str__")
    status = serializers.CharField(source="pokir.status")
    percent = serializers.IntegerField(help_text="similarity of the normalised texts, 0–100")


class CheckSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=checklist.CODE_CHOICES)
    title = serializers.CharField()
    passed = serializers.BooleanField()
    reason = serializers.CharField()
    similar = SimilarSerializer(many=True)


class ReviewSerializer(serializers.ModelSerializer):
    decision_label = serializers.CharField(source="get_decision_display")
    by = PersonField()
    acting_for = PersonField()

    class Meta:
        model = PokirReview
        fields = ["decision", "decision_label", "notes", "overrides", "reason", "by", "acting_for", "at"]


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PokirSerializer(serializers.ModelSerializer):
    """A pokir, the same in lists and alone (the detail adds its checklist for verifiers)."""

    number = serializers.CharField()
    year = serializers.IntegerField(source="year_id")
    status_label = serializers.CharField(source="get_status_display")
    member = PersonField(source="member.user")
    dapil = serializers.CharField(source="member.dapil.code")
    dapil_name = serializers.CharField(source="member.dapil.name")
    fraksi = serializers.CharField(source="member.fraksi.name")
    kelurahan = PlaceSerializer(allow_null=True)
    kecamatan = serializers.SerializerMethodField()
    kamus = serializers.SerializerMethodField()
    opd = PlaceSerializer(allow_null=True)
    realisation_opd = PlaceSerializer(allow_null=True)
    reses_items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    url = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Pokir
        fields = ["id", "number", "year", "status", "status_label", "title", "problem", "member", "dapil", "dapil_name",
                  "fraksi", "kelurahan", "kecamatan", "rt", "rw", "address", "boundaries", "latitude", "longitude", "kind",
                  "volume", "unit", "estimated_cost", "kamus", "opd", "reses_items", "return_notes", "rejection_reason",
                  "submitted_at", "verified_at", "finalised_at", "exported_at", "realisation", "realisation_opd",
                  "realisation_year", "realisation_budget", "realisation_note", "url", "links"]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_kecamatan(self, pokir):
        return pokir.kelurahan.kecamatan.name if pokir.kelurahan_id else None

    @extend_schema_field(inline_serializer("PokirKamus", {
        "id": serializers.IntegerField(), "name": serializers.CharField(), "urusan": serializers.CharField(),
        "opd": serializers.IntegerField(),
    }, allow_null=True))
    def get_kamus(self, pokir):
        kamus = pokir.kamus
        return {"id": kamus.pk, "name": kamus.name, "urusan": kamus.urusan, "opd": kamus.opd_id} if kamus else None

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, pokir):
        return absolute(self.context["request"], pokir.get_absolute_url())

    @extend_schema_field(inline_serializer("PokirLinks", {"self": serializers.URLField(), "trail": serializers.URLField()}))
    def get_links(self, pokir):
        request = self.context["request"]
        return {
            "self": absolute(request, reverse("api:pokir:detail", args=[pokir.pk])),
            "trail": absolute(request, reverse("api:pokir:trail", args=[pokir.pk])),
        }


class PokirDetailSerializer(PokirSerializer):
    checklist = serializers.SerializerMethodField()
    reviews = ReviewSerializer(many=True)

    class Meta(PokirSerializer.Meta):
        fields = PokirSerializer.Meta.fields + ["reviews", "checklist"]

    @extend_schema_field(CheckSerializer(many=True, allow_null=True))
    def get_checklist(self, pokir):
        """Verifiers only (``pokir.verify_pokir``): the verification checklist as the verifier's page shows it."""
        if not self.context["request"].user.has_perm("pokir.verify_pokir"):
            return None
        return CheckSerializer(checklist.checklist(pokir), many=True).data


class PokirFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="year_id", label=_("Tahun anggaran"))
    status = django_filters.ChoiceFilter(choices=Pokir.Status.choices)
    dapil = django_filters.CharFilter(field_name="member__dapil__code", label=_("Kode dapil (mis. bpp-5)"))
    q = django_filters.CharFilter(method="search", label=_("Cari usulan, permasalahan atau alamat"))

    class Meta:
        model = Pokir
        fields = ["year", "status", "dapil", "q"]

    def search(self, queryset, name, value):
        from .services import filter_text

        return filter_text(queryset, value)


def detailed_pokir():
    return Pokir.objects.select_related(
        "year", "member__user", "member__dapil", "member__fraksi", "kelurahan__kecamatan__dapil", "kamus", "opd",
        "realisation_opd",
    ).prefetch_related("reses_items")


class PokirList(generics.ListAPIView):
    """Pokir the caller may see (``?year=``, ``?status=``, ``?dapil=``, ``?q=``, ``?ordering=``)."""

    serializer_class = PokirSerializer
    filterset_class = PokirFilter
    ordering_fields = ["submitted_at", "created_at", "year", "estimated_cost"]

    def get_queryset(self):
        return detailed_pokir().visible_to(self.request.user)


class PokirDetail(generics.RetrieveAPIView):
    """One pokir the caller may see, with its decisions and (for verifiers) its checklist; any other answers 404."""

    serializer_class = PokirDetailSerializer

    def get_object(self):
        return Pokir.visible_or_404(self.request.user, self.kwargs["pk"], detailed_pokir().prefetch_related("reviews__by"))


class PokirTrail(generics.ListAPIView):
    """The pokir's audit trail, oldest first."""

    serializer_class = TrailEventSerializer
    filter_backends = ()

    def get_queryset(self):
        pokir = Pokir.visible_or_404(self.request.user, self.kwargs["pk"])
        return AuditEvent.objects.for_object(pokir).select_related("user", "acting_for")


urlpatterns = [
    path("", PokirList.as_view(), name="list"),
    path("<int:pk>/", PokirDetail.as_view(), name="detail"),
    path("<int:pk>/trail/", PokirTrail.as_view(), name="trail"),
]
