"""bench/report.py - the tables, targets and figures of make bench (see bench/run.sh).

Reads the runs file of bench/run.sh (one line per run: part, what, round, wall
seconds, max RSS in kB, output), prints the three tables to stdout and writes
results.md, seedbench.png, scaling.png (with their .dat and .gp) into --results,
each file whole or not at all. Exit status 1 when a target is missed or
mmsim's seedbench results differ from the references'.
"""
import argparse
import glob
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile

NAMES = {"mmsim": "mmsim", "des": "C event loop (ref)", "simpy": "SimPy 2 (ref)",
         "simgrid": "SimGrid actors (ref)"}
SERIES = {"fixed": "fixed load: 1 process, N threads, 40,000 ops/s in all",
          "growing": "growing load: N/16 processes of 16 threads, 2,500 ops/s per thread"}
problems = []


def parse_args():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", required=True)
    p.add_argument("--rounds", type=int, required=True)
    p.add_argument("--duration", type=float, required=True)
    p.add_argument("--disk-ms", type=float, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--load", nargs=2, required=True)
    p.add_argument("--quick", type=int, default=0)
    p.add_argument("--nproc", type=int, required=True)
    p.add_argument("--results", required=True)
    return p.parse_args()


def mmsim_results(folder):
    """The results.json of an mmsim run of one point."""
    files = glob.glob(os.path.join(folder, "points", "*", "results.json"))
    if len(files) != 1:
        sys.exit(f"report.py: expected one point in {folder}, found {len(files)}")
    with open(files[0]) as f:
        return json.load(f)


def seedbench_result(impl, out, a):
    """(A iterations, B iterations, A it/s, B it/s, events) of one seedbench run."""
    if impl == "mmsim":
        d = mmsim_results(out)
        p, m = d["parameters"], d["metrics"]
        if (d["kernel"] != "2.6.37" or p["duration_s"] != a.duration
                or p["disk"]["service_ms"] != a.disk_ms or d["seed"] != a.seed):
            problems.append(f"mmsim ran another configuration: {out}")
        t = m["threads"]
        return (t["A"]["ops"], t["B"]["ops"], t["A"]["ops_per_s"], t["B"]["ops_per_s"],
                m["engine"]["events"])
    with open(out) as f:
        d = json.loads(f.read().strip().splitlines()[-1])
    if (d["policy"] != "retry" or d["duration_s"] != a.duration
            or d["disk_ms"] != a.disk_ms or d["seed"] != a.seed):
        problems.append(f"{impl} ran another configuration: {out}")
    return (d["a_iters"], d["b_iters"], d["a_per_s"], d["b_per_s"], d["events"])


def spread(xs, fmt):
    """'median (min-max)' of xs, or the value alone for one run."""
    med = fmt(statistics.median(xs))
    return med if len(xs) == 1 else f"{med} ({fmt(min(xs))}-{fmt(max(xs))})"


def table(hdr, rows):
    """A markdown table, columns padded so that it also reads as plain text."""
    w = [max(len(str(r[k])) for r in rows + [hdr]) for k in range(len(hdr))]
    line = lambda r: "| " + " | ".join(
        str(c).ljust(w[k]) if k == 0 else str(c).rjust(w[k]) for k, c in enumerate(r)) + " |"
    sep = "|" + "|".join("-" * (n + 1) + (":" if k else "-") for k, n in enumerate(w)) + "|"
    return "\n".join([line(hdr), sep] + [line(r) for r in rows])


QUICK = False  # a smoke run's short runs are mostly start-up: its targets are not judged


def target(ok, what):
    if QUICK:
        return f"{'met' if ok else 'missed'} (quick run, not judged): {what}"
    if not ok:
        problems.append(f"target missed: {what}")
    return f"{'met' if ok else 'MISSED'}: {what}"


def write_whole(path, text):
    d = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".tmp-")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    global QUICK
    a = parse_args()
    QUICK = bool(a.quick)
    os.makedirs(a.results, exist_ok=True)
    runs = {}
    with open(a.runs) as f:
        for line in f:
            part, what, rnd, wall, rss, out = line.split(maxsplit=5)
            runs.setdefault(part, {}).setdefault(what, []).append(
                {"round": int(rnd), "wall": float(wall), "rss_kb": int(rss), "out": out.strip()})

    md = []  # results.md, in the order printed
    versions = mmsim_results(runs["seedbench"]["mmsim"][0]["out"])
    header = (f"mmsim {versions['mmsim_version']}, SimGrid {versions['simgrid_version']}; "
              f"{a.nproc} cores; {a.rounds} interleaved round(s); load average "
              f"{a.load[0].split()[0]} at the start, {a.load[1].split()[0]} at the end"
              + ("; QUICK smoke run (short runs)" if a.quick else ""))
    print(f"mmsim bench: {header}")
    print("Each cell: median over the rounds (min-max). wall = process wall time, fork to exit.\n")
    md.append(f"Measured by `make bench`: {header}. Each cell: median over the rounds (min-max); "
              "wall time is the whole process, fork to exit.\n")

    # 1. seedbench
    sb = runs["seedbench"]
    res = {}
    for impl, rs in sb.items():
        outs = {seedbench_result(impl, r["out"], a) for r in rs}
        if len(outs) != 1:
            problems.append(f"{NAMES[impl]} is not deterministic across rounds: {sorted(outs)}")
        res[impl] = next(iter(outs))
    wall = {i: statistics.median(r["wall"] for r in rs) for i, rs in sb.items()}
    rows = []
    for impl, rs in sb.items():
        walls = [r["wall"] for r in rs]
        ev = res[impl][4]
        rows.append((NAMES[impl], spread(walls, lambda x: f"{x:.3f}"),
                     spread([ev / w / 1e6 for w in walls], lambda x: f"{x:.1f}"),
                     f"{wall[impl] / wall['mmsim']:.2f}x",
                     spread([r["rss_kb"] / 1024 for r in rs], lambda x: f"{x:.0f}")))
    t1 = table(("seedbench, 600 s simulated" if a.duration == 600 else
                f"seedbench, {a.duration:g} s simulated", "wall s", "M events/s",
                "wall / mmsim's", "peak RSS MB"), rows)
    print(t1)
    ref = res["des"]
    for i in ("simpy", "simgrid"):
        if res[i] != ref:
            problems.append(f"references disagree: {NAMES[i]} {res[i]} vs C event loop {ref}")
    m = res["mmsim"]
    close = lambda x, y: math.isclose(x, y, rel_tol=1e-7)
    same = m[0] == ref[0] and m[1] == ref[1] and close(m[2], ref[2]) and close(m[3], ref[3])
    if not same:
        problems.append(f"mmsim's results {m[:4]} differ from the references' {ref[:4]}")
    agree = (f"Results: A {m[0]:,} and B {m[1]:,} iterations ({m[2]:g} and {m[3]:g} per s), "
             f"{m[4]:,} events: {'identical to' if same else 'DIFFERENT from'} the references'"
             + (" (all four agree)." if same and m[4] == ref[4] else "."))
    print(agree)
    tg = [target(wall["simpy"] / wall["mmsim"] >= 20,
                 f"mmsim {wall['simpy'] / wall['mmsim']:.1f}x faster than SimPy (at least 20x)"),
          target(wall["simgrid"] / wall["mmsim"] >= 20,
                 f"mmsim {wall['simgrid'] / wall['mmsim']:.1f}x faster than the SimGrid "
                 "reference (at least 20x)"),
          target(wall["mmsim"] / wall["des"] <= 5,
                 f"mmsim {wall['mmsim'] / wall['des']:.2f}x the C event loop's time (at most 5x)")]
    for line in tg:
        print("  " + line)
    md += [t1, "", agree, ""] + [f"* {x}" for x in tg] + [""]

    # 2. scaling
    scal = {}
    print()
    for series in ("fixed", "growing"):
        rows, pts = [], []
        for n in sorted(runs.get(series, {}), key=int):
            rs = runs[series][n]
            d = [mmsim_results(r["out"]) for r in rs]
            acq = [x["metrics"]["mmap_sem"]["read"]["acquisitions"]
                   + x["metrics"]["mmap_sem"]["write"]["acquisitions"] for x in d]
            rate = [q / r["wall"] for q, r in zip(acq, rs)]
            rss = [r["rss_kb"] / 1024 for r in rs]
            sat = any(x["metrics"]["checks"]["saturated"] for x in d)
            nn = int(n)
            scal[(series, nn)] = (statistics.median(rate), statistics.median(rss))
            pts.append((nn, statistics.median(rate), min(rate), max(rate)))
            rows.append([f"{nn:,}" + (" (once)" if len(rs) == 1 and a.rounds > 1 else ""),
                         f"{statistics.median(acq):,.0f}",
                         spread([r["wall"] for r in rs], lambda x: f"{x:.2f}"),
                         spread([x / 1e6 for x in rate], lambda x: f"{x:.3f}"),
                         spread(rss, lambda x: f"{x:.0f}") + (" saturated" if sat else "")])
        base = scal.get((series, 1))
        for row, nn in zip(rows, (p[0] for p in pts)):
            # what each thread beyond the first adds to the peak RSS
            row.append(f"{(scal[(series, nn)][1] - base[1]) * 1024 / (nn - 1):.1f}"
                       if base and nn > 1 else "-")
        t2 = table((f"threads ({series} load)", "acquisitions", "wall s", "M acq / wall s",
                    "peak RSS MB", "kB per added thread"), rows)
        print(f"scaling, {SERIES[series]}:")
        print(t2 + "\n")
        md += [f"Scaling, {SERIES[series]}:", "", t2, ""]
        with open(os.path.join(a.results, f".scaling-{series}.dat"), "w") as f:
            f.write("# threads  median_acq_per_s  min  max\n")
            for p in pts:
                f.write(" ".join(f"{x:g}" for x in p) + "\n")
    tg = []
    for series in ("fixed", "growing"):
        if (series, 16) in scal and (series, 4096) in scal:
            r = scal[(series, 4096)][0] / scal[(series, 16)][0]
            line = (f"{series} load: acquisitions per wall second at 4096 threads = {r:.2f} x "
                    "the 16-thread figure")
            if series == "fixed":
                tg.append(target(r >= 0.5, line + " (at least 0.5)"))
            else:  # the simulated machine does N times the work: see bench/README.md
                tg.append("for information, not a target (the work grows with the threads, "
                          "bench/README.md says why): " + line)
    for series in ("fixed", "growing"):
        if (series, 10000) in scal:
            rss = scal[(series, 10000)][1]
            tg.append(target(rss < 2048, f"{series} load: 10,000 threads in one run, peak RSS "
                                         f"{rss:.0f} MB (under 2 GiB)"))
    for line in tg:
        print("  " + line)
    md += [f"* {x}" for x in tg] + [""]

    # 3. sweep
    sw = runs.get("sweep", {})
    if "1" in sw and "2" in sw:
        w1 = [r["wall"] for r in sw["1"]]
        w2 = [r["wall"] for r in sw["2"]]
        sp = statistics.median(w1) / statistics.median(w2)
        t3 = table(("sweep of 16 points", "wall s"),
                   [("--jobs 1", spread(w1, lambda x: f"{x:.2f}")),
                    ("--jobs 2", spread(w2, lambda x: f"{x:.2f}"))])
        print()
        print(t3)
        line = f"--jobs 2 {sp:.2f}x faster than --jobs 1 on {a.nproc} cores (at least 1.8x)"
        if a.nproc >= 2:
            line = target(sp >= 1.8, line)
        else:
            line = "not checked (one core): " + line
        print("  " + line)
        md += [t3, "", f"* {line}", ""]

    verdict = "verdict: " + ("FAIL" if problems else "OK")
    for p in problems:
        print(f"FAIL: {p}")
    print(verdict)

    figures(a.results, wall, sb, a.duration)
    write_whole(os.path.join(a.results, "results.md"),
                "# make bench: results\n\n" + "\n".join(md) + "\n"
                "![seedbench](seedbench.png) ![scaling](scaling.png)\n")
    print(f"wrote {a.results}/results.md, seedbench.png, scaling.png")
    return 1 if problems else 0


GP_SEEDBENCH = """set terminal pngcairo size 900,540 font 'Sans,11'
set output '{out}'
set title 'seedbench, {duration:g} s simulated: wall time (median, min-max)'
set style fill solid 0.6 border -1
set boxwidth 0.6
set xrange [-0.6:3.6]
set logscale y
set ylabel 'wall time (s)'
set yrange [0.01:*]
set grid ytics
unset key
plot '{dat}' using 0:2:xtic(1) with boxes lc rgb '#3060a0', \\
     '{dat}' using 0:2:3:4 with yerrorbars lc rgb 'black' pt 0, \\
     '{dat}' using 0:2:(sprintf('%.2f s', $2)) with labels offset 0,1
"""

GP_SCALING = """set terminal pngcairo size 900,540 font 'Sans,11'
set output '{out}'
set title 'mmap\\_sem acquisitions simulated per wall second'
set logscale x
set xlabel 'simulated threads'
set ylabel 'million acquisitions / wall s'
set yrange [0:*]
set grid
set key top right
plot '{fixed}' using 1:($2/1e6):($3/1e6):($4/1e6) with yerrorlines lw 2 title 'fixed load (1 process)', \\
     '{growing}' using 1:($2/1e6):($3/1e6):($4/1e6) with yerrorlines lw 2 title 'growing load (16 threads per process)'
"""


def figures(results, wall, sb, duration):
    """seedbench.png and scaling.png, drawn by gnuplot from their .dat files."""
    with open(os.path.join(results, ".seedbench.dat"), "w") as f:
        for impl, rs in sb.items():
            walls = [r["wall"] for r in rs]
            f.write(f"\"{NAMES[impl]}\" {wall[impl]:g} {min(walls):g} {max(walls):g}\n")
    for name, gp, files in (("seedbench", GP_SEEDBENCH, {"dat": ".seedbench.dat"}),
                            ("scaling", GP_SCALING, {"fixed": ".scaling-fixed.dat",
                                                     "growing": ".scaling-growing.dat"})):
        for k, v in files.items():  # the data under their final names
            os.replace(os.path.join(results, v), os.path.join(results, v[1:]))
            files[k] = v[1:]
        script = gp.format(out=f".{name}.png", duration=duration, **files)
        write_whole(os.path.join(results, f"{name}.gp"), script.replace(f".{name}.png", f"{name}.png"))
        subprocess.run(["gnuplot"], input=script, text=True, cwd=results, check=True)
        os.replace(os.path.join(results, f".{name}.png"), os.path.join(results, f"{name}.png"))


if __name__ == "__main__":
    sys.exit(main())
