"""What the API answers, shared by every process's API module.

Read-only representations: changes go through the processes' forms and
services (see ``api.views.TaskActionView``), never through serializers.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from project.audit.models import action_label
from workflows import registry


def absolute(request, url):
    return request.build_absolute_uri(url) if url else None


def person(user):
    return (user.get_full_name() or user.username) if user is not None else None


@extend_schema_field({"type": "string", "nullable": True})
class PersonField(serializers.Field):
    """A user by the name people read (the full name, else the username)."""

    def to_representation(self, user):
        return person(user)


class UnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


class PositionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(source="__str__")
    role = serializers.CharField()
    unit = UnitSerializer()


class DelegationSerializer(serializers.Serializer):
    position = PositionSerializer()
    holder = PersonField(source="position.holder")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    reason = serializers.CharField()


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    positions = PositionSerializer(many=True)
    units = UnitSerializer(many=True)
    acting_for = DelegationSerializer(many=True)


class SubjectSerializer(serializers.Serializer):
    """What a task is about (a letter, a meeting): its text, its page and its API resource."""

    id = serializers.IntegerField(source="pk")
    text = serializers.CharField(source="__str__")
    url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, subject):
        return absolute(self.context["request"], subject.get_absolute_url())

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_api_url(self, subject):
        return absolute(self.context["request"], subject_api_url(subject))


def subject_api_url(subject):
    """``/api/v1/<prefix><pk>/`` of the process the subject belongs to (its API module names it ``detail``)."""
    process = registry.process_of_subject(subject)
    return reverse(f"api:{process.name}:detail", args=[subject.pk]) if process.api_urls else None


class ProcessSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()


class TaskSerializer(serializers.Serializer):
    """A ``workflows.inbox.TaskRow``."""

    id = serializers.IntegerField(source="task.pk")
    process = ProcessSerializer()
    title = serializers.CharField()
    status = serializers.CharField(source="task.status")
    created = serializers.DateTimeField(source="task.created")
    owner = PersonField(source="task.owner")
    subject = SubjectSerializer()
    deadline = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, row):
        return absolute(self.context["request"], reverse("api:task", args=[row.task.pk]))


class ChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class FieldSerializer(serializers.Serializer):
    """A field of a step's form: what to send, and for choices the values allowed."""

    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()
    multiple = serializers.BooleanField()
    choices = ChoiceSerializer(many=True, allow_null=True)


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    fields = FieldSerializer(many=True)
    url = serializers.URLField()


class ActionResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    subject = SubjectSerializer()


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    original_name = serializers.CharField()
    note = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    media_type = serializers.CharField()
    page_count = serializers.IntegerField(allow_null=True)
    text_status = serializers.CharField()
    text_notes = serializers.ListField(
        child=serializers.CharField(), source="problem_messages",
        help_text="What reading, OCR and stamping this version ran into, in plain words (the page's language).",
    )
    uploaded_by = PersonField()
    uploaded_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, version):
        url = reverse("api:download", args=[version.document_id, version.number])
        return absolute(self.context["request"], url)


class DocumentSerializer(serializers.Serializer):
    """A stored document and its versions; ``role_label`` from the owner's ``role_labels`` in the context."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    versions = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_role_label(self, document) -> str:
        return str(self.context.get("role_labels", {}).get(document.role, document.role))

    @extend_schema_field(VersionSerializer(many=True))
    def get_versions(self, document):
        versions = document.versions.select_related("blob", "uploaded_by").order_by("-number")
        return VersionSerializer(versions, many=True, context=self.context).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, document):
        return absolute(self.context["request"], reverse("api:document", args=[document.pk]))


class TrailEventSerializer(serializers.Serializer):
    """One ``AuditEvent`` of a subject's trail."""

    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.SerializerMethodField()
    user = PersonField()
    acting_for = PersonField()
    client_address = serializers.CharField(allow_null=True)
    detail = serializers.DictField()

    def get_action_label(self, event) -> str:
        return str(action_label(event.action))


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    active = serializers.BooleanField(help_text="This value is one of the filters of the query.")


class FacetSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The filter's query parameter, e.g. ?unit=Komisi%20I.")
    title = serializers.CharField()
    values = FacetValueSerializer(many=True)


class HitSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField()
    date = serializers.DateField()
    snippet = serializers.CharField(help_text="HTML: escaped text with <mark> around the matching words.")


class SearchResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = HitSerializer(many=True)
    facets = FacetSerializer(many=True)
