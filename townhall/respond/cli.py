"""`townhall respond ...`: warn before breaches (`townhall serve` runs it on a timetable) and backfill."""

import argparse


def cmd_warn(args: argparse.Namespace) -> int:
    from townhall.cli import _django

    _django()
    from townhall.respond.warnings import breach_warnings_send

    print(f"Conversations warned about: {breach_warnings_send()}")
    return 0


def cmd_backfill(args: argparse.Namespace) -> int:
    from townhall.cli import _council, _django

    _django()
    from townhall.respond.services import response_times_backfill

    council = _council(args.council)
    changed = response_times_backfill(council, commit=args.commit)
    if args.commit:
        print(f"Conversations whose office-hours response times changed: {changed:,}.")
    else:
        print(f"Conversations that would change: {changed:,}. Nothing was written: "
              "run again with --commit to save.")
    return 0


def add_commands(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = subparsers.add_parser("respond", help="Response targets and office hours.")
    sub = p.add_subparsers(dest="respond_command", required=True)
    w = sub.add_parser("warn", help="Warn supervisors about conversations close to their "
                                    "response targets (`townhall serve` runs it on a timetable).")
    w.set_defaults(func=cmd_warn)
    b = sub.add_parser("backfill", help="Recompute office-hours response times for a "
                                        "council's conversations (a dry run unless --commit).")
    b.add_argument("--council", required=True)
    b.add_argument("--commit", action="store_true")
    b.set_defaults(func=cmd_backfill)
