"""The command line: argument parsing, progress and error presentation only.

Every command calls the same library functions a batch job or a test calls. Heavy
imports happen inside the commands, so ``podcast --help`` stays instant. ``shell`` holds
the group, the reporter and ``main``; ``options`` the options several commands share;
the commands themselves are in ``episode_commands`` and ``show_commands``.
"""

from __future__ import annotations

from . import episode_commands, show_commands  # noqa: F401 - importing them adds their commands
from .shell import cli, describe_episode, main, print_episode, reporter

__all__ = ["cli", "describe_episode", "main", "print_episode", "reporter"]
