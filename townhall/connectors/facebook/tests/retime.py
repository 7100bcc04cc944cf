"""Recorded Messenger and Instagram DM bodies, re-timed: Meta's messaging window runs
from the resident's last message, so a test says how long ago that was."""

import json
import time


def written_ago(body: bytes, *, hours: float) -> bytes:
    """The body with every messaging event's timestamp set to `hours` ago."""
    data = json.loads(body)
    stamp = int((time.time() - hours * 3600) * 1000)
    for entry in data.get("entry", []):
        for event in entry.get("messaging", []):
            event["timestamp"] = stamp
    return json.dumps(data).encode()
