#!/usr/bin/python3
"""The gain-control reproduction's optimal gains against an independent SciPy solution.

Rebuilds the rate model of docs/gain_control.md from its equations (N = 32 von Mises drives with
kappa = 2 and baseline 0.05, circulant W with w_kappa = 2 and spectral radius 0.8, gains on the total
input, log-det fidelity, lambda = 1; K = 32 orientations, adapter 0 deg at p = 0.5), minimises
L(g) = -sum log g + log det(I - G W) + lambda 1^T (I - G W)^-1 G E[f] with scipy.optimize (L-BFGS-B
on log g, numerical gradients: nothing shared with neurite's analytic gradient or its optimiser),
and compares with gains.csv of `neurite repro gain-control` (both ensembles) and the W = 0 closed
form 1 / (lambda E[f]).

Run: /usr/bin/python3 tests/validation/gain_control_scipy.py path/to/neurite
Exit 0 when every gain agrees to 1e-4 relative, 1 otherwise, 77 without NumPy/SciPy.
"""
import csv
import os
import subprocess
import sys
import tempfile

try:
    import numpy as np
    from scipy import optimize
except ImportError:
    print('NumPy/SciPy are not installed (python3-scipy): skipped')
    sys.exit(77)

N, K, KAPPA, BASE, W_KAPPA, RHO, LAM, P_ADAPTER = 32, 32, 2.0, 0.05, 2.0, 0.8, 1.0, 0.5


def model():
    theta = np.arange(N) * np.pi / N
    s = np.arange(K) * np.pi / K
    f = BASE + np.exp(KAPPA * (np.cos(2 * (s[None, :] - theta[:, None])) - 1))  # N x K
    w = np.exp(W_KAPPA * (np.cos(2 * (theta[:, None] - theta[None, :])) - 1))
    np.fill_diagonal(w, 0)
    w *= RHO / np.max(np.abs(np.linalg.eigvalsh(w)))  # eigenvalues computed, not the row sum
    return f, w


def ensembles():
    uniform = np.full(K, 1.0 / K)
    biased = np.full(K, (1 - P_ADAPTER) / (K - 1))
    biased[0] = P_ADAPTER
    return uniform, biased


def loss(log_g, f, w, p):
    g = np.exp(log_g)
    a = np.eye(N) - g[:, None] * w
    if np.max(np.linalg.eigvals(g[:, None] * w).real) >= 1:
        return 1e10
    sign, logdet = np.linalg.slogdet(a)
    r_mean = np.linalg.solve(a, g * (f @ p))
    return -np.sum(log_g) + logdet + LAM * np.sum(r_mean)


def optimal(f, w, p):
    start = np.full(N, np.log(0.5))
    r = optimize.minimize(loss, start, args=(f, w, p), method='L-BFGS-B',
                          options={'ftol': 1e-15, 'gtol': 1e-10, 'maxiter': 5000})
    return np.exp(r.x)


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    f, w = model()
    uniform, biased = ensembles()
    with tempfile.TemporaryDirectory(prefix='neurite_gain_control_scipy_%d_' % os.getpid()) as out:
        subprocess.run([argv[1], 'repro', 'gain-control', '--out', out, '--no-plot', '--threads', '1'], check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(os.path.join(out, 'gains.csv')) as fh:
            rows = list(csv.DictReader(fh))
    ours = {c: np.array([float(r['g_' + c]) for r in rows]) for c in ('unadapted', 'adapted')}
    worst = 0.0
    for cond, p in (('unadapted', uniform), ('adapted', biased)):
        peer = optimal(f, w, p)
        diff = np.max(np.abs(ours[cond] - peer) / peer)
        print('%-9s gains: largest relative difference neurite vs SciPy %.2e' % (cond, diff))
        worst = max(worst, diff)
    w0 = optimal(f, np.zeros((N, N)), biased)
    diff0 = np.max(np.abs(w0 - 1 / (LAM * (f @ biased))) * (LAM * (f @ biased)))
    print('W = 0: SciPy optimum vs 1 / (lambda E[f]): %.2e' % diff0)
    return 0 if worst < 1e-4 and diff0 < 1e-4 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
