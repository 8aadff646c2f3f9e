"""Turns the raw lines tests/bench/run.sh recorded into the printed table and its JSON."""

import json
import os
import platform
import statistics
import subprocess
import sys

raw, out, scale, duration = sys.argv[1:5]
wrk, pgbench, other = {}, {}, {}
ready = []
for line in open(raw):
    kind, *f = line.split()
    if kind == "wrk":
        name, conns, rps, p50, p99, bad = f
        wrk[(name, int(conns))] = {
            "req_per_s": float(rps), "p50_ms": float(p50), "p99_ms": float(p99), "non_2xx": int(bad)}
    elif kind == "pgbench":
        name, conns, tps = f
        pgbench[(name, int(conns))] = float(tps)
    elif kind == "ready":
        ready.append(int(f[1]))
    else:
        other[" ".join([kind] + f[:-1])] = float(f[-1])


def ratio(a, b):
    return round(a / b, 2) if b else None


rows = []
for (name, conns), m in wrk.items():
    base = {"create_session": ("write", 64)}.get(name, ("select", conns))
    row = {"measure": name, "connections": conns, **m}
    if name in ("first_page", "deep_page"):
        row["vs"] = None
    else:
        tps = pgbench.get(base)
        row["vs"] = f"pgbench -{'N' if base[0] == 'write' else 'S'} {base[1]}c"
        row["pgbench_tps"] = tps
        row["ratio"] = ratio(m["req_per_s"], tps)
    rows.append(row)

first, deep = wrk.get(("first_page", 16)), wrk.get(("deep_page", 16))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
pg_version = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
result = {
    "machine": {"cpus": os.cpu_count(), "cpu": cpu, "kernel": platform.release(), "postgres": pg_version},
    "scale": float(scale),
    "seconds_per_measure": int(duration),
    "rows": rows,
    "deep_page": {
        "row": int(other.get("deep_row", 0)),
        "p50_ratio_deep_vs_first": ratio(deep["p50_ms"], first["p50_ms"]) if first and deep else None,
        "throughput_ratio_first_vs_deep": ratio(first["req_per_s"], deep["req_per_s"]) if first and deep else None,
    },
    "rss_peak_mib": round(other.get("rss_peak_kib", 0) / 1024, 1),
    "sqlite_ready_ms": {"first_start": ready[0] if ready else None,
                        "restart_median": statistics.median(ready[1:]) if len(ready) > 1 else None},
}
if "seed seconds" in other:
    result["seed_seconds"] = round(other["seed seconds"], 1)
json.dump(result, open(out, "w"), indent=2)

print(f"\nmachine: {result['machine']['cpus']} CPUs, {cpu}; {pg_version}; scale {scale}, {duration} s per row")
print(f"{'measure':<16}{'conns':>6}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}  {'against':<18}{'tps':>9}{'ratio':>7}")
for r in rows:
    print(f"{r['measure']:<16}{r['connections']:>6}{r['req_per_s']:>10.0f}{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}  "
          f"{r.get('vs') or '':<18}{r.get('pgbench_tps') or 0:>9.0f}{r.get('ratio') or '':>7}"
          + (f"  ({r['non_2xx']} non-2xx)" if r["non_2xx"] else ""))
d = result["deep_page"]
print(f"deep page (row {d['row']:,}): p50 {d['p50_ratio_deep_vs_first']}x the first page's, "
      f"throughput first/deep {d['throughput_ratio_first_vs_deep']}")
print(f"peak RSS under load: {result['rss_peak_mib']} MiB")
print(f"ready on SQLite: first start {result['sqlite_ready_ms']['first_start']} ms, "
      f"restart median {result['sqlite_ready_ms']['restart_median']} ms")
if "seed_seconds" in result:
    print(f"seed-demo --scale {scale}: {result['seed_seconds']} s")
print(f"written to {out}")
