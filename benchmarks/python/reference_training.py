"""PyTorch eager reference *training* on real CIFAR-10, for the equivalence table in docs/regression-tracking.md:
the same network as cnnbench's resnext-seed (eager_reference.ResNeXtSeed), the same data pipeline (the notebook's
normalisation, flip + random 28x28 crop, centre crop at test time), Adam, batch 64 and the same schedules, so that
an accuracy gap between the two is a difference of the frameworks, not of the recipe.

    python3 reference_training.py --data ../../../shared/datasets/cifar-10-binary.tar.gz \
        --train-limit 20000 --epochs 1 --schedule step --init notebook --seed 42

--init pytorch   PyTorch's default initialisation (Kaiming-uniform a=sqrt(5)), Adam epsilon 1e-8
--init notebook  the notebook's (Keras defaults): Glorot-uniform kernels, each ResNeXt path with its own fans,
                 zero biases, Adam epsilon 1e-7, as cnnbench initialises
--zero-init-last-bn  start each path's last batch-norm scale at 0 (cnnbench: -Dcnn.options=NAME.zeroInitResidual=true)

The last output line is key=value pairs (initial_loss, train_loss, test_accuracy, train_seconds, images_per_second).
"""
import argparse
import math
import os
import tarfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from eager_reference import ResNeXtSeed, SeedBlock

RECORD = 1 + 3 * 32 * 32
MEAN = np.array([125.30691805, 122.95039414, 113.86538318], np.float32).reshape(1, 3, 1, 1)
STD = np.array([62.99321928, 62.08870764, 66.70489964], np.float32).reshape(1, 3, 1, 1)


def read_split(data, names):
    """Images (N, 3, 32, 32) uint8 and labels from the official binary files, in file order."""
    chunks = []
    if os.path.isdir(data):
        for n in names:
            with open(os.path.join(data, n), "rb") as f:
                chunks.append(f.read())
    else:
        with tarfile.open(data) as tar:
            members = {os.path.basename(m.name): m for m in tar.getmembers() if m.isfile()}
            for n in names:
                chunks.append(tar.extractfile(members[n]).read())
    raw = np.frombuffer(b"".join(chunks), np.uint8).reshape(-1, RECORD)
    return raw[:, 1:].reshape(-1, 3, 32, 32), raw[:, 0].astype(np.int64)


def normalise(images):
    return (images.astype(np.float32) - MEAN) / STD


def augment(images, rng):
    """The notebook's: flip left-right with probability 1/2, then a 28x28 crop at offsets 0..4."""
    n = len(images)
    out = np.empty((n, 3, 28, 28), np.float32)
    flips = rng.random(n) < 0.5
    rows = rng.integers(0, 5, n)
    cols = rng.integers(0, 5, n)
    for i in range(n):
        img = images[i, :, :, ::-1] if flips[i] else images[i]
        out[i] = img[:, rows[i]:rows[i] + 28, cols[i]:cols[i] + 28]
    return out


def glorot_(weight, fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        weight.uniform_(-limit, limit)


def notebook_init(model, zero_init_last_bn):
    """Keras' defaults as the notebook had them; a fused ResNeXt convolution uses one path's fans."""
    for m in model.modules():
        if isinstance(m, SeedBlock):
            c = m.c
            for conv in (m.squeeze, m.transform, m.expand):
                k = conv.kernel_size[0] * conv.kernel_size[1]
                in_per_path = conv.in_channels // conv.groups
                glorot_(conv.weight, in_per_path * k, conv.out_channels // c * k)
            if m.shortcut is not None:
                glorot_(m.shortcut.weight, m.shortcut.in_channels, m.shortcut.out_channels)
        elif isinstance(m, nn.Linear):
            glorot_(m.weight, m.in_features, m.out_features)
            nn.init.zeros_(m.bias)
    tail = model.tail
    glorot_(tail.weight, tail.in_channels * 9, tail.out_channels * 9)
    nn.init.zeros_(tail.bias)
    if zero_init_last_bn:
        for m in model.modules():
            if isinstance(m, SeedBlock):
                nn.init.zeros_(m.bn3.weight)


def schedule(kind, peak, step, steps_per_epoch, epochs):
    """cnnbench's LearningRateSchedule (epoch), StepSchedule (step) or a constant rate."""
    if kind == "constant":
        return peak
    floor = 0.01 * peak
    if kind == "epoch":
        e = step // steps_per_epoch
        warm = 5 if epochs >= 30 else epochs // 6
        if e < warm:
            return floor + (peak - floor) * e / warm
        decay = epochs - warm
        if decay <= 1:
            return peak
        return (peak - floor) * max(0.0, math.cos((e - warm) / (decay - 1) * math.pi / 2)) + floor
    total = steps_per_epoch * epochs
    warm = total // 6
    if step < warm:
        return floor + (peak - floor) * step / warm
    progress = min(1.0, (step - warm) / max(1, total - warm - 1))
    return (peak - floor) * math.cos(progress * math.pi / 2) + floor


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--train-limit", type=int, default=0)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--schedule", choices=["constant", "epoch", "step"], default="constant")
    p.add_argument("--init", choices=["pytorch", "notebook"], default="notebook")
    p.add_argument("--zero-init-last-bn", action="store_true")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    train_x, train_y = read_split(args.data, [f"data_batch_{i}.bin" for i in range(1, 6)])
    test_x, test_y = read_split(args.data, ["test_batch.bin"])
    if args.train_limit:
        train_x, train_y = train_x[:args.train_limit], train_y[:args.train_limit]
    train_x = normalise(train_x)
    test_x = torch.from_numpy(normalise(test_x)[:, :, 2:30, 2:30].copy())
    test_y = torch.from_numpy(test_y)

    model = ResNeXtSeed()
    if args.init == "notebook":
        notebook_init(model, args.zero_init_last_bn)
    elif args.zero_init_last_bn:
        for m in model.modules():
            if isinstance(m, SeedBlock):
                nn.init.zeros_(m.bn3.weight)
    eps = 1e-7 if args.init == "notebook" else 1e-8
    opt = torch.optim.Adam(model.parameters(), lr=args.lr, eps=eps)

    n = len(train_x)
    steps_per_epoch = (n + args.batch - 1) // args.batch
    step = 0
    initial_loss = None
    loss_sum, seen = 0.0, 0
    t0 = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        order = rng.permutation(n)
        loss_sum, seen = 0.0, 0
        for b in range(steps_per_epoch):
            idx = order[b * args.batch:(b + 1) * args.batch]
            x = torch.from_numpy(augment(train_x[idx], rng))
            y = torch.from_numpy(train_y[idx])
            for g in opt.param_groups:
                g["lr"] = schedule(args.schedule, args.lr, step, steps_per_epoch, args.epochs)
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            if initial_loss is None:
                initial_loss = loss.item()
            loss_sum += loss.item() * len(idx)
            seen += len(idx)
            step += 1
        print(f"epoch {epoch + 1}: train loss {loss_sum / seen:.4f} "
              f"({seen / (time.perf_counter() - t0):.1f} images/s so far)", flush=True)
    train_seconds = time.perf_counter() - t0

    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(test_x), 256):
            correct += (model(test_x[i:i + 256]).argmax(1) == test_y[i:i + 256]).sum().item()
    print(f"initial_loss={initial_loss:.4f} train_loss={loss_sum / seen:.4f} "
          f"test_accuracy={correct / len(test_x):.4f} train_seconds={train_seconds:.1f} "
          f"images_per_second={n * args.epochs / train_seconds:.1f} init={args.init} "
          f"zero_init_last_bn={args.zero_init_last_bn} seed={args.seed}")


if __name__ == "__main__":
    main()
