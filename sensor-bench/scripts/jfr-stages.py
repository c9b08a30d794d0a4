#!/usr/bin/env python3
"""Where a JFR recording's execution samples fall, by pipeline stage (the innermost frame that belongs to one),
plus the top self and inclusive methods. Used for docs/performance.md (issue 10; not run in CI).

Usage: java -XX:StartFlightRecording=filename=replay.jfr,settings=profile -jar dbwire.jar replay ... ;
       sensor-bench/scripts/jfr-stages.py replay.jfr [FRAME]
FRAME (optional, a substring of a method name): count only samples with that frame on the stack, e.g.
PipelineBench.inMemory for the "memory, one thread" passes of `dbwire bench`.
"""
import sys, re, subprocess, collections, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipeline_stages import stage_of
f = sys.argv[1]
under = sys.argv[2] if len(sys.argv) > 2 else None
txt = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "80", f], capture_output=True, text=True).stdout
samples = txt.split("jdk.ExecutionSample")
self_c = collections.Counter(); incl = collections.Counter(); n = 0
stage = collections.Counter()
for s in samples[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", s, re.M)
    if not frames: continue
    if under and not any(under in fr for fr in frames): continue
    n += 1
    self_c[frames[0]] += 1
    for fr in set(frames):
        incl[fr] += 1
    stage[stage_of(frames)] += 1  # jfr prints the innermost frame first
print("samples", n)
print("== stage (innermost dbwire/library frame) ==")
for k, v in stage.most_common():
    print(f"{100*v/n:5.1f}% {k}")
print("== self top 25 ==")
for k, v in self_c.most_common(25):
    print(f"{100*v/n:5.1f}% {k}")
print("== inclusive top 40 ==")
for k, v in incl.most_common(40):
    print(f"{100*v/n:5.1f}% {k}")
