"""Incoming letters in the API (mounted at ``/api/v1/letters/`` by ``api.urls``).

The same rule as the pages: ``Letter.objects.visible_to`` decides every
list, count and object, and a letter outside it answers 404. Registering
goes through the page's form and service, so the API accepts and refuses
exactly what the page does.
"""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import form_errors
from api.forms import describe_fields, form_data
from api.schema import IDEMPOTENCY_KEY
from api.serializers import (
    DocumentSerializer, FieldSerializer, PersonField, TrailEventSerializer, UnitSerializer, absolute,
)
from project.audit.models import AuditEvent
from project.forms import create_once

from . import actions, services
from .forms import CancelLetterForm, CorrectLetterForm, RegisterLetterForm
from .models import DOCUMENT_ROLE_LABELS, Disposition, DispositionBranch, Letter, Nature


class BranchSerializer(serializers.ModelSerializer):
    unit = UnitSerializer()
    status_label = serializers.CharField(source="get_status_display")
    claimed_by = PersonField()
    forwarded_to = PersonField()
    closed_by = PersonField()

    class Meta:
        model = DispositionBranch
        fields = ["unit", "status", "status_label", "deadline", "overdue", "claimed_by", "forwarded_to", "forward_note",
                  "report", "report_document", "closed_by", "closed_at"]


class DispositionSerializer(serializers.ModelSerializer):
    instruction_label = serializers.CharField(source="get_instruction_display")
    given_by = PersonField()
    acting_for = PersonField()
    branches = BranchSerializer(many=True)

    class Meta:
        model = Disposition
        fields = [
            "instruction", "instruction_label", "note", "deadline", "given_by", "acting_for", "given_at", "branches",
        ]


class LetterSerializer(serializers.ModelSerializer):
    """A letter, the same in lists and alone: its register data, dispositions and branches."""

    agenda = serializers.CharField(source="agenda_label")
    nature_label = serializers.CharField(source="get_nature_display")
    status_label = serializers.CharField(source="get_status_display")
    classification = serializers.CharField(source="classification.code")
    registered_by = PersonField()
    dispositions = DispositionSerializer(many=True)
    url = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = ["id", "agenda", "agenda_year", "agenda_number", "sender", "sender_number", "letter_date",
                  "received_date", "subject", "nature", "nature_label", "status", "status_label", "classification",
                  "filed_without_disposition", "registered_by", "registered_at", "archived_at", "dispositions",
                  "url", "links"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, letter):
        return absolute(self.context["request"], letter.get_absolute_url())

    @extend_schema_field(inline_serializer("LetterLinks", {
        "self": serializers.URLField(), "files": serializers.URLField(), "trail": serializers.URLField(),
        "sheet": serializers.URLField(help_text="the lembar disposisi (PDF page)"),
    }))
    def get_links(self, letter):
        request = self.context["request"]
        return {
            "self": absolute(request, reverse("api:letters:detail", args=[letter.pk])),
            "files": absolute(request, reverse("api:letters:files", args=[letter.pk])),
            "trail": absolute(request, reverse("api:letters:trail", args=[letter.pk])),
            "sheet": absolute(request, reverse("letters:sheet", args=[letter.pk])),
        }


class LetterFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Letter.Status.choices)
    nature = django_filters.ChoiceFilter(choices=Nature.choices)
    q = django_filters.CharFilter(method="search", label=_("Cari perihal, pengirim atau nomor surat"))

    class Meta:
        model = Letter
        fields = ["status", "nature", "q"]

    def search(self, queryset, name, value):
        """The page's search box: subject, sender or the sender's number."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(subject__icontains=value) | Q(sender__icontains=value) | Q(sender_number__icontains=value)
        )


def detailed_letters():
    return Letter.objects.select_related("classification", "registered_by").prefetch_related(
        "dispositions__given_by", "dispositions__acting_for", "dispositions__branches__unit",
        "dispositions__branches__claimed_by", "dispositions__branches__forwarded_to",
        "dispositions__branches__closed_by",
    )


REGISTRATION = inline_serializer("LetterRegistration", {
    "sender": serializers.CharField(max_length=255),
    "sender_number": serializers.CharField(max_length=120),
    "letter_date": serializers.DateField(),
    "received_date": serializers.DateField(),
    "subject": serializers.CharField(max_length=500),
    "nature": serializers.ChoiceField(choices=Nature.choices),
    "classification": serializers.IntegerField(help_text="id of a classification code: see GET /api/v1/letters/form/"),
    "scan": serializers.FileField(help_text="the scanned letter, PDF"),
    "attachments": serializers.ListField(child=serializers.FileField(), required=False),
    "confirm_duplicate": serializers.BooleanField(
        required=False, help_text="register even though an earlier letter has the same sender and number, or scan",
    ),
})

EARLIER_LETTERS = inline_serializer("EarlierLetters", {
    "detail": serializers.CharField(),
    "code": serializers.CharField(help_text="duplicate"),
    "earlier": inline_serializer("EarlierLetter", {
        "id": serializers.IntegerField(), "agenda": serializers.CharField(), "url": serializers.URLField(),
    }, many=True),
})


class LetterList(generics.ListAPIView):
    """Letters the caller may see (``?status=``, ``?nature=``, ``?q=``, ``?ordering=``); POST registers one."""

    serializer_class = LetterSerializer
    filterset_class = LetterFilter
    ordering_fields = ["received_date", "letter_date", "registered_at", "agenda_year", "agenda_number"]
    parser_classes = [MultiPartParser, JSONParser]

    def get_queryset(self):
        return detailed_letters().visible_to(self.request.user)

    @extend_schema(
        request={"multipart/form-data": REGISTRATION},
        parameters=[IDEMPOTENCY_KEY],
        responses={201: LetterSerializer, 409: OpenApiResponse(
            EARLIER_LETTERS,
            description="Already sent with this Idempotency-Key; or (code duplicate) an earlier letter has the same "
                        "sender and number, or the same scan: send again with confirm_duplicate=true to register it.",
        )},
    )
    def post(self, request):
        """Register a letter with its scan (multipart), as on the page; it gets the next agenda number."""
        if not request.user.has_perm("letters.add_letter"):
            raise exceptions.PermissionDenied()
        form = RegisterLetterForm(form_data(request), request.FILES, user=request.user)
        if not form.is_valid():
            if form.duplicates:
                return Response({
                    "detail": " ".join(form.non_field_errors()),
                    "code": "duplicate",
                    "earlier": [
                        {"id": letter.pk, "agenda": letter.agenda_label,
                         "url": absolute(request, reverse("api:letters:detail", args=[letter.pk]))}
                        for letter in form.duplicates
                    ],
                }, status=status.HTTP_409_CONFLICT)
            raise exceptions.ValidationError(form_errors(form))
        letter = create_once(form.cleaned_data["submission_token"], request.user, lambda: actions.register(form, request.user))
        body = LetterSerializer(letter, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["links"]["self"]})


class RegistrationForm(APIView):
    """The fields registering a letter takes, with the allowed natures and classification codes."""

    @extend_schema(responses=FieldSerializer(many=True))
    def get(self, request):
        if not request.user.has_perm("letters.add_letter"):
            raise exceptions.PermissionDenied()
        return Response(describe_fields(RegisterLetterForm(user=request.user)))


class LetterDetail(generics.RetrieveAPIView):
    """One letter the caller may see; any other answers 404."""

    serializer_class = LetterSerializer

    def get_object(self):
        return Letter.visible_or_404(self.request.user, self.kwargs["pk"], detailed_letters())


class LetterFiles(APIView):
    """The letter's documents (scan, attachments, report files), each with its versions."""

    @extend_schema(responses=DocumentSerializer(many=True))
    def get(self, request, pk):
        letter = Letter.visible_or_404(request.user, pk)
        context = {"request": request, "role_labels": DOCUMENT_ROLE_LABELS}
        return Response(DocumentSerializer(letter.documents(), many=True, context=context).data)


class LetterTrail(generics.ListAPIView):
    """The letter's audit trail, oldest first."""

    serializer_class = TrailEventSerializer
    filter_backends = ()

    def get_queryset(self):
        letter = Letter.visible_or_404(self.request.user, self.kwargs["pk"])
        return AuditEvent.objects.for_object(letter).select_related("user", "acting_for")


CORRECTION = inline_serializer("LetterCorrection", {
    "sender": serializers.CharField(max_length=255, required=False),
    "sender_number": serializers.CharField(max_length=120, required=False),
    "letter_date": serializers.DateField(required=False),
    "received_date": serializers.DateField(required=False),
    "subject": serializers.CharField(max_length=500, required=False),
    "nature": serializers.ChoiceField(choices=Nature.choices, required=False),
    "classification": serializers.IntegerField(required=False, help_text="id of a classification code"),
})
CANCELLATION = inline_serializer("LetterCancellation", {"reason": serializers.CharField(max_length=2000)})
REFUSALS = {
    400: OpenApiResponse(description="Invalid input, or the letter was already disposed or cancelled."),
    403: OpenApiResponse(description="Only registrars (letters.add_letter) correct or cancel letters."),
    409: OpenApiResponse(description="Already sent with this Idempotency-Key; nothing was changed."),
}


class RegistrarChange(APIView):
    """What the registrar's correction page does (correct or cancel), for a letter still awaiting disposition."""

    parser_classes = [JSONParser, MultiPartParser]

    def letter(self, request, pk):
        if not request.user.has_perm("letters.add_letter"):
            raise exceptions.PermissionDenied(_("Hanya petugas pendaftaran surat yang dapat melakukan ini."))
        return Letter.visible_or_404(request.user, pk)

    def respond(self, request, form, change):
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            letter = create_once(form.cleaned_data["submission_token"], request.user, change)
        except DjangoValidationError as refused:  # already disposed or cancelled, checked under the letter's lock
            raise exceptions.ValidationError({"detail": refused.messages})
        letter = Letter.visible_or_404(request.user, letter.pk, detailed_letters())
        return Response(LetterSerializer(letter, context={"request": request}).data)


class LetterCorrect(RegistrarChange):
    """Correct the letter's register data (POST: every field; PATCH: only those sent); the trail keeps old → new.

    A corrected received date is stamped onto the scan again (a new version).
    """

    def correct(self, request, pk, partial):
        letter = self.letter(request, pk)
        data = form_data(request)
        if partial:
            data = {**self.current(letter), **data}
        form = CorrectLetterForm(data, instance=letter)
        return self.respond(request, form, lambda: services.correct_letter(letter, user=request.user,
                                                                           data=form.letter_data()))

    @staticmethod
    def current(letter):
        return {
            "sender": letter.sender, "sender_number": letter.sender_number,
            "letter_date": letter.letter_date.isoformat(), "received_date": letter.received_date.isoformat(),
            "subject": letter.subject, "nature": letter.nature, "classification": letter.classification_id,
        }

    @extend_schema(request=CORRECTION, parameters=[IDEMPOTENCY_KEY], responses={200: LetterSerializer, **REFUSALS})
    def post(self, request, pk):
        return self.correct(request, pk, partial=False)

    @extend_schema(request=CORRECTION, parameters=[IDEMPOTENCY_KEY], responses={200: LetterSerializer, **REFUSALS})
    def patch(self, request, pk):
        return self.correct(request, pk, partial=True)


class LetterCancel(RegistrarChange):
    """Cancel the letter's registration with a reason: it stays, marked Dibatalkan; its number is never reused."""

    @extend_schema(request=CANCELLATION, parameters=[IDEMPOTENCY_KEY], responses={200: LetterSerializer, **REFUSALS})
    def post(self, request, pk):
        letter = self.letter(request, pk)
        form = CancelLetterForm(form_data(request))
        return self.respond(request, form, lambda: services.cancel_letter(
            letter, user=request.user, reason=form.cleaned_data["reason"]))


urlpatterns = [
    path("", LetterList.as_view(), name="list"),
    path("form/", RegistrationForm.as_view(), name="form"),
    path("<int:pk>/", LetterDetail.as_view(), name="detail"),
    path("<int:pk>/files/", LetterFiles.as_view(), name="files"),
    path("<int:pk>/trail/", LetterTrail.as_view(), name="trail"),
    path("<int:pk>/correct/", LetterCorrect.as_view(), name="correct"),
    path("<int:pk>/cancel/", LetterCancel.as_view(), name="cancel"),
]
