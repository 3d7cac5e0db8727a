from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from congress.demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Load the demo VNG Jaarcongres 2023 (idempotent). --upcoming moves it to start 14 days "
        "from today; --sessions N sizes the afternoon programme to N sessions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--upcoming",
            action="store_true",
            help="Move every date and time so that the congress starts 14 days from today.",
        )
        parser.add_argument(
            "--sessions",
            type=int,
            default=None,
            metavar="N",
            help="Number of afternoon sessions (grows speakers and sites with it).",
        )

    def handle(self, *args, upcoming, sessions, **options):
        if sessions is not None and sessions < 0:
            raise CommandError("--sessions must be 0 or more.")
        result = DemoLoader(upcoming=upcoming, afternoon_sessions=sessions).run()
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner after a bulk load; autovacuum would get there
            # within a minute, and until then plans are made for empty tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.congress.name} ({result.congress.start_date:%Y-%m-%d}): "
                f"{result.sessions} sessions of which {result.afternoon_sessions} afternoon "
                f"sessions, {result.speakers} speakers, {result.venues} venues."
            )
        )
