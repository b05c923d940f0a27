"""convprobe_torch: record the convolutions a PyTorch model runs, for convprobe to probe.

    import convprobe_torch
    records = convprobe_torch.record(model, torch.randn(32, 3, 224, 224), train=True, path="model.json")

then `convprobe import model.json` (or `convprobe capture --torch ...`) turns the records into problems. Only
shapes are recorded: the model runs on the meta device, on a copy, so no GPU and no memory for activations is
needed. Needs torch >= 1.13 and nothing else. The command line: `python3 -m convprobe_torch --help`.
"""

from .recorder import FORMAT, VERSION, record

__all__ = ["FORMAT", "VERSION", "record"]
