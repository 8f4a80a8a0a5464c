"""Working days of the Indonesian civil service: Monday to Friday, without holidays, cuti bersama and the secretariat's own days off.

The calendar is the ``holidays`` package's Indonesia, categories PUBLIC and
GOVERNMENT (the latter are the *cuti bersama* days ASN do not work), plus
the ``NonWorkingDay`` rows the secretariat adds in the admin (a regional
holiday, an office closure). Every deadline counted in working days (pokir
reminders, aspiration deadlines) goes through this module.
"""

import datetime
import functools

import holidays


@functools.lru_cache(maxsize=32)
def _national(year):
    return holidays.country_holidays("ID", categories=("public", "government"), years=year, language="id")


def _added_near(day):
    """The secretariat's added days off in the years around ``day`` (one query per calculation)."""
    from .models import NonWorkingDay

    years = (day.year - 1, day.year, day.year + 1)
    return dict(NonWorkingDay.objects.filter(date__year__in=years).values_list("date", "name"))


def holiday_name(day):
    return _national(day.year).get(day) or _added_near(day).get(day)


def _is_working_day(day, added):
    return day.weekday() < 5 and day not in _national(day.year) and day not in added


def is_working_day(day):
    return _is_working_day(day, _added_near(day))


def working_days_before(day, count):
    """The working day ``count`` working days before ``day`` (``day`` itself does not count)."""
    added = _added_near(day)
    current = day
    remaining = count
    while remaining > 0:
        current -= datetime.timedelta(days=1)
        if _is_working_day(current, added):
            remaining -= 1
    return current


def working_days_after(day, count):
    """The working day ``count`` working days after ``day`` (``day`` itself does not count): a deadline."""
    added = _added_near(day)
    current = day
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if _is_working_day(current, added):
            remaining -= 1
    return current


def added_days(first, last):
    """The secretariat's added days off from ``first`` to ``last``: load them once for many calculations."""
    from .models import NonWorkingDay

    return dict(NonWorkingDay.objects.filter(date__range=(first, last)).values_list("date", "name"))


def working_days_between(start, end, added=None):
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``).

    ``added``: the days from ``added_days`` covering the range, when many ranges are counted at once.
    """
    if added is None:
        added = _added_near(start) | _added_near(end)
    days, current = 0, start
    while current < end:
        current += datetime.timedelta(days=1)
        if _is_working_day(current, added):
            days += 1
    return days
