"""`townhall schedule list` and `townhall schedule run NAME`."""

import argparse

MODES = {
    "embedded": "The schedule runs inside `townhall serve` (no REDIS_URL).",
    "celery": "REDIS_URL is set: Celery beat runs the schedule (`celery -A config beat`); "
              "runs a worker finished are shown.",
    "off": "TOWNHALL_SCHEDULER is off: nothing runs these unless cron calls "
           "`townhall schedule run NAME`.",
}


def cmd_list(args: argparse.Namespace) -> int:
    from townhall.cli import _django

    _django()
    from townhall.core.lib.when import when
    from townhall.core.scheduler.selectors import schedule_mode, schedule_status

    print(MODES[schedule_mode()])
    for status in schedule_status():
        print(f"\n{status.name}: {status.description} ({status.how_often.lower()})")
        if status.last_run_at is None:
            print("  Last run: never")
        else:
            took = f" in {status.duration:.1f} s" if status.duration is not None else ""
            outcome = {"succeeded": f"succeeded{took}", "failed": f"failed{took}",
                       "running": "running now",
                       "stopped": "stopped without finishing (its process ended)"}.get(
                           status.outcome, status.outcome)
            print(f"  Last run: {when(status.last_run_at)}, {outcome}")
            if status.error:
                print(f"  Error: {status.error}")
                if status.failures_in_a_row > 1:
                    print(f"  Failed {status.failures_in_a_row} times in a row.")
            elif status.result:
                print(f"  Result: {_short(status.result)}")
        if status.next_due_at is None:
            print("  Next due: once a scheduler has started")
        else:
            print(f"  Next due: {'now' if status.overdue else when(status.next_due_at)}")
    return 0


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cmd_run(args: argparse.Namespace) -> int:
    from townhall.cli import _django

    _django()
    from django.utils import timezone

    from townhall.core.scheduler.loop import new_owner
    from townhall.core.scheduler.runs import task_rows_ensure, task_run
    from townhall.core.scheduler.schedule import entry_named, schedule_entries

    entries = schedule_entries()
    entry = entry_named(args.name, entries)
    if entry is None:
        print(f"No scheduled task is called {args.name!r}. The tasks are: "
              f"{', '.join(e.name for e in entries)}.")
        return 2
    row = task_rows_ensure(entries=[entry], now=timezone.now())[entry.name]
    print(f"Running {entry.name}: {entry.description}.", flush=True)
    result = task_run(entry=entry, row=row, owner=f"command line {new_owner()}", force=True)
    if not result.ran:
        print(f"{entry.name} did not run. {result.skipped} Try again when it has finished.")
        return 1
    if not result.ok:
        print(f"{entry.name} failed: {result.error}")
        return 1
    print(f"{entry.name} succeeded: {_short(result.result)}")
    return 0


def add_commands(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = subparsers.add_parser("schedule", help="See and run the periodic background work.")
    sub = p.add_subparsers(dest="schedule_command", required=True)
    s = sub.add_parser("list", help="Each periodic task: what it does, its last run and "
                                    "result, and when it is next due.")
    s.set_defaults(func=cmd_list)
    r = sub.add_parser("run", help="Run one periodic task now, in this process (not while "
                                   "another process is running it).")
    r.add_argument("name", metavar="NAME", help="As `townhall schedule list` names it.")
    r.set_defaults(func=cmd_run)
