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


def _added(day):
    from .models import NonWorkingDay

    return NonWorkingDay.objects.filter(date=day).values_list("name", flat=True).first()


def holiday_name(day):
    return _national(day.year).get(day) or _added(day)


def is_working_day(day):
    return day.weekday() < 5 and day not in _national(day.year) and _added(day) is None


def working_days_before(day, count):
    """The working day ``count`` working days before ``day`` (``day`` itself does not count)."""
    current = day
    remaining = count
    while remaining > 0:
        current -= datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_after(day, count):
    """The working day ``count`` working days after ``day`` (``day`` itself does not count): a deadline."""
    current = day
    remaining = count
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start, end):
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    days, current = 0, start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            days += 1
    return days
