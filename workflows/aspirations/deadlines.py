"""Deadlines of an aspiration's steps, in working days (``project.reference.workdays``).

A step is late from the first moment (WITA) after its deadline day; the
Sekretaris DPRD hears of it ``escalate_after_days`` working days later. The
resident's window to reply to an answer (or to a request for information)
is 10 working days, as SP4N-LAPOR! keeps it.
"""

import datetime

from django.utils import timezone

from project.reference import workdays

from .models import CategoryDeadline

REPLY_WINDOW_WORKING_DAYS = 10
DEFAULTS = {"verify_days": 3, "follow_up_days": 5, "escalate_after_days": 2}


def rule_for(category):
    """The category's configured working days, or SP4N-LAPOR!'s defaults."""
    rule = CategoryDeadline.objects.filter(category=category).first()
    return rule or CategoryDeadline(category=category, **DEFAULTS)


def verify_due(aspiration, on=None):
    return workdays.working_days_after(on or timezone.localdate(aspiration.received_at), rule_for(aspiration.category).verify_days)


def follow_up_due(aspiration, on=None):
    return workdays.working_days_after(on or timezone.localdate(), rule_for(aspiration.category).follow_up_days)


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def late_at(due):
    """The first moment after the deadline day."""
    return _start_of(due + datetime.timedelta(days=1))


def escalate_at(aspiration, due):
    return late_at(workdays.working_days_after(due, rule_for(aspiration.category).escalate_after_days))


def reply_window_end(today=None):
    return late_at(workdays.working_days_after(today or timezone.localdate(), REPLY_WINDOW_WORKING_DAYS))


def is_late(due, today=None):
    return due is not None and due < (today or timezone.localdate())
