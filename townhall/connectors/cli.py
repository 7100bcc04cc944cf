"""`townhall connectors ...`: check a channel, run the sweeps by hand, and manage a
channel's X webhook."""

import argparse


def cmd_check(args: argparse.Namespace) -> int:
    from townhall.cli import _django

    _django()
    from townhall.connectors.errors import UnknownPlatform
    from townhall.connectors.registry import connector_for
    from townhall.connectors.selectors import channel_by_id_or_key

    channel = channel_by_id_or_key(value=args.channel)
    if channel is None:
        print(f"No channel has the id or key {args.channel!r}.")
        return 2
    print(f"Channel {channel.pk}: {channel} ({channel.get_platform_display()}, "
          f"{channel.council.name})")
    try:
        result = connector_for(channel).check()
    except UnknownPlatform as error:
        print(error)
        return 2
    for line in result.lines:
        print(f"- {line}")
    print("Credentials: good." if result.credentials_ok else "Credentials: not good.")
    print("Reachable: yes." if result.reachable else "Reachable: no.")
    return 0 if result.ok else 1


def cmd_sweep(args: argparse.Namespace) -> int:
    from townhall.cli import _django

    _django()
    from townhall.connectors.services import channels_poll_all, replies_deliver_due
    from townhall.connectors.webhooks import webhook_batches_process_due

    webhooks = webhook_batches_process_due()
    print(f"Webhook bodies processed: {webhooks['processed']}; still waiting: "
          f"{webhooks['still_waiting']}")
    print(f"Replies tried: {replies_deliver_due()}")
    if not args.replies_only:
        for channel_id, outcome in channels_poll_all().items():
            print(f"Channel {channel_id}: {outcome}")
    return 0


def cmd_x_webhook(args: argparse.Namespace) -> int:
    """Register, check or remove a channel's X webhook and the account's subscription."""
    from townhall.cli import _django

    _django()
    from django.conf import settings

    from townhall.connectors.selectors import channel_by_id_or_key
    from townhall.connectors.x.registration import (
        x_webhook_register,
        x_webhook_remove,
        x_webhook_status,
        x_webhook_url,
    )

    channel = channel_by_id_or_key(value=args.channel)
    if channel is None or channel.platform != "x":
        print(f"No X channel has the id or key {args.channel!r}.")
        return 2
    url = args.url or x_webhook_url(channel=channel, base_url=settings.TOWNHALL_BASE_URL)
    if args.action == "register":
        print(f"Registering {url} for {channel} ({channel.council.name}).")
        outcome = x_webhook_register(channel=channel, url=url, by=None)
    elif args.action == "remove":
        outcome = x_webhook_remove(channel=channel, by=None)
    else:
        outcome = x_webhook_status(channel=channel)
    for line in outcome.lines:
        print(f"- {line}")
    if outcome.problem:
        print(f"Problem: {outcome.problem}")
    print("Done." if outcome.ok else "Not done.")
    return 0 if outcome.ok else 1


def add_commands(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = subparsers.add_parser("connectors", help="Check and run platform connectors.")
    sub = p.add_subparsers(dest="connectors_command", required=True)
    c = sub.add_parser("check", help="Say whether a channel's credentials and platform work.")
    c.add_argument("channel", metavar="CHANNEL_ID_OR_KEY")
    c.set_defaults(func=cmd_check)
    s = sub.add_parser("sweep", help="Process webhook bodies left waiting, send due replies "
                                     "and poll every channel for what webhooks missed (run "
                                     "by `townhall serve` on its timetable).")
    s.add_argument("--replies-only", action="store_true")
    s.set_defaults(func=cmd_sweep)
    x = sub.add_parser("x-webhook", help="Register a channel's webhook with X and subscribe "
                                         "its account (register), say what X has (status), "
                                         "or undo both (remove).")
    x.add_argument("channel", metavar="CHANNEL_ID_OR_KEY")
    x.add_argument("action", choices=["register", "status", "remove"])
    x.add_argument("--url", default="", help="The https address to register (default: "
                                             "under TOWNHALL_BASE_URL).")
    x.set_defaults(func=cmd_x_webhook)
