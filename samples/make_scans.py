"""Scanned versions of samples/pdf/huoshan-2023.pdf: image-only PDFs with no text layer.

Each page is rendered with pypdfium2, then degraded the way a cheap office scanner does it:
a small rotation, blur, sensor noise, (for the low-resolution copy) faded ink, and lossy JPEG.
The result is saved by Pillow as one JPEG image per PDF page, at the original page size.

Three more copies hold what archives add: red official seals stamped over the header block and
the indicator cells (colour pages), pages fed in sideways or upside down, and pages skewed by
2.5-3.5 degrees with faded ink and gaps in the ruling lines. Two more: the pages photographed
with a phone (the sheet on a desk, seen at an angle, light falling off to one side), and the
pages printed without their ruling lines (a Word table with its borders off), then scanned.

Deterministic: one seeded RNG per variant, fixed PDF dates. Rerun with

    .venv/bin/python samples/make_scans.py
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "pdf" / "huoshan-2023.pdf"
OUT = HERE / "scans"
PINNED_DATE = time.strptime("2024-01-01", "%Y-%m-%d")  # Pillow takes a struct_time
MAX_BYTES = 3 * 1024 * 1024


@dataclass(frozen=True)
class Scan:
    name: str
    dpi: int
    max_rotation: float  # degrees, drawn uniformly in [-max, +max] per page
    blur_radius: float
    noise_sigma: float
    jpeg_quality: int
    ink: float = 1.0  # 1.0 = black ink; 0.6 = the darkest print is 40 % lighter
    seed: int = 2023
    min_rotation: float = 0.0  # degrees: |angle| is drawn in [min, max] when min > 0
    # page (1-based) -> quarter turns clockwise, as a page fed in sideways or upside down comes out
    turns: tuple[tuple[int, int], ...] = ()
    # page (1-based), centre x, y in points: a red seal stamped there
    seals: tuple[tuple[int, float, float], ...] = ()
    line_gaps: bool = False  # ruling lines broken by short gaps, as a worn print leaves them
    photo: bool = False  # photographed: perspective, uneven light, a desk around the sheet
    unruled: bool = False  # the ruling lines left out of the print


SEAL_TEXT = "霍山县数据资源管理局"  # the seal of the form's own 主管部门
SEAL_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
SEAL_DIAMETER_INCH = 1.65  # 42 mm, the usual size of an office seal
SEAL_RGB = (215, 35, 45)

SCANS = [
    Scan("huoshan-2023-200dpi", 200, 1.2, 0.6, 10.0, 55),
    Scan("huoshan-2023-150dpi", 150, 1.7, 0.8, 14.0, 50, ink=0.6),
    # over the header block of tables 1, 2 and 5, and over indicator cells of tables 4 and 5
    Scan("huoshan-2023-sealed", 200, 1.0, 0.6, 10.0, 50, seed=2024,
         seals=((1, 300, 200), (2, 330, 470), (5, 430, 520), (6, 250, 215), (6, 420, 640))),
    Scan("huoshan-2023-rotated", 200, 1.0, 0.6, 10.0, 50, seed=2025,
         turns=((1, 1), (3, 2), (5, 3))),
    Scan("huoshan-2023-skewed", 200, 3.5, 0.6, 10.0, 50, ink=0.6, seed=2026, min_rotation=2.5,
         line_gaps=True),
    Scan("huoshan-2023-photo", 170, 0.0, 0.8, 6.0, 50, seed=2027, photo=True),
    Scan("huoshan-2023-unruled", 200, 1.0, 0.6, 10.0, 50, seed=2028, unruled=True),
]
DESK_RGB = (95, 85, 70)
PHOTO_TILT = 0.05  # each corner of the sheet moves up to this share of the page's side


def render_pages(source: Path, dpi: int) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(source)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in pdf]
    finally:
        pdf.close()


def degrade(page: Image.Image, scan: Scan, rng: np.random.Generator) -> Image.Image:
    angle = _angle(scan, rng)
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=_white(page))
    pixels = np.asarray(page, dtype=np.float32)
    if scan.ink < 1.0:
        pixels = fade(pixels, scan.ink, rng)
    page = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
    page = page.filter(ImageFilter.GaussianBlur(scan.blur_radius))
    pixels = np.asarray(page, dtype=np.float32)
    pixels += rng.normal(0.0, scan.noise_sigma, pixels.shape)
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))


def _angle(scan: Scan, rng: np.random.Generator) -> float:
    if scan.min_rotation <= 0:
        return float(rng.uniform(-scan.max_rotation, scan.max_rotation))
    size = float(rng.uniform(scan.min_rotation, scan.max_rotation))
    return size if rng.random() < 0.5 else -size


def _white(page: Image.Image) -> int | tuple[int, int, int]:
    return (255, 255, 255) if page.mode == "RGB" else 255


def break_lines(page: Image.Image, dpi: int, rng: np.random.Generator) -> Image.Image:
    """Short gaps (0.02-0.06 inch) every 0.4-1.2 inch along each ruling line; text untouched."""
    import cv2

    pixels = np.array(page)
    ink = (pixels < 128).astype(np.uint8)
    length = round(0.3 * dpi)
    for kernel in ((length, 1), (1, length)):
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(0, kernel))
        n, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
        along_x = kernel[0] > 1
        for k in range(1, n):
            x, y, w, h, _ = stats[k]
            start, end = (x, x + w) if along_x else (y, y + h)
            pos = start + rng.uniform(0.1, 0.6) * dpi
            while pos < end:
                gap = round(rng.uniform(0.02, 0.06) * dpi)
                a, b = round(pos), round(pos) + gap
                if along_x:
                    pixels[y - 1 : y + h + 1, a:b][labels[y - 1 : y + h + 1, a:b] == k] = 255
                else:
                    pixels[a:b, x - 1 : x + w + 1][labels[a:b, x - 1 : x + w + 1] == k] = 255
                pos = b + rng.uniform(0.4, 1.2) * dpi
    return Image.fromarray(pixels)


def erase_lines(page: Image.Image, dpi: int) -> Image.Image:
    """The ruling lines painted out (runs of ink longer than 0.3 inch); the text stays."""
    import cv2

    pixels = np.array(page)
    ink = (pixels < 160).astype(np.uint8)
    length = round(0.3 * dpi)
    for kernel in ((length, 1), (1, length)):
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(0, kernel))
        pixels[cv2.dilate(lines, np.ones((3, 3), np.uint8)) > 0] = 255
    return Image.fromarray(pixels)


def photograph(page: Image.Image, rng: np.random.Generator) -> Image.Image:
    """The sheet on a desk photographed at an angle: each corner moved by up to PHOTO_TILT of
    the side, light falling off from a spot and towards one side, a warm cast, blur, noise."""
    import cv2

    sheet = np.asarray(page.convert("RGB"), dtype=np.float32)
    h, w = sheet.shape[:2]
    pad = round(0.08 * max(h, w))
    canvas = np.empty((h + 2 * pad, w + 2 * pad, 3), np.float32)
    canvas[:] = DESK_RGB
    canvas[pad : pad + h, pad : pad + w] = sheet
    corners = np.float32([[pad, pad], [pad + w, pad], [pad + w, pad + h], [pad, pad + h]])
    moved = corners + rng.uniform(-PHOTO_TILT, PHOTO_TILT, (4, 2)).astype(np.float32) * [w, h]
    matrix = cv2.getPerspectiveTransform(corners, moved.astype(np.float32))
    size = (canvas.shape[1], canvas.shape[0])
    shot = cv2.warpPerspective(canvas, matrix, size, borderValue=DESK_RGB)
    yy, xx = np.mgrid[0 : size[1], 0 : size[0]].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * size[0], rng.uniform(0.2, 0.8) * size[1]
    light = (1.0 - 0.35 * np.hypot((xx - cx) / size[0], (yy - cy) / size[1]))
    light *= 1.0 - 0.15 * xx / size[0]
    shot *= light[..., None] * np.float32([1.04, 1.0, 0.97])
    shot += rng.normal(0.0, 6.0, shot.shape)
    photo = Image.fromarray(shot.clip(0, 255).astype(np.uint8))
    return photo.filter(ImageFilter.GaussianBlur(0.8))


def stamp(page: Image.Image, centre: tuple[float, float], dpi: int,
          rng: np.random.Generator) -> Image.Image:
    """A red seal over the page, printed the way stamp ink is: a ring, the unit's name along
    the top, a star in the middle, uneven ink, multiplied into (not painted over) the print."""
    size = round(SEAL_DIAMETER_INCH * dpi)
    seal = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(seal)
    ring = round(0.045 * dpi)
    draw.ellipse((ring, ring, size - ring, size - ring), outline=255, width=ring)
    _star(draw, size / 2, size / 2, size * 0.17)
    font = ImageFont.truetype(SEAL_FONT, round(size * 0.14))
    _arc_text(seal, SEAL_TEXT, font, size * 0.34)
    seal = seal.rotate(float(rng.uniform(-30, 30)), resample=Image.Resampling.BICUBIC)
    alpha = np.asarray(seal, dtype=np.float32) / 255.0
    alpha *= np.clip(rng.normal(0.78, 0.12, alpha.shape), 0.35, 1.0)  # stamp ink is uneven
    pixels = np.array(page.convert("RGB"), dtype=np.float32)
    x0 = round(centre[0] / 72 * dpi - size / 2)
    y0 = round(centre[1] / 72 * dpi - size / 2)
    region = pixels[y0 : y0 + size, x0 : x0 + size]
    tint = np.array(SEAL_RGB, dtype=np.float32) / 255.0
    region *= 1.0 - alpha[..., None] * (1.0 - tint)
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.38
        a = np.pi / 2 + k * np.pi / 5
        points.append((cx + r * np.cos(a), cy - r * np.sin(a)))
    draw.polygon(points, fill=255)


def _arc_text(seal: Image.Image, text: str, font, radius: float) -> None:
    """Each character upright towards the centre, along the upper 240 degrees of the ring."""
    size = seal.size[0]
    spread = np.radians(240)
    for k, ch in enumerate(text):
        a = np.pi / 2 + spread / 2 - spread * (k + 0.5) / len(text)  # left to right over the top
        glyph = Image.new("L", (font.size * 2, font.size * 2), 0)
        ImageDraw.Draw(glyph).text((font.size, font.size), ch, fill=255, font=font, anchor="mm")
        glyph = glyph.rotate(np.degrees(a) - 90, resample=Image.Resampling.BICUBIC)
        x = size / 2 + radius * np.cos(a) - glyph.size[0] / 2
        y = size / 2 - radius * np.sin(a) - glyph.size[1] / 2
        seal.paste(255, (round(x), round(y)), glyph)


def fade(pixels: np.ndarray, ink: float, rng: np.random.Generator) -> np.ndarray:
    """Lighter ink, unevenly: a toner cartridge running out fades one side of the page more."""
    width = pixels.shape[1]
    across = np.linspace(0.0, 1.0, width, dtype=np.float32)
    tilt = float(rng.uniform(-0.1, 0.1))
    strength = (ink + tilt * (across - 0.5))[None, :]
    if pixels.ndim == 3:  # a sealed page is in colour
        strength = strength[..., None]
    return 255.0 - (255.0 - pixels) * strength


def make_scan(scan: Scan, source: Path = SOURCE, out_dir: Path = OUT) -> Path:
    rng = np.random.default_rng(scan.seed)
    pages = render_pages(source, scan.dpi)
    for k, page in enumerate(pages, 1):
        if scan.line_gaps:
            page = break_lines(page, scan.dpi, rng)
        if scan.unruled:
            page = erase_lines(page, scan.dpi)
        for _, x, y in (s for s in scan.seals if s[0] == k):
            page = stamp(page, (x, y), scan.dpi, rng)
        page = photograph(page, rng) if scan.photo else degrade(page, scan, rng)
        turns = dict(scan.turns).get(k, 0)
        pages[k - 1] = page.rotate(-90 * turns, expand=True) if turns else page
    target = out_dir / f"{scan.name}.pdf"
    out_dir.mkdir(parents=True, exist_ok=True)
    # Pillow stores a greyscale page as one JPEG (DCTDecode) at `quality`: the scanner's lossy step
    pages[0].save(
        target, "PDF", save_all=True, append_images=pages[1:], resolution=float(scan.dpi),
        quality=scan.jpeg_quality, title=scan.name, creationDate=PINNED_DATE,
        modDate=PINNED_DATE,
    )
    size = target.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"{target}: {size:,} bytes, over {MAX_BYTES:,}; lower jpeg_quality")
    return target


def main() -> int:
    for scan in SCANS:
        path = make_scan(scan)
        print(f"{path.relative_to(HERE.parent)}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
