"""The menu entries of the registered processes that the user can use."""

from . import registry


def process_menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"process_menu": []}
    return {"process_menu": [
        entry for process in registry.processes() for entry in process.menu if entry.allowed(user)
    ]}
