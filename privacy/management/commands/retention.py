"""`manage.py retention [--dry-run]`: what the nightly retention job changes (issue 16)."""

from django.core.management.base import BaseCommand

from privacy.retention import retention_apply, retention_report


class Command(BaseCommand):
    help = "Apply the retention periods, or with --dry-run say what they would change."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Change nothing; report what is due.")

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            for line in retention_report():
                period = f"{line.days} days" if line.days else "kept (0)"
                self.stdout.write(f"{line.name} [{line.setting}: {period}]: {line.due} due")
            return
        for name, changed in retention_apply().items():
            self.stdout.write(f"{name}: {changed} changed")
