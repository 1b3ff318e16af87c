"""The access log is append-only: PostgreSQL refuses UPDATE and DELETE on it, whoever asks.

A row-level trigger rather than a REVOKE, because the application connects as the table's
owner in most deployments and an owner can always grant itself the right back.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION accounts_access_log_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_access_log_append_only
BEFORE UPDATE OR DELETE ON accounts_accesslogentry
FOR EACH ROW EXECUTE FUNCTION accounts_access_log_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS accounts_access_log_append_only ON accounts_accesslogentry;
DROP FUNCTION IF EXISTS accounts_access_log_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
