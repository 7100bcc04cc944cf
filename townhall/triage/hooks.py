"""Triage of messages as they arrive, inside the transaction that stores them."""

from townhall.inbox.models import Message


def messages_triage(messages: list[Message]) -> None:
    from townhall.triage.arrival import messages_triage as triage

    triage(messages=messages)
