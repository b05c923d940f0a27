"""The PyTorch recorder (python/convprobe_torch) on the meta device: the records of a 3-layer model trained
one step, module names, F.conv2d, layout, dtype, the document, and the command line's errors.

Run by ctest through with_torch_python.sh (skipped when no interpreter imports torch) with PYTHONPATH set to
the build tree's copy of the package. Written for torch 1.13 (Debian 12) and later.
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

import torch
import torch.nn as nn
import torch.nn.functional as F

import convprobe_torch
from convprobe_torch import recorder


class ThreeLayers(nn.Module):
    """The model of the research note (sources-steering-fleets.md §1c); also the CLI's --model."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=2)
        self.up = nn.ConvTranspose2d(8, 4, 2, stride=2)

    def forward(self, x):
        return self.up(self.conv2(self.conv1(x)))


class Functional(nn.Module):
    """F.conv2d in the root's own forward (no module: "") and in a named non-conv submodule."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(4, 3, 1, 1))
        self.block = Block()

    def forward(self, x):
        return self.block(F.conv2d(x, self.weight))


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(4, 4, 3, 3))

    def forward(self, x):
        return F.conv2d(x, self.w, padding=1)


def not_a_module():
    return 42


def rec(op, module, input, weight, output, stride, padding, dilation, transposed, groups, mask=None, **extra):
    r = {
        "op": op,
        "module": module,
        "input": input,
        "weight": weight,
        "output": output,
        "stride": stride,
        "padding": padding,
        "dilation": dilation,
        "transposed": transposed,
        "output_padding": [0, 0],
        "groups": groups,
        "dtype": "float32",
        "channels_last": False,
    }
    if mask is not None:
        r["output_mask"] = mask
    r.update(extra)
    return r


CONV1 = dict(module="conv1", input=[2, 3, 20, 20], weight=[8, 3, 3, 3], output=[2, 8, 10, 10], stride=[2, 2],
             padding=[1, 1], dilation=[1, 1], transposed=False, groups=1)
CONV2 = dict(module="conv2", input=[2, 8, 10, 10], weight=[8, 4, 3, 3], output=[2, 8, 10, 10], stride=[1, 1],
             padding=[2, 2], dilation=[2, 2], transposed=False, groups=2)
UP = dict(module="up", input=[2, 8, 10, 10], weight=[8, 4, 2, 2], output=[2, 4, 20, 20], stride=[2, 2],
          padding=[0, 0], dilation=[1, 1], transposed=True, groups=1)


class Recorder(unittest.TestCase):
    def test_three_layers_trained(self):
        got = convprobe_torch.record(ThreeLayers(), torch.randn(2, 3, 20, 20), train=True)
        expected = [
            rec("convolution", **CONV1),
            rec("convolution", **CONV2),
            rec("convolution", **UP),
            # Backward in reverse order; the first layer's input needs no gradient: no bwd-data there.
            rec("convolution_backward", mask=[True, True, True], **UP),
            rec("convolution_backward", mask=[True, True, True], **CONV2),
            rec("convolution_backward", mask=[False, True, True], **CONV1),
        ]
        self.assertEqual(got, expected)

    def test_inference_records_the_forward_only(self):
        got = convprobe_torch.record(ThreeLayers(), torch.randn(2, 3, 20, 20))
        self.assertEqual([r["op"] for r in got], ["convolution"] * 3)

    def test_the_users_model_is_left_alone(self):
        model = ThreeLayers()
        before = model.conv1.weight.detach().clone()
        convprobe_torch.record(model, torch.randn(2, 3, 20, 20), train=True, dtype="bf16", channels_last=True)
        self.assertEqual(model.conv1.weight.device.type, "cpu")
        self.assertEqual(model.conv1.weight.dtype, torch.float32)
        self.assertTrue(torch.equal(model.conv1.weight.detach(), before))
        self.assertIsNone(model.conv1.weight.grad)

    def test_functional_convolutions(self):
        got = convprobe_torch.record(Functional(), torch.randn(1, 3, 8, 8), train=True)
        self.assertEqual([(r["op"], r["module"]) for r in got], [
            ("convolution", ""),
            ("convolution", "block"),
            ("convolution_backward", "block"),
            ("convolution_backward", ""),
        ])
        self.assertEqual(got[0]["weight"], [4, 3, 1, 1])
        self.assertEqual(got[3]["output_mask"][:2], [False, True])

    def test_channels_last_and_bf16(self):
        got = convprobe_torch.record(
            ThreeLayers(), torch.randn(2, 3, 20, 20), train=True, dtype=torch.bfloat16, channels_last=True
        )
        self.assertEqual(len(got), 6)
        for r in got:
            self.assertEqual(r["dtype"], "bfloat16", r)
            self.assertTrue(r["channels_last"], r)
        got = convprobe_torch.record(ThreeLayers(), torch.randn(2, 3, 20, 20), dtype="f16")
        self.assertEqual({r["dtype"] for r in got}, {"float16"})
        self.assertEqual({r["channels_last"] for r in got}, {False})

    def test_channels_last_with_size_one_extents(self):
        # N x C x 1 x 1 (a squeeze-excitation input) is contiguous in both layouts: the strides decide.
        def cl(*shape, **kwargs):
            return recorder.is_channels_last(torch, torch.empty(*shape, device="meta", **kwargs))

        self.assertTrue(cl(2, 8, 1, 1, memory_format=torch.channels_last))
        self.assertFalse(cl(2, 8, 1, 1))
        self.assertTrue(cl(2, 1, 5, 5, memory_format=torch.channels_last))
        self.assertFalse(cl(2, 1, 5, 5))
        self.assertTrue(cl(2, 3, 5, 5, 5, memory_format=torch.channels_last_3d))
        self.assertFalse(cl(2, 3, 5))

    def test_one_d_and_three_d(self):
        model = nn.Sequential(nn.Conv1d(16, 32, 5, padding=2))
        got = convprobe_torch.record(model, torch.randn(4, 16, 100))
        self.assertEqual(got[0]["module"], "0")
        shapes = (got[0]["input"], got[0]["weight"], got[0]["output"])
        self.assertEqual(shapes, ([4, 16, 100], [32, 16, 5], [4, 32, 100]))
        model = nn.Sequential(nn.Conv3d(3, 64, (3, 7, 7), stride=(1, 2, 2), padding=(1, 3, 3)))
        got = convprobe_torch.record(model, torch.randn(1, 3, 16, 112, 112), channels_last=True)
        self.assertEqual(got[0]["output"], [1, 64, 16, 56, 56])
        self.assertTrue(got[0]["channels_last"])

    def test_the_document(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "r.json")
            x = torch.randn(2, 3, 20, 20)
            records = convprobe_torch.record(ThreeLayers(), x, train=True, path=path, name="three")
            with open(path) as f:
                text = f.read()
        self.assertTrue(text.startswith('{"format": "convprobe-torch-record", "version": 1,'), text[:80])
        doc = json.loads(text)
        self.assertEqual(doc["torch"], torch.__version__)
        self.assertEqual(doc["model"], "three")
        self.assertEqual(doc["input"], [[2, 3, 20, 20]])
        self.assertTrue(doc["train"])
        self.assertEqual(doc["records"], records)

    def test_bad_dtype(self):
        with self.assertRaises(ValueError):
            convprobe_torch.record(ThreeLayers(), torch.randn(2, 3, 20, 20), dtype="int8")


class CommandLine(unittest.TestCase):
    def run_cli(self, *args):
        env = dict(os.environ)
        here = os.path.dirname(os.path.abspath(__file__))
        env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH", "")) if p)
        command = [sys.executable, "-m", "convprobe_torch", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True)

    def test_records_a_model(self):
        r = self.run_cli("--model", "recorder_test:ThreeLayers", "--input", "2x3x20x20", "--train", "--dtype",
                         "bf16")
        self.assertEqual(r.returncode, 0, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["format"], "convprobe-torch-record")
        self.assertEqual(doc["model"], "recorder_test:ThreeLayers")
        self.assertEqual(doc["dtype"], "bfloat16")
        self.assertEqual(len(doc["records"]), 6)
        self.assertEqual(doc["records"][5]["output_mask"], [False, True, True])

    def test_errors_exit_2(self):
        cases = [
            (["--model", "no_colon", "--input", "2x3x20x20"], "expected module.path:callable"),
            (["--model", "recorder_test:ThreeLayers", "--input", "2x3xA"], "expected positive sizes"),
            (["--model", "recorder_test:ThreeLayers", "--input", "2x0x20"], "expected positive sizes"),
            (["--model", "no_such_module_xyz:f", "--input", "2x3"], "cannot import no_such_module_xyz"),
            (["--model", "recorder_test:Missing", "--input", "2x3"], "has no attribute 'Missing'"),
            (["--model", "recorder_test:not_a_module", "--input", "2x3"], "not a torch.nn.Module"),
            (["--model", "recorder_test:ThreeLayers"], "required"),
        ]
        for args, message in cases:
            r = self.run_cli(*args)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertIn(message, r.stderr, args)

    def test_a_model_that_fails_exits_1(self):
        r = self.run_cli("--model", "recorder_test:ThreeLayers", "--input", "2x5x20x20")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("recording recorder_test:ThreeLayers failed", r.stderr)


if __name__ == "__main__":
    unittest.main()
