"""Build the migrated database that every mutant's test run is cloned from.

mutmut forks a fresh pytest for each mutant, and each would otherwise create its test
database by running every migration (seconds each, thousands of times). PostgreSQL copies a
template database in a fraction of that; `involvement/test_settings.py` uses it when
MUTATION_TEMPLATE_DB is set.
"""

import os
import subprocess
import sys

import psycopg2
from psycopg2 import sql

NAME = os.environ.get("MUTATION_TEMPLATE_DB", "involvement_mutation_template")


def main() -> int:
    admin = psycopg2.connect(dbname="postgres", host="localhost")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(NAME)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(NAME)))
    env = {**os.environ, "ENVIRONMENT": "test", "DATABASE_URL": f"postgres://localhost/{NAME}"}
    env.pop("MUTATION_TEMPLATE_DB", None)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "migrate",
            "--no-input",
            "-v",
            "0",
            "--settings",
            "involvement.test_settings",
        ],
        check=True,
        env=env,
    )
    print(f"Template database {NAME} is ready.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
