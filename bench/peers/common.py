"""Shared helpers of the peer scripts: fixed data, timing, JSON records, BLAS report.

Every peer does the arithmetic of SymmetryLab's workloads (bench/SymmetryLab.Bench/Workloads.cs):
same shapes, float32, same optimizer and batch size, fixed synthetic data (uniform features in
[0, 1) from a fixed seed, labels cycling through the classes), and times training only: the best
of a few repeats after an untimed warm-up round.
"""
import json
import os
import sys
import time

import numpy as np

PARAMS_W3 = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10
PARAMS_W4 = 1024 * 1024 + 1024 + 1024 * 1024 + 1024 + 1024 * 10 + 10
XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
XOR_Y = np.array([0, 1, 1, 0], dtype=np.float32)


def data(rows, features, classes, seed=42):
    rng = np.random.default_rng(seed)
    x = rng.random((rows, features), dtype=np.float32)
    y = np.arange(rows) % classes
    return x, y


def one_hot(y, classes):
    t = np.zeros((len(y), classes), dtype=np.float32)
    t[np.arange(len(y)), y] = 1
    return t


def glorot(rng, fan_out, fan_in):
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_out, fan_in)).astype(np.float32)


def best_seconds(run, repeats):
    """run() trains from a fresh start and returns its own training seconds; first round untimed."""
    best = float("inf")
    for r in range(repeats + 1):
        s = run()
        if r > 0:
            best = min(best, s)
    return best


class Clock:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start


def gemm_gflops(n, multiply):
    """Best GFLOP/s (2 n^3 / seconds) of multiply() on n x n operands; two untimed rounds first."""
    reps = max(5, int(4e9 / (2 * n ** 3)))
    best = float("inf")
    for r in range(reps + 2):
        with Clock() as c:
            multiply()
        if r >= 2:
            best = min(best, c.seconds)
    return 2 * n ** 3 / best / 1e9


def blas_report():
    try:
        from threadpoolctl import threadpool_info
        return "; ".join(f"{i.get('internal_api')} {i.get('version', '')} {i.get('architecture', '')} ({os.path.basename(i.get('filepath', ''))})"
                         for i in threadpool_info() if i.get("user_api") == "blas")
    except Exception as e:  # pragma: no cover
        return f"unknown ({e})"


SETTING = "default"


def emit(impl, workload, threads, value, unit, **extra):
    record = {"impl": impl, "workload": workload, "precision": "float32", "threads": threads, "value": value, "unit": unit,
              "openblas_setting": SETTING}
    record.update(extra)
    print(json.dumps(record), flush=True)


def args():
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--workloads", default="W1,W2,W3,W4,W5,sgemm")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--setting", default="default", help="label of the OpenBLAS setting this run uses (for the report)")
    a = p.parse_args()
    global SETTING
    SETTING = a.setting
    a.workloads = a.workloads.split(",")
    if a.quick:
        a.repeats = 1
    return a
