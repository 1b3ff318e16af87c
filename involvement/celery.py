"""The Celery app. Settings are the CELERY_* names in involvement/settings.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "involvement.settings")

app = Celery("involvement")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
