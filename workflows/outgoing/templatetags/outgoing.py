"""Offices named on the pages as the letter names them (``project.org.offices.office_title``), not by the position's label."""

from django import template

from project.org.offices import office_title

register = template.Library()


@register.filter
def office(position):
    return office_title(position) if position else ""
