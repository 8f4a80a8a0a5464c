from django.apps import AppConfig


class ProjectConfig(AppConfig):
    """The project package as an app, for its operator commands (``serve``)."""

    name = "project"
    label = "siap"
    verbose_name = "SIAP"
