from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "workflows.minutes"
    label = "minutes"
    verbose_name = _("Risalah rapat")

    def ready(self):
        from asr import sources
        from asr.signals import transcription_finished
        from documents import owners

        from . import audit_labels  # noqa: F401  (registers the trail's action names)
        from . import search_items
        from .models import Meeting, Recording

        owners.register(Meeting, visible_to=Meeting.objects.visible_to)
        sources.register(Recording, audio_path=lambda recording: recording.document.current.blob.file.path)
        search_items.register()
        transcription_finished.connect(_store_transcript, sender=Recording, dispatch_uid="minutes_store_transcript")


def _store_transcript(sender, job, owner, **kwargs):
    from .services import store_transcript

    store_transcript(job, owner)
