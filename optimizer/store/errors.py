"""What the plan store raises on purpose.

    StoreError (an OptimizerError)  the store cannot be opened or written (not a store, busy)
    ├── SchemaTooNew                written by a newer optimiser: refused, never guessed at
    ├── NotFound                    no such event, plan version or roster
    └── NothingPublished            the event has no published roster to re-plan against

Bad input (an event id that breaks the naming rule, a plan that is not JSON) is ``InvalidInput``,
as everywhere else.
"""

from __future__ import annotations

from optimizer.errors import OptimizerError


class StoreError(OptimizerError):
    """The store cannot do what was asked; the message says why, for a person."""


class SchemaTooNew(StoreError):
    def __init__(self, source: str, found: int, known: int) -> None:
        super().__init__(
            f"{source} has schema version {found}, newer than this optimiser knows ({known}): "
            "it was written by a newer release; upgrade the optimiser to use it"
        )
        self.found = found
        self.known = known


class NotFound(StoreError):
    """No such event, plan version or roster in the store."""


class NothingPublished(StoreError):
    """The event exists but none of its rosters has been published."""
