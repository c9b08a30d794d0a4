#!/usr/bin/env python3
"""CPU time of a process broken down by thread group, read from /proc/PID/task/*/stat while it runs (issue 10).

Usage: sensor-bench/scripts/thread-cpu.py COMMAND...   e.g.
    sensor-bench/scripts/thread-cpu.py java -jar sensor-daemon/target/dbwire.jar replay --records r.jsonl CAPTURE

Samples every thread's utime+stime every 50 ms and keeps each thread's last value, so a thread that ends early is
counted up to its last sample (less than 50 ms lost). Prints, after the command ends, CPU seconds (user + sys, and sys alone) per group:
the main thread (replay's pipeline), GC threads, JIT compiler threads, and the rest (VM thread, JFR, ...), plus the
process total from getrusage for comparison. Not run in CI.
"""
import os
import re
import resource
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")
GROUPS = [
    ("pipeline (main)", re.compile(r"^(java|main)$")),
    ("GC", re.compile(r"^(GC Thread|G1 |VM Periodic|Gang worker|ParGC|PSYoung|PSScavenge|GC |G1Refine|G1Conc|G1 Conc)")),
    ("JIT (C1/C2)", re.compile(r"^(C1 CompilerThre|C2 CompilerThre|CompilerThread)")),
]


def group_of(name):
    for label, pattern in GROUPS:
        if pattern.search(name):
            return label
    return "other"


def sample(pid, seen):
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except FileNotFoundError:
        return
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                stat = f.read()
        except (FileNotFoundError, ProcessLookupError):
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        seen[tid] = (name, int(fields[11]) / TICK, int(fields[12]) / TICK)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    proc = subprocess.Popen(sys.argv[1:])
    seen = {}
    while proc.poll() is None:
        sample(proc.pid, seen)
        time.sleep(0.05)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    totals = {}
    names = {}
    system = {}
    for name, user, sys_ in seen.values():
        g = group_of(name)
        totals[g] = totals.get(g, 0.0) + user + sys_
        system[g] = system.get(g, 0.0) + sys_
        names.setdefault(g, {}).setdefault(name, 0.0)
        names[g][name] += user + sys_
    out = sys.stderr
    print(f"thread CPU (s), exit {proc.returncode}:", file=out)
    for label in [g[0] for g in GROUPS] + ["other"]:
        detail = ", ".join(f"{n} {c:.2f}" for n, c in sorted(names.get(label, {}).items(), key=lambda x: -x[1])[:4])
        print(f"  {label:16s} {totals.get(label, 0.0):6.2f} (sys {system.get(label, 0.0):5.2f})   {detail}", file=out)
    print(f"  {'sum of threads':16s} {sum(totals.values()):6.2f}", file=out)
    print(f"  {'process (rusage)':16s} {usage.ru_utime + usage.ru_stime:6.2f}  (user {usage.ru_utime:.2f}, "
          f"sys {usage.ru_stime:.2f})", file=out)
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
