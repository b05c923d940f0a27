"""Training steps of a ResNet-50 on the GPU, for `convprobe capture` (scripts/gpu/capture_check.sh).

    python3 scripts/gpu/train_step.py [--amp-bf16] [--batch 32] [--steps N]

The model is torchvision's resnet50 when torchvision imports, else the same architecture written here (the GPU
machine's image has torch but may lack torchvision); `resnet50()` is also what the recorder is given
(`convprobe capture --torch train_step:resnet50`), so both see one model.
"""
import argparse

import torch
from torch import nn


class Bottleneck(nn.Module):
    def __init__(self, inplanes, planes, stride, downsample):
        super().__init__()
        width = planes
        self.conv1 = nn.Conv2d(inplanes, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


def _own_resnet50():
    layers = [nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True),
              nn.MaxPool2d(3, stride=2, padding=1)]
    inplanes = 64
    for planes, blocks, stride in ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)):
        for i in range(blocks):
            s = stride if i == 0 else 1
            down = None
            if s != 1 or inplanes != planes * 4:
                down = nn.Sequential(nn.Conv2d(inplanes, planes * 4, 1, stride=s, bias=False),
                                     nn.BatchNorm2d(planes * 4))
            layers.append(Bottleneck(inplanes, planes, s, down))
            inplanes = planes * 4
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(2048, 1000)]
    return nn.Sequential(*layers)


def resnet50():
    try:
        import torchvision
        return torchvision.models.resnet50()
    except Exception:  # no torchvision (or one built for another torch)
        return _own_resnet50()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--amp-bf16", action="store_true", help="autocast to bfloat16 (AMP)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=1000)
    a = ap.parse_args()
    model = resnet50().cuda()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    x = torch.randn(a.batch, 3, 224, 224, device="cuda")
    for step in range(a.steps):
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=a.amp_bf16):
            loss = model(x).float().square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        torch.cuda.synchronize()
        print(f"step {step} loss {loss.item():.4f}", flush=True)


if __name__ == "__main__":
    main()
