"""One PyTorch model measurement in its own process (bench/models.ts's peer of model_child.ts):
  python3 torch_models.py MODEL MODE BATCH SIZE REPEATS
The same models as src/models (torchvision's AlexNet and VGG16 definitions, LeNet-5 with ReLU
and max pooling), 2 threads, eval forward or one SGD training step. Prints {"ms", "rssMiB"}
(median of REPEATS after a warm-up of calls for 1.5 s, at least one; peak RSS from getrusage) or {"skip": reason}."""
import json
import resource
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    print(json.dumps({"skip": f"PyTorch not installed for {sys.executable} ({e})"}))
    sys.exit(0)

torch.set_num_threads(2)
torch.manual_seed(1)
name, mode, batch, size, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])


def vgg16():
    layers, c = [], 3
    for v in [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(c, v, 3, padding=1), nn.ReLU()]
            c = v
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(7), nn.Flatten(), nn.Linear(25088, 4096), nn.ReLU(), nn.Dropout(),
                         nn.Linear(4096, 4096), nn.ReLU(), nn.Dropout(), nn.Linear(4096, 1000))


def alexnet():
    return nn.Sequential(
        nn.Conv2d(3, 64, 11, 4, 2), nn.ReLU(), nn.MaxPool2d(3, 2), nn.Conv2d(64, 192, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, 2),
        nn.Conv2d(192, 384, 3, padding=1), nn.ReLU(), nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(),
        nn.Conv2d(256, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, 2), nn.AdaptiveAvgPool2d(6), nn.Flatten(),
        nn.Dropout(), nn.Linear(9216, 4096), nn.ReLU(), nn.Dropout(), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 1000))


def lenet5():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


model = {"vgg16": vgg16, "alexnet": alexnet, "lenet5": lenet5}[name]()
x = torch.randn(batch, 1 if name == "lenet5" else 3, size, size)
y = torch.randint(0, 10 if name == "lenet5" else 1000, (batch,))
opt = torch.optim.SGD(model.parameters(), lr=0.001)


def fwd():
    model.eval()
    with torch.no_grad():
        model(x)


def train():
    model.train()
    opt.zero_grad()
    F.cross_entropy(model(x), y).backward()
    opt.step()


run = fwd if mode == "fwd" else train
# warm-up: at least one call, then more until 1.5 s have passed (bench/model_child.ts's rule)
w0, k = time.perf_counter(), 0
while k == 0 or time.perf_counter() - w0 < 1.5:
    run()
    k += 1
times = []
for _ in range(repeats):
    t = time.perf_counter()
    run()
    times.append((time.perf_counter() - t) * 1000)
times.sort()
print(json.dumps({"ms": times[len(times) // 2], "rssMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
