#!/usr/bin/env python3
"""Writes the seed corpora (fuzz/corpus/<target>/) and dictionaries (fuzz/dict/) of the fuzz targets.

Seeds come from what the project already holds: the string literals of the tests, the examples of
docs/problems.md, the golden policy files, the problems files `convprobe presets NAME` prints, the messages a
worker sends, and the reproducers of every defect fuzzing found (fuzz/corpus/*/regress-*, kept as they are).
Generated seeds are named by the SHA-1 of their content, as libFuzzer names its own.

    python3 fuzz/make_corpus.py [--convprobe build/bin/convprobe]
"""
import argparse
import glob
import hashlib
import json
import os
import re
import struct
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def literals(path):
    """The C++ string literals of a file, unescaped; adjacent literals are joined."""
    text = open(path, encoding="utf-8").read()
    out = []
    pattern = re.compile(r'R"([^(\s]*)\((.*?)\)\1"|"((?:[^"\\\n]|\\.)*)"((?:\s*"(?:[^"\\\n]|\\.)*")*)', re.S)
    for m in pattern.finditer(text):
        if m.group(2) is not None:
            out.append(m.group(2))
            continue
        parts = [m.group(3)] + re.findall(r'"((?:[^"\\\n]|\\.)*)"', m.group(4) or "")
        s = ""
        for part in parts:
            s += re.sub(r"\\x([0-9a-fA-F]{2})|\\(.)",
                        lambda e: chr(int(e.group(1), 16)) if e.group(1) else ESCAPES.get(e.group(2), e.group(2)),
                        part)
        out.append(s)
    return out


def files(pattern):
    return sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True))


def is_descriptor(s):
    return "\n" not in s and 2 < len(s) < 300 and re.search(r"(ic|oc|ih|mb)-?\d", s) and not is_driver(s)


def is_driver(s):
    t = s.strip()
    return "\n" not in s and (t.startswith("conv") or t.startswith("-") or "MIOpenDriver" in t) and len(t) > 3


def doc_snippets(path):
    """Backtick spans and code-block lines of a markdown file."""
    text = open(path, encoding="utf-8").read()
    out = re.findall(r"`([^`\n]+)`", text)
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        out.append(block)
        out.extend(line for line in block.splitlines() if line.strip())
    return out


def frame(payload):
    data = payload.encode() if isinstance(payload, str) else payload
    return b"CPV1" + struct.pack("<I", len(data)) + data


def worker_messages():
    """Payloads a worker sends (src/worker/worker_main.cpp, core/json_io.cpp), one session per list."""
    info = {"name": "fault", "version": "1", "available": True, "reason": "",
            "devices": [{"index": 0, "name": "cpu", "details": ""}], "notes": ["a note"]}
    hello = {"type": "hello", "protocol": 1, "info": info}
    result = {"verdict": "PASS", "detail": "", "phase": "time", "rel_err": 1e-7, "workspace_bytes": 0,
              "device": "cpu", "attempt": 1, "wall_ms": 1.5, "restart_worker": False,
              "time_ms": {"median": 0.1, "min": 0.09, "max": 0.2, "repeats": 5, "launches": 10},
              "verify": {"sampled": False, "points": 100, "seed": 42, "threshold": 1e-5, "math": ""}}
    sessions = [
        [hello],
        [hello, {"type": "heartbeat", "seq": 1, "phase": "setup"},
         {"type": "heartbeat", "seq": 1, "phase": "run", "expected_ms": 12.5},
         {"type": "heartbeat", "seq": 1, "phase": "verify"}, {"type": "result", "seq": 1, "result": result}],
        [hello, {"type": "candidates", "seq": 1,
                 "candidates": [{"id": "fault.ok", "family": "fault", "notes": "", "attrs": {"k": "v"}}]}],
        [hello, {"type": "error", "seq": 2, "message": "backend unavailable"}],
        [hello, {"type": "result", "seq": 3, "result": dict(result, verdict="MISMATCH", time_ms=None,
                                                             rel_err=None, restart_worker=True)}],
    ]
    return [[json.dumps(m, separators=(",", ":")) for m in s] for s in sessions]


def presets(convprobe):
    if not os.access(convprobe, os.X_OK):
        raise SystemExit(f"make_corpus: {convprobe} is not built (it prints the presets)")
    out = []
    for name in ("gfx1010", "gfx1010-quick", "gfx1010-sizes", "resnet50"):
        out.append(subprocess.run([convprobe, "presets", name], check=True, capture_output=True,
                                  text=True).stdout)
    return out


def write(target, seeds):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        if not old.startswith("regress-"):
            os.remove(os.path.join(folder, old))
    unique = {s.encode() if isinstance(s, str) else s for s in seeds}
    for data in unique:
        if data:
            with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
                f.write(data)
    print(f"{target}: {len(unique)} seeds + {sum(n.startswith('regress-') for n in os.listdir(folder))} reproducers")


# Dictionaries (fuzz/dict/<target>.dict): the grammar's words, JSON tokens and boundary integers.
INTS = ["0", "1", "-1", "2", "3", "7", "42", "224", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "18446744073709551615", "18446744073709551616", "2147483647", "2147483648",
        "-2147483649", "4294967295", "4294967296", "4294967297", "68719476736"]
DESC_KEYS = ["g", "mb", "ic", "id", "ih", "iw", "oc", "od", "oh", "ow", "kd", "kh", "kw", "sd", "sh", "sw",
             "pd", "ph", "pw", "dd", "dh", "dw"]
PREFIXES = ["fwd_", "bwdd_", "bwd_d_", "bwd_data_", "bwdw_", "bwd_w_", "bwd_weights_", "f32_", "tf32_", "f16_",
            "bf16_", "nchw_", "nhwc_"]
LABELS = ['n"', 'n""', '"', "_", "MIOpenDriver", "MIOpenDriver ", "#", "\n", "\r", " ", "\t"]
DRIVER = ["conv", "convfp16", "convbfp16", "MIOpenDriver", "/opt/rocm/bin/MIOpenDriver"]
SHORT = ["-" + f + " " for f in "n c H W k y x p q u v l j g F _ ! @ $ ^ # V i t s m z I O f w".split()]
LONG = ["--batchsize", "--in_channels", "--in_h", "--in_w", "--in_d", "--out_channels", "--fil_h", "--fil_w",
        "--fil_d", "--pad_h", "--pad_w", "--pad_d", "--conv_stride_h", "--conv_stride_w", "--conv_stride_d",
        "--dilation_h", "--dilation_w", "--dilation_d", "--group_count", "--forw", "--spatial_dim", "--mode",
        "--pad_mode", "--in_layout", "--out_layout", "--fil_layout", "--verify", "--time", "--iter", "--search",
        "same", "valid", "default", "trans", "NCHW", "NHWC", "NCDHW", "NDHWC", "="]
JSON = ["{", "}", "[", "]", ":", ",", '""', "null", "true", "false", "1e400", "-0", "0.5", "-5.0", "1e10",
        "\\u0000", "\\n"]
POLICY = ["schema_version", "kind", "convprobe-policy", "backend", "backend_version", "runs", "blocked",
          "preferred", "env", "candidate", "family", "reason", "slow", "evidence", "problem", "verdict", "detail",
          "run_id", "median_ms", "PASS", "HANG", "CRASH", "MISMATCH", "FAILED", "OOM", "SKIPPED", "UNSUPPORTED",
          "fault", "miopen", "onednn", "cudnn", "MIOPEN_DEBUG_CONV_GEMM", "MIOPEN_DEBUG_", "ONEDNN_MAX_CPU_ISA",
          "DNNL_", "CUDNN_", "TORCH_CUDNN_", "CUDNN_ERRATA_JSON_FILE"]
PROFILE = ["export ", "=", "'", "'\\''", "\n", "# "]
ERRATA = ["version", "rules", "rule_id", "operation", "engine", "knob", "cudnn_version_start",
          "cudnn_version_end", "input_shape", "filter_shape", "shape_format", "ConvFwd", "ConvBwdData",
          "ConvBwdFilter", "k2=1", "k13=0", "_eng", "_k"]
PROTOCOL = ["type", "hello", "protocol", "info", "name", "version", "available", "reason", "devices", "index",
            "details", "notes", "heartbeat", "seq", "phase", "expected_ms", "result", "verdict", "detail",
            "rel_err", "workspace_bytes", "device", "attempt", "wall_ms", "restart_worker", "time_ms", "median",
            "min", "max", "repeats", "launches", "verify", "sampled", "points", "seed", "threshold", "math",
            "candidates", "id", "family", "attrs", "error", "message", "setup", "poison", "run", "time", "PASS",
            "HANG", "CRASH"]


FINDDB = ["=", ":", ",", ";", "\n", "\r", "<unused>", "-NCHW-", "-NHWC-NHWC-NHWC-", "-NCDHW-", "-FP32-", "-FP16-",
          "-BF16-", "-F", "-B", "-W", "_g", "1x1", "3x3", "miopenConvolutionFwdAlgoGEMM",
          "miopenConvolutionBwdDataAlgoDirect", "GemmFwdRest", "Looking for key ", " in file ",
          " in cache for file ", "MIOpen(HIP): Info2 [FindRecordUnsafe] ", ".HIP.", ".ufdb.txt", ".fdb.txt",
          "gfx1010_18", "2_17_0_", "_"]


def finddb_seeds():
    """Find-db lines and MIOpen log lines from the tests, and the golden records."""
    lits = [s for f in files("tests/vendor/miopen_*_test.cpp") + files("tests/cli/cli_policy_finddb_test.cpp")
            for s in literals(f) if "=" in s or "Looking for key" in s or ".ufdb.txt" in s]
    return lits + [open(f, "rb").read() for f in files("tests/policy/golden/miopen.finddb.txt")]


MIOPEN_LOG = ["MIOpen(HIP): ", "MIOpen(OpenCL): ", "MIOpen: ", "MIOpen(HIP)   1.250: ", "1234 ", "Command [",
              "LogCmdConvolution", "LogCmdFindConvolution", "LogCmdFusion", "LogCmdBNorm", "] ",
              "./bin/MIOpenDriver ", "MIOpenDriver.exe ", "CBAInfer", "bnorm", "pool", "-S 0", "-t 1", "-m trans",
              "--in_layout NHWC", "--fil_layout NHWC", "--out_layout NHWC", "\n", "\r", "# "]
BENCHDNN = ["--dir=", "--dt=", "--cfg=", "--batch=", "--reset", "--mb=", "--stag=", "--wtag=", "--dtag=",
            "--attr-fpmath=", "--alg=", "--attr-post-ops=", "--match=", "FWD_B", "FWD_D", "FWD_I", "BWD_D",
            "BWD_W", "BWD_WB", "BWD_DW", "f32", "f16", "bf16", "u8:s8:s32", "bf16:bf16:f32", "f32_wino",
            "bf16bf16bf16", "any", "abx", "axb", "nhwc", "ohwi", "aBcd16b", "tf32", "strict", ",", ":", "\\",
            "\\\n", "#", "n\"", "_n\"", "_", "=", " ", "\n"]


def sources_seeds():
    """Seeds of the MIOpen command log and benchdnn batch targets: their tests' literals, each alone and all
    of them as one file."""
    log = [s for s in literals(os.path.join(ROOT, "tests/sources/miopen_command_log_test.cpp"))
           if "MIOpen" in s or "Command [" in s]
    batch = [s for s in literals(os.path.join(ROOT, "tests/sources/benchdnn_batch_test.cpp"))
             if "--" in s or re.search(r"(ic|oc|ih)\d", s)]
    return log + ["\n".join(log)], batch + ["\n".join(batch)]


def quoted(words):
    return ['"' + w + '"' for w in words]


def write_dict(target, words):
    def escape(w):
        return "".join(c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else
                       ("\\" + c if c in '"\\' else "\\x%02x" % ord(c)) for c in w)
    os.makedirs(os.path.join(ROOT, "fuzz", "dict"), exist_ok=True)
    with open(os.path.join(ROOT, "fuzz", "dict", target + ".dict"), "w") as f:
        f.write(f"# libFuzzer dictionary of fuzz_{target}, written by fuzz/make_corpus.py\n")
        for w in dict.fromkeys(words):
            f.write('"' + escape(w) + '"\n')


def write_dicts():
    write_dict("descriptor", DESC_KEYS + PREFIXES + LABELS + INTS)
    write_dict("miopen_driver", DRIVER + SHORT + LONG + INTS)
    write_dict("problems_file", DESC_KEYS + PREFIXES + LABELS + DRIVER + SHORT + ["# ", "\n"] + INTS)
    write_dict("policy", JSON + quoted(POLICY + ERRATA) + POLICY + PROFILE + ERRATA + INTS)
    write_dict("errata", JSON + quoted(ERRATA) + ERRATA + INTS)
    write_dict("protocol", ["CPV1", "CPV1\0\0\0\0"] + JSON + quoted(PROTOCOL) + PROTOCOL + INTS)
    write_dict("finddb", FINDDB + INTS)
    write_dict("miopen_command_log", MIOPEN_LOG + DRIVER + SHORT + LONG + INTS)
    write_dict("benchdnn_batch", BENCHDNN + DESC_KEYS + INTS)
    write_dict("worker_messages", JSON + quoted(PROTOCOL) + ['"type":"hello","protocol":1,"info":{}', "\n"] +
               PROTOCOL + INTS)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--convprobe", default=os.path.join(ROOT, "build", "bin", "convprobe"))
    args = ap.parse_args()

    problem_lits = [s for f in files("tests/**/*.cpp") + files("tests/**/*.hpp") for s in literals(f)]
    docs = [s for f in files("docs/*.md") + [os.path.join(ROOT, "README.md")] for s in doc_snippets(f)]
    preset_files = presets(args.convprobe)
    # gfx1010 is the 720-line product of the others' shapes: its lines would be near-duplicate seeds.
    preset_lines = [l for p in preset_files[1:] for l in p.splitlines() if l.strip() and not l.startswith("#")]

    write("descriptor", [s for s in problem_lits + docs if is_descriptor(s)] + preset_lines)
    write("miopen_driver", [s for s in problem_lits + docs if is_driver(s)])
    write("problems_file", [s for s in literals(os.path.join(ROOT, "tests/problem/problems_file_test.cpp"))
                            if "\n" in s] + preset_files + [b for b in docs if "\n" in b and "ic" in b])

    golden = [open(f, "rb").read() for f in files("tests/policy/golden/*")]
    policy_lits = [s for f in files("tests/policy/*.cpp") + files("tests/backends/cudnn/*.cpp")
                   for s in literals(f) if s.lstrip().startswith("{") or "export " in s]
    write("policy", golden + policy_lits)
    write("errata", [open(f, "rb").read() for f in files("tests/policy/golden/*.json")] +
          [s for s in policy_lits if '"rules"' in s])

    sessions = worker_messages()
    protocol_lits = [s for s in literals(os.path.join(ROOT, "tests/worker/protocol_test.cpp"))
                     if s.startswith("{")]
    write("protocol", [b"".join(frame(m) for m in s) for s in sessions] + [frame(s) for s in protocol_lits])
    write("worker_messages", ["\n".join(s) for s in sessions] + protocol_lits)
    write("finddb", finddb_seeds())
    log_seeds, batch_seeds = sources_seeds()
    write("miopen_command_log", log_seeds)
    write("benchdnn_batch", batch_seeds)
    write_dicts()


if __name__ == "__main__":
    main()
