"""Assembles bench/run's records into one table of figures and ratios (ours / best peer), and writes
it into RESULTS.md between the bench/run markers (the analysis around them is kept)."""
import json
import os
import platform
import re
import subprocess
import sys
from datetime import datetime, timezone

TARGETS = {"W1": 10, "W2": 5, "W3": 2, "W4": 1.5, "W5": 4}
NAMES = {
    "W1": "W1 tiny 2-3-1 sigmoid, 200 samples, gd, 10,000 steps",
    "W2": "W2 digits 400-25-15-1 sigmoid, adam, batch 32, 20 epochs",
    "W3": "W3 mnist-mlp 784-256-128-10 relu, ce, adam, batch 128, 60,000 samples",
    "W4": "W4 wide 1024-1024-1024-10 relu, ce, sgd, batch 256",
    "W5": "W5 seed sweep 2-2-1 tanh XOR, 1000 seeds x 2000 gd steps",
}


def load(path):
    if not os.path.exists(path):
        return []
    return [json.loads(line) for line in open(path) if line.startswith("{")]


def fmt(v, unit):
    if unit == "s":
        return f"{v:.3g} s"
    if v >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}"


def kernel(r):
    m = re.search(r"openblas \S+ (\S+)", r.get("blas", ""))
    return m.group(1) if m else "?"


def better(a, b, unit):
    return a["value"] < b["value"] if unit == "s" else a["value"] > b["value"]


def main():
    out = sys.argv[1]
    write = sys.argv[sys.argv.index("--write") + 1] if "--write" in sys.argv else None
    quick = "--quick" in sys.argv
    ours = load(os.path.join(out, "ours.jsonl"))
    peers = load(os.path.join(out, "peers.jsonl"))
    cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p'"], capture_output=True, text=True).stdout.strip()
    cores = os.cpu_count()
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    lines = []
    lines.append(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {cpu}, {cores} cores, .NET SDK {dotnet}"
                 + (" (--quick: smaller data, rough figures)" if quick else ""))
    lines.append(f"load before: `{open(os.path.join(out, 'load-before')).read().strip()}`; after: `{open(os.path.join(out, 'load-after')).read().strip()}`")
    kernels = sorted({kernel(r) for r in peers})
    if peers:
        lines.append(f"peers' OpenBLAS kernels (threadpoolctl): {', '.join(kernels)}; "
                     + "; ".join(sorted({r['blas'].split(';', 1)[-1].strip() for r in peers if r['impl'] == 'pytorch'})))
    lines.append("")
    settings = sorted({r.get("openblas_setting", "default") for r in peers})
    lines.append("| workload | ours float32 (threads) | best peer (threads, OpenBLAS kernel) | ours / best peer | target | ours / best peer, OpenBLAS as detected | other peers |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for w in ["W1", "W2", "W3", "W4", "W5"]:
        mine = [r for r in ours if r["workload"] == w and r["precision"] == "float32"]
        if not mine:
            continue
        unit = mine[0]["unit"]
        best = mine[0]
        for r in mine:
            if better(r, best, unit):
                best = r
        theirs = [r for r in peers if r["workload"] == w]
        by_impl = {}
        for r in theirs:
            key = r["impl"] + (" batched" if "batched" in r.get("variant", "") else "")
            if key not in by_impl or better(r, by_impl[key], unit):
                by_impl[key] = r
        top = None
        for r in by_impl.values():
            if top is None or better(r, top, unit):
                top = r
        extra = f" ({best['gflops']:.0f} GFLOP/s)" if "gflops" in best and w == "W3" else ""
        ours_cell = f"{fmt(best['value'], unit)} {unit if unit != 's' else ''} ({best['threads']}){extra}".replace("  ", " ")
        if top:
            ratio = top["value"] / best["value"] if unit == "s" else best["value"] / top["value"]
            name = next(k for k, v in by_impl.items() if v is top)
            peer_cell = f"{name} {fmt(top['value'], unit)} ({top['threads']}, {kernel(top)})"
            others = ", ".join(f"{k} {fmt(v['value'], unit)} ({v['threads']}, {kernel(v)})" for k, v in sorted(by_impl.items()) if v is not top)
            ok = "met" if ratio >= TARGETS[w] else "not met"
            detected = [r for r in theirs if r.get("openblas_setting", "default") == "default"]
            top_d = None
            for r in detected:
                if top_d is None or better(r, top_d, unit):
                    top_d = r
            ratio_d = "-" if top_d is None else f"{(top_d['value'] / best['value'] if unit == 's' else best['value'] / top_d['value']):.2f}x ({top_d['impl']}, {kernel(top_d)})"
            lines.append(f"| {NAMES[w]} | {ours_cell} | {peer_cell} | **{ratio:.2f}x** | {TARGETS[w]}x ({ok}) | {ratio_d} | {others} |")
        else:
            lines.append(f"| {NAMES[w]} | {ours_cell} | - | - | {TARGETS[w]}x | - | |")
    lines.append("")
    lines.append("float64 against float32 (ours, best thread count; target: float64 within 2.2x of float32):")
    lines.append("")
    lines.append("| workload | float32 | float64 | float32 / float64 |")
    lines.append("| --- | ---: | ---: | ---: |")
    for w in ["W3", "W4"]:
        f32 = max((r["value"] for r in ours if r["workload"] == w and r["precision"] == "float32"), default=None)
        f64 = max((r["value"] for r in ours if r["workload"] == w and r["precision"] == "float64"), default=None)
        if f32 and f64:
            unit = next(r["unit"] for r in ours if r["workload"] == w)
            lines.append(f"| {w} | {fmt(f32, unit)} {unit} | {fmt(f64, unit)} {unit} | {f32 / f64:.2f}x |")
    lines.append("")
    lines.append("The matrix product alone, C = A B, n x n x n float32, GFLOP/s (2 n^3 / time); NumPy is OpenBLAS sgemm:")
    lines.append("")
    lines.append("| n | ours 1 thread | ours 2 threads | NumPy 1 thread | NumPy 2 threads | ours / best NumPy | NumPy kernel | ours / NumPy, OpenBLAS as detected |")
    lines.append("| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for n in (256, 512, 1024, 2048):
        w = f"sgemm{n}"
        o = {r["threads"]: r["value"] for r in ours if r["workload"] == w}
        npy = [r for r in peers if r["workload"] == w and r["impl"] == "numpy"]
        if not o:
            continue
        best_np = {}
        for r in npy:
            if r["threads"] not in best_np or r["value"] > best_np[r["threads"]]["value"]:
                best_np[r["threads"]] = r
        top = max(best_np.values(), key=lambda r: r["value"]) if best_np else None
        cell = lambda d, t: f"{d[t]:.0f}" if t in d else "-"
        npcell = lambda t: f"{best_np[t]['value']:.0f}" if t in best_np else "-"
        ratio = f"{max(o.values()) / top['value'] * 100:.0f}%" if top else "-"
        det = [r for r in npy if r.get("openblas_setting", "default") == "default"]
        ratio_d = f"{max(o.values()) / max(r['value'] for r in det) * 100:.0f}% ({kernel(det[0])})" if det else "-"
        lines.append(f"| {n} | {cell(o, 1)} | {cell(o, 2)} | {npcell(1)} | {npcell(2)} | {ratio} | {kernel(top) if top else '-'} | {ratio_d} |")
    table = "\n".join(lines)
    print(table)
    if write:
        begin, end = "<!-- bench/run:begin -->", "<!-- bench/run:end -->"
        text = open(write).read() if os.path.exists(write) else "# Benchmark results\n\n"
        block = f"{begin}\n{table}\n{end}"
        if begin in text and end in text:
            text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
        else:
            text = text.rstrip() + "\n\n" + block + "\n"
        open(write, "w").write(text)
        print(f"\n(written to {write})", file=sys.stderr)


if __name__ == "__main__":
    main()
