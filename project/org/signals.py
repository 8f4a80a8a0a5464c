"""Keep groups and object permissions in step with the organisation.

A unit's group always holds the unit's object permissions, and its members
are exactly the unit's position holders; role groups carry their model-wide
permissions. One place for each of these rules, whoever edits the data
(admin, fixtures, services).
"""

from django.contrib.auth.models import Group, Permission
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver

from . import roles, services
from .permissions import ensure_unit_permissions
from .models import Position, Unit


@receiver(post_save, sender=Unit)
def unit_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        services.grant_unit_permissions(instance)


@receiver(post_save, sender=Position)
@receiver(post_delete, sender=Position)
def position_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        services.sync_unit_group(instance.unit)


def ensure_role_groups(**kwargs):
    for role, perms in roles.ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*wanted)


def connect_post_migrate():
    """Run after every app's migrations: permissions of later apps exist only then."""
    post_migrate.connect(ensure_unit_permissions, dispatch_uid="siap_unit_permissions")
    post_migrate.connect(ensure_role_groups, dispatch_uid="siap_role_groups")
