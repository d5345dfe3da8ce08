#!/usr/bin/env python3
"""Checks a timeline written by 'mmsim run --trace' (tests/cli/trace.sh).

trace_check.py tef FILE T0_US T1_US   Trace Event Format JSON
trace_check.py paje FILE T0_S T1_S    Paje trace
Prints one "FAIL what" line per broken invariant (none: all hold) and a
summary line "slices N counters N flows N".
"""
import json
import sys
from decimal import Decimal

failures = []


def fail(msg):
    if len(failures) < 20:
        print("FAIL " + msg)
    failures.append(msg)


def ns(x):
    """A timestamp as exact integer ns (µs in TEF, s in Paje, both decimal text)."""
    return int(Decimal(x))


def check_nesting(track, slices):
    """Slices in file order: starts monotone, each inside the one open around it."""
    stack = []
    last = None
    for start, end, name in slices:
        if end < start:
            fail(f"{track}: {name} ends before it starts")
        if last is not None and start < last:
            fail(f"{track}: {name} at {start} before the previous slice's start {last}")
        last = start
        while stack and stack[-1][1] <= start:
            stack.pop()
        if stack and end > stack[-1][1]:
            fail(f"{track}: {name} [{start}, {end}] overlaps {stack[-1][2]} "
                 f"[{stack[-1][0]}, {stack[-1][1]}]")
        stack.append((start, end, name))


def inside(slices, ts):
    return any(s <= ts <= e for s, e, _ in slices)


def check_tef(path, t0, t1):
    with open(path) as f:
        doc = json.load(f, parse_float=Decimal)
    events = doc["traceEvents"]
    named = set()
    tracks, counters, flows, open_b = {}, {}, {}, {}
    n_counters = 0
    for e in events:
        ph = e["ph"]
        key = (e.get("pid"), e.get("tid"))
        if ph == "M":
            if e["name"] == "thread_name":
                named.add(key)
            continue
        ts = ns(Decimal(e["ts"]) * 1000)
        if not t0 <= ts <= t1:
            fail(f"{ph} {e.get('name')} at {ts} ns outside the window [{t0}, {t1}]")
        if ph == "X":
            end = ts + ns(Decimal(e["dur"]) * 1000)
            if end > t1:
                fail(f"{e['name']} ends at {end}, after the window")
            tracks.setdefault(key, []).append((ts, end, e["name"]))
        elif ph == "B":
            open_b.setdefault(key, []).append((ts, e["name"]))
        elif ph == "E":
            if not open_b.get(key):
                fail(f"E without B on {key}")
            else:
                s, name = open_b[key].pop()
                tracks.setdefault(key, []).append((s, ts, name))
        elif ph == "C":
            ck = (e["pid"], e["name"])
            if counters.get(ck, -1) > ts:
                fail(f"counter {ck} goes back in time at {ts}")
            counters[ck] = ts
            n_counters += 1
            if any(v < 0 for v in e["args"].values()):
                fail(f"counter {ck} negative at {ts}")
        elif ph in "sf":
            flows.setdefault(e["id"], {})[ph] = (key, ts)
    for key, st in open_b.items():
        if st:
            fail(f"{key}: {len(st)} slice(s) never closed")
    for key, sl in tracks.items():
        if key not in named:
            fail(f"track {key} has no thread_name")
        check_nesting(key, sl)
    for fid, ends in flows.items():
        if set(ends) != {"s", "f"}:
            fail(f"flow {fid} has only {list(ends)}")
            continue
        for ph, (key, ts) in ends.items():
            if not inside(tracks.get(key, []), ts):
                fail(f"flow {fid} '{ph}' at {ts} on {key} joins no slice")
    n = sum(len(v) for v in tracks.values())
    print(f"slices {n} counters {n_counters} flows {len(flows)}")
    if n == 0 or n_counters == 0:
        fail("no slices or no counters: the invariants hold of nothing")


def check_paje(path, t0, t1):
    defined, containers, stacks = set(), set(["0"]), {}
    links = {}
    last = None
    n_slices = n_vars = 0
    with open(path) as f:
        lines = f.read().split("\n")
    for line in lines:
        if not line:
            continue
        if line.startswith("%"):
            parts = line.split()
            if parts[0] == "%EventDef":
                defined.add(parts[2])
            continue
        fields = []
        rest = line
        while rest:  # split on blanks, "quoted strings" kept whole
            rest = rest.lstrip()
            if rest.startswith('"'):
                end = rest.index('"', 1)
                fields.append(rest[1:end])
                rest = rest[end + 1:]
            else:
                word = rest.split(None, 1)
                fields.append(word[0])
                rest = word[1] if len(word) > 1 else ""
        ev = fields[0]
        if ev not in defined:
            fail(f"event {ev} used but not defined: {line}")
        if ev in ("6", "7", "8", "11", "12", "14", "15"):
            ts = ns(Decimal(fields[1]) * 10**9)
            if last is not None and ts < last:
                fail(f"time goes back at: {line}")
            last = ts
            if not t0 <= ts <= t1:
                fail(f"outside the window: {line}")
        if ev == "6":
            if fields[4] not in containers:
                fail(f"container {fields[2]} in unknown {fields[4]}")
            containers.add(fields[2])
        elif ev in ("8", "11", "12") and fields[3] not in containers:
            fail(f"unknown container: {line}")
        if ev == "11":
            stacks.setdefault(fields[3], []).append(fields[4])
            n_slices += 1
        elif ev == "12":
            if not stacks.get(fields[3]):
                fail(f"pop of an empty stack: {line}")
            else:
                stacks[fields[3]].pop()
        elif ev == "8":
            n_vars += 1
        elif ev == "14":
            links.setdefault(fields[6], []).append("s")
        elif ev == "15":
            if links.get(fields[6]) != ["s"]:
                fail(f"link end without its start: {line}")
            links[fields[6]] = ["s", "f"]
        elif ev == "7":
            if stacks.get(fields[3]):
                fail(f"container {fields[3]} destroyed with states open")
    for c, st in stacks.items():
        if st:
            fail(f"{c}: {len(st)} state(s) never popped")
    for k, v in links.items():
        if v != ["s", "f"]:
            fail(f"link {k} never ended")
    print(f"slices {n_slices} counters {n_vars} flows {len(links)}")
    if n_slices == 0 or n_vars == 0:
        fail("no states or no variables: the invariants hold of nothing")


def main():
    fmt, path, t0, t1 = sys.argv[1:5]
    if fmt == "tef":
        check_tef(path, ns(Decimal(t0) * 1000), ns(Decimal(t1) * 1000))
    else:
        check_paje(path, ns(Decimal(t0) * 10**9), ns(Decimal(t1) * 10**9))
    sys.exit(1 if failures else 0)


main()
