#!/usr/bin/env bash
# Regenerate the README's screenshots from the bundled sample, with Debian's chromium and
# poppler-utils (pdftoppm): run from the repository root with scorecard installed.
#   docs/board.png            the sample trust board, as on screen
#   docs/screenshot.png       the England card (scorecard build --org ENG)
#   docs/board-greyscale.png  page 2 of the trust board printed to PDF, in greyscale
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
scorecard build --out "$work/out" >/dev/null
scorecard build --org ENG --out "$work/out" >/dev/null
board=$(ls "$work"/out/trust-board-*.html | grep -v fragment)
england=$(ls "$work"/out/scorecard-ENG-*.html | grep -v fragment)
shot() {  # page, png, height
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$work/profile" --window-size="1400,$3" --screenshot="$2" \
        "file://$1" 2>/dev/null >/dev/null
}
shot "$board" docs/board.png 1800
shot "$england" docs/screenshot.png 1900
chromium --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
    --no-pdf-header-footer --print-to-pdf="$work/board.pdf" "file://$board" 2>/dev/null >/dev/null
pdftoppm -gray -png -r 110 -f 2 -l 2 -singlefile "$work/board.pdf" docs/board-greyscale
echo "wrote docs/board.png docs/screenshot.png docs/board-greyscale.png"
