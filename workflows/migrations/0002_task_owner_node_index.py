"""One more index on Viewflow's task table: a person's open tasks of given nodes.

The dashboard's "overdue" counter, the inbox filtered by process or step and
the deadline filters ask for one person's tasks of a few nodes. With only
``siap_task_inbox`` PostgreSQL read all of the chair's 33,000 tasks awaiting
disposition from the table to find the two of a node with a deadline (212 ms
at 100,000 letters); with the node as a key column it reads those two (0.4 ms).
"""

from django.db import migrations

NAME = "siap_task_owner_node"


def create_index(apps, schema_editor):
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {NAME} ON viewflow_task (owner_id, status, flow_task)")


def drop_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):

    dependencies = [
        ("workflows", "0001_task_list_indexes"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
