"""The one error a loader raises: a file that cannot be read, with a one-line reason."""

from __future__ import annotations


class InputError(Exception):
    """A file that cannot be audited. `str()` is the one line a user sees."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
