"""The one exception type for problems a user can cause or fix."""

from __future__ import annotations


class PodcastError(Exception):
    """An error meant for people: the CLI prints its message on one line and exits 1.

    Raise it for bad input, unreachable services and unwritable places; let
    programming errors surface as ordinary exceptions.
    """

    exit_code = 1

    def __str__(self) -> str:  # one line, always
        return " ".join(super().__str__().split())


class TransientError(PodcastError):
    """A failure that may pass when tried again later: a rate limit, a timeout, a network hiccup.

    Raised only once the code that met it has spent its own retries; a queue worker
    tries the whole task again after a while (podcast/queue/), a local build reports it.
    """


class Cancelled(Exception):
    """Work stopped because the run is ending (Ctrl-C, or another part of the run failed)."""
