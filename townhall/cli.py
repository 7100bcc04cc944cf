"""The `townhall` command."""

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from townhall.analytics.cli import add_commands as add_analytics_commands
from townhall.connectors.cli import add_commands as add_connector_commands
from townhall.core.scheduler.cli import add_commands as add_schedule_commands
from townhall.open311.cli import add_commands as add_open311_commands
from townhall.respond.cli import add_commands as add_respond_commands
from townhall.triage.cli import add_commands as add_triage_commands

Handler = Callable[[argparse.Namespace], int]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _council(slug: str) -> Any:
    from townhall.core.models import Council

    council = Council.objects.filter(slug=slug).first()
    if council is None:
        raise SystemExit(f"No council has the slug {slug!r}. Create it with "
                         f"'townhall council create {slug} --name \"...\"'.")
    return council


def cmd_migrate(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=args.verbosity)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    argv = [sys.executable, "-m", "gunicorn", "config.wsgi:application",
            "--bind", f"{args.host}:{args.port}", "--workers", str(args.workers),
            "--threads", "4", "--access-logfile", "-", "--timeout", "60",
            # Its hooks start the scheduler in each worker in embedded mode (decision 6).
            "--config", "python:config.gunicorn"]
    print(f"Townhall is serving on http://{args.host}:{args.port}", flush=True)
    os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter and fixed arguments
    return 0  # pragma: no cover - execv does not return


def cmd_council_create(args: argparse.Namespace) -> int:
    _django()
    from django.core.exceptions import ValidationError

    from townhall.core.services import council_create

    try:
        council = council_create(slug=args.slug, name=args.name)
    except ValidationError as error:
        print("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()),
              file=sys.stderr)
        return 1
    print(f"Created council {council.slug}: {council.name}")
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    _django()
    import secrets

    from townhall.accounts.models import Team
    from townhall.accounts.services import user_create

    council = _council(args.council)
    password = args.password or secrets.token_urlsafe(12)
    teams = list(Team.objects.filter(council=council, code__in=args.team or []))
    user_create(council=council, username=args.username, password=password, role=args.role,
                email=args.email or "", teams=teams)
    print(f"User {args.username} ({args.role}) at {council.slug}.")
    if not args.password:
        print(f"Password: {password}")
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    _django()
    from townhall.accounts.models import Membership
    from townhall.accounts.services import api_token_create

    membership = Membership.objects.filter(
        user__username=args.user, council__slug=args.council
    ).first()
    if membership is None:
        print(f"{args.user} is not a member of {args.council}.", file=sys.stderr)
        return 1
    _, raw = api_token_create(membership=membership, name=args.name)
    print(raw)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    _django()
    from pathlib import Path

    from django.conf import settings

    from townhall.core.lib.progress import Progress
    from townhall.ingest.importer import ImportFileError, file_size, import_file

    council = _council(args.council)
    path = Path(args.file)
    progress = Progress(file_size(path), label="Importing")
    try:
        summary = import_file(council=council, path=path,
                              max_line_bytes=settings.TOWNHALL_MAX_BODY_BYTES,
                              on_progress=progress.update)
    except ImportFileError as error:
        print(str(error), file=sys.stderr)
        return 2
    progress.finish()
    print(f"Read {summary.lines:,} lines from {path.name}.")
    print(f"Created: {summary.created:,}")
    print(f"Duplicates: {summary.duplicates:,}")
    if summary.conflicts:
        print(f"Changed redeliveries kept for review: {summary.conflicts:,}")
    if summary.failed:
        print(f"Failed, kept for retry ('townhall ingest retry'): {summary.failed:,}")
    print(f"Rejected: {len(summary.rejected):,}")
    for number, reason in summary.rejected:
        print(f"  line {number}: {reason}")
    return 0


def cmd_ingest_retry(args: argparse.Namespace) -> int:
    _django()
    from townhall.connectors.webhooks import webhook_batches_process_due
    from townhall.ingest.services import raw_events_retry

    bodies = webhook_batches_process_due(council=_council(args.council), everything=True)
    print(f"Webhook bodies processed: {bodies['processed']:,}. Still waiting: "
          f"{bodies['still_waiting']:,}.")
    result = raw_events_retry(council=_council(args.council))
    print(f"Created: {result.created:,}. Still failing: {result.failed:,}.")
    for raw_id, error in result.errors:
        print(f"  raw event {raw_id}: {error}")
    return 0 if result.failed == 0 and not bodies["still_waiting"] else 1


def cmd_demo(args: argparse.Namespace) -> int:
    _django()
    from townhall.demo.loader import demo_load

    return demo_load(password=args.password, seed=args.seed, end=args.end, out=sys.stdout)


def cmd_triage_retrain(args: argparse.Namespace) -> int:
    _django()
    from townhall.triage.learning import model_retrain

    outcome = model_retrain(council=_council(args.council), actor_label="cli")
    print(outcome.message)
    return 0 if outcome.record is not None else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="townhall", description="Townhall: one place to listen and answer residents."
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("serve", help="Serve the web application (gunicorn, static files).")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--workers", type=int, default=2)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("migrate", help="Create or update the database tables.")
    p.add_argument("--verbosity", type=int, default=1)
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("council", help="Manage councils.")
    council_sub = p.add_subparsers(dest="council_command", required=True)
    c = council_sub.add_parser("create", help="Create a council.")
    c.add_argument("slug")
    c.add_argument("--name", required=True)
    c.set_defaults(func=cmd_council_create)

    p = sub.add_parser("demo", help="Load the demo council and its users.")
    p.add_argument("--password", help="Password for officer, supervisor and admin.")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--end", help="Last day of the demo year (YYYY-MM-DD); default today.")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("import", help="Import messages from a JSONL or CSV file.")
    p.add_argument("file")
    p.add_argument("--council", required=True)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("createuser", help="Create a user in a council (or reset one).")
    p.add_argument("username")
    p.add_argument("--council", required=True)
    p.add_argument("--role", choices=["officer", "supervisor", "admin"], default="officer")
    p.add_argument("--password")
    p.add_argument("--email")
    p.add_argument("--team", action="append", help="Team code; repeat for several.")
    p.set_defaults(func=cmd_createuser)

    p = sub.add_parser("token", help="Issue an API token for a user.")
    p.add_argument("--user", required=True)
    p.add_argument("--council", required=True)
    p.add_argument("--name", default="API token")
    p.set_defaults(func=cmd_token)

    p = sub.add_parser("ingest", help="Work with stored raw events.")
    ingest_sub = p.add_subparsers(dest="ingest_command", required=True)
    r = ingest_sub.add_parser("retry", help="Retry raw events that failed to process.")
    r.add_argument("--council", required=True)
    r.set_defaults(func=cmd_ingest_retry)

    add_connector_commands(sub)
    add_analytics_commands(sub)
    add_open311_commands(sub)
    add_respond_commands(sub)
    add_schedule_commands(sub)
    triage = add_triage_commands(sub)
    r = triage.add_parser("retrain", help="Retrain a council's model from what its "
                          "officers settled, and switch it on if it scores better.")
    r.add_argument("--council", required=True)
    r.set_defaults(func=cmd_triage_retrain)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.func
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
