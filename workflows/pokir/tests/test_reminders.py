"""Reminders before the deadline: counted in civil-service working days (weekends, holidays, cuti bersama)."""

import datetime

import pytest

from project.notifications.models import Notification
from project.reference import workdays
from workflows.pokir import services
from workflows.pokir.models import DeadlineReminder, PokirYear

FRIDAY_27_MARCH_2026 = datetime.date(2026, 3, 27)


@pytest.mark.django_db
def test_working_days_skip_weekends_public_holidays_and_cuti_bersama():
    assert workdays.is_working_day(datetime.date(2026, 3, 17))  # a Tuesday
    assert not workdays.is_working_day(datetime.date(2026, 3, 21))  # Idul Fitri, a Saturday too
    assert not workdays.is_working_day(datetime.date(2026, 3, 19))  # Nyepi
    assert not workdays.is_working_day(datetime.date(2026, 3, 23))  # cuti bersama Idul Fitri
    assert not workdays.is_working_day(datetime.date(2026, 3, 28))  # a Saturday
    assert workdays.holiday_name(datetime.date(2026, 3, 24)).startswith("Cuti Bersama")
    # 26, 25 | 24, 23 cuti bersama; 20 cuti bersama; 19 Nyepi; 18 cuti bersama | 17, 16, 13
    assert workdays.working_days_before(FRIDAY_27_MARCH_2026, 5) == datetime.date(2026, 3, 13)
    assert workdays.working_days_before(datetime.date(2026, 11, 27), 5) == datetime.date(2026, 11, 20), "an ordinary week"
    assert workdays.working_days_between(datetime.date(2026, 3, 13), FRIDAY_27_MARCH_2026) == 5
    assert workdays.working_days_between(FRIDAY_27_MARCH_2026, datetime.date(2026, 3, 20)) == 0


@pytest.fixture
def march_year(world):
    return PokirYear.objects.create(year=2026, deadline=FRIDAY_27_MARCH_2026, reminder_working_days=5)


def test_members_with_drafts_are_reminded_once_on_the_reminder_day(world, make_pokir, march_year):
    make_pokir(year=march_year)
    make_pokir(year=march_year, title="Draf kedua")
    submitted = make_pokir(member=world.other, year=march_year, kelurahan=world.sepinggan)
    services.submit(submitted, user=world.other_user, today=datetime.date(2026, 3, 1))
    assert services.reminder_day(march_year) == datetime.date(2026, 3, 13)

    assert services.remind_drafts(datetime.date(2026, 3, 12)) == 0, "a day early"
    assert services.remind_drafts(datetime.date(2026, 3, 13)) == 1
    notes = Notification.objects.filter(kind=services.DEADLINE_NOTICE)
    assert {note.recipient for note in notes} == {world.member_user, world.staff}, "the member and their staff"
    message = notes.first().message
    assert "TA 2026" in message and "27 Maret 2026" in message and "5 hari kerja lagi" in message and "2 draf" in message
    assert services.remind_drafts(datetime.date(2026, 3, 13)) == 0, "the beat runs every hour: nothing twice"
    assert services.remind_drafts(datetime.date(2026, 3, 16)) == 0
    assert DeadlineReminder.objects.get().drafts == 2
    assert notes.count() == 2


def test_a_missed_reminder_day_is_caught_up_until_the_deadline_but_not_after(world, make_pokir, march_year):
    make_pokir(year=march_year)
    assert services.remind_drafts(datetime.date(2026, 3, 28)) == 0, "after the deadline"
    assert services.remind_drafts(datetime.date(2026, 3, 26)) == 1, "the worker was down on the 13th"
    assert "1 hari kerja lagi" in Notification.objects.get(recipient=world.member_user).message


def test_no_reminder_when_the_year_asks_for_none(world, make_pokir, march_year):
    march_year.reminder_working_days = 0
    march_year.save()
    make_pokir(year=march_year)
    assert services.remind_drafts(datetime.date(2026, 3, 26)) == 0


def test_the_beat_runs_the_reminders(world, make_pokir, march_year):
    from project.celery import app
    from workflows.pokir.tasks import remind_pokir_drafts

    app.loader.import_default_modules()
    entry = app.conf.beat_schedule["pokir-deadline-reminders"]
    assert entry["task"] == "workflows.pokir.tasks.remind_pokir_drafts" and entry["schedule"] == 3600
    assert remind_pokir_drafts() == 0  # today (no year's reminder day yet in the test world)
