"""Who owns recordings: an owner model registers how to reach its audio file."""

from django.contrib.contenttypes.models import ContentType

_AUDIO = {}


def register(model, *, audio_path):
    """``audio_path(owner) -> str``: a local path to the recording as uploaded."""
    _AUDIO[model] = audio_path


def audio_path_of(job):
    model = job.owner_type.model_class()
    return _AUDIO[model](model.objects.get(pk=job.owner_id))


def content_type_of(owner):
    return ContentType.objects.get_for_model(owner, for_concrete_model=True)
