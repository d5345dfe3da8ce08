#!/bin/sh
# tests/fuzz/run.sh BUILD SECONDS TARGET... - for 'make fuzz' and 'make check':
# replays tests/fuzz/regressions/TARGET/* through BUILD/fuzz_TARGET, then (if
# SECONDS > 0) fuzzes it for SECONDS from its corpus FUZZ_CORPUS/TARGET
# (default BUILD/corpus: kept between runs, not in git) and the seeds:
# tests/bad and scenarios/ for the scenario loader, the --set options of
# tests/bad/*.args for the overrides, tests/bad/data for the empirical
# reader, and tests/fuzz/seeds/TARGET.
# Prints one line per target; exits 1 on any crash, leak or timeout (the
# input is then in BUILD/artifacts/, the log in BUILD/TARGET.log).
# FUZZ_FLAGS: more libFuzzer options (e.g. -jobs, -max_len).
B=$1
SECONDS_EACH=$2
shift 2
FAILED=0
CORPUS=${FUZZ_CORPUS:-$B/corpus}

seeds() {
	d="$B/seeds/$1"
	rm -rf "$d"
	mkdir -p "$d"
	[ -d "tests/fuzz/seeds/$1" ] && cp tests/fuzz/seeds/"$1"/* "$d"/
	case $1 in
	scenario) cp tests/bad/*.json scenarios/*.json "$d"/ ;;
	empirical) cp tests/bad/data/* "$d"/ ;;
	set)
		for a in tests/bad/*.args; do
			# one --set PATH=VALUE per line, as fuzz_set.c reads them
			tr ' ' '\n' < "$a" | sed -n '/^--set$/{n;p;}' > "$d/$(basename "$a" .args)"
		done ;;
	esac
}

for t in "$@"; do
	bin="$B/fuzz_$t"
	log="$B/$t.log"
	dict=""
	[ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
	if [ -n "$(ls "tests/fuzz/regressions/$t" 2>/dev/null)" ] &&
	   ! "$bin" -close_fd_mask=2 tests/fuzz/regressions/"$t"/* > "$log" 2>&1; then
		echo "fuzz $t: a regression input fails again (log: $log)"
		FAILED=1
		continue
	fi
	[ "$SECONDS_EACH" -gt 0 ] || { echo "fuzz $t: regressions pass"; continue; }
	seeds "$t"
	mkdir -p "$CORPUS/$t" "$B/artifacts"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$SECONDS_EACH" -print_final_stats=1 -close_fd_mask=2 \
		-timeout=30 -rss_limit_mb=2560 -artifact_prefix="$B/artifacts/$t-" $dict $FUZZ_FLAGS \
		"$CORPUS/$t" "$B/seeds/$t" >> "$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed 's/^#[0-9]*[[:space:]]*[A-Z_]*[[:space:]]*//')
	if [ $rc -ne 0 ]; then
		echo "fuzz $t: FAILED (exit $rc; log: $log)"
		grep -E '^==[0-9]+==ERROR|^SUMMARY|Test unit written' "$log" | head -5
		FAILED=1
	else
		echo "fuzz $t: ${SECONDS_EACH}s, ${execs:-?} runs, $last"
	fi
done
exit $FAILED
