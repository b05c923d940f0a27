"""What the recorder needs from PyTorch, found once, with a plain message when it is missing.

Tested on torch 1.13 (Debian 12) and written against the 2.x API. What differs between versions:
  * ``torch.utils._python_dispatch.TorchDispatchMode`` usable as ``with Mode():`` came with torch 1.13
    (1.12 had an older push/enable API under the same module). Older torch: RuntimeError naming 1.13.
  * Meta-device kernels for backward ops: torch 1.13 has none for ``aten.convolution_backward`` (and some
    other ``*_backward`` ops); the recorder supplies their output shapes itself (recorder.py).
  * ``torch.device`` as a context manager (build a model directly on the meta device) came with torch 2.0;
    on 1.13 the command line builds the model on the CPU first (slower, uses memory for the weights).
"""

MIN_TORCH = (1, 13)


def torch_version_tuple(version):
    """(major, minor) of a version such as "1.13.0a0+git..." or "2.11.0+cu130"; (0, 0) if unreadable."""
    parts = []
    for piece in str(version).split(".")[:2]:
        digits = ""
        for c in piece:
            if not c.isdigit():
                break
            digits += c
        if not digits:
            return (0, 0)
        parts.append(int(digits))
    return tuple(parts) if len(parts) == 2 else (0, 0)


def import_torch():
    """The torch module, or RuntimeError saying what is missing."""
    try:
        import torch
    except ImportError as e:
        raise RuntimeError(
            "convprobe_torch needs PyTorch (>= %d.%d): 'import torch' failed: %s" % (MIN_TORCH + (e,))
        ) from e
    return torch


def dispatch_mode_class():
    """torch's TorchDispatchMode base class, or RuntimeError naming the version that has it."""
    torch = import_torch()
    version = torch_version_tuple(torch.__version__)
    try:
        from torch.utils._python_dispatch import TorchDispatchMode
    except ImportError as e:
        raise RuntimeError(
            "convprobe_torch needs torch >= %d.%d: torch %s has no "
            "torch.utils._python_dispatch.TorchDispatchMode" % (MIN_TORCH + (torch.__version__,))
        ) from e
    if version < MIN_TORCH or not hasattr(TorchDispatchMode, "__enter__"):
        raise RuntimeError(
            "convprobe_torch needs torch >= %d.%d: torch %s has TorchDispatchMode, but not usable as a "
            "context manager ('with Mode():'), which the recorder needs" % (MIN_TORCH + (torch.__version__,))
        )
    return TorchDispatchMode


def can_build_on_meta(torch):
    """True when ``with torch.device("meta"):`` builds modules directly on the meta device (torch >= 2.0)."""
    return hasattr(torch.device, "__enter__")
