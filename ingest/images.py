"""Image inputs (PNG, JPEG, TIFF including multi-page TIFF)."""
from __future__ import annotations

import io
from collections.abc import Iterator

from PIL import Image, ImageSequence, UnidentifiedImageError

from .errors import IngestError
from .preprocess import grey_unless_coloured


def image_frames(data: bytes, max_pixels: int) -> Iterator[Image.Image]:
    """The frames of an image, refusing any larger than `max_pixels`
    (checked from the header, before anything is decoded)."""
    try:
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise _too_large(str(exc)) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise IngestError("not a readable image: the format is not recognised or the file is "
                          "damaged; ask the sender for another copy",
                          vi="Tệp ảnh bị hỏng hoặc không đọc được; đề nghị gửi lại") from exc
    width, height = image.size
    if width * height > max_pixels:
        raise _too_large(f"{width}x{height} pixels")
    try:
        for frame in ImageSequence.Iterator(image):
            yield grey_unless_coloured(frame)
    except Image.DecompressionBombError as exc:
        raise _too_large(str(exc)) from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise IngestError("image data is damaged or incomplete; ask the sender for another copy",
                          vi="Dữ liệu ảnh bị hỏng; đề nghị gửi lại") from exc


def _too_large(detail: str) -> IngestError:
    return IngestError(f"image too large to read safely ({detail}; limit max_image_pixels)",
                       vi="Ảnh quá lớn, vượt giới hạn an toàn khi đọc")
