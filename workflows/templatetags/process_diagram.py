"""``{% process_diagram subject %}``: the subject's process diagram for the viewing user.

A tag rather than a view's context entry, so any process page shows the
diagram with one line and no change to its view.
"""

from django import template

from workflows import diagram

register = template.Library()


@register.inclusion_tag("workflows/_diagram.html", takes_context=True)
def process_diagram(context, subject):
    return {"diagram": diagram.process_diagram(subject, context["request"].user)}
