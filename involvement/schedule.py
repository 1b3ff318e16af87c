"""The periodic jobs, all in one place (STYLE.md): settings.py sets CELERY_BEAT_SCHEDULE from
this, and exactly one beat process runs it. Crontab schedules are read in CELERY_TIMEZONE
(Europe/London). Tasks are named, not imported, so this module imports no app.

The environment is read only in settings.py, which passes in what it configures here.
"""

from typing import Any

from celery.schedules import crontab


def beat_schedule(
    *, outbox_sweep_every_seconds: float, dashboard_refresh_every_minutes: float = 5.0
) -> dict[str, dict[str, Any]]:
    schedule: dict[str, dict[str, Any]] = {
        "sweep-outbox": {
            "task": "notifications.tasks.sweep_outbox",
            "schedule": outbox_sweep_every_seconds,
        },
        "beat-heartbeat": {"task": "notifications.tasks.beat_heartbeat", "schedule": 60.0},
        "wipe-account-messages": {"task": "notifications.tasks.wipe_account_messages", "schedule": 5 * 60.0},
        "expire-offers": {"task": "opportunities.tasks.expire_offers", "schedule": 5 * 60.0},
        "run-due-selections": {"task": "opportunities.tasks.run_due_selections", "schedule": 15 * 60.0},
        "send-reminders": {"task": "opportunities.tasks.send_reminders", "schedule": 15 * 60.0},
        # A month's notice before training runs out; the message key makes it once only.
        "training-expiry-reminders": {
            "task": "opportunities.tasks.send_training_expiry_reminders",
            "schedule": crontab(hour=7, minute=30),
        },
        "open-claims": {"task": "payments.tasks.open_claims", "schedule": 60 * 60.0},
        "check-in-invitations": {"task": "feedback.tasks.send_check_in_invitations", "schedule": 60 * 60.0},
        # Invitations are queued when an opportunity is published; this catches a lost task.
        "recent-invitations": {"task": "feedback.tasks.send_recent_invitations", "schedule": 30 * 60.0},
        "weekly-digests": {
            "task": "feedback.tasks.build_weekly_digests",
            "schedule": crontab(day_of_week="mon", hour=9, minute=0),
        },
        "monthly-digests": {
            "task": "feedback.tasks.build_monthly_digests",
            "schedule": crontab(day_of_month=1, hour=9, minute=0),
        },
        # Last month's access log to the data protection lead; keyed by month, so once only.
        "access-log-summary": {
            "task": "notifications.tasks.send_access_log_summary",
            "schedule": crontab(day_of_month=1, hour=8, minute=15),
        },
        "worker-summaries": {
            "task": "feedback.tasks.send_worker_summaries",
            "schedule": crontab(hour=8, minute=0),
        },
        # Retention periods (issue 16): at night, when nobody is reading what it wipes.
        "apply-retention": {"task": "privacy.tasks.apply_retention", "schedule": crontab(hour=2, minute=30)},
    }
    # The dashboard's usual figures, worked out again at half their maximum age (dashboard/kept.py).
    if dashboard_refresh_every_minutes:
        schedule["refresh-dashboard"] = {
            "task": "dashboard.tasks.refresh_figures",
            "schedule": dashboard_refresh_every_minutes * 60.0,
        }
    return schedule
