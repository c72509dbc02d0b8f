#!/usr/bin/python3
"""`neurite repro dynamic-connectome` side by side with Debian's Python peers.

1. NMF (2-way case): nmf_matrix.csv (windows x pairs, mean affinities of the synthetic worms) is
   factorised by scikit-learn's NMF (coordinate descent, nndsvda start, same rank) and by a plain
   NumPy HALS written here; neurite's relative reconstruction error (nmf_ours.csv, its CP-HALS on
   the matrix as a tensor with one recording) must be within 1% (relative) of the better of the two.
2. NMI: for every LFR graph (lfr_nodes.csv), neurite's NMI of its Louvain / Leiden partitions to
   the planted communities against python-igraph's compare_communities(method="nmi") on the same
   labels (to 1e-9).
3. Community detection: python-igraph's Louvain and Leiden (modularity) on the same weighted graphs
   (lfr_edges.csv): mean NMI over all graphs within 0.1 of neurite's (C library, same algorithms,
   different random orders).

Run: /usr/bin/python3 tests/validation/dynamic_connectome_peers.py path/to/neurite
Exit 0 on agreement, 1 otherwise, 77 without NumPy / scikit-learn / python-igraph.
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict

try:
    import numpy as np
    import igraph
    from sklearn.decomposition import NMF
except ImportError as e:
    print(f'peer missing ({e}): install python3-numpy python3-sklearn python3-igraph; skipped')
    sys.exit(77)


def numpy_hals(X, rank, iters=3000, seed=0):
    rng = np.random.default_rng(seed)
    W = rng.random((X.shape[0], rank))
    H = rng.random((rank, X.shape[1]))
    for _ in range(iters):
        XHt, HHt = X @ H.T, H @ H.T
        for r in range(rank):
            W[:, r] = np.maximum(0, W[:, r] + (XHt[:, r] - W @ HHt[:, r]) / max(HHt[r, r], 1e-300))
        WtX, WtW = W.T @ X, W.T @ W
        for r in range(rank):
            H[r] = np.maximum(0, H[r] + (WtX[r] - WtW[r] @ H) / max(WtW[r, r], 1e-300))
    return np.linalg.norm(X - W @ H) / np.linalg.norm(X)


def main(argv):
    out = tempfile.mkdtemp(prefix=f'neurite_connectome_peers_{os.getpid()}_')
    subprocess.run([argv[1], 'repro', 'dynamic-connectome', '--out', out, '--no-plot'], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ok = True
    X = np.loadtxt(os.path.join(out, 'nmf_matrix.csv'), delimiter=',')
    with open(os.path.join(out, 'nmf_ours.csv')) as f:
        row = next(csv.DictReader(f))
    rank, ours = int(row['rank']), float(row['relative_error'])
    model = NMF(n_components=rank, init='nndsvda', solver='cd', max_iter=5000, tol=1e-10)
    W = model.fit_transform(X)
    sk = np.linalg.norm(X - W @ model.components_) / np.linalg.norm(X)
    hals = min(numpy_hals(X, rank, seed=s) for s in range(3))
    best = min(sk, hals)
    print(f'NMF rank {rank}: neurite {ours:.6f}, sklearn {sk:.6f}, numpy HALS {hals:.6f}')
    if abs(ours - best) > 0.01 * best:
        print('  MISMATCH: neurite relative error not within 1% of the peers')
        ok = False

    graphs = defaultdict(lambda: {'planted': [], 'louvain': [], 'leiden': [], 'sbm': []})
    with open(os.path.join(out, 'lfr_nodes.csv')) as f:
        for r in csv.DictReader(f):
            g = graphs[int(r['graph'])]
            for k in ('planted', 'louvain', 'leiden', 'sbm'):
                g[k].append(int(r[k]))
    edges = defaultdict(lambda: ([], []))
    with open(os.path.join(out, 'lfr_edges.csv')) as f:
        for r in csv.DictReader(f):
            e, w = edges[int(r['graph'])]
            e.append((int(r['a']), int(r['b'])))
            w.append(float(r['weight']))
    ours_nmi = {int(r['setting']) * 1000 + int(r['repetition']): r for r in csv.DictReader(open(os.path.join(out, 'lfr.csv')))}
    rows = list(ours_nmi.values())
    worst = 0.0
    peer_means = {'louvain': [], 'leiden': []}
    our_means = {'louvain': [], 'leiden': [], 'sbm': []}
    for gid, g in sorted(graphs.items()):
        r = rows[gid]
        for k in ('louvain', 'leiden', 'sbm'):
            peer = igraph.compare_communities(g['planted'], g[k], method='nmi')
            worst = max(worst, abs(peer - float(r['nmi_' + k])))
            our_means[k].append(float(r['nmi_' + k]))
        e, w = edges[gid]
        G = igraph.Graph(n=len(g['planted']), edges=e)
        G.es['weight'] = w
        lv = G.community_multilevel(weights='weight').membership
        ld = G.community_leiden(objective_function='modularity', weights='weight', n_iterations=-1).membership
        peer_means['louvain'].append(igraph.compare_communities(g['planted'], lv, method='nmi'))
        peer_means['leiden'].append(igraph.compare_communities(g['planted'], ld, method='nmi'))
    print(f'NMI of {len(graphs)} LFR graphs x 3 methods (Louvain, Leiden, SBM): largest |neurite - igraph compare_communities| {worst:.2e}')
    if worst > 1e-6:  # lfr.csv prints 6 decimals
        ok = False
    for k in ('louvain', 'leiden'):
        a, b = np.mean(our_means[k]), np.mean(peer_means[k])
        print(f'{k}: mean NMI neurite (igraph C) {a:.3f}, python-igraph {b:.3f}')
        if abs(a - b) > 0.1:
            print('  MISMATCH: mean NMI differs by more than 0.1')
            ok = False
    shutil.rmtree(out, ignore_errors=True)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
