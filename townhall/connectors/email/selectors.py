from townhall.inbox.models import Direction, Message


def reply_author_name(*, channel_handle: str, idempotency_key: str) -> str:
    """The officer who wrote the queued reply with this key, for the From line.

    The connector interface passes only the reply's text, so the name is read from the
    stored reply; the key is unique, and the channel filter keeps the read to the
    email channel doing the sending.
    """
    if not idempotency_key:
        return ""
    name = Message.objects.filter(
        idempotency_key=idempotency_key, direction=Direction.OUT,
        channel__platform="email", channel__handle=channel_handle,
    ).values_list("author_name", flat=True).first()
    return name or ""
