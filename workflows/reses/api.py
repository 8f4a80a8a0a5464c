"""Reses in the API (mounted at ``/api/v1/reses/`` by ``api.urls``).

The same rules as the pages: ``Reses.objects.visible_to`` decides every
list, count and object (outside it: 404); drafts are listed only for the
member's side; residents' names and telephone numbers are given only to
those ``personal_data_visible_to`` allows (the member's side and the
verifiers) and are ``null`` for everyone else. The steps (close the
recording, submit the report, acknowledge it) are the shared task actions
(``/api/v1/tasks/<id>/actions/…``).
"""

import django_filters
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import DocumentSerializer, PersonField, absolute

from .models import DOCUMENT_ROLE_LABELS, PHOTO, Reses, ResesItem, ResesPeriod


class PeriodSerializer(serializers.ModelSerializer):
    label = serializers.CharField(source="__str__")

    class Meta:
        model = ResesPeriod
        fields = ["id", "year", "number", "label", "starts_on", "ends_on", "report_due"]


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class KamusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    urusan = serializers.CharField()


class ItemSerializer(serializers.ModelSerializer):
    """One request; ``proposer_name`` and ``proposer_phone`` are null unless the caller may see them."""

    status_label = serializers.CharField(source="get_status_display")
    kind_label = serializers.CharField(source="get_kind_display")
    kelurahan = NamedSerializer(allow_null=True)
    kecamatan = serializers.CharField(source="kelurahan.kecamatan.name", allow_null=True, default=None)
    kamus = KamusSerializer(allow_null=True)
    opd = NamedSerializer(allow_null=True)
    proposer_name = serializers.SerializerMethodField()
    proposer_phone = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = ResesItem
        fields = [
            "id", "status", "status_label", "problem", "request", "kelurahan", "kecamatan", "rt", "rw", "address",
            "boundaries", "latitude", "longitude", "coordinates_from_photo", "kind", "kind_label", "volume", "unit",
            "estimated_cost", "kamus", "opd", "proposer_group", "proposer_name", "proposer_phone", "photos",
            "recorded_at", "url",
        ]

    def _personal(self, item):
        return item.reses_id in self.context.get("personal_reses", ())

    @extend_schema_field({"type": "string", "nullable": True, "description": "member's side and verifiers only"})
    def get_proposer_name(self, item):
        return item.proposer_name if self._personal(item) else None

    @extend_schema_field({"type": "string", "nullable": True, "description": "member's side and verifiers only"})
    def get_proposer_phone(self, item):
        return item.proposer_phone if self._personal(item) else None

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_photos(self, item):
        request = self.context["request"]
        return [absolute(request, reverse("reses:photo", args=[document.pk])) for document in item.documents(PHOTO)]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, item):
        return absolute(self.context["request"], item.get_anchor_url())


class ResesSerializer(serializers.ModelSerializer):
    """A reses in lists: who, when, where, how many requests, where it stands."""

    member = PersonField(source="member.user")
    fraksi = serializers.CharField(source="member.fraksi.name")
    dapil = serializers.CharField(source="member.dapil.name")
    period = PeriodSerializer()
    places = NamedSerializer(many=True)
    status_label = serializers.CharField(source="get_status_display")
    items_recorded = serializers.IntegerField(help_text="requests recorded")
    reported_by = PersonField()
    acknowledged_by = PersonField()
    url = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Reses
        fields = [
            "id", "member", "fraksi", "dapil", "period", "starts_on", "ends_on", "places", "venue", "residents_present",
            "status", "status_label", "summary", "items_recorded", "recorded_at", "reported_at", "reported_by",
            "acknowledged_at", "acknowledged_by", "acknowledgement_note", "url", "links",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, reses):
        return absolute(self.context["request"], reses.get_absolute_url())

    @extend_schema_field(inline_serializer("ResesLinks", {
        "self": serializers.URLField(), "items": serializers.URLField(), "files": serializers.URLField(),
        "report": serializers.URLField(help_text="the laporan hasil reses as it stands now (PDF)"),
    }))
    def get_links(self, reses):
        request = self.context["request"]
        return {
            "self": absolute(request, reverse("api:reses:detail", args=[reses.pk])),
            "items": absolute(request, reverse("api:reses:items", args=[reses.pk])),
            "files": absolute(request, reverse("api:reses:files", args=[reses.pk])),
            "report": absolute(request, reverse("reses:report", args=[reses.pk])),
        }


class ResesDetailSerializer(ResesSerializer):
    """A reses with its requests (drafts too, for the member's side)."""

    items = serializers.SerializerMethodField()

    class Meta(ResesSerializer.Meta):
        fields = ResesSerializer.Meta.fields + ["items"]

    @extend_schema_field(ItemSerializer(many=True))
    def get_items(self, reses):
        return ItemSerializer(items_for(self.context["request"].user, reses), many=True, context=self.context).data


def items_for(user, reses):
    return (
        ResesItem.objects.visible_to(user).filter(reses=reses)
        .select_related("kelurahan__kecamatan", "kamus", "opd").order_by("pk")
    )


def personal_context(user, reses_pks):
    return {"personal_reses": set(Reses.objects.personal_data_visible_to(user).filter(pk__in=reses_pks).values_list("pk", flat=True))}


class ResesFilter(django_filters.FilterSet):
    period = django_filters.NumberFilter(field_name="period_id", label="id of a reses period")
    year = django_filters.NumberFilter(field_name="period__year")
    status = django_filters.ChoiceFilter(choices=Reses.Status.choices)

    class Meta:
        model = Reses
        fields = ["period", "year", "status"]


def detailed_reses():
    from django.db.models import Count, Q

    return (
        Reses.objects.select_related("period", "member__user", "member__fraksi", "member__dapil", "reported_by",
                                     "acknowledged_by")
        .prefetch_related("places")
        .annotate(items_recorded=Count("items", filter=Q(items__status=ResesItem.Status.RECORDED)))
        .order_by(*Reses._meta.ordering)
    )


class ResesList(generics.ListAPIView):
    """Reses the caller may see (``?period=``, ``?year=``, ``?status=``, ``?ordering=``)."""

    serializer_class = ResesSerializer
    filterset_class = ResesFilter
    ordering_fields = ["starts_on", "reported_at"]

    def get_queryset(self):
        return detailed_reses().visible_to(self.request.user)


class ResesDetail(generics.RetrieveAPIView):
    """One reses the caller may see, with its requests; any other answers 404."""

    serializer_class = ResesDetailSerializer

    def get_object(self):
        return Reses.visible_or_404(self.request.user, self.kwargs["pk"], detailed_reses())

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context.update(personal_context(self.request.user, [self.kwargs["pk"]]))
        return context


class ItemFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ResesItem.Status.choices)
    kind = django_filters.ChoiceFilter(choices=ResesItem._meta.get_field("kind").choices)

    class Meta:
        model = ResesItem
        fields = ["status", "kind"]


class ResesItems(generics.ListAPIView):
    """The requests of one reses (paged; ``?status=``, ``?kind=``)."""

    serializer_class = ItemSerializer
    filterset_class = ItemFilter
    ordering_fields = ["recorded_at"]
    queryset = ResesItem.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        reses = Reses.visible_or_404(self.request.user, self.kwargs["pk"])
        return items_for(self.request.user, reses)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context.update(personal_context(self.request.user, [self.kwargs["pk"]]))
        return context


class ResesFiles(APIView):
    """The reses's documents (photos, the submitted report) with their versions; the attendance sheet
    (residents' names) only for the member's side and the verifiers."""

    @extend_schema(responses=DocumentSerializer(many=True))
    def get(self, request, pk):
        reses = Reses.visible_or_404(request.user, pk)
        documents = list(reses.documents())
        if reses.shows_personal_data_to(request.user):
            sheet = reses.attendance_sheet()
            documents += [sheet] if sheet else []
        context = {"request": request, "role_labels": DOCUMENT_ROLE_LABELS}
        return Response(DocumentSerializer(documents, many=True, context=context).data)


urlpatterns = [
    path("", ResesList.as_view(), name="list"),
    path("<int:pk>/", ResesDetail.as_view(), name="detail"),
    path("<int:pk>/items/", ResesItems.as_view(), name="items"),
    path("<int:pk>/files/", ResesFiles.as_view(), name="files"),
]
