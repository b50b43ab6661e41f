"""The demo company's logo, drawn here so the demo carries no binary file: a seal-like mark and the name."""

import io
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

FONTS = Path("/usr/share/fonts/opentype/noto")
NAVY, WHITE = (23, 55, 94), (255, 255, 255)


def _font(size: int):
    for name in ("NotoSansCJK-Bold.ttc", "NotoSerifCJK-Bold.ttc"):
        if (FONTS / name).exists():
            return ImageFont.truetype(str(FONTS / name), size)
    return ImageFont.load_default(size)


def demo_logo() -> ContentFile:
    image = Image.new("RGB", (720, 200), WHITE)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((10, 10, 190, 190), radius=28, fill=NAVY)
    draw.text((100, 100), "恒泰", font=_font(72), fill=WHITE, anchor="mm")
    draw.text((220, 70), "恒泰五金厨具", font=_font(56), fill=NAVY, anchor="lm")
    draw.text((222, 145), "HENGTAI HARDWARE & KITCHENWARE", font=_font(26), fill=(90, 100, 115), anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name="hengtai-logo.png")
