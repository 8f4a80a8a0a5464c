"""The number of an outgoing letter, taken when it is signed.

The classification code (Permendagri 83/2022) is the basis of the number;
the serial runs per year, per drafting unit and per classification family
(the code's main group: ``000`` for ``000.8.3.3``). The pattern is
configurable (``SIAP_OUTGOING_NUMBER_PATTERN``) because the regulation leaves
the exact form to each region; the default is the common practice
``classification/serial/unit code``, e.g. ``000.8.3.3/15/DPRD``.

Placeholders: ``{classification}``, ``{serial}``, ``{unit}`` (the unit's
letter code), ``{year}``, ``{month_roman}``.
"""

from django.conf import settings

from .models import NumberCounter, classification_family

ROMAN_MONTHS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]
PLACEHOLDERS = {"classification", "serial", "unit", "year", "month_roman"}


def format_number(*, pattern, classification, serial, unit_code, date):
    return pattern.format(
        classification=classification, serial=serial, unit=unit_code, year=date.year, month_roman=ROMAN_MONTHS[date.month - 1],
    )


REQUIRED = {"classification", "serial", "unit"}  # what the counter runs per: without them numbers would repeat


def check_pattern(pattern):
    """Refuse a pattern that could repeat a number, or with an unknown placeholder (read at start-up)."""
    import string

    names = {field for _text, field, _spec, _conv in string.Formatter().parse(pattern) if field is not None}
    if not REQUIRED <= names <= PLACEHOLDERS:
        raise ValueError(f"SIAP_OUTGOING_NUMBER_PATTERN {pattern!r}: needs {sorted(REQUIRED)}, may use {sorted(PLACEHOLDERS)}")
    return pattern


def assign(letter):
    """Give ``letter`` (being signed, ``letter_date`` set) its serial and number; inside the signing transaction."""
    family = classification_family(letter.classification.code)
    letter.number_year = letter.letter_date.year
    letter.number_family = family
    letter.serial = NumberCounter.next_number(year=letter.number_year, unit=letter.drafting_unit, family=family)
    letter.number = format_number(
        pattern=settings.SIAP_OUTGOING_NUMBER_PATTERN, classification=letter.classification.code, serial=letter.serial,
        unit_code=letter.drafting_unit.number_code, date=letter.letter_date,
    )
    return letter.number
