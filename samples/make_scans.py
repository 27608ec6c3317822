"""Scanned versions of samples/pdf/huoshan-2023.pdf: image-only PDFs with no text layer.

Each page is rendered with pypdfium2, then degraded the way a cheap office scanner does it:
a small rotation, blur, sensor noise, (for the low-resolution copy) faded ink, and lossy JPEG.
The result is saved by Pillow as one JPEG image per PDF page, at the original page size.

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
from PIL import Image, ImageFilter

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


SCANS = [
    Scan("huoshan-2023-200dpi", 200, 1.2, 0.6, 10.0, 55),
    Scan("huoshan-2023-150dpi", 150, 1.7, 0.8, 14.0, 50, ink=0.6),
]


def render_pages(source: Path, dpi: int) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(source)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in pdf]
    finally:
        pdf.close()


def degrade(page: Image.Image, scan: Scan, rng: np.random.Generator) -> Image.Image:
    angle = float(rng.uniform(-scan.max_rotation, scan.max_rotation))
    page = page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(page, dtype=np.float32)
    if scan.ink < 1.0:
        pixels = fade(pixels, scan.ink, rng)
    page = Image.fromarray(pixels.clip(0, 255).astype(np.uint8))
    page = page.filter(ImageFilter.GaussianBlur(scan.blur_radius))
    pixels = np.asarray(page, dtype=np.float32)
    pixels += rng.normal(0.0, scan.noise_sigma, pixels.shape)
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))


def fade(pixels: np.ndarray, ink: float, rng: np.random.Generator) -> np.ndarray:
    """Lighter ink, unevenly: a toner cartridge running out fades one side of the page more."""
    width = pixels.shape[1]
    across = np.linspace(0.0, 1.0, width, dtype=np.float32)
    tilt = float(rng.uniform(-0.1, 0.1))
    strength = (ink + tilt * (across - 0.5))[None, :]
    return 255.0 - (255.0 - pixels) * strength


def make_scan(scan: Scan, source: Path = SOURCE, out_dir: Path = OUT) -> Path:
    rng = np.random.default_rng(scan.seed)
    pages = [degrade(page, scan, rng) for page in render_pages(source, scan.dpi)]
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
