"""The exception hierarchy's root.

Every stage defines its own subclass (`IngestError`, `ParseError`,
`AlignError`); the orchestration adds `UsageError` and `StorageError`.
Only the CLI turns these into exit codes and messages.
"""


class PlandiffError(Exception):
    """Base class of every error plandiff raises on purpose."""


class UsageError(PlandiffError):
    """The command line or configuration asks for something impossible."""


class StorageError(PlandiffError):
    """Writing or reading the output tables failed."""
