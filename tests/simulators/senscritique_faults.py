"""Fault knobs of the SensCritique simulator.

Each fault is queued for the next `count` HTTP requests (optionally only those
carrying a given operation name) and consumed as it fires, so every fault loop
in a test ends by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

FaultKind = Literal["status", "rate_limit", "stall", "malformed"]
MalformedKind = Literal["not_json", "html", "wrong_shape", "no_data", "bad_utf8"]
MAX_STALL = 30.0


@dataclass
class Fault:
    kind: FaultKind
    count: int
    operation: str | None = None
    status: int = 503
    retry_after: str | None = None
    seconds: float = 0.0
    malformed: MalformedKind = "not_json"
    html: bool = False


class Faults:
    def __init__(self) -> None:
        self.queue: list[Fault] = []
        self.latency: float = 0.0

    def clear(self) -> None:
        self.queue.clear()
        self.latency = 0.0

    def add(self, fault: Fault) -> None:
        if fault.count < 1:
            raise ValueError("a fault needs count >= 1")
        self.queue.append(fault)

    def take(self, operations: Sequence[str]) -> Fault | None:
        """The first queued fault matching this request, consumed once."""
        for fault in self.queue:
            if fault.operation is None or fault.operation in operations:
                fault.count -= 1
                if fault.count == 0:
                    self.queue.remove(fault)
                return fault
        return None
