"""numpy's throughput on the operations bench/tensor_bench.ts measures, for comparison.

Reads JSON from stdin: {"cases": [{"op": "add", "shape": [32, 784]}, ...], "samples": 7,
"min_sample_seconds": 0.02, "warmup_seconds": 0.2, "inputs": 4}: as in tensor_bench.ts, the main
operand x rotates through `inputs` arrays. Each operation allocates its result, as Tensor's do (numpy's
`x + y`, `x.sum(axis=0)`, `np.ascontiguousarray(x.T)`, `np.pad`, `x.take`). Writes JSON to
stdout: numpy's version and, per case, millions of input elements per second (median of the
samples, after warm-up). Run it single-threaded: tensor_bench.ts sets OPENBLAS_NUM_THREADS=1
and unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for this process.
"""

import json
import sys
import time

import numpy as np


def _prepare(op, shape, inputs):
    """A function running `op` once on the i-th of `inputs` arrays of `shape`, as tensor_bench.ts does."""
    rng = np.random.default_rng(1)
    xs = [rng.uniform(-1, 1, shape) for _ in range(inputs)]
    y = rng.uniform(-1, 1, shape)
    n, last = shape[0], shape[-1]
    row = rng.uniform(-1, 1, (last,))
    col = rng.uniform(-1, 1, (n, 1))
    channel = rng.uniform(-1, 1, (1, shape[1], 1, 1)) if len(shape) == 4 else None
    rows = rng.permutation(n)
    pad = [(1, 1) if i >= len(shape) - 2 else (0, 0) for i in range(len(shape))]
    table = {
        "add": lambda x: x + y,
        "add scalar": lambda x: x + 1.5,
        "add row-broadcast": lambda x: x + row,
        "add column-broadcast": lambda x: x + col,
        "sub column-broadcast": lambda x: x - col,
        "add channel-broadcast": lambda x: x + channel,
        "mul": lambda x: x * y,
        "exp": lambda x: np.exp(x),
        "maximum": lambda x: np.maximum(x, y),
        "maximum scalar": lambda x: np.maximum(x, 0.0),
        "sum axis 0": lambda x: x.sum(axis=0),
        "sum axis 1": lambda x: x.sum(axis=1),
        "sum all": lambda x: x.sum(),
        "sum axes 0,2,3": lambda x: x.sum(axis=(0, 2, 3)),
        "max axis 0": lambda x: x.max(axis=0),
        "max axis 1": lambda x: x.max(axis=1),
        "max all": lambda x: x.max(),
        "argmax axis 1": lambda x: x.argmax(axis=1),
        "transpose": lambda x: np.ascontiguousarray(x.T),
        "transpose 1,0,2,3": lambda x: np.ascontiguousarray(x.transpose(1, 0, 2, 3)),
        "pad": lambda x: np.pad(x, pad),
        "take rows": lambda x: x.take(rows, axis=0),
    }
    run = table[op]
    return lambda i: run(xs[i % inputs])


def _rate(op, shape, samples, min_sample_seconds, warmup_seconds, inputs):
    run = _prepare(op, shape, inputs)
    # Warm up, and find how many calls make one sample last at least min_sample_seconds.
    start = time.perf_counter()
    i = 0
    while time.perf_counter() - start < warmup_seconds or i < 20:
        run(i)
        i += 1
    calls = 1
    while True:
        start = time.perf_counter()
        for i in range(calls):
            run(i)
        if time.perf_counter() - start >= min_sample_seconds:
            break
        calls *= 2
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        for i in range(calls):
            run(i)
        times.append((time.perf_counter() - start) / calls)
    times.sort()
    return int(np.prod(shape)) / times[len(times) // 2] / 1e6


def main():
    request = json.load(sys.stdin)
    samples = request.get("samples", 7)
    min_sample_seconds = request.get("min_sample_seconds", 0.02)
    warmup_seconds = request.get("warmup_seconds", 0.2)
    inputs = request.get("inputs", 4)
    rates = [
        _rate(c["op"], c["shape"], samples, min_sample_seconds, warmup_seconds, inputs)
        for c in request["cases"]
    ]
    json.dump({"numpy": np.__version__, "rates": rates}, sys.stdout)


if __name__ == "__main__":
    main()
