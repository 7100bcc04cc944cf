"""The response target that applied to each conversation, from townhall.respond.

"Within target" in every report means within the conversation's own target: the
council's row for its category and priority, else its row for the priority, else
respond's default for the priority (safeguarding always takes the critical one). A
resolution target comes from the same rows; where none of them sets one, the council
default below applies. Decision record 0701.
"""

import hashlib
from dataclasses import dataclass

from townhall.respond.models import ResponseTarget
from townhall.respond.targets import TargetTable

# Resolution within 40 office hours (five office days) where the council set no
# resolution target for the category or the priority.
DEFAULT_RESOLUTION_MINUTES = 2400
# Part of the fingerprint: changing how a target is chosen changes every key, so every
# council's facts are measured again on the next refresh.
KEY_VERSION = "v1"

Row = tuple[int | None, str, int, int | None]


def _rows(council_id: int) -> list[Row]:
    return sorted(ResponseTarget.objects.filter(council_id=council_id).values_list(
        "category_id", "priority", "first_response_minutes", "resolution_minutes"),
        key=repr)


def _key(rows: list[Row]) -> str:
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:32]
    return f"{KEY_VERSION}:{DEFAULT_RESOLUTION_MINUTES}:{digest}"


@dataclass(frozen=True)
class AppliedTargets:
    table: TargetTable
    key: str

    def seconds(self, *, priority: str, safeguarding: bool,
                category_id: int | None) -> tuple[int, int]:
        """Office seconds allowed for the first reply and for resolution."""
        found = self.table.target_for(priority=priority, safeguarding=safeguarding,
                                      category_id=category_id)
        resolution = found.resolution
        if resolution is None:
            resolution = self.table.target_for(priority=priority,
                                               safeguarding=safeguarding).resolution
        if resolution is None:
            resolution = DEFAULT_RESOLUTION_MINUTES * 60
        return found.first_response, resolution


def applied_targets(council_id: int) -> AppliedTargets:
    rows = _rows(council_id)
    return AppliedTargets(TargetTable(rows), _key(rows))


def targets_key(council_id: int) -> str:
    """A fingerprint of the council's response targets: one small query."""
    return _key(_rows(council_id))
