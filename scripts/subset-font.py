#!/usr/bin/python3
"""Makes Reports/Fonts/wqy-microhei-subset.ttf (charts and PDF) and its WOFF2 (HTML), the CJK font shipped inside
the Reports assembly.

Source: WenQuanYi Micro Hei 0.2.0-beta, face 0 of Debian 12's fonts-wqy-microhei (wqy-microhei.ttc), under the
Apache License 2.0 (the font is dual-licensed Apache-2.0 or GPL-3+ with the font exception; we take Apache-2.0).

Kept: every character of GB 2312 (its 6,763 hanzi and 682 other characters), printable ASCII and Latin-1, and every
character that the code, the templates, the console's assets and the example configuration contain. Dropped: the
other glyphs, the hinting, and the other faces of the collection. Run it again after adding text the font lacks
(the Reports test FontCoverageTests names each missing character and its file):

    apt-get install fonts-wqy-microhei fonttools python3-brotli && scripts/subset-font.py
"""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = pathlib.Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
TARGET = ROOT / "Reports" / "Fonts" / "wqy-microhei-subset.ttf"
# The text a person can be shown: the same folders and suffixes that FontCoverageTests reads.
FOLDERS = ["Core", "Storage", "Analytics", "Reports", "Modbus", "Site", "Acquisition", "Notifications", "Web", "Simulation", "Service", "config"]
SUFFIXES = {".cs", ".liquid", ".js", ".css", ".html", ".yaml", ".json", ".csv"}


def gb2312():
    # The rows of GB 2312 as code page 936 (GBK) reads them, which is how Windows and .NET decode "GB2312": the
    # standard's 7,445 characters and 33 more in its rows (ⅰ–ⅹ, vertical punctuation); its empty cells are left out.
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes([high, low]).decode("gbk")
            except UnicodeDecodeError:
                continue
            if not 0xE000 <= ord(char) <= 0xF8FF:
                chars.add(char)
    return chars


def project_text():
    chars = set()
    for folder in FOLDERS:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in SUFFIXES and path.is_file() and "/bin/" not in str(path) and "/obj/" not in str(path):
                chars.update(path.read_text(encoding="utf-8"))
    return chars


def main():
    chars = gb2312() | project_text() | {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x100)}
    codes = sorted(ord(c) for c in chars if ord(c) >= 0x20)
    unicodes = ",".join(f"U+{c:04X}" for c in codes)
    subprocess.run(["pyftsubset", str(SOURCE), "--font-number=0", f"--unicodes={unicodes}", "--no-hinting",
                    "--layout-features=*", "--name-IDs=*", "--name-languages=*", "--notdef-outline",
                    f"--output-file={TARGET}"], check=True)
    from fontTools.ttLib import TTFont
    font = TTFont(str(TARGET))
    kept = len(font.getBestCmap())
    font.flavor = "woff2"
    font.save(str(TARGET.with_suffix(".woff2")))
    print(f"{TARGET.relative_to(ROOT)}: {len(codes)} characters asked for, {kept} in the font, {TARGET.stat().st_size:,} bytes; "
          f"WOFF2 {TARGET.with_suffix('.woff2').stat().st_size:,} bytes")


if __name__ == "__main__":
    sys.exit(main())
