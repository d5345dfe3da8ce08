# Property tests (issue 12): random valid scenarios of tests/prop/gen.c, each
# validated, run twice and its results checked by tests/prop/check.c. One
# line per property, over all the scenarios:
#   validate        mmsim validate accepts it
#   no-crash        mmsim run exits 0 within its time, stderr has warnings only
#                   (no sanitizer report, no SimGrid or GSL message)
#   flow-balance    holders_start + acquisitions = releases + holders_end of
#                   mmap_sem per mode; sites and processes add up to the totals
#   littles-law     L - lambda W within the work in progress at the window's
#                   edges, an exact bound (see tests/prop/check.c)
#   summaries       every distribution ordered (p50 <= ... <= max), finite
#   determinism     the same run twice: the same bytes (every file but the
#                   manifest, which has wall-clock times)
#   jobs-1-2        a scenario of several points or replications run with
#                   --jobs 1 and --jobs 2: the same bytes
# A failure names the generator seed, how to replay it and the scenario; the
# scenario files and the outputs of failing runs stay in $TMP/prop.
# PROP_SEED and PROP_N choose other scenarios (the default ones are fixed:
# make check is reproducible).
. tests/lib.sh
PROP_GEN=${PROP_GEN:-build/prop-gen}
PROP_CHECK=${PROP_CHECK:-build/prop-check}
seed=${PROP_SEED:-1}
# about a minute in the normal build; the sanitizer build runs ~50x slower
n=${PROP_N:-40} dur=0.1 limit=120
if [ "${SANITIZED:-}" = 1 ]; then
	n=${PROP_N:-8} dur=0.01 limit=600
fi
dir=$TMP/prop
mkdir -p "$dir"
if ! "$PROP_GEN" -d $dur "$seed" "$n" "$dir" > "$dir/list" 2> "$dir/gen.err"; then
	fail property-generator "$(cat "$dir/gen.err")"
	exit 0
fi
properties="validate no-crash flow-balance littles-law summaries determinism jobs-1-2"

# note PROPERTY SCENARIO WHY: a failure; the first of each property is kept whole.
note() {
	bad=1
	echo "$1" >> "$dir/failed"
	[ -f "$dir/why-$1" ] && return
	s=$(basename "$2" .json)
	s=${s#prop-}
	printf 'seed %s (replay: %s -d %s %s 1 DIR; %s run DIR/prop-%s.json): %s; scenario: %s' \
		"$s" "$PROP_GEN" $dur "$s" "$MMSIM" "$s" "$(echo "$3" | head -3 | tr '\n' ' ')" \
		"$(tr -s '\n ' '  ' < "$2")" > "$dir/why-$1"
}

# Compares two output folders, file by file, but the manifests.
same_output() {
	diff -r -x manifest.json "$1" "$2" > "$dir/diff.out" 2>&1
}

multi=0
for f in $(cat "$dir/list"); do
	name=$(basename "$f" .json)
	out1=$dir/$name.1 out2=$dir/$name.2 bad=0
	if ! "$MMSIM" validate "$f" > /dev/null 2> "$dir/err"; then
		note validate "$f" "$(cat "$dir/err")"
		continue
	fi
	timeout $limit "$MMSIM" run "$f" --quiet --jobs 1 --out "$out1" > /dev/null 2> "$dir/err"
	rc=$?
	grep -v '^mmsim: point [0-9a-f]*: warning: ' "$dir/err" > "$dir/err.other"
	if [ $rc -ne 0 ] || [ -s "$dir/err.other" ]; then
		note no-crash "$f" "exit $rc: $(cat "$dir/err.other")"
		continue
	fi
	find "$out1" -name results.json | sort > "$dir/results"
	# shellcheck disable=SC2046
	"$PROP_CHECK" $(cat "$dir/results") > "$dir/check"
	for p in flow:flow-balance little:littles-law summary:summaries format:summaries; do
		grep "^${p%%:*} " "$dir/check" > "$dir/check.p" && note "${p#*:}" "$f" "$(cat "$dir/check.p")"
	done
	# several work items (points, replications, a warm-up pilot): the jobs property
	jobs=1 prop=determinism
	if [ "$(wc -l < "$dir/results")" -gt 1 ] || grep -q mser5 "$f"; then
		jobs=2 prop=jobs-1-2 multi=$((multi + 1))
	fi
	timeout $limit "$MMSIM" run "$f" --quiet --jobs $jobs --out "$out2" > /dev/null 2>&1 ||
		{ note no-crash "$f" "the second run failed (--jobs $jobs)"; continue; }
	same_output "$out1" "$out2" || note $prop "$f" "$(head -5 "$dir/diff.out")"
	[ $bad = 1 ] || rm -rf "$out1" "$out2"
done

for p in $properties; do
	if [ -f "$dir/why-$p" ]; then
		fail "property-$p" \
			"$(grep -cx "$p" "$dir/failed") of $n scenarios, the first: $(cat "$dir/why-$p")"
	elif [ $p = jobs-1-2 ] && [ $multi -eq 0 ]; then
		fail "property-$p" "none of the $n scenarios had several points or replications"
	else
		ok "property-$p"
	fi
done
