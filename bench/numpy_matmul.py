"""numpy's float64 matmul speed on the shapes bench/gemm_bench.ts measures, for comparison.

Reads JSON from stdin: {"cases": [[m, k, n, transA, transB], ...], "samples": 7,
"min_sample_seconds": 0.005}. A is stored [m, k] (or [k, m] when transA), B [k, n] (or [n, k]
when transB), as in lib/_gemm.ts; numpy gets the transposes as views, so BLAS sees its trans
flags. Writes JSON to stdout: numpy's version, the BLAS and its runtime kernel, and per case the
GFLOP/s (median of the samples, after warm-up) and the minor page faults per timed call (getrusage;
near zero, as each call writes into one preallocated result). Run it single-threaded: gemm_bench.ts sets
OPENBLAS_NUM_THREADS=1 and unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for this process.
"""

import ctypes
import json
import resource
import sys
import time

import numpy as np


def _blas_info():
    """BLAS name and version from numpy's build, and the OpenBLAS kernel it runs here."""
    info = {}
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["name"] = blas.get("name")
        info["version"] = blas.get("version")
    except Exception:  # numpy < 1.26 has no mode="dicts": name the loaded library instead
        info["name"] = "unknown"
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "blas" in line.lower()})
        if info["name"] == "unknown" and paths:
            info["name"] = ", ".join(path.rsplit("/", 1)[-1] for path in paths)
        for path in (path for path in paths if "openblas" in path.lower()):
            lib = ctypes.CDLL(path)
            for symbol in ("openblas_get_corename", "openblas_get_corename64_",
                           "scipy_openblas_get_corename64_", "scipy_openblas_get_corename"):
                corename = getattr(lib, symbol, None)
                if corename is not None:
                    corename.restype = ctypes.c_char_p
                    info["corename"] = corename().decode()
                    break
            for symbol in ("openblas_get_num_threads", "openblas_get_num_threads64_",
                           "scipy_openblas_get_num_threads64_"):
                threads = getattr(lib, symbol, None)
                if threads is not None:
                    info["threads"] = threads()
                    break
    except Exception:  # not OpenBLAS, or no /proc: leave the kernel unknown
        pass
    return info


def _gflops(m, k, n, trans_a, trans_b, samples, min_sample_seconds):
    rng = np.random.default_rng(0)
    a = rng.uniform(-1, 1, (k, m) if trans_a else (m, k))
    b = rng.uniform(-1, 1, (n, k) if trans_b else (k, n))
    op_a = a.T if trans_a else a
    op_b = b.T if trans_b else b
    c = np.empty((m, n))
    # Warm up, and find how many calls make one sample last at least min_sample_seconds.
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            np.matmul(op_a, op_b, out=c)
        if time.perf_counter() - start >= min_sample_seconds:
            break
        calls *= 2
    times = []
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(calls):
            np.matmul(op_a, op_b, out=c)
        times.append((time.perf_counter() - start) / calls)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    times.sort()
    return 2 * m * k * n / times[len(times) // 2] / 1e9, faults / (samples * calls)


def main():
    request = json.load(sys.stdin)
    samples = request.get("samples", 7)
    min_sample_seconds = request.get("min_sample_seconds", 0.005)
    results = [
        _gflops(m, k, n, bool(ta), bool(tb), samples, min_sample_seconds)
        for m, k, n, ta, tb in request["cases"]
    ]
    json.dump(
        {
            "numpy": np.__version__,
            "blas": _blas_info(),
            "gflops": [gflops for gflops, _ in results],
            "faults_per_call": [faults for _, faults in results],
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
