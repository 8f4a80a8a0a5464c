from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class MinutesConfig(AppConfig):
    name = "workflows.minutes"
    label = "minutes"
    verbose_name = _("Risalah rapat")

    def ready(self):
        from asr import sources
        from asr.signals import segments_transcribed, transcription_finished
        from documents import owners
        from project.org import roles
        from workflows import registry

        from . import actions, search_items, services
        from .audit_labels import TRAIL_LABELS
        from .flows import MinutesFlow
        from .forms import MINUTES_AUDIO
        from .models import Meeting, Participant, Recording

        registry.register(registry.Process.of_app(
            self,
            menu=(registry.MenuEntry(_("Rapat"), "minutes:list"),),
            subject_model=Meeting,
            flows=(MinutesFlow,),
            url_prefix="rapat/",
            api_prefix="meetings/",
            trail_labels=TRAIL_LABELS,
            demo="fixtures.meetings.build",
            role_permissions={roles.REGISTRAR: ["minutes.schedule_meeting"], roles.AUDITOR: ["minutes.view_all_meetings"]},
            upload_policies=(MINUTES_AUDIO,),
            task_actions=actions.task_actions(MinutesFlow),
            counters=services.dashboard_counters,
        ))
        owners.register(Meeting, visible_to=Meeting.objects.visible_to)
        sources.register(Recording, audio_path=lambda recording: recording.document.current.blob.file.path)
        search_items.register()
        segments_transcribed.connect(_append_lines, sender=Recording, dispatch_uid="minutes_append_lines")
        transcription_finished.connect(_finish_transcript, sender=Recording, dispatch_uid="minutes_finish_transcript")
        for model in (Meeting, Participant):
            post_save.connect(_reindex_meeting, sender=model, dispatch_uid=f"minutes_reindex_{model.__name__}")
            post_delete.connect(_reindex_meeting, sender=model, dispatch_uid=f"minutes_unindex_{model.__name__}")


def _append_lines(sender, job, owner, segments, **kwargs):
    from .services import append_lines

    append_lines(owner, segments)


def _finish_transcript(sender, job, owner, **kwargs):
    from .services import finish_transcript

    finish_transcript(job, owner)


def _reindex_meeting(sender, instance, update_fields=None, **kwargs):
    """Who may find a meeting's lines follows its participants, its openness and its status.

    Recording attendance changes none of these: those saves re-index nothing.
    """
    from .models import Meeting
    from .search_items import schedule_meeting

    if update_fields is not None and set(update_fields) <= {"attendance"}:
        return

    meeting = instance if isinstance(instance, Meeting) else Meeting.objects.filter(pk=instance.meeting_id).first()
    if meeting is not None and meeting.pk:
        schedule_meeting(meeting)
