"""The exception hierarchy's root.

Every stage defines its own subclass (`IngestError`, `ParseError`,
`AlignError`); the orchestration adds `UsageError` and `StorageError`.
Only the CLI turns these into exit codes and messages.
"""


class PlandiffError(Exception):
    """Base class of every error plandiff raises on purpose.

    `vi` is the same message in Vietnamese, for the reviewers who read the
    `documents` table and the report (the English message is `str(error)`).
    """

    def __init__(self, message: str, vi: str | None = None):
        super().__init__(message)
        self.vi = vi


class UsageError(PlandiffError):
    """The command line or configuration asks for something impossible."""


class StorageError(PlandiffError):
    """Writing or reading the output tables failed."""
