"""The pipeline stages both profile readers (jfr-stages.py, collapsed-stages.py) sort samples into: a sample
belongs to the stage of its innermost frame that names one."""

STAGE_RULES = [
    ("record JSON", ["RecordJson", "RecordLine", "JsonBytes", "RecordLineSink", "JsonLineWriter", "EncodedStrings",
                     "EncodedBlocks", "ConnectionBlocks", "StatementBlocks", "jackson"]),
    ("detect", ["io.dbwire.core.detect", "DetectionStage"]),
    ("pcap read", ["pcap4j", "com.sun.jna", "PcapFileSource", "PcapFileReader", "PcapReader", "ClassicPcapReader",
                   "PcapngReader", "CaptureBuffer"]),
    ("protocol", ["io.dbwire.core.protocol"]),
    ("tls", ["io.dbwire.core.tls"]),
    ("tcp", ["io.dbwire.core.tcp"]),
    ("decap", ["io.dbwire.core.decap"]),
]


def stage_of(frames_innermost_first):
    """The stage of the first frame that matches one; frames may name classes with dots or slashes."""
    for frame in frames_innermost_first:
        dotted = frame.replace("/", ".")
        for name, keys in STAGE_RULES:
            if any(k in dotted for k in keys):
                return name
    return "other"
