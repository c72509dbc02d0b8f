#!/usr/bin/python3
"""Figures of `neurite analyze`, drawn from the files it writes.

    /usr/bin/python3 python/neurite_analysis_plots.py OUTDIR

reads OUTDIR/analysis.json and, per population P, OUTDIR/analysis_neurons_P.csv (node_id, rate_hz,
cv_isi, lv, fano) and OUTDIR/analysis_spectrum_P.csv (frequency_hz, power), and writes
OUTDIR/analysis.png: one row per population with the distributions of the single-neuron rates, CVs
and LVs (the Poisson value 1 marked) and the population-rate power spectrum (log scale, its peak
marked). Exit status 2 with a one-line message when an input is missing or unreadable.
"""
import json
import os
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from neurite_plot import save_png  # noqa: E402  (beside this script)


def column(data, name):
    values = np.atleast_1d(data[name]) if data.size else np.array([])
    return values[np.isfinite(values)]


def histogram(ax, values, title, xlabel, mark=None):
    if values.size:
        ax.hist(values, bins=40, color='tab:blue', alpha=0.8)
    if mark is not None:
        ax.axvline(mark, color='k', ls='--', lw=1, label='Poisson')
        ax.legend(fontsize=7)
    ax.set(title=title, xlabel=xlabel, ylabel='neurons')


def main(argv):
    if len(argv) != 2:
        print('usage: neurite_analysis_plots.py OUTDIR', file=sys.stderr)
        return 2
    outdir = argv[1]
    try:
        with open(os.path.join(outdir, 'analysis.json')) as f:
            summary = json.load(f)
    except (OSError, ValueError) as e:
        print(f'cannot read {outdir}/analysis.json: {e}', file=sys.stderr)
        return 2
    pops = list(summary['populations'])
    fig, axes = plt.subplots(len(pops), 4, figsize=(14, 3.2 * len(pops)), squeeze=False)
    for row, pop in zip(axes, pops):
        path = os.path.join(outdir, f'analysis_neurons_{pop}.csv')
        try:
            d = np.genfromtxt(path, delimiter=',', names=True)
        except OSError as e:
            print(f'cannot read {path}: {e}', file=sys.stderr)
            return 2
        histogram(row[0], column(d, 'rate_hz'), f'{pop}: single-neuron rates', 'rate [Hz]')
        histogram(row[1], column(d, 'cv_isi'), f'{pop}: CV of ISIs', 'CV', 1.0)
        histogram(row[2], column(d, 'lv'), f'{pop}: local variation', 'LV', 1.0)
        spectrum = os.path.join(outdir, f'analysis_spectrum_{pop}.csv')
        ax = row[3]
        if os.path.exists(spectrum):
            s = np.genfromtxt(spectrum, delimiter=',', names=True)
            keep = (s['frequency_hz'] > 0) & (s['power'] > 0)
            ax.semilogy(s['frequency_hz'][keep], s['power'][keep], lw=1)
            peak = summary['populations'][pop].get('spectrum', {}).get('peak_hz')
            if peak:
                ax.axvline(peak, color='tab:red', ls=':', lw=1, label=f'peak {peak:g} Hz')
                ax.legend(fontsize=7)
        ax.set(title=f'{pop}: population-rate spectrum', xlabel='frequency [Hz]', ylabel='power [Hz$^2$/Hz]')
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'analysis.png'), dpi=110)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
