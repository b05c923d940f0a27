"""python3 -m convprobe_torch --model MODULE:CALLABLE --input NxCxHxW [--train] [--dtype f32|f16|bf16]
[--channels-last] [-o FILE]: record a model's convolutions as convprobe's JSON (stdout without -o).

Exit status: 0 recorded; 1 the model failed while being recorded; 2 bad arguments (a bad --model or --input,
a module that cannot be imported, a callable that builds no nn.Module); 3 PyTorch missing or too old.
"""

import argparse
import importlib
import sys

from . import _compat

PROG = "python3 -m convprobe_torch"


class UsageError(Exception):
    pass


def parse_shape(text):
    """ "32x3x224x224" -> [32, 3, 224, 224]."""
    parts = text.strip().lower().split("x")
    if not all(p.isdigit() and int(p) > 0 for p in parts):
        raise UsageError("--input %r: expected positive sizes joined by 'x', e.g. 32x3x224x224" % text)
    return [int(p) for p in parts]


def parse_spec(spec):
    """ "torchvision.models:resnet50" -> ("torchvision.models", ["resnet50"])."""
    module, sep, attr = spec.partition(":")
    names = attr.split(".")
    if not sep or not module or not all(n.isidentifier() for n in names) or not all(
        p.isidentifier() for p in module.split(".")
    ):
        raise UsageError("--model %r: expected module.path:callable, e.g. torchvision.models:resnet50" % spec)
    return module, names


def load_callable(spec):
    module_name, names = parse_spec(spec)
    try:
        obj = importlib.import_module(module_name)
    except Exception as e:  # ImportError, or anything the module raises while importing
        raise UsageError("--model %r: cannot import %s: %s: %s" % (spec, module_name, type(e).__name__, e))
    for n in names:
        if not hasattr(obj, n):
            raise UsageError("--model %r: %s has no attribute %r" % (spec, getattr(obj, "__name__", obj), n))
        obj = getattr(obj, n)
    if not callable(obj):
        raise UsageError("--model %r: %s is not callable" % (spec, ".".join(names)))
    return obj


def build_model(torch, spec, factory):
    """factory() on the meta device where torch can (>= 2.0), else on the CPU."""
    attempts = []
    if _compat.can_build_on_meta(torch):
        attempts.append(lambda: _on_meta(torch, factory))
    attempts.append(factory)
    error = None
    for attempt in attempts:
        try:
            model = attempt()
            break
        except Exception as e:
            error = e
    else:
        raise UsageError(
            "--model %r: calling it with no arguments failed: %s: %s" % (spec, type(error).__name__, error)
        )
    if not isinstance(model, torch.nn.Module):
        raise UsageError("--model %r: returned a %s, not a torch.nn.Module" % (spec, type(model).__name__))
    return model


def _on_meta(torch, factory):
    with torch.device("meta"):
        return factory()


def main(argv=None):
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--model", required=True, help="MODULE:CALLABLE, no arguments, e.g. torchvision.models:resnet50")
    add("--input", required=True, action="append", help="an input's shape, e.g. 32x3x224x224 (repeatable)")
    add("--train", action="store_true", help="also record the backward of one training step")
    add("--dtype", choices=["f32", "f16", "bf16"], default="f32", help="cast model and inputs (default f32)")
    add("--channels-last", action="store_true", help="4-D/5-D tensors in channels-last layout")
    add("-o", "--output", help="write the JSON here (default: stdout)")
    args = parser.parse_args(argv)

    def fail(code, message):
        sys.stderr.write("%s: error: %s\n" % (PROG, message))
        return code

    try:
        shapes = [parse_shape(s) for s in args.input]
        parse_spec(args.model)
    except UsageError as e:
        return fail(2, e)
    try:
        torch = _compat.import_torch()
        _compat.dispatch_mode_class()
    except RuntimeError as e:
        return fail(3, e)
    from . import recorder

    try:
        model = build_model(torch, args.model, load_callable(args.model))
    except UsageError as e:
        return fail(2, e)
    inputs = [torch.empty(shape, device="meta") for shape in shapes]
    try:
        rec, _ = recorder.run(torch, model, inputs, args.train, args.dtype, args.channels_last)
    except Exception as e:
        return fail(1, "recording %s failed: %s: %s" % (args.model, type(e).__name__, e))
    records, notes = rec.records, rec.notes
    doc = recorder.document(
        torch,
        records,
        model=args.model,
        inputs=shapes,
        train=args.train,
        dtype=recorder.torch_dtype(torch, args.dtype),
        channels_last=args.channels_last,
        notes=notes,
    )
    text = recorder.to_json(doc)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        with open(args.output, "w") as f:
            f.write(text)
    except OSError as e:
        return fail(2, "-o %r: %s" % (args.output, e))
    sys.stderr.write("%s: %d records of %s written to %s\n" % (PROG, len(records), args.model, args.output))
    return 0



if __name__ == "__main__":
    sys.exit(main())
