"""Shrinking a cassette to the few events on which a check still fails (``harness shrink``).

from harness.shrink import shrink_cassette

result = shrink_cassette(cassette, lambda candidate: my_parser_breaks_on(candidate))
save_cassette(result.cassette, "bug.min.json")
"""

from harness.shrink.budget import BudgetSpent
from harness.shrink.runner import CheckCommand, CheckCommandError
from harness.shrink.search import (
    DEFAULT_MAX_CHECKS,
    NothingToShrinkError,
    ShrinkProgress,
    ShrinkResult,
    deadline_after,
    shrink_cassette,
)
from harness.shrink.wellformed import WellFormedness, protocol_problems

__all__ = [
    "DEFAULT_MAX_CHECKS",
    "BudgetSpent",
    "CheckCommand",
    "CheckCommandError",
    "NothingToShrinkError",
    "ShrinkProgress",
    "ShrinkResult",
    "WellFormedness",
    "deadline_after",
    "protocol_problems",
    "shrink_cassette",
]
