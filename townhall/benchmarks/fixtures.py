"""Synthetic message files for benchmarks (not the demo council: no seasons needed)."""

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

PLATFORMS = ["facebook", "x", "instagram", "mastodon", "bluesky", "email"]
PROBLEMS = ["bins not collected", "pothole", "street light out", "fly-tipped mattress",
            "blocked drain", "graffiti on the bus shelter", "council tax bill question",
            "overgrown hedge", "dog mess on the path", "broken bench in the park"]
STREETS = ["Mill Lane", "Station Road", "Heol y Bont", "Church Street", "Victoria Terrace",
           "Maes y Coed", "High Street", "Park Avenue"]


def write_messages(path: Path, count: int, *, seed: int = 1, start_id: int = 0) -> Path:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as handle:
        for n in range(start_id, start_id + count):
            platform = rng.choice(PLATFORMS)
            thread = n - rng.randint(0, 3) if n > 3 and rng.random() < 0.3 else n
            line = {
                "platform": platform,
                "channel": f"bench-{platform}",
                "platform_message_id": f"b{n}",
                "author": f"user{rng.randint(1, count // 5 + 1)}",
                "author_name": f"Resident {n % 997}",
                "text": f"{rng.choice(PROBLEMS)} on {rng.choice(STREETS)}, "
                        f"number {rng.randint(1, 200)} (report {n})",
                "created_at": (start + timedelta(seconds=n * 7)).isoformat(),
                "thread_id": f"t{thread}",
            }
            handle.write(json.dumps(line) + "\n")
    return path
