"""Platform-shaped message and thread ids, unique per platform and stable for a seed."""

from __future__ import annotations

import random

_B32 = "234567abcdefghijklmnopqrstuvwxyz"


def _tid(number: int) -> str:
    """A 13-character id in the sortable base-32 alphabet Bluesky uses for record keys."""
    chars = []
    for _ in range(13):
        number, rest = divmod(number, 32)
        chars.append(_B32[rest])
    return "".join(reversed(chars))


class Ids:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._next: dict[str, int] = {}
        self._threads: dict[str, int] = {}

    def _count(self, platform: str) -> int:
        self._next[platform] = self._next.get(platform, 0) + 1
        return self._next[platform]

    def message(self, platform: str, author: str) -> str:
        n = self._count(platform)
        if platform == "facebook":
            return f"m_{10**15 + n * 37}"
        if platform == "instagram":
            return str(17900000000000000 + n * 53)
        if platform == "x":
            return str(1750000000000000000 + n * 4_096_000)
        if platform == "mastodon":
            return str(110000000000000000 + n * 65536)
        if platform == "nextdoor":
            return str(300000000 + n * 7)
        if platform == "bluesky":
            return f"at://{author}/app.bsky.feed.post/{_tid(0x1A0000000000000 + n * 977)}"
        if platform == "email":
            domain = author.rsplit("@", 1)[-1]
            return f"<{n}.{self._rng.randrange(16**8):08x}@{domain}>"
        return f"wc-{n:07d}"

    def thread(self, platform: str, first_message_id: str) -> str:
        # Threaded platforms name a thread by its root post; the others by a conversation id.
        if platform in ("x", "mastodon", "bluesky", "email"):
            return first_message_id
        self._threads[platform] = self._threads.get(platform, 0) + 1
        prefixes = {"facebook": "t_", "instagram": "ig_t_", "nextdoor": "nd_t_"}
        prefix = prefixes.get(platform, "chat-")
        return f"{prefix}{self._threads[platform]:07d}"
