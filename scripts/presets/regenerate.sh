#!/bin/sh
# Regenerates the model presets, src/problem/presets/models/<name>.txt, from torchvision's own model
# definitions: python/convprobe_torch records every convolution one pass runs (shapes only, on the meta
# device: no weights, no GPU), and the record is converted to a problems file ("<runs>x <descriptor>").
#
#   scripts/presets/regenerate.sh [BUILD_DIR]     (default: build; the converter is built there)
#
# Needs a Python that imports torch and torchvision: $CONVPROBE_PRESET_PYTHON, python3 or /usr/bin/python3
# (the checked-in files came from Debian 12's python3-torch 1.13 and python3-torchvision 0.14). Batches:
# torchvision's reference training scripts' per-GPU defaults, so the shapes are those of a real training
# run: 32 images at 224x224 (references/classification), 24 clips of 16x112x112 (references/video_
# classification); `--batch N` on a preset sets another.
#
# Conversion: build/bin/torch_record_convert FILE.json (tests/sources/torch_record_convert.cpp, a stopgap
# over sources::read_torch_record). Once `convprobe import FILE.json -o OUT.txt` exists, `convert` below
# becomes that command; the output format is the same problems file.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
models="$repo/src/problem/presets/models"

py=""
for candidate in "${CONVPROBE_PRESET_PYTHON:-}" python3 /usr/bin/python3; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import torch, torchvision' >/dev/null 2>&1; then py=$candidate; break; fi
done
[ -n "$py" ] || { echo "regenerate.sh: no Python here imports torch and torchvision" >&2; exit 2; }
versions=$("$py" -c 'import torch as t, torchvision as v
print(f"torch {t.__version__}, torchvision {v.__version__}")')
today=$(date -u +%Y-%m-%d)

cmake --build "$build" --target torch_record_convert >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

convert() {  # FILE.json: the problems file on stdout
  "$build/bin/torch_record_convert" "$1"
}

# record NAME SPEC INPUT WHAT [recorder options...]
record() {
  name=$1 spec=$2 input=$3 what=$4
  shift 4
  echo "recording $name ($spec, $input${*:+ $*})" >&2
  PYTHONPATH="$repo/python" "$py" -m convprobe_torch --model "$spec" --input "$input" "$@" \
    -o "$tmp/$name.json"
  {
    echo "# $name: $spec() (weights=None), input $input (float32, NCHW), $what"
    echo "# Recorded $today with $versions by:"
    command="python3 -m convprobe_torch --model $spec --input $input${*:+ $*} -o $name.json"
    echo "#   PYTHONPATH=python $command"
    echo "# converted by scripts/presets/regenerate.sh, which rewrites this file: do not edit it."
    echo "# 'Nx ' = how often one pass runs the problem; the label is the first module that runs it;"
    echo "# nhwc where PyTorch passes channels-last tensors (ConvNeXt's permutes), as the backend runs it."
    convert "$tmp/$name.json"
  } >"$tmp/$name.txt"
  mv "$tmp/$name.txt" "$models/$name.txt"
}

record resnet18 torchvision.models:resnet18 32x3x224x224 "forward"
record resnet50 torchvision.models:resnet50 32x3x224x224 "forward"
record resnet50-train torchvision.models:resnet50 32x3x224x224 \
  "one training step (forward, backward data, backward weights)" --train
record vgg16 torchvision.models:vgg16 32x3x224x224 "forward"
record mobilenet-v3-large torchvision.models:mobilenet_v3_large 32x3x224x224 "forward"
record efficientnet-b0 torchvision.models:efficientnet_b0 32x3x224x224 "forward"
record convnext-tiny torchvision.models:convnext_tiny 32x3x224x224 "forward"
record regnet-y-400mf torchvision.models:regnet_y_400mf 32x3x224x224 "forward"
record r3d18 torchvision.models.video:r3d_18 24x3x16x112x112 "forward"
echo "wrote $(ls "$models" | wc -l) files to src/problem/presets/models/" >&2
