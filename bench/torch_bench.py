"""PyTorch peer for `npm run bench` (bench/torch-peer.ts drives it): the same convolutions and
LeNet-5 training as bench/conv.ts and bench/train.ts, on the CPU with 2 threads.

  python3 torch_bench.py --serve

First line out: {"ready": true, "torch": VERSION, "threads": N}, or {"skip": reason} and exit 0
when torch is not installed (it is optional: Debian's python3-torch). Then one JSON request per
line on stdin, one JSON answer per line on stdout, until stdin closes:

  {"case": "S1", "pass": "fwd"|"dx"|"dw"|"bwd", "x": [N,C,H,W], "w": [O,C,KH,KW], "padding": 0,
   "minTime": 0.2}
  {"case": "lenet5", "pass": "train", "batch": 64, "minTime": 1.0}
  -> {"seconds": S, "reps": R}   or   {"error": "torch_bench: ... names the field ..."}

Shapes travel in the request so that bench/conv.ts's case table is the only one. A conv pass
answers the median seconds per call; training answers the mean seconds per step over the window
(the images/s rows have always been steps over a window, on both sides).

The peer sits blocked on stdin between requests, so it takes no CPU while tscnn is timed: the
two sides alternate on the same machine state (the point of the peer, bench/README.md)."""
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as e:
    print(json.dumps({"skip": f"PyTorch not installed for {sys.executable} ({e})"}), flush=True)
    sys.exit(0)

CONV_PASSES = ("fwd", "dx", "dw", "bwd")
MAX_MIN_TIME = 60.0


class BadRequest(Exception):
    pass


def median_time(fn, min_time):
    """Median seconds per call: two warm-up calls, then at least 5 calls and min_time seconds (at most 50 calls)."""
    fn()
    fn()
    times = []
    start = time.perf_counter()
    while len(times) < 5 or (time.perf_counter() - start < min_time and len(times) < 50):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2], len(times)


def shape_field(req, field, dims):
    v = req.get(field)
    if not (isinstance(v, list) and len(v) == 4 and all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in v)):
        raise BadRequest(f"field '{field}' must be 4 positive integers {dims}, got {json.dumps(v)}")
    return tuple(v)


def padding_field(req):
    v = req.get("padding", 0)
    ok_int = isinstance(v, int) and not isinstance(v, bool) and v >= 0
    ok_pair = isinstance(v, list) and len(v) == 2 and all(isinstance(p, int) and not isinstance(p, bool) and p >= 0 for p in v)
    if not (ok_int or ok_pair):
        raise BadRequest(f"field 'padding' must be a non-negative integer or [h, w], got {json.dumps(v)}")
    return v if ok_int else tuple(v)


# Inputs and the recorded forward per shape, built on first request and kept: later rounds time
# the same tensors, as tscnn's rounds do.
conv_inputs = {}


def conv_pass(req, name):
    xs, ws = shape_field(req, "x", "[N, C, H, W]"), shape_field(req, "w", "[Cout, C, KH, KW]")
    pad = padding_field(req)
    if xs[1] != ws[1]:
        raise BadRequest(f"fields 'x' and 'w' disagree on input channels: x {list(xs)}, w {list(ws)}")
    key = (xs, ws, pad)
    if key not in conv_inputs:
        x = torch.randn(xs, requires_grad=True)
        w = torch.randn(ws, requires_grad=True)
        y = F.conv2d(x, w, padding=pad)
        conv_inputs[key] = (x, w, y, torch.randn(y.shape))
    x, w, y, dy = conv_inputs[key]
    # backward passes reuse one recorded forward (retain_graph): only the backward kernels run
    return {
        "fwd": lambda: F.conv2d(x.detach(), w.detach(), padding=pad),
        "dx": lambda: torch.autograd.grad(y, [x], dy, retain_graph=True),
        "dw": lambda: torch.autograd.grad(y, [w], dy, retain_graph=True),
        "bwd": lambda: torch.autograd.grad(y, [x, w], dy, retain_graph=True),
    }[name]


def lenet5():
    """LeNet-5 as in src/models/lenet5.ts (ReLU, max-pool)."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


trainers = {}


def lenet5_step(req):
    batch = req.get("batch")
    if not (isinstance(batch, int) and not isinstance(batch, bool) and batch > 0):
        raise BadRequest(f"field 'batch' must be a positive integer, got {json.dumps(batch)}")
    if batch not in trainers:
        model = lenet5()
        opt = torch.optim.SGD(model.parameters(), lr=0.01)  # plain SGD lr 0.01, as bench/train.ts
        xb, yb = torch.randn(batch, 1, 28, 28), torch.randint(0, 10, (batch,))

        def step():
            opt.zero_grad()
            F.cross_entropy(model(xb), yb).backward()
            opt.step()

        trainers[batch] = step
    return trainers[batch]


def mean_step_time(step, min_time):
    """Mean seconds per step over a window of at least 3 steps and min_time seconds, after one warm-up step."""
    step()
    steps, start = 0, time.perf_counter()
    while steps < 3 or time.perf_counter() - start < min_time:
        step()
        steps += 1
    return (time.perf_counter() - start) / steps, steps


def answer(line):
    try:
        req = json.loads(line)
    except ValueError as e:
        raise BadRequest(f"request is not JSON ({e}): {line[:80]!r}")
    if not isinstance(req, dict):
        raise BadRequest(f"request must be a JSON object, got {line[:80]!r}")
    min_time = req.get("minTime")
    if not (isinstance(min_time, (int, float)) and not isinstance(min_time, bool) and 0 < min_time <= MAX_MIN_TIME):
        raise BadRequest(f"field 'minTime' must be seconds in (0, {MAX_MIN_TIME:g}], got {json.dumps(min_time)}")
    case, name = req.get("case"), req.get("pass")
    if not (isinstance(case, str) and case):
        raise BadRequest(f"field 'case' must be a non-empty string, got {json.dumps(case)}")
    if name == "train":
        if case != "lenet5":
            raise BadRequest(f"field 'case' must be 'lenet5' for pass 'train' (the one model trained here), got {json.dumps(case)}")
        seconds, reps = mean_step_time(lenet5_step(req), min_time)
    elif name in CONV_PASSES:
        seconds, reps = median_time(conv_pass(req, name), min_time)
    else:
        raise BadRequest(f"field 'pass' must be one of {', '.join(CONV_PASSES)}, train; got {json.dumps(name)}")
    return {"seconds": seconds, "reps": reps}


def serve():
    torch.set_num_threads(2)
    torch.manual_seed(2026)
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            out = answer(line.strip())
        except BadRequest as e:
            out = {"error": f"torch_bench: {e}"}
        except Exception as e:  # a torch failure answers like a bad request: the driver names the case
            out = {"error": f"torch_bench: {type(e).__name__}: {e}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    if sys.argv[1:] != ["--serve"]:
        print("usage: python3 torch_bench.py --serve   (JSON requests on stdin; see the docstring)", file=sys.stderr)
        sys.exit(2)
    serve()
