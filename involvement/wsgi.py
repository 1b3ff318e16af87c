"""WSGI entry point, for gunicorn: `gunicorn involvement.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "involvement.settings")

application = get_wsgi_application()
