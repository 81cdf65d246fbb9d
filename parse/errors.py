from plandiff.errors import PlandiffError


class ParseError(PlandiffError):
    """Text could not be read as a plan."""
