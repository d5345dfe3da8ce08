# proc_read "process": a monitoring agent reads another process's /proc
# files: it waits on that process's mmap_sem (its writer), never on its own
# process's; the waits count under the process read, the op time under the
# agent's group; the resolved scenario names the process and its mapping.
. tests/lib.sh
cat > "$TMP/po.json" <<'JSON'
{
  "name": "proc-other",
  "description": "a monitoring agent reads the cmdline of a database whose writer holds mmap_sem",
  "duration_s": 3,
  "warmup_s": 0.5,
  "kernel": "2.6.36",
  "processes": [
    {
      "name": "agent",
      "mappings": [{ "name": "own", "type": "anon", "size_mb": 1 }],
      "threads": [
        { "name": "mon", "loop": [
          { "op": "proc_read", "process": "db", "kind": "cmdline", "mapping": "args", "hold_us": 5 },
          { "op": "sleep", "time_us": 1000 } ] },
        { "name": "own_w", "loop": [ { "op": "mmap", "hold_us": 50 }, { "op": "sleep", "time_us": 500 } ] }
      ]
    },
    {
      "name": "db",
      "count": 2,
      "mappings": [{ "name": "args", "type": "anon", "size_mb": 0.004 }],
      "threads": [
        { "name": "w", "loop": [ { "op": "mmap", "hold_us": 300 }, { "op": "think", "time_us": 100 } ] }
      ]
    }
  ]
}
JSON
"$MMSIM" run "$TMP/po.json" --out "$TMP/po" --quiet 2> "$TMP/po.err" ||
	{ fail proc-other-run "$(cat "$TMP/po.err")"; exit 0; }
python3 - "$TMP/po" <<'PY'
import glob, json, sys
r = json.load(open(glob.glob(sys.argv[1] + "/points/*/results.json")[0]))
m = r["metrics"]

def check(name, cond, why):
    print("ok " + name if cond else "FAIL %s: %s" % (name, why))

ops = m["threads"]["mon"]["ops"]
agent, db = m["processes"]["agent"]["mmap_sem"], m["processes"]["db"]["mmap_sem"]
site = m["mmap_sem"]["read"]["by_site"]["proc_read"]["acquisitions"]
# one read hold per pass, on db's lock (a pass may straddle the warm-up's end)
check("proc-other-lock-of-target", ops > 100 and abs(db["read"]["acquisitions"] - ops) <= 1 and
      agent["read"]["acquisitions"] == 0 and site == db["read"]["acquisitions"],
      "mon ops %d, db reads %d, agent reads %d, site %d" % (ops, db["read"]["acquisitions"],
      agent["read"]["acquisitions"], site))
# db's writer (300 us of every 400) delays it; the agent's own writer does not
wait = m["threads"]["mon"]["mmap_sem_wait_us"]["mean"]
check("proc-other-waits-on-target", wait > 50 and db["read"]["wait_us"]["mean"] > 50 and
      agent["write"]["wait_us"]["max"] == 0,
      "mon wait %g, db read wait %g, agent write wait max %g" % (wait, db["read"]["wait_us"]["mean"],
      agent["write"]["wait_us"]["max"]))
op = r["parameters"]["processes"][0]["threads"][0]["loop"][0]
check("proc-other-resolved", op.get("process") == "db" and op.get("mapping") == "args" and
      "process" not in r["parameters"]["processes"][0]["threads"][1]["loop"][0],
      json.dumps(op))
PY
