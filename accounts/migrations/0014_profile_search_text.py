"""One searchable column per person for the people list (issue 13): the names, e-mail and
phone numbers in lower case, kept by the database and indexed by trigrams (pg_trgm); and the
name the list sorts by, indexed, so a page is read in order rather than by sorting everyone.

Triggers rather than code: a person's names and e-mail are on the user, their display name
and phone numbers on the profile, and both are written from many places (registration, the
profile page, the admin, assisted registration, erasure, the demo's bulk inserts); a trigger
sees every one of them, so the column can never be stale, and erasing a person empties it."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# Phone numbers are also kept as bare national digits ("07700 900123", "+44 7700 900123" and
# "(07700) 900123" all become 7700900123), which is how the list searches a number.
FUNCTIONS = r"""
CREATE FUNCTION accounts_phone_national(number text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT NULLIF(regexp_replace(regexp_replace(coalesce(number, ''), '\D', '', 'g'), '^(44|0)', ''), '') $$;

CREATE FUNCTION accounts_profile_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT lower(concat_ws(' ',
               NULLIF(NEW.display_name, ''), NULLIF(u.first_name, ''), NULLIF(u.last_name, ''),
               u.email, NULLIF(NEW.phone, ''), NULLIF(NEW.mobile_number, ''),
               accounts_phone_national(NEW.phone), accounts_phone_national(NEW.mobile_number)))
      INTO NEW.search_text
      FROM accounts_user u WHERE u.id = NEW.user_id;
    NEW.search_text := coalesce(NEW.search_text, '');
    -- The list's order: the name it shows (display name, else e-mail), case aside.
    NEW.sort_name := lower(coalesce(NULLIF(NEW.display_name, ''), (SELECT email FROM accounts_user WHERE id = NEW.user_id), ''));
    RETURN NEW;
END $$;

CREATE TRIGGER accounts_profile_search_text BEFORE INSERT OR UPDATE ON accounts_profile
    FOR EACH ROW EXECUTE FUNCTION accounts_profile_search_text();

-- A change to the user's names or e-mail rewrites the profile's row, whose trigger recomputes
-- it. Not on other columns: logging in (last_login) writes nothing more.
CREATE FUNCTION accounts_user_search_text() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE accounts_profile SET search_text = '' WHERE user_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER accounts_user_search_text AFTER UPDATE OF first_name, last_name, email ON accounts_user
    FOR EACH ROW
    WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name OR OLD.last_name IS DISTINCT FROM NEW.last_name
          OR OLD.email IS DISTINCT FROM NEW.email)
    EXECUTE FUNCTION accounts_user_search_text();

-- Everyone already registered.
UPDATE accounts_profile SET search_text = '';
"""

DROP_FUNCTIONS = """
DROP TRIGGER IF EXISTS accounts_user_search_text ON accounts_user;
DROP FUNCTION IF EXISTS accounts_user_search_text();
DROP TRIGGER IF EXISTS accounts_profile_search_text ON accounts_profile;
DROP FUNCTION IF EXISTS accounts_profile_search_text();
DROP FUNCTION IF EXISTS accounts_phone_national(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0013_access_needs_shared"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="profile",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="profile",
            name="sort_name",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        migrations.AddIndex(
            model_name="profile",
            index=GinIndex(fields=["search_text"], name="profile_search_trgm", opclasses=["gin_trgm_ops"]),
        ),
        migrations.AddIndex(
            model_name="profile",
            index=models.Index(fields=["sort_name", "user"], name="profile_sort_name"),
        ),
    ]
