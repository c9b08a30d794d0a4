#!/usr/bin/env python3
"""Where async-profiler's samples fall, by pipeline stage: the same stages as jfr-stages.py, read from the collapsed
stacks async-profiler writes, plus the top innermost dbwire frames and the top leaf frames with their callers (JIT
stubs and kernel frames included, which JFR leaves out). Used for docs/performance.md (issue 10; not run in CI).

async-profiler comes from Maven Central (its jar holds the native library):
  mvn -B dependency:get -Dartifact=tools.profiler:async-profiler:3.0
  unzip -o ~/.m2/repository/tools/profiler/async-profiler/3.0/async-profiler-3.0.jar 'linux-x64/*' -d /tmp/ap
  java -agentpath:/tmp/ap/linux-x64/libasyncProfiler.so=start,event=cpu,interval=200us,file=b.collapsed,collapsed \\
      -jar dbwire.jar bench --mode memory --repeat 4 /tmp/dbwire-bench/bench-600k.pcap
Usage: sensor-bench/scripts/collapsed-stages.py b.collapsed [FRAME]
FRAME (optional, a substring of a frame): count only stacks holding it, e.g. PipelineBench.inMemory.
"""
import sys, collections, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pipeline_stages import stage_of

path = sys.argv[1]
under = sys.argv[2] if len(sys.argv) > 2 else None
n = 0
stage = collections.Counter()
inner = collections.Counter()
leaf = collections.Counter()
for line in open(path):
    stack, _, count = line.rstrip().rpartition(" ")
    if not stack or (under and under.replace(".", "/") not in stack.replace(".", "/")):
        continue
    c = int(count)
    n += c
    frames = stack.split(";")
    stage[stage_of(reversed(frames))] += c  # collapsed stacks end with the innermost frame
    own = next((fr for fr in reversed(frames) if fr.startswith("io/dbwire")), None)
    if own:
        inner[own.split("/")[-1]] += c
    leaf[" < ".join(fr.split("/")[-1] for fr in reversed(frames[-2:]))] += c
if n == 0:
    sys.exit("no samples" + (f" under {under}" if under else ""))
print("samples", n)
print("== stage (innermost frame that belongs to one) ==")
for k, v in stage.most_common():
    print(f"{100 * v / n:5.1f}% {k}")
print("== innermost dbwire frame, top 30 ==")
for k, v in inner.most_common(30):
    print(f"{100 * v / n:5.1f}% {k}")
print("== leaf < caller, top 30 ==")
for k, v in leaf.most_common(30):
    print(f"{100 * v / n:5.1f}% {k}")
