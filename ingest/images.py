"""Image inputs (PNG, JPEG, TIFF including multi-page TIFF)."""
from __future__ import annotations

import io
from typing import Iterator

from PIL import Image, ImageSequence, UnidentifiedImageError

from .errors import IngestError


def image_frames(data: bytes) -> Iterator[Image.Image]:
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError) as exc:
        raise IngestError(f"not a readable image: {exc}") from exc
    for frame in ImageSequence.Iterator(image):
        yield frame.convert("L")
