# mmsim run --interval-ms: intervals.csv covers the run in contiguous rows
# (the warm-up's marked, ending at its end), the rows after the warm-up add
# up to results.json's totals, and results.json is the same bytes with it.
. tests/lib.sh
dur=6
[ "${SANITIZED:-0}" = 1 ] && dur=4
s0="scenarios/seed-000-retry.json --set disk.service_ms.mean=18 --set duration_s=$dur"
# shellcheck disable=SC2086
id=$("$MMSIM" points $s0 | awk 'index($2, "\"kernel\":\"2.6.36\",") && index($2, "\"threads.A.count\":1}") { print $1 }')
# 300 ms: the 2 s warm-up ends inside a step (a short row ends it)
# shellcheck disable=SC2086
if ! "$MMSIM" run $s0 --point "$id" --out "$TMP/i" --quiet --interval-ms 300 2> "$TMP/i.err" ||
	! "$MMSIM" run $s0 --point "$id" --out "$TMP/plain" --quiet 2>> "$TMP/i.err"; then
	fail intervals-run "$(cat "$TMP/i.err")"; exit 0
fi
dir="$TMP/i/points/$id"

if cmp -s "$dir/results.json" "$TMP/plain/points/$id/results.json" &&
	[ ! -e "$TMP/plain/points/$id/intervals.csv" ]; then ok intervals-results-unchanged
else fail intervals-results-unchanged "results.json differs, or intervals.csv written without the option"; fi

# Each check prints "ok NAME" or "FAIL NAME: why".
python3 - "$dir" "$dur" <<'EOF'
import csv, json, sys
d, dur = sys.argv[1], float(sys.argv[2])
rows = list(csv.DictReader(open(d + "/intervals.csv")))
res = json.load(open(d + "/results.json"))
hist = json.load(open(d + "/histograms.json"))
m, warm = res["metrics"], res["warmup"]["warmup_s"]

def check(name, cond, why):
    print("ok " + name if cond else "FAIL %s: %s" % (name, why))

def metric(path):
    v = m
    for k in path.split("."):
        v = v[k]
    return v

starts = [float(r["start_s"]) for r in rows]
ends = [float(r["end_s"]) for r in rows]
gaps = [i for i in range(1, len(rows)) if abs(starts[i] - ends[i - 1]) > 1e-9]
check("intervals-contiguous", starts[0] == 0 and abs(ends[-1] - dur) < 1e-9 and not gaps and
      all(e > s for s, e in zip(starts, ends)), "starts %s ends %s" % (starts[:3], ends[-3:]))
warm_rows = [r for r in rows if r["warmup"] == "1"]
meas = [r for r in rows if r["warmup"] == "0"]
check("intervals-warmup-rows", warm_rows and abs(float(warm_rows[-1]["end_s"]) - warm) < 1e-9 and
      rows[:len(warm_rows)] == warm_rows and
      all(abs(float(r["end_s"]) - float(r["start_s"]) - 0.3) < 1e-9 for r in meas[:-1]),
      "warm-up rows end at %s, warm-up %s" % (warm_rows[-1]["end_s"] if warm_rows else None, warm))

def total(col):
    return sum(int(r[col]) for r in meas)

counts = {
    "threads.A.ops": "threads.A.ops", "threads.B.ops": "threads.B.ops",
    "mmap_sem.read.acquisitions": "mmap_sem.read.acquisitions",
    "mmap_sem.write.acquisitions": "mmap_sem.write.acquisitions",
    "faults.major": "faults.major", "faults.minor": "faults.minor",
    "disk.requests": "disk.requests",
}
bad = ["%s %d != %d" % (c, total(c), metric(p)) for c, p in counts.items() if total(c) != metric(p)]
bad += ["%s.releases %d != %d" % (mode, total("mmap_sem.%s.releases" % mode),
        hist["mmap_sem.%s.hold_us" % mode]["count"]) for mode in ("read", "write")
        if total("mmap_sem.%s.releases" % mode) != hist["mmap_sem.%s.hold_us" % mode]["count"]]
check("intervals-sum-to-totals", not bad and total("mmap_sem.read.acquisitions") > 0, "; ".join(bad))

def wmax(col):
    return max(float(r[col]) for r in meas if r[col] != "")

def wsum(mean, n):
    return sum(float(r[mean]) * int(r[n]) for r in meas if r[mean] != "")

bad = []
for mode in ("read", "write"):
    for kind, n in (("wait", "acquisitions"), ("hold", "releases")):
        s = metric("mmap_sem.%s.%s_us" % (mode, kind))
        if abs(wmax("mmap_sem.%s.%s_max_us" % (mode, kind)) - s["max"]) > 1e-6 * s["max"] + 1e-3:
            bad.append("%s %s max" % (mode, kind))
        total_us = hist["mmap_sem.%s.%s_us" % (mode, kind)]["sum_ns"] / 1e3
        if abs(wsum("mmap_sem.%s.%s_mean_us" % (mode, kind), "mmap_sem.%s.%s" % (mode, n)) - total_us) > 1e-6 * total_us + 1e-3:
            bad.append("%s %s total" % (mode, kind))
check("intervals-waits-holds", not bad, ", ".join(bad))

# rates are counts over the row's length; the device's busy time adds up
bad = [r["start_s"] for r in rows if abs(float(r["threads.A.ops_per_s"]) * (float(r["end_s"]) - float(r["start_s"])) - int(r["threads.A.ops"])) > 1e-6]
util = sum(float(r["disk.utilization"]) * (float(r["end_s"]) - float(r["start_s"])) for r in meas) / (dur - warm)
check("intervals-rates", not bad and abs(util - m["disk"]["utilization"]) < 1e-6,
      "rows %s, utilisation %g vs %g" % (bad[:3], util, m["disk"]["utilization"]))
EOF

# with replications, each has its own
s2="$s0 --set replications=2 --set duration_s=3"
# shellcheck disable=SC2086
id2=$("$MMSIM" points $s2 | awk 'index($2, "\"kernel\":\"2.6.36\",") && index($2, "\"threads.A.count\":1}") { print $1 }')
# shellcheck disable=SC2086
if "$MMSIM" run $s2 --point "$id2" --out "$TMP/r" --quiet --interval-ms 1000 2> "$TMP/r.err"; then
	rid=$(ls "$TMP/r/points")
	if [ -s "$TMP/r/points/$rid/replications/0/intervals.csv" ] &&
		[ -s "$TMP/r/points/$rid/replications/1/intervals.csv" ] &&
		! cmp -s "$TMP/r/points/$rid/replications/0/intervals.csv" "$TMP/r/points/$rid/replications/1/intervals.csv"; then
		ok intervals-replications
	else fail intervals-replications "$(ls -R "$TMP/r/points")"; fi
else fail intervals-replications "$(cat "$TMP/r.err")"; fi
