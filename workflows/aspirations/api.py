"""Aspirations in the API (mounted at ``/api/v1/aspirations/`` by ``api.urls``).

The same rules as the pages: ``Aspiration.objects.visible_to`` decides every
list, count and object (outside it: 404); a *rahasia* aspiration's subject,
text, files and follow-up notes are ``null`` for those who do not handle it
(``content_visible_to``, the queryset form of ``Aspiration.content_shown_to``);
the sender's name and contacts are ``null`` for everyone without
``aspirations.view_aspiration_personal_data``, and the name is ``null`` for an
*anonim* aspiration even for the desk. The steps (verify, dispose, answer,
approve or return) are the shared task actions (``/api/v1/tasks/<id>/actions/…``).
"""

import django_filters
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import form_errors
from api.forms import form_data
from api.schema import IDEMPOTENCY_KEY
from api.serializers import DocumentSerializer, PersonField, UnitSerializer, absolute
from project.forms import claim_submission

from . import services
from .forms import FollowUpNoteForm
from .models import DOCUMENT_ROLE_LABELS, Aspiration, AspirationStatus, Category, FollowUpNote

PERSONAL_DATA = "aspirations.view_aspiration_personal_data"


class AspirationPlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AspirationMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = PersonField(source="user")
    dapil = serializers.CharField(source="dapil.code")


HIDDEN_FOR_RAHASIA = "null when the aspiration is rahasia and the caller does not handle it"


class AspirationTimelineSerializer(serializers.ModelSerializer):
    """One step of the public timeline, as the resident's tracking page shows it."""

    public_note = serializers.CharField(allow_null=True, help_text=HIDDEN_FOR_RAHASIA)

    class Meta:
        model = AspirationStatus
        fields = ["status", "public_note", "at"]


class AspirationNoteSerializer(serializers.ModelSerializer):
    by = PersonField()

    class Meta:
        model = FollowUpNote
        fields = ["text", "by", "at"]


SENDER = inline_serializer("AspirationSender", {
    "name": serializers.CharField(allow_null=True, help_text="always null for an anonim aspiration"),
    "phone": serializers.CharField(),
    "email": serializers.CharField(),
    "wa_id": serializers.CharField(),
}, allow_null=True, help_text="null unless the caller may see senders' personal data (the desk)")

class AspirationSerializer(serializers.ModelSerializer):
    """An aspiration in lists; the queryset (``detailed_aspirations``) says what the caller may read of it."""

    status_label = serializers.CharField(source="get_status_display")
    late = serializers.BooleanField(help_text="past the deadline of the step it is in")
    kelurahan = AspirationPlaceSerializer(allow_null=True)
    unit = UnitSerializer(allow_null=True)
    members = AspirationMemberSerializer(many=True)
    subject = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()
    referral_note = serializers.SerializerMethodField()
    merged_into = serializers.CharField(source="merged_into.code", allow_null=True, default=None,
                                        help_text="tracking code of the aspiration this one was merged into")
    sender = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Aspiration
        fields = [
            "id", "code", "channel", "category", "privacy", "status", "status_label", "received_at", "verify_due",
            "follow_up_due", "late", "kelurahan", "unit", "members", "subject", "text", "answer", "answered_at",
            "closed_at", "merged_into", "referral_note", "pokir", "agenda_item", "sender", "url", "links",
        ]

    @extend_schema_field({"type": "string", "nullable": True, "description": HIDDEN_FOR_RAHASIA})
    def get_subject(self, aspiration):
        return aspiration.subject if aspiration.content_shown else None

    @extend_schema_field({"type": "string", "nullable": True, "description": HIDDEN_FOR_RAHASIA})
    def get_text(self, aspiration):
        return aspiration.text if aspiration.content_shown else None

    @extend_schema_field({"type": "string", "nullable": True, "description": HIDDEN_FOR_RAHASIA})
    def get_answer(self, aspiration):
        return aspiration.answer if aspiration.content_shown else None

    @extend_schema_field({"type": "string", "nullable": True, "description": HIDDEN_FOR_RAHASIA})
    def get_referral_note(self, aspiration):
        return aspiration.referral_note if aspiration.content_shown else None

    @extend_schema_field(SENDER)
    def get_sender(self, aspiration):
        if not self.context["request"].user.has_perm(PERSONAL_DATA):
            return None
        return {"name": None if aspiration.anonymous else aspiration.name, "phone": aspiration.phone,
                "email": aspiration.email, "wa_id": aspiration.wa_id}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, aspiration):
        return absolute(self.context["request"], aspiration.get_absolute_url())

    @extend_schema_field(inline_serializer("AspirationLinks", {
        "self": serializers.URLField(), "notes": serializers.URLField(help_text="POST a follow-up note"),
    }))
    def get_links(self, aspiration):
        request = self.context["request"]
        return {
            "self": absolute(request, reverse("api:aspirations:detail", args=[aspiration.pk])),
            "notes": absolute(request, reverse("api:aspirations:notes", args=[aspiration.pk])),
        }


class AspirationDetailSerializer(AspirationSerializer):
    """An aspiration alone: its public timeline, and (when the caller may read its content) files and notes."""

    timeline = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()

    class Meta(AspirationSerializer.Meta):
        fields = AspirationSerializer.Meta.fields + ["timeline", "documents", "notes"]

    @extend_schema_field(AspirationTimelineSerializer(many=True))
    def get_timeline(self, aspiration):
        """The steps; their public notes (the answer, what was asked) only for whom may read the content."""
        steps = AspirationTimelineSerializer(aspiration.timeline.all(), many=True).data
        if not aspiration.content_shown:
            steps = [{**step, "public_note": None} for step in steps]
        return steps

    @extend_schema_field(DocumentSerializer(many=True, allow_null=True))
    def get_documents(self, aspiration):
        if not aspiration.content_shown:
            return None
        context = {**self.context, "role_labels": DOCUMENT_ROLE_LABELS}
        return DocumentSerializer(aspiration.documents(), many=True, context=context).data

    @extend_schema_field(AspirationNoteSerializer(many=True, allow_null=True))
    def get_notes(self, aspiration):
        if not aspiration.content_shown:
            return None
        return AspirationNoteSerializer(aspiration.follow_up_notes.select_related("by"), many=True).data


def detailed_aspirations(user):
    """Aspirations with ``content_shown`` (what ``user`` may read) and ``late`` worked out in the same query,
    so a page of a hundred costs one query, not a few per row."""
    late = services.late_aspirations(Aspiration.objects.filter(pk=OuterRef("pk")))
    return (
        Aspiration.objects.with_content_shown(user).select_related("kelurahan", "unit", "merged_into")
        .prefetch_related("members__user", "members__dapil")
        .annotate(late=Exists(late))
    )


class AspirationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Aspiration.Status.choices)
    channel = django_filters.ChoiceFilter(choices=Aspiration.Channel.choices)
    category = django_filters.ChoiceFilter(choices=Category.choices)
    late = django_filters.BooleanFilter(label=_("Lewat batas waktu langkahnya"))

    class Meta:
        model = Aspiration
        fields = ["status", "channel", "category", "late"]


class AspirationList(generics.ListAPIView):
    """Aspirations the caller may see (``?status=``, ``?channel=``, ``?category=``, ``?late=true``, ``?ordering=``)."""

    serializer_class = AspirationSerializer
    filterset_class = AspirationFilter
    ordering_fields = ["received_at", "verify_due", "follow_up_due"]
    queryset = Aspiration.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return detailed_aspirations(self.request.user).visible_to(self.request.user)


class AspirationDetail(generics.RetrieveAPIView):
    """One aspiration the caller may see, with its timeline, files and notes; any other answers 404."""

    serializer_class = AspirationDetailSerializer

    def get_object(self):
        user = self.request.user
        return Aspiration.visible_or_404(user, self.kwargs["pk"], detailed_aspirations(user).prefetch_related("timeline"))


NOTE = {"text": serializers.CharField(max_length=5000)}


class AspirationNotes(APIView):
    """Record a follow-up note (multipart: with a document), with the page's form and service: those it went to
    and the desk, while it is being followed up."""

    @extend_schema(
        request={
            "application/json": inline_serializer("AspirationNoteInput", {**NOTE}),
            "multipart/form-data": inline_serializer("AspirationNoteUpload", {
                **NOTE, "document": serializers.FileField(required=False, help_text="PDF, JPEG or PNG"),
            }),
        },
        parameters=[IDEMPOTENCY_KEY],
        responses={201: AspirationNoteSerializer,
                   409: OpenApiResponse(description="Already sent with this Idempotency-Key; nothing was changed.")},
    )
    def post(self, request, pk):
        aspiration = Aspiration.visible_or_404(request.user, pk)
        data = form_data(request)
        form = FollowUpNoteForm(data, request.FILES or None)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        file, media_type = form.cleaned_data["document"] or (None, None)
        with transaction.atomic():
            claim_submission(data["submission_token"], request.user)
            note = services.add_note(aspiration, user=request.user, text=form.cleaned_data["text"], file=file,
                                     media_type=media_type)
        return Response(AspirationNoteSerializer(note).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("", AspirationList.as_view(), name="list"),
    path("<int:pk>/", AspirationDetail.as_view(), name="detail"),
    path("<int:pk>/notes/", AspirationNotes.as_view(), name="notes"),
]
