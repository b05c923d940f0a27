"""Writes the ONNX models of tests/sources/onnx_model_test.cpp into a folder.

Usage: make_onnx_models.py OUTDIR          every hand-built model (needs the onnx package)
       make_onnx_models.py OUTDIR --torch  torch_sequential.onnx, exported by torch.onnx.export
Weights are zeros: only shapes matter to convprobe.
"""
import math
import os
import sys

import onnx
from onnx import TensorProto as T
from onnx import helper as h

OPSET = 13


def weight(name, dims, elem=T.FLOAT):
    return h.make_tensor(name, elem, dims, [0] * math.prod(dims))


def model(nodes, inputs, inits=(), outputs=None, opset=OPSET):
    """A model of `nodes`; inputs are (name, elem, shape) and the outputs are every node's first output
    with no shape (shape inference fills it in), unless given."""
    ins = [h.make_tensor_value_info(n, e, s) for n, e, s in inputs]
    if outputs is None:
        outputs = [h.make_tensor_value_info(n.output[0], 0, None) for n in nodes]
    graph = h.make_graph(nodes, "g", ins, outputs, list(inits))
    return h.make_model(graph, opset_imports=[h.make_opsetid("", opset)])


def conv(name, x, w, y, op="Conv", **attrs):
    return h.make_node(op, [x, w], [y], name=name, **attrs)


def single(name, xshape, wshape, op="Conv", elem=T.FLOAT, **attrs):
    """One node `name` on input x of `xshape` with weight initializer w of `wshape`."""
    return model([conv(name, "x", "w", "y", op, **attrs)], [("x", elem, xshape)], [weight("w", wshape, elem)])


def hand_built():
    m = {}
    m["conv2d_pads"] = single("conv_pads", [2, 3, 10, 12], [8, 3, 3, 3], pads=[1, 2, 1, 0])
    m["same_upper"] = single("same_upper", [1, 4, 8, 8], [4, 4, 3, 3], strides=[2, 2], auto_pad="SAME_UPPER")
    m["same_lower"] = single("same_lower", [1, 4, 8, 8], [4, 4, 2, 2], auto_pad="SAME_LOWER")
    m["same_lower_s2"] = single("same_lower_s2", [1, 4, 8, 8], [4, 4, 3, 3], strides=[2, 2],
                                auto_pad="SAME_LOWER")
    m["valid"] = single("valid", [1, 4, 9, 9], [4, 4, 3, 3], strides=[2, 2], auto_pad="VALID")
    m["dilation_groups"] = single("dil_groups", [1, 8, 16, 16], [8, 4, 3, 3], group=2, dilations=[2, 2],
                                  pads=[2, 2, 2, 2])
    m["depthwise"] = single("depthwise", [1, 16, 8, 8], [16, 1, 3, 3], group=16, pads=[1, 1, 1, 1])
    m["conv1d"] = single("conv1d", [2, 4, 50], [6, 4, 5], strides=[2], pads=[2, 2])
    m["conv3d"] = single("conv3d", [1, 2, 6, 8, 8], [4, 2, 3, 3, 3], pads=[1, 1, 1, 1, 1, 1])
    m["fp16"] = single("fp16", [1, 3, 8, 8], [4, 3, 1, 1], elem=T.FLOAT16)
    m["bf16"] = single("bf16", [1, 3, 8, 8], [4, 3, 1, 1], elem=T.BFLOAT16)
    m["double"] = single("double", [1, 3, 8, 8], [4, 3, 1, 1], elem=T.DOUBLE)
    m["transpose_outpad"] = single("up", [1, 8, 5, 5], [8, 4, 3, 3], op="ConvTranspose", strides=[2, 2],
                                   pads=[1, 1, 1, 1], output_padding=[1, 1])
    m["transpose_same_upper"] = single("up_same", [1, 2, 4, 4], [2, 3, 2, 2], op="ConvTranspose",
                                       auto_pad="SAME_UPPER")
    m["transpose_output_shape"] = single("up_shape", [1, 2, 4, 4], [2, 6, 3, 3], op="ConvTranspose", group=2,
                                         strides=[2, 2], output_shape=[8, 8])
    m["transpose_1d"] = single("up1d", [1, 4, 7], [4, 2, 4], op="ConvTranspose", strides=[2], pads=[1, 1])
    # Models ONNX 1.12's own shape inference mishandles: a weight of another rank than the input (reads past
    # the input's dims), and SAME padding with a stride on a dim of 2^62 (counts it down by the stride).
    m["rank_mismatch"] = single("rank", [1, 3, 8], [4, 3, 3, 3, 3])
    m["huge_dim"] = single("huge", [1, 1, 2**62, 1], [1, 1, 1, 1], strides=[2, 2], auto_pad="SAME_UPPER")
    m["symbolic_batch"] = single("sym", ["N", 3, 8, 8], [4, 3, 3, 3], pads=[1, 1, 1, 1])
    m["symbolic_height"] = single("sym_h", [1, 3, "H", 8], [4, 3, 3, 3], strides=[2, 2])
    # int8: QLinearConv and ConvInteger are counted, not probed.
    q_inputs = [("x", T.UINT8, [1, 3, 8, 8])]
    q_inits = [h.make_tensor("w", T.UINT8, [4, 3, 3, 3], [0] * 108), h.make_tensor("s", T.FLOAT, [], [1.0]),
               h.make_tensor("z", T.UINT8, [], [0])]
    m["int8"] = model([h.make_node("QLinearConv", ["x", "s", "z", "w", "s", "z", "s", "z"], ["y"], name="q"),
                       h.make_node("ConvInteger", ["x", "w"], ["y2"], name="ci"),
                       conv("f", "xf", "wf", "yf")],
                      q_inputs + [("xf", T.FLOAT, [1, 3, 8, 8])], q_inits + [weight("wf", [4, 3, 1, 1])])
    # Weights that are not initializers: a graph input with a shape, an Identity of an initializer, and a
    # Reshape to a shape only known at run time (no shape: rejected).
    m["dynamic_weight"] = model(
        [conv("from_input", "x", "w_in", "y1"),
         h.make_node("Identity", ["w_init"], ["w_id"], name="id"),
         conv("from_identity", "x", "w_id", "y2", pads=[1, 1, 1, 1]),
         h.make_node("Reshape", ["w_flat", "shape"], ["w_re"], name="re"),
         conv("from_reshape", "x", "w_re", "y3")],
        [("x", T.FLOAT, [1, 3, 8, 8]), ("w_in", T.FLOAT, [5, 3, 1, 1]), ("shape", T.INT64, [4])],
        [weight("w_init", [6, 3, 3, 3]), weight("w_flat", [54])])
    # Two identical unnamed layers (one problem, two runs), one bad layer, one on a value with no shape.
    m["chain"] = model(
        [conv("", "x", "w", "a"), conv("", "a", "w", "b"),
         conv("bad_channels", "b", "w5", "c"),
         h.make_node("Reshape", ["b", "shape"], ["r"], name="re"),
         conv("after_reshape", "r", "w", "d")],
        [("x", T.FLOAT, [1, 3, 8, 8]), ("shape", T.INT64, [4])],
        [weight("w", [3, 3, 1, 1]), weight("w5", [4, 5, 3, 3])])
    # A Conv inside an If's branches (a subgraph sees the outer graph's values).
    branch = lambda name, ow: h.make_graph([conv(name, "x", ow, name + "_y")], name, [],
                                           [h.make_tensor_value_info(name + "_y", T.FLOAT, None)])
    m["subgraph"] = model(
        [h.make_node("If", ["cond"], ["y"], name="if", then_branch=branch("then_conv", "w"),
                     else_branch=branch("", "w2"))],
        [("cond", T.BOOL, []), ("x", T.FLOAT, [1, 3, 8, 8])],
        [weight("w", [4, 3, 3, 3]), weight("w2", [4, 3, 1, 1])])
    return m


def torch_export(outdir):
    import torch
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 3, stride=2, padding=1),
        torch.nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=2),
        torch.nn.ConvTranspose2d(8, 4, 2, stride=2)).eval()
    torch.onnx.export(net, torch.zeros(2, 3, 32, 32), os.path.join(outdir, "torch_sequential.onnx"),
                      opset_version=OPSET, input_names=["x"], output_names=["y"])


def main():
    outdir = sys.argv[1]
    if "--torch" in sys.argv[2:]:
        torch_export(outdir)
        return
    for name, m in hand_built().items():
        onnx.save(m, os.path.join(outdir, name + ".onnx"))


if __name__ == "__main__":
    main()
