"""`townhall report ...` writes the committee report; `townhall analytics ...` keeps the
roll-ups up to date and sends the monthly emails (`townhall serve` runs these on a timetable in embedded mode)."""

import argparse
import sys
from pathlib import Path


def cmd_report(args: argparse.Namespace) -> int:
    from townhall.cli import _council, _django

    _django()
    from townhall.analytics.exports import ExportReport

    council = _council(args.council)
    output = Path(args.output)
    if not output.parent.exists():
        print(f"The folder {output.parent} does not exist. Create it, or choose another "
              "--output.", file=sys.stderr)
        return 2
    action = ExportReport(council=council, actor=None, year=args.year, fmt=args.format)
    content = action.execute()
    output.write_bytes(content)
    report = action.report
    assert report is not None
    print(f"Wrote the {args.format.upper()} report for {council.name}, financial year "
          f"{report.label}, figures to {report.as_of:%d %B %Y}, to {output}.")
    for status in report.targets.statuses:
        print(f"- {status.label}: {status.status_label} (so far {status.actual_text}; "
              f"likely by 31 March {status.band_text})")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from townhall.cli import _council, _django

    _django()
    from townhall.analytics.rollups import rollups_rebuild, rollups_refresh

    council = _council(args.council)
    if args.rebuild:
        result = rollups_rebuild(council=council)
    else:
        result = rollups_refresh(council=council)
    print(f"{council.slug}: {result.conversations:,} conversations, {result.days:,} days and "
          f"{result.months:,} months counted again.")
    return 0


def cmd_email(args: argparse.Namespace) -> int:
    from townhall.cli import _django

    _django()
    from townhall.analytics.exports import reports_email_due

    print(f"Reports emailed: {reports_email_due()}")
    return 0


def _year(value: str) -> int:
    if not value.isdigit() or not 2000 <= int(value) <= 2100:
        raise argparse.ArgumentTypeError(
            "give the year the financial year starts in, such as 2026 for April 2026 to "
            "March 2027")
    return int(value)


def add_commands(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = subparsers.add_parser("report", help="Write the committee report for a financial "
                                             "year (April to March) as CSV or PDF.")
    p.add_argument("--council", required=True)
    p.add_argument("--year", type=_year, required=True,
                   help="The year the financial year starts in: 2026 is April 2026 to March "
                        "2027.")
    p.add_argument("--format", choices=["csv", "pdf"], required=True)
    p.add_argument("--output", required=True, help="The file to write.")
    p.set_defaults(func=cmd_report)

    p = subparsers.add_parser("analytics", help="Keep the dashboard's figures up to date.")
    sub = p.add_subparsers(dest="analytics_command", required=True)
    r = sub.add_parser("refresh", help="Count what changed since the last refresh "
                                       "(--rebuild: count everything again).")
    r.add_argument("--council", required=True)
    r.add_argument("--rebuild", action="store_true")
    r.set_defaults(func=cmd_refresh)
    e = sub.add_parser("email-reports", help="Email last month's committee report to "
                                             "everyone who asked for it (run on the 1st).")
    e.set_defaults(func=cmd_email)
