"""Outgoing letters (e-Piper) in the API (mounted at ``/api/v1/outgoing/`` by ``api.urls``).

The same rule as the pages: ``OutgoingLetter.objects.visible_to`` decides
every list, count and object, and a letter outside it answers 404. Drafting
and submitting go through the page's form (``DraftForm``) and services, so
the API accepts and refuses exactly what the page does. The steps after the
submission (verify, paraf, return, sign with the passphrase, dispatch,
receive) are the shared task actions (``/api/v1/tasks/<id>/actions/…``).
"""

import django_filters
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import form_errors
from api.forms import describe_fields, form_data, submission_token
from api.schema import IDEMPOTENCY_KEY
from api.serializers import (
    DocumentSerializer, FieldSerializer, PersonField, TrailEventSerializer, UnitSerializer, absolute,
)
from project.audit.models import AuditEvent
from project.forms import claim_submission, create_once
from project.org.offices import office_title
from workflows.letters.models import Letter, Nature

from . import services
from .forms import DraftForm
from .kinds import Kind
from .models import DOCUMENT_ROLE_LABELS, Dispatch, OutgoingLetter, ParafStep, Review


class OutgoingOfficeSerializer(serializers.Serializer):
    """A position as the letter names it ("Ketua DPRD Kota Balikpapan"), and who holds it now."""

    id = serializers.IntegerField()
    title = serializers.SerializerMethodField()
    holder = PersonField()

    def get_title(self, position) -> str:
        return office_title(position)


class OutgoingParafStepSerializer(serializers.ModelSerializer):
    aspect_label = serializers.CharField(source="get_aspect_display")
    position = OutgoingOfficeSerializer()
    initialled_by = PersonField()

    class Meta:
        model = ParafStep
        fields = ["order", "aspect", "aspect_label", "position", "initialled_by", "initialled_at"]


class OutgoingReviewSerializer(serializers.ModelSerializer):
    decision_label = serializers.CharField(source="get_decision_display")
    step = serializers.CharField(help_text="verify or paraf")
    by = PersonField()
    acting_for = PersonField(help_text="the holder of the position the reviewer acted for (Plh./Plt.)")

    class Meta:
        model = Review
        fields = ["step", "decision", "decision_label", "note", "by", "acting_for", "at"]


class OutgoingDispatchSerializer(serializers.ModelSerializer):
    method_label = serializers.CharField(source="get_method_display")
    status_label = serializers.CharField(source="get_status_display")
    unit = UnitSerializer(allow_null=True, help_text="the recipient unit of a nota dinas")
    by = PersonField()

    class Meta:
        model = Dispatch
        fields = ["method", "method_label", "recipient", "unit", "status", "status_label", "attempts", "error", "by",
                  "at", "done_at"]


class OutgoingLetterSerializer(serializers.ModelSerializer):
    """An outgoing letter in lists: what its register row and its page's heading say."""

    number = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    nature_label = serializers.CharField(source="get_nature_display")
    classification = serializers.CharField(source="classification.code")
    drafting_unit = UnitSerializer()
    addressees = serializers.ListField(child=serializers.CharField(), source="addressee_list")
    copies = serializers.ListField(child=serializers.CharField(), source="copy_list")
    email_recipients = serializers.ListField(child=serializers.CharField(), source="email_list")
    recipient_units = UnitSerializer(many=True, help_text="units a nota dinas goes to (their queues)")
    signer_position = OutgoingOfficeSerializer()
    on_behalf_of = OutgoingOfficeSerializer(allow_null=True, help_text="a.n.")
    through_position = OutgoingOfficeSerializer(allow_null=True, help_text="u.b.")
    signed_by = PersonField()
    signed_as = serializers.CharField(help_text='"Plh." or "Plt." when the signer acted for the position, else ""')
    created_by = PersonField()
    reply_to = serializers.SerializerMethodField()
    verification_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = OutgoingLetter
        fields = [
            "id", "number", "letter_date", "kind", "kind_label", "status", "status_label", "nature", "nature_label",
            "classification", "drafting_unit", "subject", "addressees", "copies", "email_recipients",
            "recipient_units", "signer_position", "on_behalf_of", "through_position", "signed_by", "signed_as",
            "signed_at", "created_by", "created_at", "submitted_at", "sent_at", "reply_to", "verification_url", "url",
            "links",
        ]

    @extend_schema_field({"type": "string", "nullable": True, "description": "null until the letter is signed"})
    def get_number(self, letter):
        return letter.number or None

    @extend_schema_field({"type": "integer", "nullable": True,
                          "description": "id of the incoming letter it answers; null when none or not visible to the caller"})
    def get_reply_to(self, letter):
        return letter.reply_to_id if letter.reply_to_visible else None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True,
                          "description": "the public page the QR code on the signed letter opens; null until signed"})
    def get_verification_url(self, letter):
        if not letter.is_signed:
            return None
        return absolute(self.context["request"], reverse("outgoing:verification", args=[letter.verification_token]))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, letter):
        return absolute(self.context["request"], letter.get_absolute_url())

    @extend_schema_field(inline_serializer("OutgoingLinks", {
        "self": serializers.URLField(), "trail": serializers.URLField(),
        "submit": serializers.URLField(help_text="POST: submit the draft for verification"),
        "pdf": serializers.URLField(help_text="the draft's preview, or the signed PDF (page)"),
    }))
    def get_links(self, letter):
        request = self.context["request"]
        return {
            "self": absolute(request, reverse("api:outgoing:detail", args=[letter.pk])),
            "trail": absolute(request, reverse("api:outgoing:trail", args=[letter.pk])),
            "submit": absolute(request, reverse("api:outgoing:submit", args=[letter.pk])),
            "pdf": absolute(request, reverse("outgoing:pdf", args=[letter.pk])),
        }


class OutgoingLetterDetailSerializer(OutgoingLetterSerializer):
    """A letter alone: its content, the chain (verifier, paraf, reviews), dispatches and files."""

    verifier_position = OutgoingOfficeSerializer(allow_null=True, help_text="set when the draft is submitted")
    paraf_steps = OutgoingParafStepSerializer(many=True)
    reviews = OutgoingReviewSerializer(many=True)
    dispatches = OutgoingDispatchSerializer(many=True)
    documents = serializers.SerializerMethodField()

    class Meta(OutgoingLetterSerializer.Meta):
        fields = OutgoingLetterSerializer.Meta.fields + [
            "addressee_place", "body", "event_day", "event_time", "event_place", "event_agenda", "signed_sha256",
            "verifier_position", "paraf_steps", "reviews", "dispatches", "documents",
        ]

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, letter):
        context = {**self.context, "role_labels": DOCUMENT_ROLE_LABELS}
        return DocumentSerializer(letter.documents(), many=True, context=context).data


class OutgoingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    status = django_filters.ChoiceFilter(choices=OutgoingLetter.Status.choices)
    nature = django_filters.ChoiceFilter(choices=Nature.choices)
    year = django_filters.NumberFilter(field_name="number_year", label=gettext_lazy("Tahun nomor naskah"))
    unit = django_filters.CharFilter(field_name="drafting_unit__code",
                                     label=gettext_lazy("Kode unit pengolah (mis. komisi-1)"))
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Cari hal atau nomor naskah"))

    class Meta:
        model = OutgoingLetter
        fields = ["kind", "status", "nature", "year", "unit", "q"]

    def search(self, queryset, name, value):
        """The list page's search box: the subject or the number."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(subject__icontains=value) | Q(number__icontains=value))


def detailed_letters(user):
    """Letters with what their rows show, and whether ``user`` may see the incoming letter each answers."""
    return OutgoingLetter.objects.select_related(
        "drafting_unit", "classification", "signer_position__unit", "signer_position__holder", "on_behalf_of__unit",
        "on_behalf_of__holder", "through_position__unit", "through_position__holder", "signed_by", "created_by",
    ).prefetch_related("recipient_units").annotate(
        reply_to_visible=Exists(Letter.objects.visible_to(user).filter(pk=OuterRef("reply_to_id"))),
    )


def letter_detail(user, pk):
    return OutgoingLetter.visible_or_404(user, pk, detailed_letters(user).select_related(
        "verifier_position__unit", "verifier_position__holder",
    ).prefetch_related(
        "paraf_steps__position__unit", "paraf_steps__position__holder", "paraf_steps__initialled_by",
        "reviews__by", "reviews__acting_for", "dispatches__unit", "dispatches__by",
    ))


def refusal(refused):
    """A service's ``ValidationError`` as the API's invalid-input answer: per field when it names fields."""
    if hasattr(refused, "error_dict"):
        return exceptions.ValidationError({
            ("non_field_errors" if field == NON_FIELD_ERRORS else field): messages
            for field, messages in refused.message_dict.items()
        })
    return exceptions.ValidationError({"detail": refused.messages})


def may_draft(user):
    if not services.drafting_units(user).exists():
        raise exceptions.PermissionDenied(_("Anda tidak termasuk unit yang menyusun naskah dinas."))


DRAFT = {
    "unit": serializers.IntegerField(help_text="id of the drafting unit: see GET /api/v1/outgoing/form/"),
    "kind": serializers.ChoiceField(choices=Kind.choices),
    "nature": serializers.ChoiceField(choices=Nature.choices),
    "classification": serializers.IntegerField(help_text="id of a classification code: see GET /api/v1/outgoing/form/"),
    "subject": serializers.CharField(max_length=500),
    "addressees": serializers.CharField(required=False, allow_blank=True, help_text="one addressee per line"),
    "addressee_place": serializers.CharField(required=False, allow_blank=True, max_length=120),
    "body": serializers.CharField(help_text="paragraphs separated by an empty line"),
    "event_day": serializers.CharField(required=False, allow_blank=True, max_length=120),
    "event_time": serializers.CharField(required=False, allow_blank=True, max_length=120),
    "event_place": serializers.CharField(required=False, allow_blank=True, max_length=255),
    "event_agenda": serializers.CharField(required=False, allow_blank=True, max_length=500),
    "copies": serializers.CharField(required=False, allow_blank=True, help_text="one per line"),
    "email_recipients": serializers.CharField(required=False, allow_blank=True, help_text="one e-mail address per line"),
    "recipient_units": serializers.ListField(child=serializers.IntegerField(), required=False,
                                             help_text="ids of the units a nota dinas goes to"),
    "reply_to": serializers.IntegerField(required=False, help_text="id of the incoming letter it answers"),
    "signer_position": serializers.IntegerField(help_text="id of the signer's position: see GET /api/v1/outgoing/form/"),
    "on_behalf_of": serializers.IntegerField(required=False, help_text="a.n.: id of a head's position"),
    "through_position": serializers.IntegerField(required=False, help_text="u.b.: id of a head's position"),
}


class OutgoingList(generics.ListAPIView):
    """Outgoing letters the caller may see (``?kind=``, ``?status=``, ``?nature=``, ``?year=``, ``?unit=``, ``?q=``,
    ``?ordering=``); POST writes a new draft."""

    serializer_class = OutgoingLetterSerializer
    filterset_class = OutgoingFilter
    ordering_fields = ["created_at", "submitted_at", "letter_date", "signed_at", "sent_at"]
    parser_classes = [JSONParser, MultiPartParser]
    queryset = OutgoingLetter.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        return detailed_letters(self.request.user).visible_to(self.request.user)

    @extend_schema(
        request={
            # each its own copy: a serializer class takes its fields out of the dict it is made from
            "application/json": inline_serializer("OutgoingDraft", {**DRAFT}),
            "multipart/form-data": inline_serializer("OutgoingDraftUpload", {
                **DRAFT,
                "attachments": serializers.ListField(child=serializers.FileField(), required=False,
                                                     help_text="PDF, PNG or JPEG, at most 10"),
            }),
        },
        parameters=[IDEMPOTENCY_KEY],
        responses={201: OutgoingLetterDetailSerializer,
                   409: OpenApiResponse(description="Already sent with this Idempotency-Key.")},
    )
    def post(self, request):
        """Write a draft of one of the caller's units, as on the page; it waits for its submission."""
        may_draft(request.user)
        form = DraftForm(form_data(request), request.FILES or None, user=request.user)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            letter = create_once(form.cleaned_data["submission_token"], request.user, lambda: services.create_draft(
                user=request.user, unit=form.cleaned_data["unit"], data=form.content(),
                recipient_units=form.cleaned_data["recipient_units"], attachments=form.cleaned_data["attachments"],
            ))
        except DjangoValidationError as refused:
            raise refusal(refused) from None
        body = OutgoingLetterDetailSerializer(letter_detail(request.user, letter.pk),
                                              context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["links"]["self"]})


class DraftFormFields(APIView):
    """The fields a draft takes, with the caller's drafting units, the kinds, signers and classification codes."""

    @extend_schema(responses=FieldSerializer(many=True))
    def get(self, request):
        may_draft(request.user)
        return Response(describe_fields(DraftForm(user=request.user)))


class OutgoingDetail(generics.RetrieveAPIView):
    """One letter the caller may see, with its chain, dispatches and files; any other answers 404."""

    serializer_class = OutgoingLetterDetailSerializer

    def get_object(self):
        return letter_detail(self.request.user, self.kwargs["pk"])


class OutgoingSubmit(APIView):
    """Submit a draft (or a corrected returned one) to the head of the drafting unit for verification.

    The drafting unit's staff only; the letter's content is checked for its kind
    first (addressees, the invitation's event, …), as on the page.
    """

    @extend_schema(
        request=None,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: OutgoingLetterDetailSerializer,
                   400: OpenApiResponse(description="The letter lacks what its kind needs; the messages say what."),
                   409: OpenApiResponse(description="Already sent with this Idempotency-Key; nothing was changed.")},
    )
    def post(self, request, pk):
        letter = OutgoingLetter.visible_or_404(request.user, pk)
        try:
            with transaction.atomic():
                claim_submission(submission_token(request), request.user)
                services.submit(letter, user=request.user)
        except DjangoValidationError as refused:
            raise refusal(refused) from None
        return Response(OutgoingLetterDetailSerializer(letter_detail(request.user, pk), context={"request": request}).data)


class OutgoingTrail(generics.ListAPIView):
    """The letter's audit trail, oldest first."""

    serializer_class = TrailEventSerializer
    filter_backends = ()

    def get_queryset(self):
        letter = OutgoingLetter.visible_or_404(self.request.user, self.kwargs["pk"])
        return AuditEvent.objects.for_object(letter).select_related("user", "acting_for")


urlpatterns = [
    path("", OutgoingList.as_view(), name="list"),
    path("form/", DraftFormFields.as_view(), name="form"),
    path("<int:pk>/", OutgoingDetail.as_view(), name="detail"),
    path("<int:pk>/submit/", OutgoingSubmit.as_view(), name="submit"),
    path("<int:pk>/trail/", OutgoingTrail.as_view(), name="trail"),
]
