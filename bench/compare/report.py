#!/usr/bin/env python3
"""Pairs JMH results with CPython (and floor) results and prints a Markdown table of ratios.

Each <capability>.pairs file has one line per comparison:

    label | ours | theirs | better | target

  ours    a JMH benchmark, short name: Class.method, optionally with params: Class.method[size=64];
          or a RESULT key of ours printed by <capability>.floor (rows that must alternate with
          theirs in one interleaved run, as a cold boot beside a bare java Hello)
  theirs  a RESULT key printed by <capability>.py or <capability>.floor
  better  lower (a time per operation) or higher (a rate)
  target  the goal for ours/theirs, e.g. "<= 1.5" or ">= 2", or "-" for none

Workload scripts print lines "RESULT <key> <value> <unit>", unit one of s/op ms/op us/op ns/op ops/s.

Besides the table (stdout), it writes results/chart.svg: every comparison with CPython as a
speed-up bar on a log scale.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TIME_UNITS = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}
RATE_UNITS = {"ops/s": 1.0, "ops/ms": 1e3, "ops/us": 1e6}


def read_pairs(capability):
    rows = []
    with open(os.path.join(HERE, capability + ".pairs")) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = [x.strip() for x in line.split("|")]
            if len(fields) != 5:
                sys.exit(f"{capability}.pairs: expected 5 fields separated by '|': {line}")
            rows.append(fields)
    return rows


def normalize(value, unit):
    """Seconds per op for times, ops per second for rates."""
    if unit in TIME_UNITS:
        return value * TIME_UNITS[unit], "time"
    if unit in RATE_UNITS:
        return value * RATE_UNITS[unit], "rate"
    sys.exit(f"unknown unit {unit}")


def jmh_results(path):
    found = {}
    if not os.path.exists(path):
        return found
    with open(path) as f:
        for entry in json.load(f):
            name = ".".join(entry["benchmark"].split(".")[-2:])
            params = entry.get("params") or {}
            if params:
                name += "[" + ",".join(f"{k}={v}" for k, v in sorted(params.items())) + "]"
            metric = entry["primaryMetric"]
            found[name] = (metric["score"], metric["scoreUnit"], metric.get("scoreError"))
    return found


def script_results(directory):
    found = {}
    for name in os.listdir(directory):
        if name.endswith(".txt"):
            with open(os.path.join(directory, name)) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 4 and parts[0] == "RESULT":
                        found[parts[1]] = (float(parts[2]), parts[3])
    return found


def show(value, kind):
    if kind == "time":
        for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
            if value >= scale:
                return f"{value / scale:.3g} {unit}"
        return f"{value / 1e-9:.3g} ns"
    for unit, scale in (("M/s", 1e6), ("k/s", 1e3), ("/s", 1)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value:.3g} /s"


def meets(ratio, target):
    match = re.fullmatch(r"(<=|>=)\s*([0-9.]+)", target)
    if not match:
        return ""
    bound = float(match.group(2))
    return "yes" if (ratio <= bound if match.group(1) == "<=" else ratio >= bound) else "NO"


def speedup(ours_value, theirs_value, kind):
    """How many times better ours is: a ratio above 1 favours us, for times and rates alike."""
    return theirs_value / ours_value if kind == "time" else ours_value / theirs_value


def chart(rows, path):
    """A horizontal bar chart (SVG, log scale) of speed-ups against CPython; no plotting library needed."""
    import math
    if not rows:
        return
    bar, gap, left, width = 18, 8, 430, 420
    lo = 10 ** math.floor(math.log10(min(0.1, min(r[2] for r in rows) / 1.5)))
    hi = 10 ** math.ceil(math.log10(max(10.0, max(r[2] for r in rows) * 1.5)))
    scale = lambda v: left + (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * width
    height = 40 + len(rows) * (bar + gap) + 30
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 80}" height="{height}" '
           'font-family="sans-serif" font-size="12">',
           f'<text x="{left}" y="16" font-weight="bold">times faster than CPython multiprocessing (log scale)</text>']
    tick = lo
    while tick <= hi * 1.0001:
        x = scale(tick)
        out.append(f'<line x1="{x:.1f}" y1="26" x2="{x:.1f}" y2="{height - 24}" stroke="#ddd"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle">{tick:g}×</text>')
        tick *= 10
    one = scale(1.0)
    for i, (capability, label, value) in enumerate(rows):
        y = 30 + i * (bar + gap)
        x = scale(value)
        colour = "#2b7bb9" if value >= 1 else "#c0504d"
        out.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{capability}: {label}</text>')
        out.append(f'<rect x="{min(one, x):.1f}" y="{y}" width="{abs(x - one):.1f}" height="{bar}" fill="{colour}"/>')
        out.append(f'<text x="{max(one, x) + 4:.1f}" y="{y + 13}">{value:.3g}×</text>')
    out.append(f'<line x1="{one:.1f}" y1="26" x2="{one:.1f}" y2="{height - 24}" stroke="#333"/>')
    out.append('</svg>')
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


def report(results_dir, capabilities):
    jmh = jmh_results(os.path.join(results_dir, "jmh.json"))
    scripts = script_results(results_dir)
    against_cpython = []
    print("| capability | measure | multiprocessing4j | compared with | theirs | ours/theirs | target | met |")
    print("|---|---|---|---|---|---|---|---|")
    for capability in capabilities:
        for label, ours, theirs, better, target in read_pairs(capability):
            if ours in jmh:
                ours_value, kind = normalize(*jmh[ours][:2])
            elif ours in scripts:
                ours_value, kind = normalize(*scripts[ours])
            if (ours not in jmh and ours not in scripts) or theirs not in scripts:
                missing = theirs if ours in jmh or ours in scripts else ours
                print(f"| {capability} | {label} | | {theirs} | | (no result for {missing}) | {target} | |")
                continue
            theirs_value, kind2 = normalize(*scripts[theirs])
            if kind != kind2:
                sys.exit(f"{label}: {ours} is a {kind}, {theirs} a {kind2}")
            ratio = ours_value / theirs_value
            print(f"| {capability} | {label} | {show(ours_value, kind)} | {theirs} | {show(theirs_value, kind)} "
                  f"| {ratio:.2f} | {target} | {meets(ratio, target)} |")
            if theirs.startswith("cpython."):
                against_cpython.append((capability, label, speedup(ours_value, theirs_value, kind)))
    chart(against_cpython, os.path.join(results_dir, "chart.svg"))


def jmh_regex(capabilities):
    names = sorted({row[1].split("[")[0] for c in capabilities for row in read_pairs(c)
                    if row[1][:1].isupper()})  # JMH classes; lower-case keys come from .floor scripts
    return "(" + "|".join(re.escape(n) + "$" for n in names) + ")"


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--jmh-regex":
        print(jmh_regex(args[1:]))
    elif args and args[0] == "--results":
        report(args[1], args[2:])
    else:
        sys.exit(__doc__)
