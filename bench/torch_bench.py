"""PyTorch peer for `npm run bench` (suite 'torch'): the same S1–S3 convolutions and LeNet-5
training as bench/conv.ts and bench/train.ts, on the CPU with 2 threads. Prints one JSON object:
{"rows": [...]} or {"skip": "reason"} when torch is not installed (it is optional: Debian's
python3-torch)."""
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    print(json.dumps({"skip": f"PyTorch not installed for {sys.executable} ({e})"}))
    sys.exit(0)

QUICK = "--quick" in sys.argv
torch.set_num_threads(2)
torch.manual_seed(2026)
IMPL = "pytorch"


def median_time(fn, min_time):
    fn()
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - start < min_time and len(times) < 50):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2]


rows = []
cases = [("S1", (64, 1, 28, 28), (6, 1, 5, 5), 0), ("S2", (64, 6, 14, 14), (16, 6, 5, 5), 0), ("S3", (1 if QUICK else 8, 64, 56, 56), (64, 64, 3, 3), 1)]
for name, xs, ws, pad in cases:
    x = torch.randn(xs, requires_grad=True)
    w = torch.randn(ws, requires_grad=True)
    y = F.conv2d(x, w, padding=pad)
    dy = torch.randn(y.shape)
    flops = 2 * y.numel() * ws[1] * ws[2] * ws[3]
    # backward passes reuse one recorded forward (retain_graph): only the backward kernels run
    passes = [
        ("fwd", flops, lambda: F.conv2d(x.detach(), w.detach(), padding=pad)),
        ("dx", flops, lambda: torch.autograd.grad(y, [x], dy, retain_graph=True)),
        ("dw", flops, lambda: torch.autograd.grad(y, [w], dy, retain_graph=True)),
        ("bwd", 2 * flops, lambda: torch.autograd.grad(y, [x, w], dy, retain_graph=True)),
    ]
    for metric, f, fn in passes:
        t = median_time(fn, 0.2 if QUICK else 1.0)
        rows.append({"case": f"{name}-{metric}", "impl": IMPL, "metric": "gflops", "value": f / t / 1e9, "unit": "GFLOP/s"})

# LeNet-5 as in src/models/lenet5.ts (ReLU, max-pool), batch 64, plain SGD lr 0.01
model = nn.Sequential(
    nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
    nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
xb = torch.randn(64, 1, 28, 28)
yb = torch.randint(0, 10, (64,))


def step():
    opt.zero_grad()
    F.cross_entropy(model(xb), yb).backward()
    opt.step()


step()
steps, start = 0, time.perf_counter()
while steps < 3 or time.perf_counter() - start < (1.0 if QUICK else 4.0):
    step()
    steps += 1
rows.append({"case": "lenet5-train", "impl": IMPL, "metric": "imagesPerSec", "value": steps * 64 / (time.perf_counter() - start), "unit": "images/s"})
print(json.dumps({"rows": rows, "torch": torch.__version__, "threads": torch.get_num_threads()}))
