"""Ratios of paired measurements and their spread, for bench/compare and bench/run (issue 17).

Speeds are compared as speeds: a figure in seconds is inverted first, so a ratio above 1 always
means "faster". A ratio's spread is given as its median, its min-max over the rounds and a
bootstrap 95% interval of the median (fixed seed: the same records print the same table).
"""
import json
import math
import random
import sys


def speed(value, unit):
    return 1.0 / value if unit == "s" else value


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def bootstrap_median(xs, level=0.95, draws=4000, seed=17):
    """Percentile interval of the median of xs resampled with replacement."""
    if len(xs) < 2:
        return (xs[0], xs[0]) if xs else (math.nan, math.nan)
    rng = random.Random(seed)
    meds = sorted(median(rng.choices(xs, k=len(xs))) for _ in range(draws))
    lo = meds[int((1 - level) / 2 * draws)]
    hi = meds[min(draws - 1, int((1 + level) / 2 * draws))]
    return lo, hi


def spread(xs):
    """Median, min, max, and the half-range as a share of the median (the issue's "within +-5%")."""
    m = median(xs)
    return m, min(xs), max(xs), (max(xs) - min(xs)) / 2 / m if m else math.nan


def describe(ratios):
    m, lo, hi, _ = spread(ratios)
    clo, chi = bootstrap_median(ratios)
    return m, lo, hi, clo, chi


def same_build_noise(series):
    """Ratios of consecutive runs of one build (A against A), pooled over the given series, and the
    half-width of their median's interval in log terms: the smallest difference this experiment can
    tell from no difference."""
    pairs = [b / a for s in series for a, b in zip(s, s[1:]) if a > 0]
    if len(pairs) < 2:
        return pairs, math.nan
    lo, hi = bootstrap_median(pairs)
    return pairs, max(abs(math.log(lo)), abs(math.log(hi)))


def verdict(ratio_median, interval, noise):
    lo, hi = interval
    if lo > 1 and math.log(ratio_median) > noise:
        return "B FASTER"
    if hi < 1 and -math.log(ratio_median) > noise:
        return "B SLOWER"
    return "no difference beyond the noise"


def compare(path, label_a, label_b, load, clock="wall"):
    runs = [json.loads(line) for line in open(path) if line.startswith("{")]
    for side, label in (("a", label_a), ("b", label_b)):
        # Builds older than issue 17's bench program ignore --clock and time by the wall clock.
        seen = {v.get("clock", "wall") for r in runs if r["side"] == side for v in r["result"].values()}
        if seen != {clock}:
            print(f"bench/compare: side {side.upper()} ({label}) timed by the {'/'.join(sorted(seen))} clock, not the {clock} clock "
                  "(its bench program predates --clock): compare without --cpu-time", file=sys.stderr)
            sys.exit(2)
    workloads = []
    for r in runs:
        for w in r["result"]:
            if w not in workloads:
                workloads.append(w)
    rounds = sorted({r["round"] for r in runs})
    print(f"A = {label_a}")
    print(f"B = {label_b}")
    print(f"{len(rounds)} rounds, interleaved (A B, B A, ...), each run a fresh process, {clock} clock; load at the end: {load}")
    print(f"1-minute load average during the runs: {min(r['load_before'] for r in runs):.2f} to {max(r['load_after'] for r in runs):.2f}")
    print()
    print(f"{'workload':<8} {'A median (min-max, +-half-range)':<36} {'B median (min-max, +-half-range)':<36} "
          f"{'B/A median':>10} {'min-max':>13} {'95% interval':>15} {'same-build':>10}  verdict")
    flagged = 0
    for w in workloads:
        side = {s: {r["round"]: speed(r["result"][w]["value"], r["result"][w]["unit"]) for r in runs if r["side"] == s and w in r["result"]}
                for s in ("a", "b")}
        unit = next(r["result"][w]["unit"] for r in runs if w in r["result"])
        shown = "1/s" if unit == "s" else unit
        paired = [k for k in rounds if k in side["a"] and k in side["b"]]
        ratios = [side["b"][k] / side["a"][k] for k in paired]
        cells = []
        for s in ("a", "b"):
            m, lo, hi, half = spread(list(side[s].values()))
            cells.append(f"{fmt(m)} ({fmt(lo)}-{fmt(hi)}, +-{half * 100:.1f}%)")
        m, lo, hi, clo, chi = describe(ratios)
        _, noise = same_build_noise([[side[s][k] for k in paired] for s in ("a", "b")])
        v = verdict(m, (clo, chi), noise)
        flagged += v != "no difference beyond the noise"
        print(f"{w:<8} {cells[0]:<36} {cells[1]:<36} {m:>10.3f} {lo:>6.3f}-{hi:<6.3f} {clo:>7.3f}-{chi:<7.3f} {math.exp(noise):>10.3f}  {v}")
    print()
    print(f"figures are {', '.join(sorted({speed_unit(r) for r in runs}))} (higher is faster); B/A above 1: B is faster.")
    print("same-build: exp of the half-width of the 95% interval of consecutive same-build ratios (A/A, B/B); a")
    print("difference is flagged when the B/A interval excludes 1 and the median ratio is further from 1 than that.")
    print(f"{flagged} workload(s) flagged")


def speed_unit(run):
    return ", ".join(sorted({("1/s" if v["unit"] == "s" else v["unit"]) for v in run["result"].values()}))


def fmt(v):
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.3g}"


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "compare":
        a = sys.argv[sys.argv.index("--a") + 1]
        b = sys.argv[sys.argv.index("--b") + 1]
        load = sys.argv[sys.argv.index("--load") + 1]
        clock = sys.argv[sys.argv.index("--clock") + 1] if "--clock" in sys.argv else "wall"
        compare(sys.argv[2], a, b, load, clock)
    else:
        print("usage: ratios.py compare RUNS.jsonl --a LABEL --b LABEL --load UPTIME [--clock wall|cpu]", file=sys.stderr)
        sys.exit(2)
