"""Writing an outbox row once by its key, in one statement: the sign-up writes its message
while it holds the opportunity's lock, so every statement there is one more for the people
queued behind it (issue 18)."""

from functools import cache

from django.db import connection

from notifications.models import Message


@cache
def _insert_once_sql() -> str:
    columns = [field for field in Message._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    # Only the model's own table and column names, and a placeholder for every value.
    return (
        f"INSERT INTO {quote(Message._meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({quote('dedupe_key')}) DO NOTHING RETURNING {quote('id')}"
    )


def message_write_once(*, dedupe_key: str, fields: dict) -> tuple[Message, bool]:
    """`get_or_create` by the message's key in one statement: `INSERT ... ON CONFLICT
    (dedupe_key) DO NOTHING RETURNING id`, where `get_or_create` takes four (a read, a
    savepoint, the insert, its release) while the sign-up's lock waits. The unique key still
    decides: a second write with the same key changes nothing and gets the first message
    (read only then)."""
    message = Message(dedupe_key=dedupe_key, **fields)
    columns = [field for field in Message._meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(getattr(message, field.attname), connection) for field in columns]
    with connection.cursor() as cursor:
        cursor.execute(_insert_once_sql(), values)
        row = cursor.fetchone()
    if row is None:
        return Message.objects.get(dedupe_key=dedupe_key), False
    message.pk = row[0]
    message._state.adding, message._state.db = False, connection.alias
    return message, True
