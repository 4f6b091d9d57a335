"""PyTorch eager reference for the speed benchmark, trained with Adam at batch 64 on random data, 2 threads:
- resnext-seed: the notebook's ResNeXt (216,970 trainable parameters) in the form the notebook builds
  (grouped convolutions, per-path batch-norm, sum over paths, Keras "same" padding);
- mobilenetv3-small: MobileNetV3-Small (Table 2 of the paper) with cnnbench's CIFAR adaptation (the stem and
  the first bneck at stride 1; 1,528,106 trainable parameters).

Run by io.cnnbench.benchmarks.SpeedBenchmark; its last output line is key=value pairs.
    python3 eager_reference.py --arch resnext-seed --batch 64 --warmup 3 --steps 10 --repeats 3
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SamePadConv(nn.Conv2d):
    """Keras padding="same": the output is ceil(input / stride); the padding it takes is split with the smaller
    half before (on stride 2 with an even input: 0 before and 1 after for a 3x3 kernel, 1 and 2 for a 5x5)."""

    def forward(self, x):
        if self.stride[0] > 1 and self.kernel_size[0] > 1:
            size, k, s = x.shape[-1], self.kernel_size[0], self.stride[0]
            total = max((-(-size // s) - 1) * s + k - size, 0)
            x = F.pad(x, (total // 2, total - total // 2, total // 2, total - total // 2))
            return F.conv2d(x, self.weight, self.bias, self.stride, 0, 1, self.groups)
        return super().forward(x)


def conv(cin, cout, k, stride=1, groups=1, bias=False):
    return SamePadConv(cin, cout, k, stride, padding=(k // 2 if stride == 1 else 0), groups=groups, bias=bias)


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-3, momentum=0.1)  # torch momentum 0.1 == Keras momentum 0.9


class SeedBlock(nn.Module):
    def __init__(self, cin, expand, downsample, cardinality=8):
        super().__init__()
        d = expand // 4
        if expand >= 64:
            d //= 4
        w = cardinality * d
        s = 2 if downsample else 1
        self.c = cardinality
        self.squeeze = conv(cin, w, 1)
        self.bn1 = bn(w)
        self.transform = conv(w, w, 3, s, groups=cardinality)
        self.bn2 = bn(w)
        self.expand = conv(w, cardinality * expand, 1, groups=cardinality)
        self.bn3 = bn(cardinality * expand)
        self.shortcut = conv(cin, expand, 1, 2) if downsample else None

    def forward(self, x):
        y = F.relu(self.bn1(self.squeeze(x)))
        y = F.relu(self.bn2(self.transform(y)))
        y = self.bn3(self.expand(y))
        n, _, h, w = y.shape
        y = y.view(n, self.c, -1, h, w).sum(1)
        identity = self.shortcut(x) if self.shortcut is not None else x
        return F.relu(identity + y)


class ResNeXtSeed(nn.Module):
    def __init__(self):
        super().__init__()
        self.tail = conv(3, 32, 3, bias=True)
        blocks, dims = [], 32
        for level, repeats in enumerate([4, 4, 5]):
            for _ in range(repeats):
                blocks.append(SeedBlock(dims, dims, False))
            if level + 1 <= 2:
                blocks.append(SeedBlock(dims, dims * 2, True))
                dims *= 2
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(dims, 10)

    def forward(self, x):
        x = self.blocks(F.relu(self.tail(x)))
        return self.head(x.mean((2, 3)))


def make_divisible(v, divisor=8):
    """cnnbench's MobileNetV3Settings.makeDivisible (and torchvision's _make_divisible)."""
    rounded = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * v else rounded


def conv_bn(cin, cout, k, stride=1, groups=1):
    return [conv(cin, cout, k, stride, groups), bn(cout)]


class SqueezeExcite(nn.Module):
    def __init__(self, c):
        super().__init__()
        squeezed = make_divisible(c // 4)
        self.reduce = conv(c, squeezed, 1, bias=True)
        self.expand = conv(squeezed, c, 1, bias=True)

    def forward(self, x):
        gate = F.relu(self.reduce(x.mean((2, 3), keepdim=True)))
        return x * F.hardsigmoid(self.expand(gate))


class Bneck(nn.Module):
    def __init__(self, cin, kernel, expanded, cout, se, act, stride):
        super().__init__()
        layers = []
        if expanded != cin:  # the paper has no 1x1 expansion where it would keep the width
            layers += conv_bn(cin, expanded, 1) + [act()]
        layers += conv_bn(expanded, expanded, kernel, stride, groups=expanded) + [act()]
        if se:
            layers.append(SqueezeExcite(expanded))
        layers += conv_bn(expanded, cout, 1)
        self.body = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.body(x)
        return x + y if self.residual else y


# Table 2 (kernel, exp size, out, SE, nonlinearity, stride); cnnbench runs the first row at stride 1 on CIFAR.
SMALL = [(3, 16, 16, True, nn.ReLU, 1), (3, 72, 24, False, nn.ReLU, 2), (3, 88, 24, False, nn.ReLU, 1),
         (5, 96, 40, True, nn.Hardswish, 2), (5, 240, 40, True, nn.Hardswish, 1),
         (5, 240, 40, True, nn.Hardswish, 1), (5, 120, 48, True, nn.Hardswish, 1),
         (5, 144, 48, True, nn.Hardswish, 1), (5, 288, 96, True, nn.Hardswish, 2),
         (5, 576, 96, True, nn.Hardswish, 1), (5, 576, 96, True, nn.Hardswish, 1)]


class MobileNetV3Small(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        layers = conv_bn(3, 16, 3, 1) + [nn.Hardswish()]
        cin = 16
        for k, exp, out, se, act, stride in SMALL:
            layers.append(Bneck(cin, k, exp, out, se, act, stride))
            cin = out
        layers += conv_bn(cin, 6 * cin, 1) + [nn.Hardswish()]
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Linear(6 * cin, 1024), nn.Hardswish(), nn.Dropout(0.2),
                                        nn.Linear(1024, classes))

    def forward(self, x):
        return self.classifier(self.features(x).mean((2, 3)))


ARCHITECTURES = {"resnext-seed": ResNeXtSeed, "mobilenetv3-small": MobileNetV3Small}


def multiply_accumulates(model, shape):
    """Multiply-accumulates of one image through the convolutions and linear layers (as cnnbench counts them)."""
    total = [0]

    def count(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1] * module.in_channels // module.groups
            total[0] += output[0].numel() * k
        elif isinstance(module, nn.Linear):
            total[0] += module.in_features * module.out_features

    hooks = [m.register_forward_hook(count) for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model.eval()
        model(torch.zeros(1, *shape))
    for h in hooks:
        h.remove()
    return total[0]


def peak_rss_mb():
    """VmHWM of this process (ru_maxrss would carry the parent JVM's peak across exec on Linux)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", choices=sorted(ARCHITECTURES), default="resnext-seed")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--memory-format", choices=["nchw", "channels-last"], default="nchw",
                   help="channels-last: the model's weights and the images in torch.channels_last, as PyTorch's"
                        " performance guide recommends for convolutional networks on CPU")
    a = p.parse_args()
    channels_last = a.memory_format == "channels-last"
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = ARCHITECTURES[a.arch]()
    params = sum(t.numel() for t in model.parameters() if t.requires_grad)
    macs = multiply_accumulates(model, (3, 28, 28))
    print(f"{a.arch}: torch {torch.__version__}, threads {torch.get_num_threads()}, trainable parameters {params},"
          f" multiply-accumulates {macs}, memory format {a.memory_format}")
    layout = torch.channels_last if channels_last else torch.contiguous_format
    model = model.to(memory_format=layout)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    x = torch.randn(a.batch, 3, 28, 28).contiguous(memory_format=layout)
    y = torch.randint(0, 10, (a.batch,))
    model.train()
    rates = []
    for r in range(-1, a.repeats):
        n = a.warmup if r < 0 else a.steps
        t0 = time.perf_counter()
        for _ in range(n):
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        if r >= 0:
            rates.append(n * a.batch / (time.perf_counter() - t0))
    model.eval()
    xb = torch.randn(256, 3, 28, 28).contiguous(memory_format=layout)
    with torch.no_grad():
        for _ in range(2):
            model(xb)
        t0 = time.perf_counter()
        for _ in range(5):
            model(xb)
        infer = 5 * 256 / (time.perf_counter() - t0)
    peak = peak_rss_mb()
    print(f"train images/s min {min(rates):.1f} median {statistics.median(rates):.1f} max {max(rates):.1f}")
    print(f"train_images_per_second_median={statistics.median(rates):.2f} inference_images_per_second={infer:.2f}"
          f" peak_rss_mb={peak:.1f} trainable_params={params} macs={macs}")


if __name__ == "__main__":
    main()
