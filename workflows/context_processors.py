"""The menu: the shared entries the user can use, and the registered processes' entries."""

from . import registry


def process_menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"process_menu": [], "shared_menu": {}}
    answers = {}  # several entries of a process often share one rule ("sees any aspiration"): each is asked once
    return {
        "process_menu": [
            entry for process in registry.processes() for entry in process.menu if _allowed(entry, user, answers)
        ],
        # asked only when a page draws the menu (the template calls them)
        "shared_menu": {"queue": lambda: has_unit_queue(user), "delegations": lambda: uses_delegations(user)},
    }


def _allowed(entry, user, answers):
    if entry.allowed not in answers:
        answers[entry.allowed] = entry.allowed(user)
    return answers[entry.allowed]


def has_unit_queue(user):
    """The unit queue is for members of a unit: unit tasks go to every member of the unit they are for."""
    from project.org.services import units_of

    return registry.once_per_request(("unit_queue", user.pk), lambda: units_of(user).exists())


def uses_delegations(user):
    """Delegations are for whoever may delegate (holds a position, or manages delegations) or acts for someone."""
    from project.org.models import Delegation, Position

    if user.has_perm("org.add_delegation"):
        return True
    return Position.objects.filter(holder=user).exists() or Delegation.objects.filter(delegate=user).exists()
