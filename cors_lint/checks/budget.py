"""How much matching the analyser may do.

Each ``judge`` call gets a deadline (``PER_CHECK_SECONDS``) for all its
regex work.  A ``file_budget()`` context, opened around the rules of one
file, additionally caps the total time spent judging checks of that file;
once it is spent, further checks are judged UNKNOWN instead of run.
Without an open context every call only has its own deadline.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterator

PER_CHECK_SECONDS = 0.25
PER_FILE_SECONDS = 2.0


@dataclass
class WorkBudget:
    seconds: float = PER_FILE_SECONDS
    spent: float = 0.0

    @property
    def remaining(self) -> float:
        return self.seconds - self.spent


_current: ContextVar[WorkBudget | None] = ContextVar("cors_lint_check_budget", default=None)


@contextmanager
def file_budget(seconds: float = PER_FILE_SECONDS) -> Iterator[WorkBudget]:
    """Cap the analyser's total time for the checks judged inside."""
    budget = WorkBudget(seconds)
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def allowance() -> float:
    """Seconds the next check may use (0 when the file budget is spent)."""
    budget = _current.get()
    if budget is None:
        return PER_CHECK_SECONDS
    return max(0.0, min(PER_CHECK_SECONDS, budget.remaining))


@contextmanager
def charge() -> Iterator[None]:
    """Account the time spent inside against the open file budget."""
    start = time.perf_counter()
    try:
        yield
    finally:
        budget = _current.get()
        if budget is not None:
            budget.spent += time.perf_counter() - start
