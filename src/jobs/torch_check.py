# The Python side of `convprobe verify --framework torch`, embedded in the binary at build time
# (cmake/embed_file.cmake), so the binary needs no data files.
#   python3 SCRIPT SPEC.json OUT.json
# reads a JSON list of problems and writes one JSON document to OUT.json (not stdout: PyTorch and cuDNN print
# warnings and logs there, which must not be mistaken for the result).
# Correctness: the output against an fp64 result of the same op on the same (rounded) inputs, computed with
# cuDNN disabled (PyTorch's native CUDA kernels; on the CPU when there is no GPU), so neither the errata file
# nor cuDNN's own choice can touch the reference.
# Timing: CUDA-graph replay of the convolution (eager with events when capture fails; perf_counter on a CPU),
# median of 9 samples of 20 replays: single launches timed with events include Python's launch gaps.
# Precision: f32 problems run with TF32 off (strict fp32: PyTorch then drops TENSOR_CORE engines, as
# convprobe's `--math strict` does), tf32 problems with TF32 on; set through the legacy flag only (mixing it
# with the fp32_precision API makes PyTorch raise).

import json, statistics, sys, time

import torch
import torch.nn.functional as F

TOL = {"f32": 1e-4, "tf32": 5e-3, "f16": 2e-2, "bf16": 5e-2}
DTYPE = {"f32": torch.float32, "tf32": torch.float32, "f16": torch.float16, "bf16": torch.bfloat16}


def make_op(p):
    nd = p["spatial_dims"]
    kw = dict(stride=p["stride"], padding=p["pad"], dilation=[d + 1 for d in p["dilation"]], groups=p["g"])
    conv = F.conv2d if nd == 2 else F.conv3d
    conv_input = torch.nn.grad.conv2d_input if nd == 2 else torch.nn.grad.conv3d_input
    conv_weight = torch.nn.grad.conv2d_weight if nd == 2 else torch.nn.grad.conv3d_weight
    if p["dir"] == "fwd":
        return lambda x, w, dy: conv(x, w, **kw)
    if p["dir"] == "bwd_data":
        return lambda x, w, dy: conv_input(list(x.shape), w, dy, **kw)
    return lambda x, w, dy: conv_weight(x, list(w.shape), dy, **kw)


def time_op(fn, dev):
    if dev == "cpu":
        samples = []
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(3):
                fn()
            samples.append((time.perf_counter() - t0) * 1e3 / 3)
        return statistics.median(samples), "cpu"
    stream = torch.cuda.Stream()
    stream.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(stream):
        for _ in range(3):
            fn()
    torch.cuda.current_stream().wait_stream(stream)
    torch.cuda.synchronize()
    mode = "cuda-graph"
    try:
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            fn()
        run = graph.replay
        run()
        torch.cuda.synchronize()
    except Exception:
        mode, run = "eager", fn
    samples = []
    for _ in range(9):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(20):
            run()
        stop.record()
        torch.cuda.synchronize()
        samples.append(start.elapsed_time(stop) / 20)
    return statistics.median(samples), mode


def reference(op, tensors, dev):
    # fp64 on the same rounded inputs, cuDNN off: native kernels, untouched by the errata file.
    torch.backends.cudnn.enabled = False
    try:
        try:
            return op(*(t.double().contiguous() for t in tensors)).cpu()
        except RuntimeError:
            if dev == "cpu":
                raise
            return op(*(t.double().cpu().contiguous() for t in tensors))
    finally:
        torch.backends.cudnn.enabled = True


def run_one(p, dev):
    torch.backends.cudnn.allow_tf32 = p["type"] == "tf32"
    gen = torch.Generator().manual_seed(20261125)
    x = torch.randn([p["mb"], p["ic"]] + p["in"], generator=gen)
    w = torch.randn([p["oc"], p["ic"] // p["g"]] + p["kernel"], generator=gen)
    dy = torch.randn([p["mb"], p["oc"]] + p["out"], generator=gen)
    op = make_op(p)
    dt = DTYPE[p["type"]]
    if p["layout"] == "nhwc":
        fmt = torch.channels_last if p["spatial_dims"] == 2 else torch.channels_last_3d
    else:
        fmt = torch.contiguous_format
    xd, wd, dyd = (t.to(dev, dt).contiguous(memory_format=fmt) for t in (x, w, dy))
    y = op(xd, wd, dyd)
    if dev == "cuda":
        torch.cuda.synchronize()
    result = {"tf32": torch.backends.cudnn.allow_tf32}
    finite = bool(torch.isfinite(y).all().item())
    if p["verify"]:
        ref = reference(op, (xd, wd, dyd), dev)
        err = ((y.double().cpu() - ref).norm() / ref.norm().clamp_min(1e-300)).item()
        result["rel_err"] = err
        result["correct"] = finite and err <= TOL[p["type"]]
    else:
        result["correct"] = finite
        result["note"] = "too large for an fp64 CPU reference: checked for NaN/Inf only"
    result["median_ms"], result["timing"] = time_op(lambda: op(xd, wd, dyd), dev)
    return result


def main():
    spec = json.load(open(sys.argv[1]))
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    torch.backends.cudnn.benchmark = True
    out = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0) if dev == "cuda" else "cpu",
           "cudnn": torch.backends.cudnn.version() if dev == "cuda" else None, "problems": []}
    for p in spec["problems"]:
        p = dict(p, verify=dev == "cuda" or p["verify_on_cpu"])
        r = {"problem": p["key"]}
        try:
            r.update(run_one(p, dev))
        except Exception as e:
            r["error"] = ("%s: %s" % (type(e).__name__, e))[:500]
        out["problems"].append(r)
        if dev == "cuda":
            torch.cuda.empty_cache()
    with open(sys.argv[2], "w") as f:
        json.dump(out, f)


main()
