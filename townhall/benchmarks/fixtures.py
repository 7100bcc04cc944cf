"""What the benchmarks share: synthetic message files (not the demo council: no seasons
needed), a fresh database for each child process, and a bench council to fill."""

import json
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PLATFORMS = ["facebook", "x", "instagram", "mastodon", "bluesky", "email"]
PROBLEMS = ["bins not collected", "pothole", "street light out", "fly-tipped mattress",
            "blocked drain", "graffiti on the bus shelter", "council tax bill question",
            "overgrown hedge", "dog mess on the path", "broken bench in the park"]
STREETS = ["Mill Lane", "Station Road", "Heol y Bont", "Church Street", "Victoria Terrace",
           "Maes y Coed", "High Street", "Park Avenue"]
# The bench council of the inbox and analytics benchmarks; smaller through the
# environment, to try a benchmark out.
MESSAGES = int(os.environ.get("TOWNHALL_BENCH_MESSAGES", "1000000"))
CONVERSATIONS = int(os.environ.get("TOWNHALL_BENCH_CONVERSATIONS", "300000"))
# How its residents split across platforms, by weight.
PLATFORM_MIX = [("facebook", 35), ("x", 20), ("instagram", 10), ("email", 20), ("mastodon", 5),
                ("bluesky", 5), ("webchat", 5)]


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


def weighted(rng: random.Random, pairs: list[tuple[Any, int]]) -> Any:
    """One value of (value, weight) pairs, chosen by weight."""
    return rng.choices([p for p, _ in pairs], [w for _, w in pairs])[0]


# A fresh database for each run ----------------------------------------------------------


def reset_postgres(database_url: str, name: str = "townhall_bench") -> str:
    """A dedicated, emptied database, so the benchmark never touches real data."""
    import psycopg

    base, _, _ = database_url.rpartition("/")
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"{base}/{name}"


def fresh_env(tmp: Path, database_url: str) -> dict[str, str]:
    """This environment, with its files under `tmp` and on `database_url` (SQLite if "")."""
    env = {**os.environ, "TOWNHALL_VAR_DIR": str(tmp / "var")}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def child_results(module: str, databases: list[tuple[str, str]], *, database: str,
                  out: list[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Run `python -m MODULE --child` once per (name, DATABASE_URL or "" for SQLite), on
    a fresh database (PostgreSQL's called `database`); yield each name with the JSON the
    child printed last. A child that fails adds the end of its error output to `out`."""
    for name, url in databases:
        with tempfile.TemporaryDirectory() as tmp:
            # DEBUG off, as in production: no query log, and the cached template loader.
            env = {**fresh_env(Path(tmp), reset_postgres(url, database) if url else ""),
                   "ALLOWED_HOSTS": "testserver,127.0.0.1", "LOG_LEVEL": "ERROR",
                   "DEBUG": "false"}
            done = subprocess.run([sys.executable, "-m", module, "--child"],  # noqa: S603
                                  env=env, capture_output=True, text=True)
            if done.returncode != 0:
                out += [f"{name}: failed", "", "```", done.stderr[-3000:], "```", ""]
                continue
            yield name, json.loads(done.stdout.strip().splitlines()[-1])


def load_line(result: dict[str, Any]) -> str:
    """How busy the machine was while a child measured, from its `load` and `load_after`."""
    load, after = ("/".join(f"{n:.1f}" for n in result[key]) for key in ("load", "load_after"))
    return f"Load average (1/5/15 min) {load} when timing began, {after} at the end."


# In the child process -------------------------------------------------------------------


def django_migrated() -> None:
    """Django set up on the child's fresh database, with every table made."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Hashing the staff's passwords properly would dominate a fill that measures nothing
    # about it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)


def analyze() -> None:
    """Fresh planner statistics after a bulk fill, as a council's database would have."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def bench_council(team_codes: list[str]) -> tuple[Any, list[int], list[Any]]:
    """The bench council with the standard categories (their ids) and these teams."""
    from townhall.accounts.services import team_create
    from townhall.core.services import council_create
    from townhall.triage.services import taxonomy_install

    council = council_create(slug="bench", name="Bench Council", actor_label="bench")
    categories = [c.pk for c in taxonomy_install(council=council)]
    teams = [team_create(council=council, code=code, name=code.replace("-", " ").title())
             for code in team_codes]
    return council, categories, teams


def bench_identities(council: Any, rng: random.Random, *,
                     residents: int) -> tuple[dict[str, Any], list[Any]]:
    """A channel on each platform of PLATFORM_MIX, and `residents` residents each known on
    one platform, chosen by its weight: the channels by platform, and the identities."""
    from townhall.connectors.services import channel_create
    from townhall.core.lib.db import insert_rows
    from townhall.inbox.models import Identity, Resident

    channels = {p: channel_create(council=council, platform=p, handle=f"bench-{p}",
                                  actor_label="bench")[0] for p, _ in PLATFORM_MIX}
    people = insert_rows(Resident, [Resident(council=council, display_name=f"Resident {n}")
                                    for n in range(residents)])
    identities = insert_rows(Identity, [
        Identity(council=council, resident=r, platform=weighted(rng, PLATFORM_MIX),
                 handle=f"h{r.pk}", display_name=r.display_name) for r in people])
    return channels, identities
