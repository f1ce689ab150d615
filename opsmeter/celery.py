"""The Celery app. Without REDIS_URL tasks run eagerly in-process (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsmeter.settings")

app = Celery("opsmeter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule: each entry says why it exists. Later steps add retention, rollups
# and alert digests here.
app.conf.beat_schedule = {}
