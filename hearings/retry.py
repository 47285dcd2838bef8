"""The one retry policy of the jobs: how long to wait after a failed attempt, and when
to give up. Used by the mail outbox and the ESDH export."""

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Wait 1, 2, 4, … minutes between attempts, at most ``cap_minutes``; stop after
    ``max_attempts``."""

    max_attempts: int
    cap_minutes: int

    def backoff(self, attempts):
        return timedelta(minutes=min(2 ** max(attempts - 1, 0), self.cap_minutes))

    def gives_up(self, attempts):
        return attempts >= self.max_attempts
