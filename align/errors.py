from plandiff.errors import PlandiffError


class AlignError(PlandiffError):
    """Two plans could not be compared (e.g. the reference has no items)."""
