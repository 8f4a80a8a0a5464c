"""Indexes on Viewflow's task table for the shared task lists (``workflows.inbox``).

Viewflow's table has single-column indexes only. The inbox, the archive and
the unit queue each read one person's (or one unit's) tasks newest first, a
page at a time, and count them: with ten years of letters the chair holds
tens of thousands. Each index below serves one list's filter and order, and
on PostgreSQL carries the node columns the lists also filter on, so counting
reads the index alone. The table is Viewflow's, so the indexes live here.
"""

from django.db import migrations

NODE_COLUMNS = "INCLUDE (flow_task, flow_task_type)"
INDEXES = {
    # inbox_tasks: owner, status ASSIGNED, newest first
    "siap_task_inbox": ("(owner_id, status, created, id)", NODE_COLUMNS, ""),
    # archive_tasks: owner, status DONE, last finished first
    "siap_task_archive": ("(owner_id, status, finished, id)", NODE_COLUMNS, ""),
    # queue_tasks: unclaimed tasks of the units whose object permission the user holds, newest first
    "siap_task_queue": (
        "(owner_permission, owner_permission_obj_pk, created, id)", NODE_COLUMNS,
        "WHERE status = 'NEW' AND owner_id IS NULL",
    ),
}


def create_indexes(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name, (columns, included, condition) in INDEXES.items():
        included = included if postgresql else ""  # SQLite has no INCLUDE
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON viewflow_task {columns} {included} {condition}")


def drop_indexes(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
