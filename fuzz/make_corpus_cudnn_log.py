#!/usr/bin/env python3
"""Writes the seed corpus (fuzz/corpus/cudnn_log/) and dictionary (fuzz/dict/cudnn_log.dict) of fuzz_cudnn_log.

Seeds are records of the real cuDNN 9.19.0 logs in tests/sources/data/ (one record each, and a search then its
call), made to fit the 4 KiB the fuzz tests allow by dropping the cudnnHandle_t block of the larger ones, plus a few hand-made ones for what the logs do
not hold (an E! record, a record cut short, a fusion). Names and the kept regress-* files follow
fuzz/make_corpus.py, whose helpers it uses.

    python3 fuzz/make_corpus_cudnn_log.py
"""
import gzip
import os
import re

from make_corpus import INTS, ROOT, write, write_dict

MAX_SEED = 4096
HEADER = re.compile(r"^[IWE]! CuDNN \(v\d+ \d+\) function (\w+)\(\) called:$")


def records(api):
    """(first line, function, text) of every record of a real log."""
    path = os.path.join(ROOT, "tests", "sources", "data", f"cudnn-9.19.0-{api}-api-log.txt.gz")
    lines = gzip.open(path, "rt").read().split("\n")
    starts = [i for i, line in enumerate(lines) if HEADER.match(line)]
    out = []
    for a, b in zip(starts, starts[1:] + [len(lines)]):
        out.append((a + 1, HEADER.match(lines[a]).group(1), "\n".join(lines[a:b])))
    return out


def without_handle(text):
    """The record without its "handle: type=cudnnHandle_t:" block (device properties, nothing of the conv)."""
    lines = text.split("\n")
    out, skipping = [], False
    for line in lines:
        if line.startswith("i!     handle: type=cudnnHandle_t:"):
            skipping = True
            continue
        if skipping and line.startswith("i!         "):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out)


def first_lines(text):
    """As many whole lines of `text` as fit in a seed (a record that counts must fit whole)."""
    while len(text.encode()) > MAX_SEED:
        text = text[: text.rfind("\n")]
    return text


def pick(recs, line):
    return next(text for first, _, text in recs if first == line)


def seeds():
    legacy, backend = records("legacy"), records("backend")
    out = []
    # One record of every function and severity, and of every function that counts (legacy calls and
    # searches, operation finalizes, executions) one per direction and data type.
    seen = set()
    for recs in (legacy, backend):
        for first, function, text in recs:
            second = text.split("\n")[1] if "\n" in text else ""
            counts = (function.startswith(("cudnnConvolution", "cudnnGetConvolution", "cudnnFindConvolution")) or
                      (function == "cudnnBackendFinalize" and "OPERATION_CONVOLUTION" in second) or
                      (function == "cudnnBackendExecute" and "executionPlan" in second))
            kind = (text[0], function)
            if counts:
                kind += ("HALF" in text, second, tuple(re.findall(r"CONVOLUTION_\w+_DESCRIPTOR", text)[:1]))
            if kind not in seen:
                out.append(without_handle(text) if counts else first_lines(without_handle(text)))
            seen.add(kind)
    # A search then its call (legacy 117, 240); an operation's finalize and its execution do not fit in 4 KiB.
    out.append(without_handle(pick(legacy, 117)) + without_handle(pick(legacy, 240)))
    forward = without_handle(pick(legacy, 240))
    out.append(forward[: forward.find("i!     convDesc")])  # cut short
    out.append(forward.replace("cudnnConvolutionForward()", "cudnnConvolutionBiasActivationForward()"))
    out.append(forward.replace("CUDNN_CROSS_CORRELATION (1)", "CUDNN_CONVOLUTION (0)"))
    out.append("E! CuDNN (v91900 56) function cudnnConvolutionForward() called:\n"
               "e!     Info: Traceback contains 1 message(s)\n"
               "e!         Error: CUDNN_STATUS_BAD_PARAM; Reason: dimA[i] <= 0\n"
               "e! Time: 2026-12-04T15:49:15.541318 (0d+0h+0m+0s since start)\n"
               "e! Process=485; Thread=485; GPU=NULL; Handle=NULL; StreamId=NULL.\n")
    too_big = [s[:60] for s in out if len(s.encode()) > MAX_SEED]
    if too_big:
        raise SystemExit(f"make_corpus_cudnn_log: seeds over {MAX_SEED} bytes: {too_big}")
    return [s.encode() for s in out if s.strip()]


WORDS = ["I! CuDNN (v91900 56) function ", "W! CuDNN (v91900 56) function ", "E! CuDNN (v91900 56) function ",
         "() called:", "\n", "\r", "i!     ", "i!         ", "i!             ", "    ", "e!     Error: ",
         "i! Time: ", "i! Process=", ": type=", "; val=", ";", ":", "[", "]", ",", "[]", "[1,1]", "[2,3,20,20]",
         "cudnnConvolutionForward", "cudnnConvolutionBackwardData", "cudnnConvolutionBackwardFilter",
         "cudnnGetConvolutionForwardAlgorithm_v7", "cudnnFindConvolutionBackwardDataAlgorithmEx",
         "cudnnGetConvolutionBackwardFilterWorkspaceSize", "cudnnConvolutionBiasActivationForward",
         "cudnnBackendFinalize", "cudnnBackendExecute", "cudnnBackendExecuteInternal", "descriptor", "operation",
         "xDesc", "wDesc", "yDesc", "dxDesc", "dwDesc", "dyDesc", "srcDesc", "filterDesc", "destDesc", "diffDesc",
         "gradDesc", "convDesc", "cudnnTensorDescriptor_t", "cudnnFilterDescriptor_t",
         "cudnnConvolutionDescriptor_t", "CUDNN_BACKEND_TENSOR_DESCRIPTOR", "CUDNN_BACKEND_CONVOLUTION_DESCRIPTOR",
         "CUDNN_BACKEND_OPERATION_CONVOLUTION_FORWARD_DESCRIPTOR",
         "CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_DATA_DESCRIPTOR",
         "CUDNN_BACKEND_OPERATION_CONVOLUTION_BACKWARD_FILTER_DESCRIPTOR",
         "CUDNN_BACKEND_OPERATION_POINTWISE_DESCRIPTOR", "dataType", "type", "nbDims", "dimA", "strideA", "format",
         "vect", "vectorCount", "mode", "computeType", "arrayLength", "padA", "lowerPadA", "upperPadA",
         "dilationA", "groupCount", "CUDNN_DATA_FLOAT", "CUDNN_DATA_HALF", "CUDNN_DATA_BFLOAT16", "CUDNN_DATA_INT8",
         "CUDNN_DATA_DOUBLE", "CUDNN_TENSOR_NCHW", "CUDNN_TENSOR_NHWC", "CUDNN_TENSOR_NCHW_VECT_C",
         "CUDNN_CROSS_CORRELATION", "CUDNN_CONVOLUTION"]


def main():
    write("cudnn_log", seeds())
    write_dict("cudnn_log", WORDS + INTS)
    path = os.path.join(ROOT, "fuzz", "dict", "cudnn_log.dict")
    lines = open(path).read().split("\n")
    lines[0] = "# libFuzzer dictionary of fuzz_cudnn_log, written by fuzz/make_corpus_cudnn_log.py"
    open(path, "w").write("\n".join(lines))


if __name__ == "__main__":
    main()
