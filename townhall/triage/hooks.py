"""Triage of messages as they arrive (wired to the NLP pipeline in townhall.triage.nlp)."""

from townhall.inbox.models import Message


def messages_triage(messages: list[Message]) -> None:
    return None
