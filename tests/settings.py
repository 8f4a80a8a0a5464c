"""The project's settings, plus a process that only the tests install (tests/memos)."""

from project.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.memos"]  # noqa: F405
