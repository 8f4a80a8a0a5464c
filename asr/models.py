"""Transcription jobs and the machine transcript they produce.

A job belongs to whatever owns the recording (a meeting recording); it is
retried in place, so a recording has one job and one set of segments
whatever happened on the way. The segments here are the engine's words,
kept as they came out, window by window while the job runs; workflows copy
them into their own editable records as they come.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TranscriptionJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "antre", _("Menunggu giliran")
        RUNNING = "berjalan", _("Sedang ditranskripsi")
        DONE = "selesai", _("Selesai")
        FAILED = "gagal", _("Gagal")

    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    owner_id = models.CharField(max_length=64)
    engine = models.CharField(max_length=20)
    model = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.FloatField(default=0.0)
    # for people: why it failed, or what to know about a finished job (a truncated file)
    message = models.TextField(blank=True)
    detail = models.TextField(blank=True)  # for operators: the exception
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    # when its job was last handed to the broker: a job still queued long after
    # that was lost with the broker's data, and the beat hands it over again
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    audio_seconds = models.FloatField(null=True, blank=True)
    # how far into the recording the stored segments reach: a retry resumes here
    transcribed_seconds = models.FloatField(default=0.0)
    processing_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner_type", "owner_id"], name="one_job_per_recording")]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]
        verbose_name = _("pekerjaan transkripsi")
        verbose_name_plural = _("pekerjaan transkripsi")

    def __str__(self):
        return f"{self.engine} #{self.pk} ({self.get_status_display()})"

    @property
    def percent(self):
        return round(self.progress * 100)

    @property
    def real_time_factor(self):
        if self.audio_seconds and self.processing_seconds:
            return self.processing_seconds / self.audio_seconds
        return None


class TranscriptSegment(models.Model):
    job = models.ForeignKey(TranscriptionJob, related_name="segments", on_delete=models.CASCADE)
    position = models.PositiveIntegerField()
    start = models.FloatField()
    end = models.FloatField()
    text = models.TextField()
    words = models.JSONField(default=list)  # [{"text", "start", "end"}] in seconds from the start
    speaker = models.CharField(max_length=100, blank=True)  # a diarization label, when a diarizer ran

    class Meta:
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="one_segment_per_position")]
