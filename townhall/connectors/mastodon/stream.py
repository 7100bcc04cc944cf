"""Server-sent events from GET /api/v1/streaming/user.

Each event is `event: <name>` and `data: <json>` lines ended by a blank line; lines that
start with a colon are heartbeats. The stream never replays what it missed, so whoever
follows it back-fills through REST after every drop (see mastodon/services.py).
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StreamEvent:
    name: str
    data: Any


def sse_events(lines: Iterable[str]) -> Iterator[StreamEvent]:
    name, data = "", list[str]()
    for line in lines:
        if line == "":
            if name and data:
                raw = "\n".join(data)
                try:
                    payload: Any = json.loads(raw)
                except json.JSONDecodeError:
                    payload = raw  # `delete` sends a bare id.
                yield StreamEvent(name, payload)
            name, data = "", list[str]()
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
