#!/usr/bin/env python3
"""Summarizes psql output of PlanQueries.java: per statement and run, the execution time and the pages of the plan's
top node (shared hit + read), and, for the catch-up windows, how rt_jobs was read (the scan nodes on rt_jobs_N).
usage: summarize.py plans.txt [more.txt ...] (one column per file)"""
import re, sys

def parse(path):
    out, name, pages, scans = {}, None, None, set()
    for line in open(path):
        m = re.match(r"### (.*)", line.strip())
        if m:
            name, pages, scans = m.group(1), None, set()
            continue
        if name is None:
            continue
        b = re.search(r"Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?", line)
        if b and pages is None:
            pages = int(b.group(1) or 0) + int(b.group(2) or 0)
        s = re.search(r"(Index Only Scan|Index Scan|Bitmap Heap Scan|Seq Scan|Bitmap Index Scan)(?: Backward)?(?: using (\S+))? on (rt_jobs_\d+)", line)
        if s:
            scans.add((s.group(1) + (" " + re.sub(r"rt_jobs_\d+_", "", s.group(2)) if s.group(2) else "")))
        t = re.search(r"Execution Time: ([\d.]+) ms", line)
        if t:
            out[name] = (float(t.group(1)), pages, sorted(scans))
            name = None
    return out

files = sys.argv[1:]
results = [parse(f) for f in files]
names = []
for r in results:
    for n in r:
        base = re.sub(r" \(run \d\)$", "", n)
        if base not in names:
            names.append(base)
print("statement | " + " | ".join(files))
for base in names:
    cells = []
    for r in results:
        runs = [r.get(f"{base} (run {i})") for i in (1, 2)]
        runs = [x for x in runs if x]
        if not runs:
            cells.append("-")
            continue
        cells.append("; ".join(f"{t:.1f} ms {p} pages" for t, p, _ in runs) + " [" + ", ".join(runs[-1][2]) + "]")
    print(base + " | " + " | ".join(cells))
