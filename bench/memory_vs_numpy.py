#!/usr/bin/python3
"""neurite's memory module against vectorised NumPy on the same operations: throughput ratios.

    /usr/bin/python3 bench/memory_vs_numpy.py [--quick] [--write] [--bench build-bench/neurite_memory_bench]

For a few sizes it runs neurite_memory_bench (bench/memory_bench.cpp) and a NumPy implementation
of the same operation in this script, then prints one markdown table; --write appends it, with
the date and the machine, to bench/RESULTS.md. Both sides run on one thread (BLAS is pinned to
one below) and repeat each timed operation until MIN_SECONDS have passed; setting up the data is
not timed. The ratio is neurite per second / NumPy per second.

The NumPy references:
  SDR overlap, index sets   a batch of sorted index sets (trials x a), np.isin against the reference
  SDR overlap, bitsets      a batch of boolean rows (trials x n) and-ed with the reference's, counted
                            (faster here than packed bits with a popcount table or a float32 BLAS dot)
  segment match             the reference as a boolean mask, gathered at each segment's synapses
                            (segments x s), summed and compared with theta
  Hebbian, async            the library's dynamics: random-order asynchronous heat-bath sweeps,
                            each spin's field from its K cavity overlaps; the spins are visited in
                            a Python loop (sequential updates are inherently serial) with NumPy
                            operations on the K overlaps, the standard NumPy way
  Hebbian, sync             all N fields at once, then all spins at once: a DIFFERENT dynamics
                            (parallel heat-bath), the fastest NumPy can do, shown for scale only
The two sides draw different random data of the same statistics (NumPy cannot reproduce Philox
streams cheaply); the Mattis overlap after the runs is printed as a check that both retrieve.
"""
import os

for _var in ('OPENBLAS_NUM_THREADS', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[_var] = '1'  # before NumPy loads BLAS: neurite's loops are single-threaded

import argparse
import datetime
import json
import math
import subprocess
import sys
import time

import numpy as np

from compare_brian2 import machine

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIN_SECONDS = 0.3
SEED = 12345
SDR_SIZES = [(2048, 40, 20, 10, 10000), (16384, 328, 40, 20, 2000)]  # n, a, s, theta, trials
HEBBIAN_SIZES = [(1000, 3, 4), (10000, 3, 4), (1000, 30, 4)]         # N, K, P
QUICK_SDR_SIZES, QUICK_HEBBIAN_SIZES = SDR_SIZES[:1], HEBBIAN_SIZES[:1]
COST_CONSTANT = 0.5  # c_P, as in memory_bench.cpp


def per_second(ops_per_pass, run_pass):
    """Operations per second of run_pass(), repeated until MIN_SECONDS have passed."""
    passes, start = 0, time.perf_counter()
    while True:
        run_pass()
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= MIN_SECONDS:
            return passes * ops_per_pass / elapsed


def run_bench(exe, *args):
    proc = subprocess.run([exe, *map(str, args)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f'{exe} failed ({proc.returncode}): {proc.stderr.strip()[-500:]}')
    return json.loads(proc.stdout)


def random_index_sets(rng, n, a, count):
    return np.sort(np.array([rng.choice(n, a, replace=False) for _ in range(count)], dtype=np.int32), axis=1)


def numpy_sdr(rng, n, a, s, theta, trials):
    """NumPy rates for the three SDR operations of memory_bench.cpp's sdr mode."""
    reference = random_index_sets(rng, n, a, 1)[0]
    batch = random_index_sets(rng, n, a, trials)
    rows = np.zeros((trials, n), dtype=bool)
    rows[np.arange(trials)[:, None], batch] = True
    ref_mask = np.zeros(n, dtype=bool)
    ref_mask[reference] = True
    # Half the segments learned the reference, as in memory_bench.cpp.
    learned = np.where((np.arange(trials) % 2 == 0)[:, None], reference[None, :], batch)
    synapses = np.sort(rng.permuted(learned, axis=1)[:, :s], axis=1)
    if not np.array_equal(np.isin(batch, reference).sum(axis=1), np.count_nonzero(rows & ref_mask, axis=1)):
        raise RuntimeError('the NumPy overlaps disagree')  # the two representations, one answer
    return {
        'overlap_sorted_per_s': per_second(trials, lambda: np.isin(batch, reference).sum(axis=1)),
        'overlap_bits_per_s': per_second(trials, lambda: np.count_nonzero(rows & ref_mask, axis=1)),
        'segment_matches_per_s': per_second(trials, lambda: ref_mask[synapses].sum(axis=1) >= theta),
    }


class numpy_hebbian:
    """Supervised dense Hebbian network, H = -N c_P sum_mu (n_mu)^P, as in memory/dense_hebbian."""

    def __init__(self, rng, n, k, p, m, r, beta):
        xi = rng.choice(np.array([-1, 1], dtype=np.int8), (k, n))
        chi = np.where(rng.random((k, m, n)) < (1 + r) / 2, 1, -1)
        examples = chi * xi[:, None, :]
        class_power = r * r * (1 + (1 - r * r) / (m * r * r))
        self.n, self.p, self.beta, self.xi0 = n, p, beta, xi[0]
        self.z_by_spin = examples.sum(axis=1).T.astype(np.float64).copy()  # (N, K): row i is O(K) data
        self.step = 1 / (m * math.sqrt(class_power)) / n  # an overlap sum of 1, as an overlap
        self.spins = examples[0, 0].astype(np.float64)  # start from an example, as memory_bench.cpp
        self.sums = self.z_by_spin.T @ self.spins

    def async_sweep(self, rng):
        """Random-order heat-bath: P(sigma_i = +1) = (1 + tanh(beta h_i)) / 2, h from the cavity."""
        half_nc = 0.5 * self.n * COST_CONSTANT
        spins, sums, z_by_spin, step, p, beta = self.spins, self.sums, self.z_by_spin, self.step, self.p, self.beta
        for i, u in zip(rng.permutation(self.n), rng.random(self.n)):
            z = z_by_spin[i]
            cavity = sums - z * spins[i]
            h = half_nc * float(np.sum(((cavity + z) * step) ** p - ((cavity - z) * step) ** p))
            target = 1.0 if u < 0.5 * (1 + math.tanh(beta * h)) else -1.0
            if target != spins[i]:
                spins[i] = target
                sums += 2 * z * target

    def sync_sweep(self, rng):
        """Every spin updated at once from the same overlaps (a different, parallel dynamics)."""
        cavity = self.sums[None, :] - self.z_by_spin * self.spins[:, None]
        up, down = (cavity + self.z_by_spin) * self.step, (cavity - self.z_by_spin) * self.step
        h = 0.5 * self.n * COST_CONSTANT * (up ** self.p - down ** self.p).sum(axis=1)
        self.spins = np.where(rng.random(self.n) < 0.5 * (1 + np.tanh(self.beta * h)), 1.0, -1.0)
        self.sums = self.z_by_spin.T @ self.spins

    def mattis(self):
        return float(self.xi0 @ self.spins) / self.n


def sdr_rows(exe, rng, sizes):
    rows = []
    for n, a, s, theta, trials in sizes:
        print(f'sdr n={n} a={a}: neurite, NumPy ...', file=sys.stderr, flush=True)
        ours = run_bench(exe, 'sdr', n, a, s, theta, trials)
        theirs = numpy_sdr(rng, n, a, s, theta, trials)
        size = f'n={n}, a={a}, batch {trials}'
        rows += [('SDR overlap, index sets (np.isin)', size, ours['overlap_sorted_per_s'], theirs['overlap_sorted_per_s']),
                 ('SDR overlap, bitsets (boolean and, count)', size, ours['overlap_bits_per_s'], theirs['overlap_bits_per_s']),
                 ('segment match, >= theta (gather)', f'n={n}, s={s}, theta={theta}, {trials} segments',
                  ours['segment_matches_per_s'], theirs['segment_matches_per_s'])]
    return rows


def hebbian_rows(exe, rng, sizes, checks):
    rows = []
    for n, k, p in sizes:
        print(f'hebbian N={n} K={k} P={p}: neurite, NumPy ...', file=sys.stderr, flush=True)
        ours = run_bench(exe, 'hebbian', n, k, p, 10)
        net = numpy_hebbian(rng, n, k, p, ours['m'], ours['r'], ours['beta'])
        async_rate = per_second(1, lambda: net.async_sweep(rng))
        async_mattis = net.mattis()
        sync_rate = per_second(1, lambda: net.sync_sweep(rng))
        size = f'N={n}, K={k}, P={p}, beta={ours["beta"]:g}'
        rows += [('Hebbian MC sweeps, async heat-bath (NumPy: Python loop over spins)', size,
                  ours['sweeps_per_s'], async_rate),
                 ('Hebbian MC sweeps vs NumPy SYNCHRONOUS heat-bath (different dynamics)', size,
                  ours['sweeps_per_s'], sync_rate)]
        checks.append(f'{size}: Mattis overlap with archetype 0 after the runs, neurite {ours["mattis_0"]:.3f}, '
                      f'NumPy async {async_mattis:.3f}, NumPy sync {net.mattis():.3f}')
    return rows


def table(rows):
    lines = ['| operation | size | neurite per s | NumPy per s | ratio (neurite/NumPy) |', '|---|---|---|---|---|']
    for op, size, ours, theirs in rows:
        lines.append(f'| {op} | {size} | {ours:.3g} | {theirs:.3g} | {ours / theirs:.1f} |')
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--bench', default=os.path.join(ROOT, 'build', 'neurite_memory_bench'),
                    help='the neurite_memory_bench executable')
    ap.add_argument('--quick', action='store_true', help='smoke test: the smallest size of each')
    ap.add_argument('--write', action='store_true', help='append the table to bench/RESULTS.md')
    args = ap.parse_args()
    if not os.access(args.bench, os.X_OK):
        print(f'memory_vs_numpy: {args.bench} not found; build neurite_memory_bench first', file=sys.stderr)
        return 2

    load_before = os.getloadavg()[0]  # other work on the machine skews the timings
    if load_before > 1.0:
        print(f'warning: load average {load_before:.1f}: other work on this machine will skew the timings',
              file=sys.stderr)
    rng = np.random.default_rng(SEED)
    checks = []
    try:
        rows = sdr_rows(args.bench, rng, QUICK_SDR_SIZES if args.quick else SDR_SIZES)
        rows += hebbian_rows(args.bench, rng, QUICK_HEBBIAN_SIZES if args.quick else HEBBIAN_SIZES, checks)
    except RuntimeError as e:
        print(f'memory_vs_numpy: {e}', file=sys.stderr)
        return 1
    text = table(rows)
    print(text)
    for line in checks:
        print(line, file=sys.stderr)
    if args.write:
        stamp = datetime.datetime.now().strftime('%Y-%m-%d %H:%M')
        checks_md = ''.join(f'- {line}\n' for line in checks)
        note = (f'\n## {stamp}: {machine()}, memory module against NumPy {np.__version__}\n\n'
                f'One thread each (BLAS pinned to one), every operation repeated for at least {MIN_SECONDS:g} s, '
                f'load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after the runs; '
                f"`bench/memory_vs_numpy.py {' '.join(sys.argv[1:])}`. A sweep updates every spin once; the "
                f'synchronous NumPy row is a different dynamics, shown for scale only (see the docstring of '
                f'bench/memory_vs_numpy.py).\n\n{text}\n\n{checks_md}')
        path = os.path.join(ROOT, 'bench', 'RESULTS.md')
        with open(path, 'a') as f:
            f.write(note)
        print(f'appended to {path}', file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())
