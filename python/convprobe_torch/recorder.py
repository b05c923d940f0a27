"""Records every convolution a PyTorch module runs, forward and backward, on the meta device (shapes only).

How: a TorchDispatchMode sees each ``aten.convolution.default`` (nn.Conv*, ConvTranspose*, F.conv*, grouped,
depthwise, 1-D to 3-D) and ``aten.convolution_backward.default`` with its real arguments, after autocast and
with the tensors' real strides. The model runs on a copy whose parameters and buffers are meta tensors, so no
weights are allocated and nothing is computed; the user's model is left as it was.

Module names: forward pre-hooks and forward hooks on every submodule keep a stack of the modules running; a
forward convolution takes the innermost one's qualified name ("layer1.0.conv1"; an ``F.conv2d`` called in the
root module's own forward, or outside any module, gets ""). A backward convolution takes the name of the
forward convolution it differentiates: autograd hands the backward the very tensors the forward saved (same
TensorImpl, ``Tensor._cdata``), so the pair (input, weight) identifies the forward call exactly; the recorder
keeps those tensors alive for the whole recording so that no address is reused. Where that fails (a tensor
autograd saved as a copy), the last unclaimed forward with the same shapes and arguments names it, else "".
"""

import functools
import json

from . import _compat

FORMAT = "convprobe-torch-record"
VERSION = 1

_DTYPE_ALIASES = {
    "f32": "float32",
    "fp32": "float32",
    "float": "float32",
    "float32": "float32",
    "f16": "float16",
    "fp16": "float16",
    "half": "float16",
    "float16": "float16",
    "bf16": "bfloat16",
    "bfloat16": "bfloat16",
}


def torch_dtype(torch, dtype):
    """None, or the torch dtype named by `dtype` (a torch.dtype or f32/f16/bf16/float16/...)."""
    if dtype is None:
        return None
    if isinstance(dtype, torch.dtype):
        name = str(dtype).replace("torch.", "")
    else:
        name = _DTYPE_ALIASES.get(str(dtype).lower(), "")
    if name not in ("float32", "float16", "bfloat16"):
        raise ValueError("dtype %r: expected f32, f16 or bf16 (or torch.float32/float16/bfloat16)" % (dtype,))
    return getattr(torch, name)


def _memory_format(torch, rank, channels_last):
    """The channels-last format of a rank-4 or rank-5 tensor when asked for, else None."""
    if not channels_last:
        return None
    return {4: torch.channels_last, 5: torch.channels_last_3d}.get(rank)


def _meta_like(torch, t, dtype, channels_last):
    """A meta tensor like `t`: same shape and strides (or channels-last when asked), floating types cast to
    `dtype`; a Parameter stays a Parameter, requires_grad is kept."""
    if isinstance(t, torch.nn.parameter.UninitializedTensorMixin):
        raise ValueError("the model has uninitialized (lazy) parameters: run it once on a real input first")
    kwargs = {"device": "meta"}
    if dtype is not None and t.is_floating_point():
        kwargs["dtype"] = dtype
    fmt = _memory_format(torch, t.dim(), channels_last)
    if fmt is not None:
        kwargs["memory_format"] = fmt
    out = torch.empty_like(t, **kwargs)
    if isinstance(t, torch.nn.Parameter):
        return torch.nn.Parameter(out, requires_grad=t.requires_grad)
    if t.requires_grad and out.is_floating_point():
        out.requires_grad_(True)
    return out


def meta_model(torch, model, dtype=None, channels_last=False):
    """A copy of `model` whose parameters and buffers are meta tensors (tied ones stay tied); the structure is
    deep-copied, the weights are never copied."""
    import copy

    memo = {}
    for t in list(model.parameters()) + list(model.buffers()):
        if id(t) not in memo:
            memo[id(t)] = _meta_like(torch, t, dtype, channels_last)
    try:
        return copy.deepcopy(model, memo)
    except Exception as e:  # a module holding something deepcopy cannot copy
        raise RuntimeError(
            "cannot copy the model to record it (%s: %s); pass copy=False to record on the model itself "
            "(its weights are then replaced by meta tensors)" % (type(e).__name__, e)
        ) from e


def meta_inputs(torch, value, dtype=None, channels_last=False):
    """`value` with every tensor in it (lists, tuples, dicts too) replaced by a meta tensor of its shape."""
    if isinstance(value, torch.Tensor):
        return _meta_like(torch, value, dtype, channels_last)
    if isinstance(value, (list, tuple)):
        items = [meta_inputs(torch, v, dtype, channels_last) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    if isinstance(value, dict):
        return type(value)((k, meta_inputs(torch, v, dtype, channels_last)) for k, v in value.items())
    return value


def is_channels_last(torch, t):
    """True when `t` is laid out channels-last (NHWC / NDHWC). When both layouts describe it (a size-1
    channel or spatial extent), its strides decide, as PyTorch's suggest_memory_format does: channels-last
    only when they are exactly the channels-last strides of its shape and differ from the contiguous ones."""
    fmt = {4: torch.channels_last, 5: torch.channels_last_3d}.get(t.dim())
    if fmt is None or not t.is_contiguous(memory_format=fmt):
        return False
    if not t.is_contiguous():
        return True
    cl = tuple(torch.empty(tuple(t.shape), device="meta", memory_format=fmt).stride())
    nchw = tuple(torch.empty(tuple(t.shape), device="meta").stride())
    return tuple(t.stride()) == cl and cl != nchw


def _ints(values):
    return [int(v) for v in values]


def _tensors_in(value):
    """Every tensor in a (nested) output: tensors, lists, tuples, dicts, namedtuples."""
    import torch

    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _tensors_in(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _tensors_in(v)


class Recorder:
    """The state of one recording: the records, the module stack, the forward calls backward ones refer to."""

    def __init__(self, torch):
        self.torch = torch
        self.records = []
        self.notes = []
        self._modules = []  # qualified names of the modules running, innermost last
        self._forward_by_tensors = {}  # (input TensorImpl, weight TensorImpl) -> module name
        self._forward_by_shape = {}  # shape-and-arguments key -> [module names], for the fallback
        self._keep_alive = []  # the forward's tensors: their addresses must not be reused while we record
        self._aten = torch.ops.aten

    # --- module names -------------------------------------------------------------------------------------
    def attach(self, model):
        """Hooks on every submodule; returns the handles to remove."""
        handles = []
        for name, module in model.named_modules():
            try:
                handles.append(module.register_forward_pre_hook(functools.partial(self._enter, name)))
                handles.append(module.register_forward_hook(self._leave))
            except Exception:  # e.g. a scripted submodule: its convolutions get the enclosing module's name
                continue
        return handles

    def _enter(self, name, module, inputs):
        self._modules.append(name)

    def _leave(self, module, inputs, output):
        if self._modules:
            self._modules.pop()

    # --- the dispatch mode --------------------------------------------------------------------------------
    def mode(self):
        base = _compat.dispatch_mode_class()
        recorder = self

        class ConvRecordingMode(base):
            def __torch_dispatch__(self, func, types, args=(), kwargs=None):
                return recorder.dispatch(func, args, kwargs or {})

        return ConvRecordingMode()

    def dispatch(self, func, args, kwargs):
        if func is self._aten.convolution.default:
            out = func(*args, **kwargs)
            self._forward(self._bind(func, args, kwargs), out)
            return out
        if func is self._aten.convolution_backward.default:
            values = self._bind(func, args, kwargs)
            self._backward(values)
            return self._run_or_shape(func, args, kwargs, values)
        return self._run_or_shape(func, args, kwargs, None)

    @staticmethod
    def _bind(func, args, kwargs):
        names = [a.name for a in func._schema.arguments]
        values = dict(zip(names, args))
        values.update(kwargs)
        return values

    # --- ops without meta kernels (torch 1.13) ------------------------------------------------------------
    def _run_or_shape(self, func, args, kwargs, conv_backward):
        try:
            return func(*args, **kwargs)
        except NotImplementedError:
            if not self._all_meta(args, kwargs):
                raise
            values = self._bind(func, args, kwargs) if conv_backward is None else conv_backward
            out = self._shape_only(func, values)
            if out is None:
                raise RuntimeError(
                    "torch %s has no meta-device kernel for %s, which this model needs; record with a newer "
                    "torch (2.1 or later has meta kernels for most ops)" % (self.torch.__version__, func)
                )
            note = "torch %s has no meta kernel for %s: the recorder supplied its output shapes" % (
                self.torch.__version__,
                func,
            )
            if note not in self.notes:
                self.notes.append(note)
            return out

    def _all_meta(self, args, kwargs):
        tensors = list(_tensors_in(list(args) + list(kwargs.values())))
        return bool(tensors) and all(t.device.type == "meta" for t in tensors)

    def _shape_only(self, func, values):
        """Outputs of the right shapes for a backward op the meta device cannot run, or None."""
        torch = self.torch
        if func is self._aten.convolution_backward.default:
            mask = values["output_mask"]
            weight = values["weight"]
            bias = _ints(values["bias_sizes"] or [])
            return (
                torch.empty_like(values["input"]) if mask[0] else None,
                torch.empty_like(weight) if mask[1] else None,
                torch.empty(bias, dtype=weight.dtype, device="meta") if mask[2] else None,
            )
        # Any other "<op>_backward" returning one tensor: the gradient of its input `self` has self's shape.
        schema = func._schema
        like = values.get("self")
        if (
            schema.name.endswith("_backward")
            and len(schema.returns) == 1
            and str(schema.returns[0].type) == "Tensor"
            and isinstance(like, torch.Tensor)
        ):
            return torch.empty_like(like)
        return None

    # --- records ------------------------------------------------------------------------------------------
    def _common(self, op, values, module, output):
        inp, weight = values["input"], values["weight"]
        return {
            "op": op,
            "module": module,
            "input": _ints(inp.shape),
            "weight": _ints(weight.shape),
            "output": _ints(output.shape),
            "stride": _ints(values["stride"]),
            "padding": _ints(values["padding"]),
            "dilation": _ints(values["dilation"]),
            "transposed": bool(values["transposed"]),
            "output_padding": _ints(values["output_padding"]),
            "groups": int(values["groups"]),
            "dtype": str(inp.dtype).replace("torch.", ""),
            # What cuDNN and oneDNN do: channels-last when the input or the weight is.
            "channels_last": is_channels_last(self.torch, inp) or is_channels_last(self.torch, weight),
        }

    @staticmethod
    def _shape_key(values):
        return (
            tuple(values["input"].shape),
            tuple(values["weight"].shape),
            tuple(_ints(values["stride"])),
            tuple(_ints(values["padding"])),
            tuple(_ints(values["dilation"])),
            bool(values["transposed"]),
            tuple(_ints(values["output_padding"])),
            int(values["groups"]),
        )

    def _forward(self, values, out):
        module = self._modules[-1] if self._modules else ""
        rec = self._common("convolution", values, module, out)
        self.records.append(rec)
        inp, weight = values["input"], values["weight"]
        if self.torch.is_grad_enabled():
            self._keep_alive.extend((inp, weight))
            self._forward_by_tensors[(inp._cdata, weight._cdata)] = module
            self._forward_by_shape.setdefault(self._shape_key(values), []).append(module)

    def _backward(self, values):
        inp, weight = values["input"], values["weight"]
        module = self._forward_by_tensors.get((inp._cdata, weight._cdata))
        if module is None:
            same = self._forward_by_shape.get(self._shape_key(values))
            module = same.pop() if same else ""
        rec = self._common("convolution_backward", values, module, values["grad_output"])
        rec["output_mask"] = [bool(m) for m in values["output_mask"]]
        self.records.append(rec)


def _scalar_of(torch, output):
    """One scalar from every floating output that requires grad (their sums added), or None."""
    total = None
    for t in _tensors_in(output):
        if t.is_floating_point() and t.requires_grad:
            total = t.sum() if total is None else total + t.sum()
    return total


def record(
    model, *example_inputs, train=False, dtype=None, channels_last=False, path=None, name=None, copy=True
):
    """Every convolution `model(*example_inputs)` runs, as a list of dicts (fields: docs/torch-recorder.md).

    train=True also runs the backward of a scalar made from the outputs (their sums) in training mode;
    dtype ("f32", "f16", "bf16" or a torch dtype) casts the model and the inputs; channels_last converts
    4-D and 5-D parameters, buffers and inputs. Only shapes matter: everything runs on the meta device, on a
    copy of the model (copy=False: on the model itself, whose weights become meta tensors). With `path`, the
    JSON document (format "convprobe-torch-record", version 1) is written there; `name` is its "model"."""
    torch = _compat.import_torch()
    recorder, inputs = run(torch, model, example_inputs, train, dtype, channels_last, copy)
    if path is not None:
        doc = document(
            torch,
            recorder.records,
            model=name if name is not None else "%s.%s" % (type(model).__module__, type(model).__qualname__),
            inputs=[_ints(t.shape) for t in _tensors_in(list(inputs))],
            train=train,
            dtype=torch_dtype(torch, dtype),
            channels_last=channels_last,
            notes=recorder.notes,
        )
        with open(path, "w") as f:
            f.write(to_json(doc))
    return recorder.records


def run(torch, model, example_inputs, train=False, dtype=None, channels_last=False, copy=True):
    """record() without the document: the Recorder (records, notes) and the meta inputs it ran on."""
    _compat.dispatch_mode_class()  # fail early, and plainly, on an old torch
    cast = torch_dtype(torch, dtype)
    if copy:
        net = meta_model(torch, model, cast, channels_last)
    else:
        net = model
        for module in net.modules():
            for table in (module._parameters, module._buffers):
                for key, t in list(table.items()):
                    if t is not None:
                        table[key] = _meta_like(torch, t, cast, channels_last)
    inputs = meta_inputs(torch, tuple(example_inputs), cast, channels_last)
    recorder = Recorder(torch)
    net.train(bool(train))
    handles = recorder.attach(net)
    try:
        with recorder.mode():
            with torch.enable_grad() if train else torch.no_grad():
                output = net(*inputs)
                if train:
                    loss = _scalar_of(torch, output)
                    if loss is None:
                        raise RuntimeError("train=True, but no output of the model requires grad")
                    loss.backward()
    finally:
        for h in handles:
            h.remove()
    return recorder, inputs


def document(torch, records, model, inputs, train, dtype, channels_last, notes=()):
    """The JSON document convprobe reads (src/sources/torch_record.hpp); "format" comes first so that a
    reader can tell the file from its first bytes."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "torch": torch.__version__,
        "model": model,
        "input": inputs,
        "train": bool(train),
        "dtype": str(dtype).replace("torch.", "") if dtype is not None else None,
        "channels_last": bool(channels_last),
        "notes": list(notes),
        "records": records,
    }


def to_json(doc):
    """`doc` as JSON text with one record per line (diffs stay readable)."""
    head = {k: v for k, v in doc.items() if k != "records"}
    lines = [json.dumps(head)[:-1] + ', "records": [']
    records = doc.get("records", [])
    for i, rec in enumerate(records):
        lines.append(" " + json.dumps(rec) + ("," if i + 1 < len(records) else ""))
    lines.append("]}")
    return "\n".join(lines) + "\n"
