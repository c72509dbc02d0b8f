#!/usr/bin/python3
"""neurite against Brian2 (C++ standalone) on the same networks: speed, build time, memory, rates.

    /usr/bin/python3 bench/compare_brian2.py [--models cuba,coba,brunel,brunel4x] [--threads 1,2]
                                             [--duration-s 1] [--quick] [--write]

For every model and thread count it runs `build/neurite run examples/X.toml` and
bench/brian2_models.py, then prints one markdown table; --write appends it, with the date and
the machine, to bench/RESULTS.md.

Agreement of rates. For each population and simulator the standard error of the mean rate is
estimated by batch means: the run is cut into 10 equal time bins and SE = sd(bin rates)/sqrt(10),
which includes the population-wide fluctuations (oscillations) that the Poisson error of the
count, sqrt(n)/(N T), misses; the larger of the two is used. The two simulators draw different
networks (connectivity, initial state) even from the same seed, and the mean rate of a network
varies from one draw to the next beyond those errors: NET_VAR is that seed-to-seed standard
deviation relative to the rate, measured over 4-5 seeds with each simulator (CUBA 3 %, COBA 6 %,
Brunel 1.5 %). The rates of a population "differ" when
    |r_neurite - r_brian2| > 3 sqrt(SE_neurite^2 + SE_brian2^2 + 2 (NET_VAR r_mean)^2)
for E or I, else they "agree"; the table shows z = |difference| / sqrt(...) for E and I.
"""
import argparse
import datetime
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = {  # name: (model file, extra neurite arguments)
    'cuba': ('examples/cuba.toml', []),
    'coba': ('examples/coba.toml', []),
    'brunel': ('examples/brunel.toml', []),
    'brunel4x': ('examples/brunel.toml', ['--set', 'populations.E.size=40000', '--set', 'populations.I.size=10000']),
    'brunel_stdp': ('examples/brunel_stdp.toml', []),
}
BATCHES = 10
NET_VAR = {'cuba': 0.03, 'coba': 0.06, 'brunel': 0.015, 'brunel4x': 0.015, 'brunel_stdp': 0.015}  # see the module doc
Z_MAX = 3.0
QUICK_DURATION_S = 0.05


def batch_se(counts, size, duration_s):
    """Standard error of a mean rate [Hz] from spike counts in equal time bins (see module doc)."""
    counts = np.asarray(counts, dtype=float)
    bin_s = duration_s / counts.size
    rates = counts / size / bin_s
    se_batch = rates.std(ddof=1) / math.sqrt(counts.size) if counts.size > 1 else 0.0
    se_poisson = math.sqrt(max(counts.sum(), 1.0)) / size / duration_s
    return max(se_batch, se_poisson)


def run_neurite(exe, model, threads, duration_s, seed, workdir):
    path, extra = MODELS[model]
    out = os.path.join(workdir, f'neurite_{model}_{threads}')
    cmd = [exe, 'run', os.path.join(ROOT, path), '--out', out, '--threads', str(threads), '--seed', str(seed),
           '--duration', f'{duration_s * 1000:g} ms', '--no-plot', '--quiet', *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f'neurite failed ({proc.returncode}): {proc.stderr.strip()[-500:]}')
    with open(os.path.join(out, 'summary.json')) as f:
        summary = json.load(f)
    import h5py
    edges = np.linspace(0.0, duration_s * 1000, BATCHES + 1)
    with h5py.File(os.path.join(out, 'spikes.h5'), 'r') as f:
        for name, pop in summary['populations'].items():
            t = f[f'spikes/{name}/timestamps'][()] if f'spikes/{name}' in f else np.zeros(0)
            edges[-1] = max(edges[-1], t.max(initial=0.0))  # a spike stamped at the very end
            pop['batch_counts'] = np.histogram(t, edges)[0].tolist()
    shutil.rmtree(out, ignore_errors=True)
    return summary


def run_brian2(model, threads, duration_s, seed, workdir):
    out = os.path.join(workdir, f'brian2_{model}_{threads}.json')
    cmd = [sys.executable, os.path.join(ROOT, 'bench', 'brian2_models.py'), model, '--threads', str(threads),
           '--duration-s', str(duration_s), '--seed', str(seed), '--out', out]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f'brian2_models.py failed ({proc.returncode}): {proc.stderr.strip()[-500:]}')
    with open(out) as f:
        return json.load(f)


def rate_verdict(model, n, b, duration_s):
    """(text for E, text for I, verdict) comparing the population rates of two results."""
    cells, worst = [], 0.0
    for name in ('E', 'I'):
        pn, pb = n['populations'][name], b['populations'][name]
        rn, rb = pn['rate_hz'], pb['rate_hz']
        se_n = batch_se(pn['batch_counts'], pn['size'], duration_s)
        se_b = batch_se(pb['batch_counts'], pb['size'], duration_s)
        sigma = math.sqrt(se_n ** 2 + se_b ** 2 + 2 * (NET_VAR[model] * (rn + rb) / 2) ** 2)
        z = abs(rn - rb) / sigma if sigma > 0 else 0.0
        worst = max(worst, z)
        cells.append((f'{rn:.2f} / {rb:.2f}', z))
    zs = '/'.join(f'{z:.1f}' for _, z in cells)
    verdict = f"{'differ' if worst > Z_MAX else 'agree'} (z {zs})"
    return cells[0][0], cells[1][0], verdict


def fmt(x, spec='.3g'):
    return '-' if x is None else format(x, spec)


def table(rows, duration_s):
    head = ('| model | threads | neurite sim s / bio s | Brian2 sim s / bio s | speed-up (Brian2/neurite) '
            '| neurite build s | Brian2 build+compile s | E rate Hz (neurite / Brian2) | I rate Hz (neurite / Brian2) '
            '| rates | peak RSS MB (neurite / Brian2) | neurite bytes/synapse |')
    lines = [head, '|' + '---|' * head.count(' | ') + '---|']
    for model, threads, n, b in rows:
        sn = n['simulate_s'] / duration_s if n else None
        sb = b['simulate_s'] / duration_s if b else None
        if n and b:
            e, i, verdict = rate_verdict(model, n, b, duration_s)
        else:
            rates = lambda r, p: fmt(r['populations'][p]['rate_hz'], '.2f') if r else '-'
            e, i, verdict = (f"{rates(n, 'E')} / {rates(b, 'E')}", f"{rates(n, 'I')} / {rates(b, 'I')}", '-')
        cells = [model, str(threads), fmt(sn), fmt(sb), fmt(sb / sn if sn and sb else None, '.2f'),
                 fmt(n and n['build_s'], '.2f'), fmt(b and b['build_s'], '.1f'), e, i, verdict,
                 f"{fmt(n and n.get('peak_rss_mb'), '.0f')} / {fmt(b and b.get('peak_rss_mb'), '.0f')}",
                 fmt(n and n.get('bytes_per_synapse'), '.1f')]
        lines.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def machine():
    model = platform.processor() or platform.machine()
    try:
        for line in subprocess.run(['lscpu'], capture_output=True, text=True).stdout.splitlines():
            if line.startswith('Model name:'):
                model = line.split(':', 1)[1].strip()
    except OSError:
        pass
    return f'{model}, {os.cpu_count()} cores'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--models', default=','.join(MODELS), help='comma-separated (default: all)')
    ap.add_argument('--threads', default='1,2', help='comma-separated thread counts (default 1,2)')
    ap.add_argument('--duration-s', type=float, default=1.0, help='biological time per run [s] (default 1)')
    ap.add_argument('--quick', action='store_true', help=f'smoke test: {QUICK_DURATION_S} s runs')
    ap.add_argument('--seed', type=int, default=12345)
    ap.add_argument('--neurite', default=os.path.join(ROOT, 'build', 'neurite'), help='the neurite executable')
    ap.add_argument('--only', choices=('neurite', 'brian2'), help='run one simulator only')
    ap.add_argument('--write', action='store_true', help='append the table to bench/RESULTS.md')
    args = ap.parse_args()
    models = [m.strip() for m in args.models.split(',') if m.strip()]
    unknown = [m for m in models if m not in MODELS]
    if unknown:
        ap.error(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(MODELS)}")
    threads = [int(t) for t in args.threads.split(',')]
    duration_s = QUICK_DURATION_S if args.quick else args.duration_s
    if args.only != 'brian2' and not os.access(args.neurite, os.X_OK):
        print(f'compare_brian2: {args.neurite} not found; build neurite first (or use --only brian2)', file=sys.stderr)
        return 2

    load_before = os.getloadavg()[0]  # other work on the machine skews the timings
    if load_before > 1.0:
        print(f'warning: load average {load_before:.1f}: other work on this machine will skew the timings '
              '(multi-threaded runs the most)', file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory(prefix='neurite_vs_brian2_') as work:
        for model in models:
            for t in threads:
                results = []
                for sim, run in (('neurite', lambda: run_neurite(args.neurite, model, t, duration_s, args.seed, work)),
                                 ('brian2', lambda: run_brian2(model, t, duration_s, args.seed, work))):
                    if args.only and args.only != sim:
                        results.append(None)
                        continue
                    print(f'{model}, {t} thread(s): {sim} ...', file=sys.stderr, flush=True)
                    try:
                        results.append(run())
                    except RuntimeError as e:
                        print(f'  {e}', file=sys.stderr)
                        results.append(None)
                rows.append((model, t, *results))
    text = table(rows, duration_s)
    print(text)
    if args.write:
        stamp = datetime.datetime.now().strftime('%Y-%m-%d %H:%M')
        note = (f'\n## {stamp}: {machine()}\n\n{duration_s:g} s of biological time per run, dt 0.1 ms, seed {args.seed}, '
                f'load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after the runs; '
                f"`bench/compare_brian2.py {' '.join(sys.argv[1:])}`. Rates agree unless they differ by more than "
                f'{Z_MAX:g} standard deviations (batch-means errors over {BATCHES} bins and the seed-to-seed '
                f'variation of each network; see the docstring of bench/compare_brian2.py).\n\n{text}\n')
        path = os.path.join(ROOT, 'bench', 'RESULTS.md')
        new = not os.path.exists(path)
        with open(path, 'a') as f:
            if new:
                f.write('# Benchmark results\n\nAppended by `bench/compare_brian2.py --write`.\n')
            f.write(note)
        print(f'appended to {path}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
