"""Rebuild static/charter/fonts/fallback/: the fonts the PDFs fall back on for characters that
Titillium Web lacks (emoji, Greek, Cyrillic, Arabic, Hebrew, Chinese, symbols): Noto, and
Vazirmatn for the Arabic script.

    DJANGO_DEBUG=1 .venv/bin/python scripts/build_fallback_fonts.py

Takes the fonts (all under the SIL Open Font License) as the @fontsource npm packages ship them,
already split by Unicode range into small woff2 files, fetched with `npm pack` (the portal
itself needs no Node), and stores them unpacked as TrueType: WeasyPrint unpacks a woff2 font in
Python at every render that declares it (about 0.06 s of CPU per file), a TrueType file costs
nothing. Keeps the regular weight only, drops every range Titillium Web covers
(and the files left with nothing to do) and every
code point a file does not actually draw (the packages' ranges are Google's slices, wider than
some fonts). Each file gets a family name of its own ("Noto Sans SC 37"): WeasyPrint tells the
fonts of a PDF apart by family, weight and style only, so files sharing one family would all be
drawn with the glyphs of the first., and writes fallback.css with one @font-face per file
and its remaining unicode-range, which charter.pdf_fonts reads to declare, per document, only
the files its characters need. The licence goes beside the fonts.
"""

import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "static" / "charter" / "fonts" / "fallback"
# In the order the PDFs fall back on them (fallback.css keeps it; charter.pdf_fonts follows it).
PACKAGES = [
    ("@fontsource/noto-sans", "5.3.0"),  # Greek, Cyrillic, Vietnamese, Devanagari
    # Arabic script: Vazirmatn rather than Noto Sans Arabic, which draws a letter's dots as
    # separate glyphs, so that text extraction (copy, search, screen readers) scatters them.
    ("@fontsource/vazirmatn", "5.3.0"),
    ("@fontsource/noto-sans-hebrew", "5.3.0"),
    ("@fontsource/noto-sans-sc", "5.3.1"),  # Chinese (Han characters, simplified forms)
    ("@fontsource/noto-sans-math", "5.3.0"),
    ("@fontsource/noto-sans-symbols-2", "5.3.0"),
    ("@fontsource/noto-emoji", "5.3.2"),  # monochrome emoji: fit for print and PDF/A
]
FACE = re.compile(r"@font-face\s*{(?P<body>[^}]*)}")
DESCRIPTOR = re.compile(r"(?P<name>[a-z-]+)\s*:\s*(?P<value>[^;]+);")
WOFF2 = re.compile(r"url\(\./files/(?P<file>[^)]+\.woff2)\)")
TITILLIUM = [
    "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2",
    "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-italic.woff2",
    "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-600.woff2",
    "fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-700.woff2",
]


def titillium_coverage():
    """The code points every weight of Titillium Web draws (the theme's files)."""
    import django
    from django.contrib.staticfiles import finders
    from fontTools.ttLib import TTFont

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "welfare_portal.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    covered = None
    for path in TITILLIUM:
        cmap = set(TTFont(finders.find(path)).getBestCmap())
        covered = cmap if covered is None else covered & cmap
    return covered


def parse_ranges(value):
    ranges = []
    for part in value.split(","):
        part = part.strip().upper().removeprefix("U+")
        start, _, end = part.partition("-")
        if "?" in start:
            ranges.append((int(start.replace("?", "0"), 16), int(start.replace("?", "F"), 16)))
        else:
            ranges.append((int(start, 16), int(end or start, 16)))
    return ranges


def format_ranges(points):
    """Sorted code points as a CSS unicode-range, consecutive ones joined."""
    parts, points = [], sorted(points)
    start = previous = points[0]
    for point in points[1:] + [None]:
        if point is not None and point == previous + 1:
            previous = point
            continue
        parts.append(f"U+{start:x}" if start == previous else f"U+{start:x}-{previous:x}")
        if point is not None:
            start = previous = point
    return ",".join(parts)


def unpack(package, version, folder):
    packed = subprocess.run(
        ["npm", "pack", f"{package}@{version}"], cwd=folder, check=True, capture_output=True, text=True,
    )
    tarball = Path(folder) / packed.stdout.split()[-1]
    with tarfile.open(tarball) as archive:
        members = {m.name: m for m in archive.getmembers()}
        read = lambda name: archive.extractfile(members[f"package/{name}"]).read()  # noqa: E731
        css = read("400.css").decode()
        licence = read("LICENSE").decode()
        files = {m.name.rsplit("/", 1)[1]: archive.extractfile(m).read() for m in members.values()
                 if m.name.startswith("package/files/") and m.name.endswith("-400-normal.woff2")}
    tarball.unlink()
    return css, licence, files


def main():
    from fontTools.ttLib import TTFont, woff2

    covered = titillium_coverage()
    if OUTPUT.exists():
        shutil.rmtree(OUTPUT)
    OUTPUT.mkdir(parents=True)
    rules, licences, counts = [], {}, {}
    with tempfile.TemporaryDirectory() as folder:
        for package, version in PACKAGES:
            css, licence, files = unpack(package, version, folder)
            licences[f"{package} {version}"] = licence
            for face in FACE.finditer(css):
                descriptors = {m["name"]: m["value"].strip() for m in DESCRIPTOR.finditer(face["body"])}
                if descriptors.get("font-style") != "normal" or descriptors.get("font-weight") != "400":
                    continue
                file = WOFF2.search(descriptors["src"])["file"]
                points = {p for start, end in parse_ranges(descriptors["unicode-range"]) for p in range(start, end + 1)}
                points &= set(TTFont(io.BytesIO(files[file])).getBestCmap())  # the ranges promise more
                points -= covered
                points = {p for p in points if p > 0x20}
                if not points:
                    continue
                ttf = file.removesuffix(".woff2") + ".ttf"
                with open(OUTPUT / ttf, "wb") as handle:
                    woff2.decompress(io.BytesIO(files[file]), handle)
                family = descriptors["font-family"].strip("'\"")
                counts[family] = counts.get(family, 0) + 1
                rules.append(
                    f"@font-face {{\n  font-family: \"{family} {counts[family]}\";\n  font-style: normal;\n"
                    f"  font-weight: 400;\n  src: url(\"{ttf}\") format(\"truetype\");\n"
                    f"  unicode-range: {format_ranges(points)};\n}}\n"
                )
    header = (
        "/* Generated by scripts/build_fallback_fonts.py: Noto fonts (SIL Open Font License 1.1,\n"
        "   LICENSE.txt) for what Titillium Web lacks. charter.pdf_fonts declares, per document,\n"
        "   only the faces its characters need. */\n"
    )
    (OUTPUT / "fallback.css").write_text(header + "\n".join(rules))
    text = io.StringIO()
    for name, licence in licences.items():
        text.write(f"=== {name}\n\n{licence.strip()}\n\n")
    (OUTPUT / "LICENSE.txt").write_text(text.getvalue())
    size = sum(path.stat().st_size for path in OUTPUT.iterdir())
    print(f"{len(rules)} faces, {size / 1024 / 1024:.1f} MiB in {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
