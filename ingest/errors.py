from plandiff.errors import PlandiffError


class IngestError(PlandiffError):
    """A file could not be turned into text (unreadable, unsupported, OCR failed)."""
