"""Let the trigger of 0002 allow the one change the chain needs, then link the existing trail into it.

The trigger still refuses every DELETE and every UPDATE, except the one that
fills an unlinked row's chain columns (``sequence``, ``previous_hash``,
``row_hash``) and changes nothing else: linking happens after the row is
committed (see ``project.audit.chain``). Existing rows are linked in the order
they happened (``at``, then ``id``).
"""

from django.db import migrations

from project.audit.chain import link_pending

ALLOW_LINKING = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.sequence IS NULL AND NEW.sequence IS NOT NULL
       AND to_jsonb(NEW) - ARRAY['sequence', 'previous_hash', 'row_hash']
           = to_jsonb(OLD) - ARRAY['sequence', 'previous_hash', 'row_hash'] THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""
REFUSE_ALL = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def allow_linking(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW_LINKING)


def refuse_all(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE_ALL)


def link_existing(apps, schema_editor):
    link_pending(apps.get_model("audit", "AuditEvent"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_trail_hash_chain")]
    operations = [
        migrations.RunPython(allow_linking, refuse_all),
        # going back, 0003 drops the chain columns with their values
        migrations.RunPython(link_existing, migrations.RunPython.noop),
    ]
