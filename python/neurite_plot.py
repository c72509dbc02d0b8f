#!/usr/bin/python3
"""Plots of neurite output directories.

    /usr/bin/python3 python/neurite_plot.py raster OUTDIR [--max-neurons N] [--t-max MS]

reads OUTDIR/spikes.h5 (SONATA layout: /spikes/<population>/{timestamps [ms], node_ids}) and,
for the title, the population sizes and their order, OUTDIR/summary.json if present, and writes
OUTDIR/raster.png: a raster of at most N neurons per population (evenly spaced ids), each
population in its own colour and labelled with its mean rate in that colour, above the
population rates (1 ms bins, spikes per neuron per second, lightly smoothed). Populations come in
the model file's order (summary.json's), top to bottom.
Exit status 2 with a one-line message when an input is missing or unreadable.
"""
import argparse
import json
import os
import sys

import numpy as np

BIN_MS = 1.0
SMOOTH_SIGMA_BINS = 1.5  # Gaussian smoothing of the rate, in bins


class PlotError(Exception):
    pass


def save_png(fig, path, **kw):
    """fig as a PNG at path, written under a temporary name and renamed into place, so that a
    crash never leaves a truncated figure where a complete one was; a failed save leaves no
    temporary behind."""
    part = path + '.part'
    try:
        fig.savefig(part, format='png', **kw)
        os.replace(part, path)
    except BaseException:
        if os.path.exists(part):
            os.remove(part)
        raise


def read_summary(outdir):
    """summary.json as a dict; {} when absent (it only feeds the title and the sizes)."""
    path = os.path.join(outdir, 'summary.json')
    if not os.path.exists(path):
        return {}
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise PlotError(f'{path}: not readable as JSON ({e})')


def read_spikes(outdir):
    """{population: (timestamps [ms], node_ids)} from OUTDIR/spikes.h5, in file order."""
    import h5py
    path = os.path.join(outdir, 'spikes.h5')
    if not os.path.exists(path):
        raise PlotError(f'{path}: no such file')
    try:
        with h5py.File(path, 'r') as f:
            if 'spikes' not in f:
                raise PlotError(f'{path}: no /spikes group (not a SONATA spike file)')
            out = {}
            for name, group in f['spikes'].items():
                if not isinstance(group, h5py.Group) or 'timestamps' not in group or 'node_ids' not in group:
                    raise PlotError(f'{path}: /spikes/{name} lacks timestamps or node_ids')
                t = np.asarray(group['timestamps'][()], dtype=float)
                ids = np.asarray(group['node_ids'][()], dtype=np.int64)
                if t.shape != ids.shape:
                    raise PlotError(f'{path}: /spikes/{name}: timestamps and node_ids differ in length')
                out[name] = (t, ids)
            return out
    except OSError as e:  # h5py's way of saying "not HDF5", truncated, ...
        raise PlotError(f'{path}: not a readable HDF5 file ({e})')


def in_model_order(spikes, pops):
    """spikes' items in the order of summary.json's populations (the model file's), then the rest
    in the order of spikes.h5 (whose groups HDF5 lists by name)."""
    names = [n for n in pops if n in spikes] + [n for n in spikes if n not in pops]
    return [(n, spikes[n]) for n in names]


def shown_neurons(ids, size, max_neurons):
    """Ids to draw: all of a small population, else max_neurons evenly spaced ones."""
    if size is None:  # size unknown: the neurons that spiked
        candidates = np.unique(ids)
        if candidates.size <= max_neurons:
            return candidates
        return candidates[np.linspace(0, candidates.size - 1, max_neurons).astype(np.int64)]
    if size <= max_neurons:
        return np.arange(size)
    chosen = np.unique(np.linspace(0, size - 1, max_neurons).astype(np.int64))
    if ids.size and not np.isin(ids, chosen).any():  # a recording of other ids: use those instead
        return shown_neurons(ids, None, max_neurons)
    return chosen


def smoothed_rate(t, n_neurons, t_end):
    """Population rate [Hz per neuron] in BIN_MS bins on [0, t_end), Gaussian-smoothed."""
    edges = np.arange(0.0, t_end + BIN_MS, BIN_MS)
    counts, _ = np.histogram(t, edges)
    rate = counts / max(n_neurons, 1) / (BIN_MS * 1e-3)
    half = int(np.ceil(4 * SMOOTH_SIGMA_BINS))
    kernel = np.exp(-0.5 * (np.arange(-half, half + 1) / SMOOTH_SIGMA_BINS) ** 2)
    rate = np.convolve(np.pad(rate, half, mode='edge'), kernel / kernel.sum(), mode='valid')
    return edges[:-1] + BIN_MS / 2, rate


def raster(outdir, max_neurons=200, t_max=None):
    """Writes OUTDIR/raster.png and returns its path."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    summary = read_summary(outdir)
    spikes = read_spikes(outdir)
    pops = summary.get('populations', {})
    duration = summary.get('duration_ms')
    if t_max is None:
        t_max = duration if duration else max((t.max() for t, _ in spikes.values() if t.size), default=1.0)

    fig, (ax_r, ax_rate) = plt.subplots(2, 1, sharex=True, figsize=(10, 6),
                                        gridspec_kw={'height_ratios': [3, 1], 'hspace': 0.05})
    shown_pops = []  # (name, size, timestamps, ids, ids drawn)
    for name, (t, ids) in in_model_order(spikes, pops):
        size = pops.get(name, {}).get('size')
        keep = t <= t_max
        shown_pops.append((name, size, t[keep], ids[keep], shown_neurons(ids[keep], size, max_neurons)))
    # Each population gets a band of at least a 20th of the rows, so that the label of a population
    # of one or two neurons does not run into its neighbours'.
    min_band = sum(chosen.size for *_, chosen in shown_pops) / 20
    row0, ticks, labels, colours = 0.0, [], [], []
    for k, (name, size, t, ids, chosen) in enumerate(shown_pops):
        colour = f'C{k % 10}'
        band = max(chosen.size, min_band)
        first = row0 + (band - chosen.size) / 2  # the row of chosen[0]: the neurons centred in the band
        shown = np.isin(ids, chosen)
        ax_r.plot(t[shown], first + np.searchsorted(chosen, ids[shown]), '|' if chosen.size <= 50 else '.',
                  color=colour, markersize=4 if chosen.size <= 50 else 1.5, rasterized=True)
        n_neurons = size if size is not None else max(np.unique(ids).size, 1)
        centres, rate = smoothed_rate(t, n_neurons, t_max)
        mean = t.size / n_neurons / (t_max * 1e-3) if t_max > 0 else 0.0
        ax_rate.plot(centres, rate, color=colour, lw=1)
        # The label carries the mean rate and the colour of the rate curve: no legend, which
        # for many populations would be wider than the figure.
        ticks.append(first + (chosen.size - 1) / 2)
        label = f'{name}  {mean:.2f} Hz'
        labels.append(label if size is None or chosen.size == size else f'{label}\n({chosen.size} of {size})')
        colours.append(colour)
        row0 += band
        if k < len(shown_pops) - 1:
            ax_r.axhline(row0 - 0.5, color='0.8', lw=0.5)

    ax_r.set_yticks(ticks, labels, fontsize='small' if len(ticks) > 4 else None)
    for tick, colour in zip(ax_r.get_yticklabels(), colours):
        tick.set_color(colour)
    ax_r.set_ylim(max(row0, 1) - 0.5, -0.5)  # the first population on top
    ax_r.set_xlim(0, t_max)
    ax_rate.set_xlabel('time (ms)')
    ax_rate.set_ylabel('rate (Hz)')
    ax_rate.set_ylim(bottom=0)
    # Short enough for the figure's width whatever the number of populations (their rates are
    # in the labels).
    title = os.path.basename(os.path.normpath(outdir))
    if summary:
        title += f" - {sum(p.get('size', 0) for p in pops.values())} neurons in {len(pops)} population(s)"
        if summary.get('threads'):
            title += f", {summary['threads']} thread(s), seed {summary.get('seed')}"
    ax_r.set_title(title, fontsize='medium')
    path = os.path.join(outdir, 'raster.png')
    save_png(fig, path, dpi=120, bbox_inches='tight')
    plt.close(fig)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description='Plots of neurite output directories.')
    sub = ap.add_subparsers(dest='command', required=True)
    r = sub.add_parser('raster', help='spike raster and population rates -> OUTDIR/raster.png')
    r.add_argument('outdir')
    r.add_argument('--max-neurons', type=int, default=200, help='neurons drawn per population (default 200)')
    r.add_argument('--t-max', type=float, default=None, help='end of the time axis [ms] (default: the duration)')
    args = ap.parse_args(argv)
    if args.max_neurons < 1:
        ap.error('--max-neurons must be at least 1')
    try:
        print(raster(args.outdir, args.max_neurons, args.t_max))
    except PlotError as e:
        print(f'neurite_plot: {e}', file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
