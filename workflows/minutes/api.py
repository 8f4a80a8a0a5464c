"""Meetings in the API (mounted at ``/api/v1/meetings/`` by ``api.urls``).

The same rule as the pages: ``Meeting.objects.visible_to`` decides every
list, count and object; a closed meeting outside it answers 404, with its
transcript and printouts.
"""

import django_filters
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers import DocumentSerializer, PersonField, UnitSerializer, absolute

from .models import (
    CATATAN, DOCUMENT_ROLE_LABELS, LAPORAN, RISALAH, AgendaItem, Kind, Meeting, Participant, TranscriptLine,
)

PRINTOUTS = (RISALAH, CATATAN, LAPORAN)


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}$", "example": "09:00"})
class ClockField(serializers.TimeField):
    """A time of day in WITA as people write it (09:00): OpenAPI's ``time`` format would demand a UTC offset."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["position", "title"]


class ParticipantSerializer(serializers.ModelSerializer):
    attendance_label = serializers.CharField(source="get_attendance_display")

    class Meta:
        model = Participant
        fields = ["name", "role", "attendance", "attendance_label"]


class MeetingSerializer(serializers.ModelSerializer):
    """A meeting, the same in lists and alone: its schedule, agenda, participants and minutes' state."""

    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    unit = UnitSerializer()
    start_time = ClockField()
    end_time = ClockField(allow_null=True)
    opened_at = ClockField(allow_null=True)
    closed_at = ClockField(allow_null=True)
    chair = PersonField()
    secretary = PersonField()
    agenda = AgendaItemSerializer(many=True)
    participants = ParticipantSerializer(many=True)
    url = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = ["id", "title", "kind", "kind_label", "is_closed", "unit", "date", "start_time", "end_time", "place",
                  "chair", "secretary", "status", "status_label", "agenda", "participants", "opened_at", "closed_at",
                  "main_points", "conclusions", "decisions", "approved_at", "document_number", "published_at", "url",
                  "links"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, meeting):
        return absolute(self.context["request"], meeting.get_absolute_url())

    @extend_schema_field(inline_serializer("MeetingLinks", {
        "self": serializers.URLField(), "transcript": serializers.URLField(), "printouts": serializers.URLField(),
    }))
    def get_links(self, meeting):
        request = self.context["request"]
        return {
            "self": absolute(request, reverse("api:minutes:detail", args=[meeting.pk])),
            "transcript": absolute(request, reverse("api:minutes:transcript", args=[meeting.pk])),
            "printouts": absolute(request, reverse("api:minutes:printouts", args=[meeting.pk])),
        }


class LineSerializer(serializers.ModelSerializer):
    speaker = serializers.CharField(source="speaker.name", allow_null=True, default=None)
    agenda_item = serializers.CharField(source="agenda_item.title", allow_null=True, default=None)
    corrected = serializers.BooleanField(help_text="the notulis changed the machine's text")
    reviewed = serializers.BooleanField(help_text="the notulis edited the line or marked it checked")
    url = serializers.SerializerMethodField()

    class Meta:
        model = TranscriptLine
        fields = ["id", "recording", "position", "start", "end", "text", "machine_text", "corrected", "reviewed",
                  "speaker", "agenda_item", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, line):
        """The meeting page with the player at this line's second."""
        return absolute(self.context["request"], line.get_absolute_url())


class MeetingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)

    class Meta:
        model = Meeting
        fields = ["status", "kind", "is_closed"]


def detailed_meetings():
    return Meeting.objects.select_related("unit", "chair", "secretary").prefetch_related(
        "agenda", "participants"
    )


class MeetingList(generics.ListAPIView):
    """Meetings the caller may see (``?status=``, ``?kind=``, ``?is_closed=``, ``?ordering=date``)."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["date", "start_time", "created_at"]

    def get_queryset(self):
        return detailed_meetings().visible_to(self.request.user)


class MeetingDetail(generics.RetrieveAPIView):
    """One meeting the caller may see; any other (a closed meeting of others) answers 404."""

    serializer_class = MeetingSerializer

    def get_object(self):
        return Meeting.visible_or_404(self.request.user, self.kwargs["pk"], detailed_meetings())


class Transcript(generics.ListAPIView):
    """The meeting's transcript as the notulis corrected it, line by line, in recording order."""

    serializer_class = LineSerializer
    filter_backends = ()

    def get_queryset(self):
        meeting = Meeting.visible_or_404(self.request.user, self.kwargs["pk"])
        return meeting.lines.select_related("meeting", "speaker", "agenda_item", "recording")


class Printouts(APIView):
    """The meeting's printed minutes (risalah, catatan rapat, laporan singkat) as PDF documents with their versions."""

    @extend_schema(responses=DocumentSerializer(many=True))
    def get(self, request, pk):
        meeting = Meeting.visible_or_404(request.user, pk)
        documents = meeting.documents().filter(role__in=PRINTOUTS)
        context = {"request": request, "role_labels": DOCUMENT_ROLE_LABELS}
        return Response(DocumentSerializer(documents, many=True, context=context).data)


urlpatterns = [
    path("", MeetingList.as_view(), name="list"),
    path("<int:pk>/", MeetingDetail.as_view(), name="detail"),
    path("<int:pk>/transcript/", Transcript.as_view(), name="transcript"),
    path("<int:pk>/printouts/", Printouts.as_view(), name="printouts"),
]
