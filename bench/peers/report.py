"""Assembles bench/run's records into one table of figures and ratios (ours / best peer), and writes
it into RESULTS.md between the bench/run markers (the analysis around them is kept).

Records carry the round they were measured in (bench/run alternates ours and the peers, round after
round). Each implementation's figure is the median over the rounds of its best record in each round
(over thread counts and OpenBLAS settings); the best peer is the peer whose figure is best, and the
ratio is ours / that peer within each round, shown as the median over the rounds with its min-max.
Records without a round (an older run) count as one round.

    report.py OUT [--write RESULTS.md] [--quick] [--when "YYYY-MM-DD HH:MM"]

--when dates a table rendered again from an earlier run's records (default: now)."""
import json
import os
import platform
import re
import subprocess
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from ratios import median  # noqa: E402  (bench/ratios.py, shared with bench/compare)

TARGETS = {"W1": 10, "W2": 5, "W3": 2, "W4": 1.5, "W5": 4}
# Issue 17 raised W3's and lowered W4's (each at its best thread count and OpenBLAS setting).
TARGETS_17 = {"W3": 2.5, "W4": 1.2}
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


def best_of(records, unit):
    top = None
    for r in records:
        if top is None or better(r, top, unit):
            top = r
    return top


def by_round(records):
    rounds = {}
    for r in records:
        rounds.setdefault(r.get("round", 1), []).append(r)
    return rounds


def ratio_of(mine, theirs, unit):
    return theirs["value"] / mine["value"] if unit == "s" else mine["value"] / theirs["value"]


def spread_cell(ratios):
    if len(ratios) < 2:
        return "-"
    return f"{min(ratios):.2f}-{max(ratios):.2f}"


def impl_of(r):
    return r["impl"] + (" batched" if "batched" in r.get("variant", "") else "")


def impls(records):
    return {impl_of(r) for r in records}


def round_bests(records, unit):
    """Per round, the best record (over thread counts and OpenBLAS settings)."""
    return {k: best_of(rs, unit) for k, rs in sorted(by_round(records).items())}


def middle(bests):
    """The record whose value is the median of a round_bests (an even count: the lower middle)."""
    rs = sorted(bests.values(), key=lambda r: r["value"])
    return rs[(len(rs) - 1) // 2]


def best_peer(mine, records, unit):
    """The peer (implementation) whose median over rounds of its round's best is best, its round_bests,
    and ours / it within each round that has both; None without peers."""
    figures = {name: round_bests([r for r in records if impl_of(r) == name], unit) for name in impls(records)}
    ranked = sorted(figures, key=lambda name: median([r["value"] for r in figures[name].values()]), reverse=(unit != "s"))
    for name in ranked:
        ratios = [ratio_of(mine[k], figures[name][k], unit) for k in mine if k in figures[name]]
        if ratios:
            return name, figures[name], ratios
    return None


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
    when = sys.argv[sys.argv.index("--when") + 1] if "--when" in sys.argv else f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M}"
    lines.append(f"{when} UTC, {cpu}, {cores} cores, .NET SDK {dotnet}"
                 + (" (--quick: smaller data, rough figures)" if quick else ""))
    lines.append(f"load before: `{open(os.path.join(out, 'load-before')).read().strip()}`; after: `{open(os.path.join(out, 'load-after')).read().strip()}`")
    kernels = sorted({kernel(r) for r in peers})
    if peers:
        lines.append(f"peers' OpenBLAS kernels (threadpoolctl): {', '.join(kernels)}; "
                     + "; ".join(sorted({r['blas'].split(';', 1)[-1].strip() for r in peers if r['impl'] == 'pytorch'})))
    lines.append("")
    settings = sorted({r.get("openblas_setting", "default") for r in peers})
    machine = load(os.path.join(out, "machine.jsonl"))
    n_rounds = len(by_round(ours))
    if n_rounds > 1:
        lines.append(f"{n_rounds} rounds (FMA rate, ours, peers; again): each figure is the median over the rounds of that "
                     "implementation's best in the round (threads, OpenBLAS setting); the best peer is the peer with the best figure, and the ratio is "
                     "ours / that peer within each round: the median, with its min-max over the rounds.")
        lines.append("")
    lines.append("| workload | ours float32 (threads) | best peer (threads, OpenBLAS kernel) | ours / best peer | min-max over rounds | target | ours / best peer, OpenBLAS as detected | other peers |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for w in ["W1", "W2", "W3", "W4", "W5"]:
        mine_all = [r for r in ours if r["workload"] == w and r["precision"] == "float32"]
        if not mine_all:
            continue
        unit = mine_all[0]["unit"]
        theirs_all = [r for r in peers if r["workload"] == w]
        mine = round_bests(mine_all, unit)
        ours_cell = f"{fmt(median([r['value'] for r in mine.values()]), unit)} {unit if unit != 's' else ''} ({middle(mine)['threads']})".replace("  ", " ")
        if "gflops" in middle(mine) and w == "W3":
            ours_cell += f" ({median([r['gflops'] for r in mine.values()]):.0f} GFLOP/s)"
        target = f"{TARGETS[w]}x"
        best = best_peer(mine, theirs_all, unit)
        if best is None:
            lines.append(f"| {NAMES[w]} | {ours_cell} | - | - | - | {target} | - | |")
            continue
        name, theirs, ratios = best
        ratio = median(ratios)
        target = f"{TARGETS[w]}x ({'met' if ratio >= TARGETS[w] else 'not met'})"
        if w in TARGETS_17:
            target += f"; issue 17: {TARGETS_17[w]}x ({'met' if ratio >= TARGETS_17[w] else 'not met'})"
        top = middle(theirs)
        peer_cell = f"{name} {fmt(median([r['value'] for r in theirs.values()]), unit)} ({top['threads']}, {kernel(top)})"
        detected = best_peer(mine, [r for r in theirs_all if r.get("openblas_setting", "default") == "default"], unit)
        ratio_d = "-" if detected is None else f"{median(detected[2]):.2f}x ({detected[0]}, {kernel(middle(detected[1]))})"
        others = []
        for other in sorted(impls(theirs_all)):
            if other == name:
                continue
            figures = round_bests([r for r in theirs_all if impl_of(r) == other], unit)
            others.append(f"{other} {fmt(median([r['value'] for r in figures.values()]), unit)} ({middle(figures)['threads']}, {kernel(middle(figures))})")
        lines.append(f"| {NAMES[w]} | {ours_cell} | {peer_cell} | **{ratio:.2f}x** | {spread_cell(ratios)} | {target} | {ratio_d} | {', '.join(others)} |")
    speedups = []
    for w in ["W3", "W4"]:
        mine_all = [r for r in ours if r["workload"] == w and r["precision"] == "float32"]
        per_round = [(max(r["value"] for r in rs if r["threads"] == 2) / max(r["value"] for r in rs if r["threads"] == 1))
                     for rs in by_round(mine_all).values() if {1, 2} <= {r["threads"] for r in rs}]
        if per_round:
            m = median(per_round)
            spread = f"{min(per_round):.2f}-{max(per_round):.2f}, " if len(per_round) > 1 else ""
            speedups.append(f"{w} {m:.2f}x ({spread}{'met' if m >= 1.8 else 'not met'})")
    if speedups:
        lines.append("")
        lines.append("Two threads against one (ours, float32, within each round; median, min-max; issue 17's target: 1.8x): " + "; ".join(speedups) + ".")
    lines.append("")
    if machine:
        # The width fma-rate used: the machine's widest vectors (512 with AVX-512, 256 with AVX2).
        bits = sorted({str(r["vector_bits"]) for r in machine if "vector_bits" in r}) or ["the widest"]
        lines.append("Our GFLOP/s as a share of the cores' raw FMA rate measured in the same round (`fma-rate`: the best of short windows of independent chains "
                     f"of {' and '.join(bits)}-bit float32 FMAs on registers, no memory traffic; median over rounds, min-max):")
        lines.append("")
        lines.append("| figure | 1 thread | 2 threads |")
        lines.append("| --- | ---: | ---: |")
        fma = {(r.get("round", 1), r["threads"]): r["value"] for r in machine}
        rates = {t: [v for (k, tt), v in fma.items() if tt == t] for t in (1, 2)}
        lines.append("| FMA rate, GFLOP/s | " + " | ".join(
            f"{median(rates[t]):.0f} ({min(rates[t]):.0f}-{max(rates[t]):.0f})" if rates[t] else "-" for t in (1, 2)) + " |")
        sustained = {t: [r["sustained"] for r in machine if r["threads"] == t and "sustained" in r] for t in (1, 2)}
        if any(sustained.values()):
            # Below the best window when the host gives part of each core to someone else (issue 17).
            lines.append("| FMA rate sustained (all FMAs / all seconds), GFLOP/s | " + " | ".join(
                f"{median(sustained[t]):.0f} ({min(sustained[t]):.0f}-{max(sustained[t]):.0f})" if sustained[t] else "-" for t in (1, 2)) + " |")
        shares = [("W3 float32", "W3", "float32"), ("W4 float32", "W4", "float32"), ("W3 float64", "W3", "float64"), ("W4 float64", "W4", "float64")]
        shares += [(f"sgemm {n}", f"sgemm{n}", "float32") for n in (256, 512, 1024, 2048)]
        for label, w, precision in shares:
            cells = []
            for t in (1, 2):
                xs = [r.get("gflops", r["value"]) / fma[(r.get("round", 1), t)] for r in ours
                      if r["workload"] == w and r["precision"] == precision and r["threads"] == t and (r.get("round", 1), t) in fma
                      and (r.get("gflops") is not None or r["unit"] == "GFLOP/s")]
                cells.append(f"{median(xs) * 100:.0f}% ({min(xs) * 100:.0f}-{max(xs) * 100:.0f}%)" if xs else "-")
            if any(c != "-" for c in cells):
                lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    lines.append("")
    lines.append("float64 against float32 (ours, best thread count; target: float64 within 2.2x of float32):")
    lines.append("")
    lines.append("| workload | float32 | float64 | float32 / float64 |")
    lines.append("| --- | ---: | ---: | ---: |")
    for w in ["W3", "W4"]:
        per_round = lambda p: [max(r["value"] for r in rs) for rs in by_round([r for r in ours if r["workload"] == w and r["precision"] == p]).values()]
        f32 = median(per_round("float32")) if per_round("float32") else None
        f64 = median(per_round("float64")) if per_round("float64") else None
        if f32 and f64:
            unit = next(r["unit"] for r in ours if r["workload"] == w)
            lines.append(f"| {w} | {fmt(f32, unit)} {unit} | {fmt(f64, unit)} {unit} | {f32 / f64:.2f}x |")
    lines.append("")
    lines.append("The matrix product alone, C = A B, n x n x n float32, GFLOP/s (2 n^3 / time); NumPy is OpenBLAS sgemm:")
    lines.append("")
    lines.append("| n | ours 1 thread | ours 2 threads | NumPy 1 thread | NumPy 2 threads | ours / NumPy, 1 thread | ours / NumPy, 2 threads | ours / best NumPy | NumPy kernel | ours / NumPy, OpenBLAS as detected |")
    lines.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for n in (256, 512, 1024, 2048):
        w = f"sgemm{n}"
        mine = [r for r in ours if r["workload"] == w]
        npy = [r for r in peers if r["workload"] == w and r["impl"] == "numpy"]
        if not mine:
            continue
        # Per thread count: the median over rounds (of the best setting within each round).
        per_thread = lambda rs, t: [max(r["value"] for r in g) for g in by_round([r for r in rs if r["threads"] == t]).values()]
        o = {t: median(per_thread(mine, t)) for t in (1, 2) if per_thread(mine, t)}
        best_np = {t: median(per_thread(npy, t)) for t in (1, 2) if per_thread(npy, t)}
        top = best_of(npy, "GFLOP/s")
        cell = lambda d, t: f"{d[t]:.0f}" if t in d else "-"
        # Ratio within each round: our best thread count against NumPy's best (thread count and setting).
        peer_rounds = by_round(npy)
        ratios = [max(r["value"] for r in rs) / max(r["value"] for r in peer_rounds[k]) for k, rs in by_round(mine).items() if k in peer_rounds]
        ratio = f"{median(ratios) * 100:.0f}%" + (f" ({min(ratios) * 100:.0f}-{max(ratios) * 100:.0f}%)" if len(ratios) > 1 else "") if ratios else "-"
        det = [r for r in npy if r.get("openblas_setting", "default") == "default"]
        det_rounds = by_round(det)
        ratios_d = [max(r["value"] for r in rs) / max(r["value"] for r in det_rounds[k]) for k, rs in by_round(mine).items() if k in det_rounds]
        ratio_d = f"{median(ratios_d) * 100:.0f}% ({kernel(det[0])})" if ratios_d else "-"
        # Issue 17 asks for the product at or above OpenBLAS at each thread count: ours / NumPy's best setting, same threads, within each round.
        same = []
        for t in (1, 2):
            mt, nt = by_round([r for r in mine if r["threads"] == t]), by_round([r for r in npy if r["threads"] == t])
            xs = [max(r["value"] for r in rs) / max(r["value"] for r in nt[k]) for k, rs in mt.items() if k in nt]
            same.append(f"{median(xs) * 100:.0f}%" + (f" ({min(xs) * 100:.0f}-{max(xs) * 100:.0f}%)" if len(xs) > 1 else "") if xs else "-")
        lines.append(f"| {n} | {cell(o, 1)} | {cell(o, 2)} | {cell(best_np, 1)} | {cell(best_np, 2)} | {same[0]} | {same[1]} | {ratio} | {kernel(top) if top else '-'} | {ratio_d} |")
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
