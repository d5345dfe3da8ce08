#!/bin/sh
# The README's timelines ("Looking at a run"): seed 000 at 18 ms under 2.6.36
# and 2.6.37, a Paje trace of 60 ms rendered headless by ViTE, then to PNG.
# Usage: sh plots/trace-figures.sh [MMSIM] (needs vite and rsvg-convert: make deps)
set -e
MMSIM=${1:-./mmsim}
S=scenarios/seed-000-retry.json
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# NAME KERNEL A_COUNT
render() {
	set -- "$1" "--set kernel=$2 --set threads.A.count=$3 --set disk.service_ms.mean=18"
	# shellcheck disable=SC2086
	point=$("$MMSIM" points $S $2 | awk '{ print $1 }')
	# shellcheck disable=SC2086
	"$MMSIM" run $S $2 --point "$point" --out "$TMP/out-$1" --quiet --trace "$TMP/$1.paje" \
		--trace-format paje --trace-window 10:10.06
	QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=$TMP vite -f "$TMP/$1.paje" -t 10:10.06 \
		-e "$TMP/$1.svg" > "$TMP/vite.log" 2>&1
	rsvg-convert -o "plots/figures/$1.png" "$TMP/$1.svg"
	echo "plots/figures/$1.png"
}
render timeline-2.6.36 2.6.36 1
render timeline-2.6.37 2.6.37 1
render timeline-2.6.36-4readers 2.6.36 4
