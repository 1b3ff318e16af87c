"""Create the database named in DATABASE_URL if it does not exist yet (for `make run`)."""

import os
import sys

import environ
import psycopg2
from psycopg2 import sql

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
env = environ.Env()
environ.Env.read_env(os.path.join(BASE_DIR, ".env"), overwrite=False)
config = env.db("DATABASE_URL", default="postgres://localhost/involvement")
name = config["NAME"]
params = {
    k: v
    for k, v in {
        "host": config.get("HOST"),
        "port": config.get("PORT"),
        "user": config.get("USER"),
        "password": config.get("PASSWORD"),
    }.items()
    if v
}
try:
    connection = psycopg2.connect(dbname="postgres", **params)
except psycopg2.OperationalError as error:
    sys.exit(f"Cannot reach PostgreSQL ({error.__class__.__name__}: {str(error).strip()}). Is it running?")
connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if cursor.fetchone() is None:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"Created the database {name}.")
connection.close()
