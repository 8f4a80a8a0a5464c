"""Offices named on the pages as the letter names them (``sheets.office_title``), not by the position's label."""

from django import template

from workflows.outgoing.sheets import office_title

register = template.Library()


@register.filter
def office(position):
    return office_title(position) if position else ""
