"""Headless Chromium for the print tests: print a page to PDF, read it back, audit its layout.

No browser protocol: two plain command lines per page. `chromium --headless --print-to-pdf`
prints the page as a reader would (A4 landscape, the page's own print CSS), and
`pdftotext -layout` reads each printed page back as lines. `chromium --headless --dump-dom`
loads a copy of the page with `print_audit.js` at the end of its body and its print rules
in force (`@media print` read as `@media all`), in a window as wide as the printable area
of an A4 landscape page, and returns what the script found (see print_audit.js).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

NAMES = ("chromium", "chromium-headless-shell", "chromium-browser", "google-chrome")
PRINT_WIDTH = 1047  # px: A4 landscape (297 mm) less the page CSS's 10 mm margins, at 96 dpi
AUDIT_JS = Path(__file__).with_name("print_audit.js")


def find_chromium() -> str | None:
    return next((path for name in NAMES if (path := shutil.which(name))), None)


def why_not() -> str | None:
    """Why the print tests cannot run here, or None when they can."""
    if find_chromium() is None:
        return (
            "no headless Chromium (chromium or chromium-headless-shell) on PATH; "
            ".ci/run installs Debian's where it may (apt-get as root)"
        )
    if shutil.which("pdftotext") is None:
        return "no pdftotext (Debian's poppler-utils) on PATH"
    return None


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = find_chromium()
    assert binary is not None
    command = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
        f"--user-data-dir={profile}", *args,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)


def print_pdf(page: Path, pdf: Path, profile: Path) -> None:
    """The page printed to PDF by Chromium, with no header or footer of the browser's own."""
    _chromium(profile, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.is_file() and pdf.stat().st_size > 0, f"Chromium printed no PDF for {page}"


def pdf_pages(pdf: Path) -> list[list[str]]:
    """Each printed page's text lines, as laid out (pdftotext -layout), blank lines dropped."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [[norm(line) for line in page.splitlines() if line.strip()] for page in pages]


def pdf_text(pdf: Path) -> list[str]:
    """Each printed page's text in reading order (pdftotext's default), as one line."""
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout  # fmt: skip
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [norm(page) for page in pages]


def audit(page: Path, work: Path, profile: Path) -> dict[str, Any]:
    """What print_audit.js found on the page laid out for print."""
    html = page.read_text(encoding="utf-8")
    html = re.sub(r"@media\s+print\s*\{", "@media all {", html)
    script = f"<script>\n{AUDIT_JS.read_text(encoding='utf-8')}\n</script>\n</body>"
    copy = work / f"audit-{page.name}"
    copy.write_text(html.replace("</body>", script, 1), encoding="utf-8")
    dom = _chromium(profile, f"--window-size={PRINT_WIDTH},900", "--dump-dom", copy.as_uri()).stdout
    found = re.search(r'id="sc-audit" data-audit="([A-Za-z0-9+/=]+)"', dom)
    assert found is not None, f"the audit script did not run on {page}"
    result: dict[str, Any] = json.loads(base64.b64decode(found.group(1)).decode("utf-8"))
    return result


def norm(text: str) -> str:
    return " ".join(text.split())
