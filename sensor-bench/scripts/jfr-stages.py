#!/usr/bin/env python3
"""Where a JFR recording's execution samples fall, by pipeline stage (the innermost frame that belongs to one),
plus the top self and inclusive methods. Used for docs/performance.md (issue 10; not run in CI).

Usage: java -XX:StartFlightRecording=filename=replay.jfr,settings=profile -jar dbwire.jar replay ... ;
       sensor-bench/scripts/jfr-stages.py replay.jfr [FRAME]
FRAME (optional, a substring of a method name): count only samples with that frame on the stack, e.g.
PipelineBench.inMemory for the "memory, one thread" passes of `dbwire bench`.
"""
import sys, re, subprocess, collections
f = sys.argv[1]
under = sys.argv[2] if len(sys.argv) > 2 else None
txt = subprocess.run(["jfr", "print", "--events", "jdk.ExecutionSample", "--stack-depth", "80", f], capture_output=True, text=True).stdout
samples = txt.split("jdk.ExecutionSample")
self_c = collections.Counter(); incl = collections.Counter(); n = 0
stage_rules = [
 ("record JSON", ["RecordJson", "RecordLine", "JsonBytes", "RecordLineSink", "JsonLineWriter", "jackson"]),
 ("detect", ["io.dbwire.core.detect", "DetectionStage"]),
 ("pcap read", ["pcap4j", "com.sun.jna", "PcapFileSource", "PcapFileReader", "PcapReader", "PcapngReader"]),
 ("protocol", ["io.dbwire.core.protocol"]),
 ("tls", ["io.dbwire.core.tls"]),
 ("tcp", ["io.dbwire.core.tcp"]),
 ("decap", ["io.dbwire.core.decap"]),
]
stage = collections.Counter()
for s in samples[1:]:
    frames = re.findall(r"^\s+([\w.$<>]+)\(", s, re.M)
    if not frames: continue
    if under and not any(under in fr for fr in frames): continue
    n += 1
    self_c[frames[0]] += 1
    for fr in set(frames):
        incl[fr] += 1
    # stage = outermost-first? choose the first (innermost) frame that matches a stage, searching from the top
    assigned = "other"
    for fr in frames:
        hit = None
        for name, keys in stage_rules:
            if any(k in fr for k in keys): hit = name; break
        if hit: assigned = hit; break
    stage[assigned] += 1
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
