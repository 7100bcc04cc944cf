"""A deterministic generator for a year of demo data for a fictional council.

Plain Python with no Django import: the loader in the demo app turns the dataclasses in
``model`` into database rows.
"""

from .build import generate
from .model import (
    ChannelSpec,
    DemoConversation,
    DemoCouncil,
    DemoMessage,
    DemoResident,
    Officer,
    Team,
)

__all__ = [
    "ChannelSpec", "DemoConversation", "DemoCouncil", "DemoMessage", "DemoResident", "Officer",
    "Team", "generate",
]
