"""What search finds of a meeting: each transcript line, at its second in the recording.

The principals repeat ``MeetingQuerySet.visible_to`` in index form:
``perm:minutes.view_all_meetings`` (auditors), the DPRD chair's
``position:`` (held or acted for), ``user:`` of the meeting's chair, notulis
and each participant with an account, and ``public`` (everyone signed in)
for an open meeting once its minutes are published.
"""

from django.utils.translation import gettext_lazy as _

from project.org import services as org
from search import indexing, registry
from search.port import SearchItem

from .models import Meeting, TranscriptLine

KIND = "transcript"


def schedule_lines(lines):
    """(Re)index these transcript lines (a queryset) after the current transaction commits."""
    indexing.schedule_items(KIND, lines.values_list("pk", flat=True))


def schedule_meeting(meeting):
    schedule_lines(meeting.lines.all())


def principals_of_meeting(meeting):
    principals = ["perm:minutes.view_all_meetings", f"position:{org.chair_position().pk}",
                  f"user:{meeting.chair_id}", f"user:{meeting.secretary_id}"]
    principals += [f"user:{pk}" for pk in meeting.participants.filter(user__isnull=False).values_list("user_id", flat=True)]
    if not meeting.is_closed and meeting.status == Meeting.Status.PUBLISHED:
        principals.append("public")
    return sorted(set(principals))


def build(pk):
    line = (
        TranscriptLine.objects.filter(pk=pk)
        .select_related("meeting__unit", "speaker", "agenda_item")
        .first()
    )
    if line is None:
        return None
    meeting = line.meeting
    speaker = line.speaker.name if line.speaker else ""
    title = f"{meeting.title} — {speaker}" if speaker else meeting.title
    return SearchItem(
        id=f"{KIND}:{line.pk}",
        kind=KIND,
        title=title,
        body="\n".join(text for text in (line.text, line.agenda_item.title if line.agenda_item else "") if text),
        url=line.get_absolute_url(),
        date=meeting.date,
        principals=principals_of_meeting(meeting),
        facets={
            "unit": [meeting.unit.name],
            "year": [str(meeting.date.year)],
            "status": [meeting.status],
        },
    )


def all_ids():
    return TranscriptLine.objects.order_by("pk").values_list("pk", flat=True).iterator()


def register():
    labels = {
        "kind": {KIND: _("Transkrip rapat")},
        "status": dict(Meeting.Status.choices),
    }
    facets = {"unit": _("Unit"), "year": _("Tahun"), "status": _("Status")}
    registry.register(KIND, build=build, all_ids=all_ids, facets=facets, labels=labels)
