"""Numbered places: the database itself refuses overbooking (ADR 5).

Each sign-up that holds a place (confirmed, offered, attended, did not attend) holds a place
number from 1 to the opportunity's places, unique per opportunity. A unique index cannot look
at another table, so two triggers keep the numbers within places: one on the sign-up, one on
the opportunity when its places go down. A third fills in a number for rows inserted without
one (demo data, benchmarks, test fixtures); the services always choose the number themselves.
"""

from django.db import migrations, models

# Existing holders (the states in models.PLACE_HOLDING_STATES) are numbered in the order
# they signed up.
NUMBER_EXISTING = """
UPDATE opportunities_signup AS signup
   SET place_number = numbered.n
  FROM (SELECT id, row_number() OVER (PARTITION BY opportunity_id ORDER BY created_at, id) AS n
          FROM opportunities_signup
         WHERE state IN ('confirmed', 'offered', 'attended', 'no_show')) AS numbered
 WHERE signup.id = numbered.id;

DO $$
DECLARE
    overbooked text;
BEGIN
    SELECT string_agg(DISTINCT signup.opportunity_id::text, ', ') INTO overbooked
      FROM opportunities_signup AS signup
      JOIN opportunities_opportunity AS opportunity ON opportunity.id = signup.opportunity_id
     WHERE signup.place_number > opportunity.places;
    IF overbooked IS NOT NULL THEN
        RAISE EXCEPTION 'Opportunities % hold more places than they have: give them more places, '
                        'or cancel some sign-ups, then migrate again.', overbooked;
    END IF;
END $$;
"""

# The advisory lock pairs the two checks. A sign-up taking a number holds it shared; lowering
# places takes it exclusively, so it waits for every transaction still taking a number on that
# opportunity and then counts with their rows visible, and a sign-up arriving meanwhile waits
# and then reads the new places. Shared holders never wait on each other. Key space 5 (ADR 5).
TRIGGERS = """
CREATE FUNCTION opportunities_signup_number_place() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    cap integer;
    free integer;
BEGIN
    IF NEW.place_number IS NOT NULL OR NEW.state NOT IN ('confirmed', 'offered', 'attended', 'no_show') THEN
        RETURN NEW;
    END IF;
    SELECT places INTO cap FROM opportunities_opportunity WHERE id = NEW.opportunity_id;
    SELECT COALESCE(max(place_number), 0) + 1 INTO free
      FROM opportunities_signup WHERE opportunity_id = NEW.opportunity_id;
    IF free > cap THEN
        SELECT min(n) INTO free FROM generate_series(1, cap) AS n
         WHERE NOT EXISTS (SELECT 1 FROM opportunities_signup
                            WHERE opportunity_id = NEW.opportunity_id AND place_number = n);
    END IF;
    IF free IS NULL THEN
        RAISE EXCEPTION 'Every place on opportunity % is taken.', NEW.opportunity_id
              USING ERRCODE = 'check_violation', CONSTRAINT = 'signup_place_within_places';
    END IF;
    NEW.place_number := free;
    RETURN NEW;
END $$;

CREATE TRIGGER signup_number_place
BEFORE INSERT ON opportunities_signup
FOR EACH ROW EXECUTE FUNCTION opportunities_signup_number_place();

CREATE FUNCTION opportunities_signup_place_within_places() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    cap integer;
BEGIN
    IF NEW.place_number IS NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.place_number IS NOT DISTINCT FROM NEW.place_number
       AND OLD.opportunity_id = NEW.opportunity_id THEN
        RETURN NULL;  -- a number already held and already checked
    END IF;
    PERFORM pg_advisory_xact_lock_shared(5, (NEW.opportunity_id % 2147483647)::integer);
    SELECT places INTO cap FROM opportunities_opportunity WHERE id = NEW.opportunity_id;
    IF NEW.place_number > cap THEN
        RAISE EXCEPTION 'Place % is beyond the % places of opportunity %.',
                        NEW.place_number, cap, NEW.opportunity_id
              USING ERRCODE = 'check_violation', CONSTRAINT = 'signup_place_within_places';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER signup_place_within_places
AFTER INSERT OR UPDATE OF place_number, opportunity_id ON opportunities_signup
FOR EACH ROW EXECUTE FUNCTION opportunities_signup_place_within_places();

CREATE FUNCTION opportunities_opportunity_places_cover_held() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(5, (NEW.id % 2147483647)::integer);
    IF EXISTS (SELECT 1 FROM opportunities_signup
                WHERE opportunity_id = NEW.id AND place_number > NEW.places) THEN
        RAISE EXCEPTION 'Opportunity % cannot have % places: a higher place is held.', NEW.id, NEW.places
              USING ERRCODE = 'check_violation', CONSTRAINT = 'opportunity_places_cover_held';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER opportunity_places_cover_held
AFTER UPDATE OF places ON opportunities_opportunity
FOR EACH ROW WHEN (NEW.places < OLD.places)
EXECUTE FUNCTION opportunities_opportunity_places_cover_held();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS opportunity_places_cover_held ON opportunities_opportunity;
DROP FUNCTION IF EXISTS opportunities_opportunity_places_cover_held();
DROP TRIGGER IF EXISTS signup_place_within_places ON opportunities_signup;
DROP FUNCTION IF EXISTS opportunities_signup_place_within_places();
DROP TRIGGER IF EXISTS signup_number_place ON opportunities_signup;
DROP FUNCTION IF EXISTS opportunities_signup_number_place();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0004_opportunity_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="signup",
            name="place_number",
            field=models.PositiveSmallIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.RunSQL(NUMBER_EXISTING, reverse_sql=migrations.RunSQL.noop),
        migrations.AddConstraint(
            model_name="signup",
            constraint=models.UniqueConstraint(
                condition=models.Q(("place_number__isnull", False)),
                fields=("opportunity", "place_number"),
                name="unique_place_number",
            ),
        ),
        migrations.AddConstraint(
            model_name="signup",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("place_number__gte", 1),
                        ("place_number__isnull", False),
                        ("state__in", ("confirmed", "offered", "attended", "no_show")),
                    ),
                    models.Q(
                        models.Q(
                            ("state__in", ("confirmed", "offered", "attended", "no_show")), _negated=True
                        ),
                        ("place_number__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="signup_place_number_only_while_holding",
            ),
        ),
        migrations.RunSQL(TRIGGERS, reverse_sql=DROP_TRIGGERS),
    ]
