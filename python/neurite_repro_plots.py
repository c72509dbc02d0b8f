#!/usr/bin/python3
"""Figures of `neurite repro` runs, drawn from the CSV files a reproduction writes.

    /usr/bin/python3 python/neurite_repro_plots.py NAME OUTDIR

For sdr-dendrites: effect_of_n.png, effect_of_s.png, unions.png, noise.png (theory curves with the
Monte Carlo rates and their 99.9% intervals) and optimal_threshold.png, all in OUTDIR.
For ca3-cam: golden_raster.png, testbench2_raster.png and state_map_raster.png (spikes of every
population of the CA3 memory).
For dense-hebbian: zero_temperature.png (m against rho), rho_temperature.png (the (rho, T) heat map),
alpha_temperature.png (the (alpha, T) heat maps, Monte Carlo and RS theory side by side),
storage.png (K_max against P) and, when the dataset is installed,
fashion_mnist.png (accuracy against M) and fashion_mnist_orders.png (accuracy against P).
For elm-neuron: adding_curves.png (Fashion-MNIST-Adding test accuracy per epoch of the ELM, the LSTM
of equal size and the tau_m_max = 1 ablation, with chance) and neuron_fit_auc.png (spike AUC of the
neuron-fitting task against d_m, with the paper's NeuronIO table for reference).
For `neurite train` (NAME train): learning_curve.png (training and test
accuracy per epoch).
For dynamic-confidence: pareto_front.png (accuracy against mean latency for every threshold, validation
and test, their Pareto fronts, the chosen threshold and the oracle) and fixed_t_accuracy.png.
For rich-lazy: rich_lazy_measures.png (weight change, kernel and representation alignment and sign
similarity against the initial rank, one line per task).
For hlop: accuracy_matrices.png and accuracy_matrices_snn.png (the accuracy matrix of each method as a heat map), acc_bwt.png
(ACC and BWT of each method) and subspace_cosines.png (principal-angle cosines between the Hebbian
and the principal subspace of each layer after task 0, with and without consolidation).
For granet: accuracy_curves.png (test accuracy per epoch of each method at the largest sparsity),
sparsity_schedule.png (sparsity and regeneration rate at every event), snn_sparsity.png (the pruned
LIF network's accuracy against sparsity) and, after --full, plasticity.png.
For place-recognition: pr_curve.png (precision against recall of the modular system on the test queries,
with and without the hyperactive neurons) and recall_vs_threshold.png (Recall@1 on the calibration
and test queries for every hyperactivity threshold).
For astro-snn: lm_bpc.png (test bits per character of the astrocyte-modulated SNN, the plain SNN and the
LSTM of equal size), recall_accuracy.png (delayed-recall accuracy against the delay, with chance) and
astro_tau.png (the trained astrocyte time constants).
For gain-control: gains.png (optimal gains against preferred orientation, unadapted and adapted, and the
time-averaged responses of the rate model and the spikes), tuning_curves.png (tuning curves of neurons
near the adapter before and after adaptation, rate model and spikes) and correlations.png (response
correlation matrices across the biased ensemble).
For dynamics-measures: closed_forms.png (Kuramoto <R> against K, PLV against sigma and Tort's MI against chi,
each with its closed form), brunel_spectra.png (population-rate spectra of the four Brunel states) and
brunel_states.png (CV, Golomb chi, relative spectral peak and rate of each state).
For onehot-glm: states.png (each model's state posteriors on the first test trial, with the true state
and the Viterbi path), weights.png (true and fitted weight matrices of every state, aligned) and
em.png (training log-likelihood per EM iteration).
For dynamic-connectome: worm_factors.png (fitted against planted time, recording and pair loadings of
each state's CP component), worm_rank.png (fit and stability against CP rank) and lfr_nmi.png (NMI of
the weighted SBM, Leiden and Louvain against mu_w and mu_t, with the realised mixing).
For llm-feature-neurons: concept_clamps.png (for every concept, the clamp ratio P(concept) clamped /
unclamped on neutral prompts of its best top-5 neuron, the random-neuron control and the 5x line) and decoded_kinds.png (the kind
of each neuron's top-1 decoded token, concept, cue, filler or function word, per layer, with and without
the final norm's gain).
For neuroformer: psth.png (trial-averaged PSTHs of real, generated and repeat spikes for six neurons, and
generated against real for all bins), connectivity.png (the planted links beside the gradient-weighted
attention scores) and training.png (loss per window and epoch of each model).
Exit status 2 with a one-line message for an unknown name or a missing file.
"""
import math
import os
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from neurite_plot import save_png  # noqa: E402  (beside this script)


def read(outdir, name):
    return np.genfromtxt(os.path.join(outdir, name), delimiter=',', names=True)


def read_table(outdir, name):
    """A CSV file with text columns as a 1-D record array (one row stays an array)."""
    return np.atleast_1d(np.genfromtxt(os.path.join(outdir, name), delimiter=',', names=True, dtype=None,
                                       encoding='utf-8'))


def finish(fig, ax, outdir, name, title, xlabel, ylabel, legend_size=8):
    """Labels, grid and legend, then OUTDIR/name as a PNG."""
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(True, alpha=0.3)
    if legend_size:
        ax.legend(fontsize=legend_size)
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, name), dpi=120)
    plt.close(fig)


def log_figure(outdir, name, title, xlabel, ylabel, curves):
    """curves: (x, y, label) drawn on a log y axis; zeros (underflow) are left out."""
    fig, ax = plt.subplots(figsize=(6, 4))
    for x, y, label in curves:
        keep = y > 0
        ax.semilogy(x[keep], y[keep], label=label)
    finish(fig, ax, outdir, name, title, xlabel, ylabel)


def noise_figure(outdir):
    d, mc = read(outdir, 'noise.csv'), read(outdir, 'noise_mc.csv')
    fig, ax = plt.subplots(figsize=(6, 4))
    for theta in (8, 12, 16):
        y = d['theta%d' % theta]
        keep = y > 0
        line, = ax.semilogy(d['noise'][keep], y[keep], label='theory, theta = %d' % theta)
        m = mc[(mc['theta'] == theta) & (mc['mc'] > 0)]
        ax.errorbar(m['noise'], m['mc'], yerr=[m['mc'] - m['low'], m['high'] - m['mc']], fmt='o', ms=3,
                    color=line.get_color(), label='simulated, theta = %d' % theta)
    finish(fig, ax, outdir, 'noise.png', 'False negatives: a = 128, s = 30', 'noise (fraction of a replaced)',
           'P(false negative)', legend_size=7)


def sdr_dendrites(outdir):
    d = read(outdir, 'effect_of_n.csv')
    log_figure(outdir, 'effect_of_n.png', 'False matches: s = 24, theta = 12', 'n (cells)', 'P(false match)',
               [(d['n'], d['a64'], 'a = 64'), (d['n'], d['a128'], 'a = 128'), (d['n'], d['a256'], 'a = 256'),
                (d['n'], d['a_half'], 'a = n/2')])
    d = read(outdir, 'effect_of_s.csv')
    log_figure(outdir, 'effect_of_s.png', 'False matches: theta = s/2', 's (synapses)', 'P(false match)',
               [(d['s'], d['a32_n2000'], 'a = 32, n = 2000'), (d['s'], d['a200_n4000'], 'a = 200, n = 4000'),
                (d['s'], d['a4000_n16000'], 'a = 4000, n = 16000')])
    d = read(outdir, 'unions.csv')
    log_figure(outdir, 'unions.png', 'Unions: a = 200, s = 25, theta = 15', 'M (patterns stored)',
               'P(false match)', [(d['M'], d['p_%d' % n], 'n = %d' % n) for n in (1000, 10000, 20000)])
    noise_figure(outdir)
    d = read(outdir, 'optimal_threshold.csv')
    log_figure(outdir, 'optimal_threshold.png', 'Median false match over n, a/n and s', 'theta',
               'median P(false match)', [(d['theta'], d['median_p_fp'], 'median')])


def heat_map(fig, ax, d, row_key, value_key, title, ylabel):
    """d[value_key] on the grid of d[row_key] (rows) against d['T'] (columns), m from 0 to 1."""
    rows, temps = np.unique(d[row_key]), np.unique(d['T'])
    grid = np.array([[d[value_key][(d[row_key] == r) & (d['T'] == t)][0] for t in temps] for r in rows])
    image = ax.imshow(grid, origin='lower', aspect='auto', cmap='viridis', vmin=0, vmax=1)
    ax.set_xticks(range(len(temps)), ['%g' % t for t in temps])
    ax.set_yticks(range(len(rows)), ['%g' % r for r in rows])
    ax.set(title=title, xlabel='temperature T', ylabel=ylabel)
    fig.colorbar(image, ax=ax, label='m')


def dense_hebbian(outdir):
    d = read(outdir, 'zero_temperature.csv')
    rho = np.geomspace(0.05, 3, 200)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.semilogx(rho, [math.erf(1 / math.sqrt(2 * x)) for x in rho], label='erf(1/sqrt(2 rho))')
    ax.plot(d['rho'], d['exact'], 's', mfc='none', label='exact majority vote')
    ax.errorbar(d['rho'], d['m'], yerr=4 * d['se'], fmt='o', ms=3, label='T = 0 relaxation (4 s.e.)')
    finish(fig, ax, outdir, 'zero_temperature.png', 'Low-load retrieval at T = 0, P = 4', 'dataset entropy rho',
           'Mattis overlap m')

    d = read(outdir, 'rho_temperature.csv')
    fig, ax = plt.subplots(figsize=(6, 4))
    heat_map(fig, ax, d, 'rho', 'm', 'Retrieval overlap m at low load, P = 4, r = 0.2', 'rho')
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'rho_temperature.png'), dpi=120)
    plt.close(fig)

    d = read(outdir, 'alpha_temperature.csv')
    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    heat_map(fig, axes[0], d, 'alpha', 'm_mc', 'Heat-bath Monte Carlo, P = 2, rho = 0.273', 'load alpha = K / N')
    heat_map(fig, axes[1], d, 'alpha', 'm_rs', 'Replica-symmetric theory', '')
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'alpha_temperature.png'), dpi=120)
    plt.close(fig)

    d = read(outdir, 'storage.csv')
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.semilogy(d['P'], d['K_max'], 'o-')
    finish(fig, ax, outdir, 'storage.png', 'Largest K retrieved (m > 0.9), N = %d' % d['N'][0], 'interaction order P',
           'K_max', legend_size=0)

    if not os.path.exists(os.path.join(outdir, 'fashion_mnist.csv')):
        return  # the dataset is not installed: no figure
    d = read(outdir, 'fashion_mnist.csv')
    fig, ax = plt.subplots(figsize=(5, 4))
    for p in np.unique(d['P']):
        rows = d[d['P'] == p]
        ax.semilogx(rows['M'], rows['accuracy'], 'o-', label='P = %d, relaxed at T = 0' % p)
    rows = d[d['P'] == d['P'][0]]
    ax.semilogx(rows['M'], rows['nearest_centroid'], 'k--', label='nearest centroid')
    finish(fig, ax, outdir, 'fashion_mnist.png', 'Fashion-MNIST', 'training images per class M', 'test accuracy')

    d = read(outdir, 'fashion_mnist_orders.csv')
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(d['P'], d['accuracy'], 'o-', label='relaxed at T = 0')
    ax.plot(d['P'], d['nearest_centroid'], 'k--', label='nearest centroid (same rows)')
    finish(fig, ax, outdir, 'fashion_mnist_orders.png', 'Fashion-MNIST, unit-norm rows, M = 1000',
           'interaction order P', 'test accuracy')


def raster(outdir, name, title):
    """Spikes of every CA3 population, one band each (input at the bottom, output on top)."""
    import csv
    bands = {}
    with open(os.path.join(outdir, name + '.csv')) as f:
        for row in csv.DictReader(f):
            bands.setdefault(row['population'], []).append((int(row['step']), int(row['neuron'])))
    fig, ax = plt.subplots(figsize=(10, 6))
    base, ticks = 0, []
    for population, spikes in bands.items():
        size = max(n for _, n in spikes) + 1
        ax.plot([s for s, _ in spikes], [base + n for _, n in spikes], '|', markersize=4)
        ticks.append((base + size / 2, population))
        base += size + 2
    ax.set_yticks([t for t, _ in ticks], [p for _, p in ticks], fontsize=7)
    finish(fig, ax, outdir, name + '.png', title, 'time step (1 ms)', '', legend_size=0)


def ca3_cam(outdir):
    raster(outdir, 'golden_raster', 'CA3 memory, the golden-trace protocol (n = 5 cues, m = 10 bits)')
    raster(outdir, 'testbench2_raster', 'CA3 memory, testbench 2 (60 operations)')
    raster(outdir, 'state_map_raster', 'CA3 memory, 4x4 state map (n = 16, m = 6)')



def learning_curve(outdir, title='Training run (neurite train)'):
    d = np.atleast_1d(read(outdir, 'learning_curve.csv'))
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(d['epoch'], 100 * d['train_accuracy'], 'o-', label='training (running mean over the epoch)')
    ax.plot(d['epoch'], 100 * d['test_accuracy'], 's-', label='test')
    finish(fig, ax, outdir, 'learning_curve.png', title, 'epoch', 'accuracy (%)')



def dynamic_confidence(outdir):
    d = np.genfromtxt(os.path.join(outdir, 'pareto.csv'), delimiter=',', names=True, dtype=None, encoding='utf-8')
    chosen = read(outdir, 'operating_points.csv')
    fig, ax = plt.subplots(figsize=(6, 4))
    for split, colour in (('validation', 'C0'), ('test', 'C1')):
        s = d[d['split'] == split]
        ax.plot(s['latency'], 100 * s['accuracy'], '.', color=colour, ms=3, alpha=0.5,
                label='%s, every theta' % split)
        front = s[s['on_front'] == 1]
        ax.plot(front['latency'], 100 * front['accuracy'], 'o-', ms=4, color=colour, label='%s, Pareto front' % split)
    c, o = chosen[0], chosen[1]
    ax.plot(c['validation_latency'], 100 * c['validation_accuracy'], 'k*', ms=12,
            label='chosen theta = %.3f (validation)' % c['threshold'])
    ax.plot(c['test_latency'], 100 * c['test_accuracy'], 'r*', ms=12, label='the same theta on test')
    ax.plot(o['test_latency'], 100 * o['test_accuracy'], 'gD', label='oracle (test)')
    finish(fig, ax, outdir, 'pareto_front.png', 'Dynamic Confidence, accuracy against latency',
           'mean latency (steps)', 'accuracy (%)')
    f = read(outdir, 'fixed_t.csv')
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(f['steps'], 100 * f['validation_accuracy'], 'o-', ms=3, label='validation')
    ax.plot(f['steps'], 100 * f['test_accuracy'], 's-', ms=3, label='test')
    finish(fig, ax, outdir, 'fixed_t_accuracy.png', 'Converted QCFS SNN, accuracy at fixed T',
           'T (steps)', 'accuracy (%)')


def elm_neuron(outdir):
    d = read_table(outdir, 'adding_curves.csv')  # the model column is text
    models = list(dict.fromkeys(d['model']))
    fig, ax = plt.subplots(figsize=(5, 4))
    for model in models:
        rows = d[d['model'] == model]
        ax.plot(rows['epoch'], 100 * rows['test_accuracy'], 'o-', label=model)
    ax.axhline(100 / 19, color='k', ls='--', lw=1, label='chance (1/19)')
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    finish(fig, ax, outdir, 'adding_curves.png', 'Fashion-MNIST-Adding (two images, 56 steps)', 'epoch',
           'test accuracy (%)')
    fit = np.atleast_1d(read(outdir, 'neuron_fit.csv'))
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.semilogx(fit['memory'], fit['auc'], 'o-', label='synthetic neuron (this run)')
    paper_memory = [1, 5, 10, 15, 20, 30, 50, 100]  # PAPERS_13-24.md #24, another neuron (L5PC)
    paper_auc = [0.9437, 0.9757, 0.9878, 0.9915, 0.9922, 0.9929, 0.9934, 0.9935]
    ax.semilogx(paper_memory, paper_auc, 's--', color='gray', label='paper, NeuronIO')
    ax.axhline(fit['baseline_auc'][0], color='k', ls=':', lw=1, label='linear filter baseline')
    finish(fig, ax, outdir, 'neuron_fit_auc.png', 'Neuron fitting: spike AUC against d_m', 'd_m',
           'test spike AUC')


def rich_lazy(outdir):
    d = read_table(outdir, 'measures.csv')  # the task column is text
    measures = (('weight_change', '||dW_rec||_F'), ('kernel_alignment', 'tangent-kernel alignment'),
                ('representation_alignment', 'representation alignment'), ('sign_similarity', 'sign similarity'))
    fig, axes = plt.subplots(1, 4, figsize=(16, 4))
    for ax, (key, label) in zip(axes, measures):
        for task in dict.fromkeys(d['task']):
            rows = d[d['task'] == task]
            ranks = np.unique(rows['rank'])
            values = [rows[key][rows['rank'] == r] for r in ranks]
            mean = np.array([v.mean() for v in values])
            ax.errorbar(ranks, mean, yerr=[v.std() for v in values], fmt='o-', capsize=3, label=task)
        ax.set_xscale('log')
        ax.set(title=label, xlabel='initial rank of W_rec')
        ax.grid(True, alpha=0.3)
    axes[0].legend(fontsize=8)
    fig.suptitle('Rich and lazy learning against the initial rank (means and spread over seeds)')
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'rich_lazy_measures.png'), dpi=120)
    plt.close(fig)


def hlop_matrices(outdir, methods, name, title):
    """The accuracy matrix of each method as a heat map, side by side."""
    fig, axes = plt.subplots(1, len(methods), figsize=(3.2 * len(methods), 3.2), squeeze=False)
    for ax, method in zip(axes[0], methods):
        r = 100 * np.atleast_2d(np.genfromtxt(os.path.join(outdir, 'accuracy_%s.csv' % method), delimiter=',',
                                              skip_header=1))[:, 1:]
        image = ax.imshow(r, vmin=0, vmax=100, cmap='viridis', aspect='auto')
        for (i, j), a in np.ndenumerate(r):
            ax.text(j, i, '%.0f' % a, ha='center', va='center', fontsize=7, color='w' if a < 60 else 'k')
        ax.set(title=method, xlabel='tested on task', ylabel='after training task' if method == methods[0] else '')
        ax.set_yticks(range(r.shape[0]))
    fig.suptitle(title)
    fig.subplots_adjust(left=0.07, right=0.86, bottom=0.2, top=0.82)
    fig.colorbar(image, cax=fig.add_axes([0.89, 0.2, 0.015, 0.62]), label='accuracy (%)')
    save_png(fig, os.path.join(outdir, name), dpi=120)
    plt.close(fig)


def hlop(outdir):
    """Accuracy matrices of each method (heat maps), for the rate and the spiking networks, and their ACC and BWT
    (bars)."""
    summary = read_table(outdir, 'summary.csv')  # the method column is text
    methods = list(summary['method'])
    hlop_matrices(outdir, methods, 'accuracy_matrices.png', 'Rate network')
    acc, bwt = list(summary['acc']), list(summary['bwt'])
    if os.path.exists(os.path.join(outdir, 'summary_snn.csv')):
        spiking = read_table(outdir, 'summary_snn.csv')
        hlop_matrices(outdir, list(spiking['method']), 'accuracy_matrices_snn.png', 'LIF network')
        methods += list(spiking['method'])
        acc += list(spiking['acc'])
        bwt += list(spiking['bwt'])
    fig, ax = plt.subplots(figsize=(1.2 * len(methods) + 2, 4))
    x = np.arange(len(methods))
    ax.bar(x - 0.2, 100 * np.array(acc), 0.4, label='ACC')
    ax.bar(x + 0.2, 100 * np.array(bwt), 0.4, label='BWT')
    ax.axhline(0, color='k', lw=1)
    ax.set_xticks(x)
    ax.set_xticklabels(methods, rotation=30, ha='right', fontsize=8)
    finish(fig, ax, outdir, 'acc_bwt.png', 'Permuted Fashion-MNIST: ACC and BWT', 'method', 'points')
    cosines = np.atleast_1d(read(outdir, 'subspace.csv'))
    fig, ax = plt.subplots(figsize=(5, 4))
    for layer in np.unique(cosines['layer']):
        c = cosines[cosines['layer'] == layer]['cosine']
        line, = ax.plot(np.arange(1, len(c) + 1), c, label='layer %d (k = %d)' % (layer, len(c)))
        if 'cosine_repo_schedule' in cosines.dtype.names:
            r = cosines[cosines['layer'] == layer]['cosine_repo_schedule']
            ax.plot(np.arange(1, len(r) + 1), r, ls=':', color=line.get_color(),
                    label='layer %d, before consolidation' % layer)
    ax.axhline(0.95, color='k', ls='--', lw=1, label='0.95 (our criterion, on the mean)')
    finish(fig, ax, outdir, 'subspace_cosines.png', 'Hebbian vs principal subspace after task 0',
           'principal angle (largest cosine first)', 'cosine')


def granet(outdir):
    """Test accuracy per epoch of each method, sparsity over training, and the pruned LIF network."""
    acc = read_table(outdir, 'accuracy.csv')
    target = acc['target'].max()
    seed = acc['seed'].min()
    fig, ax = plt.subplots(figsize=(6, 4))
    for method in dict.fromkeys(acc['method']):
        rows = acc[(acc['method'] == method) & (acc['seed'] == seed) &
                   ((acc['target'] == target) | (acc['method'] == 'dense'))]
        ax.plot(rows['epoch'], 100 * rows['test_accuracy'], 'o-', ms=3, label=method)
    finish(fig, ax, outdir, 'accuracy_curves.png', 'LeNet-300-100 on Fashion-MNIST, %g%% sparsity' % (100 * target),
           'epoch', 'test accuracy (%)')
    events = read_table(outdir, 'events.csv')
    fig, ax = plt.subplots(figsize=(6, 4))
    for method in dict.fromkeys(events['method']):
        rows = events[(events['method'] == method) & (events['seed'] == seed) & (events['target'] == target)]
        ax.plot(rows['iteration'], 100 * rows['sparsity'], '.-', label=method + ' sparsity')
        if rows['rate'].max() > 0:
            ax.plot(rows['iteration'], 100 * rows['rate'], ':', label=method + ' regeneration rate')
    finish(fig, ax, outdir, 'sparsity_schedule.png', 'Cubic pruning schedule and regeneration rate', 'iteration', '%')
    snn = np.atleast_1d(read(outdir, 'snn.csv'))
    if snn.size and 'test_accuracy' in snn.dtype.names:
        fig, ax = plt.subplots(figsize=(5, 4))
        ax.plot(100 * snn['target'], 100 * snn['test_accuracy'], 'o-')
        finish(fig, ax, outdir, 'snn_sparsity.png', 'LIF 784-512-10 pruned by GraNet', 'sparsity (%)',
               'test accuracy (%)', legend_size=0)
    if os.path.exists(os.path.join(outdir, 'plasticity.csv')):
        p = np.atleast_1d(read(outdir, 'plasticity.csv'))
        fig, ax = plt.subplots(figsize=(5, 4))
        for regen, label in ((0, 'fine-tuned, no regeneration'), (1, 'fine-tuned with regeneration')):
            rows = p[p['regeneration'] == regen]
            ax.plot(rows['prune_epoch'], 100 * rows['best_accuracy'], 'o-', label=label)
        finish(fig, ax, outdir, 'plasticity.png', 'Pruning plasticity: one-shot pruning at epoch t',
               'pruning epoch', 'best test accuracy (%)')


def place_recognition(outdir):
    """Precision-recall curves of the modular system and Recall@1 against the hyperactivity threshold."""
    pr = read_table(outdir, 'pr_curve.csv')  # the system column is text
    fig, ax = plt.subplots(figsize=(5, 4))
    for system in dict.fromkeys(pr['system']):
        rows = pr[pr['system'] == system]
        ax.plot(rows['recall'], rows['precision'], '.-', label=system)
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    finish(fig, ax, outdir, 'pr_curve.png', 'Modular SNN place recognition (test queries)', 'recall', 'precision')
    r = np.atleast_1d(read(outdir, 'recall.csv'))
    fig, ax = plt.subplots(figsize=(5, 4))
    for seed in np.unique(r['seed']):
        rows = r[r['seed'] == seed]
        x = np.arange(len(rows))
        ax.plot(x, rows['calibration_r1'], 'o--', label='calibration, seed %d' % seed)
        ax.plot(x, rows['test_r1'], 's-', label='test, seed %d' % seed)
        ax.set_xticks(x)
        ax.set_xticklabels(['%d' % t for t in rows['threshold']], fontsize=7)
    finish(fig, ax, outdir, 'recall_vs_threshold.png', 'Recall@1 against the hyperactivity threshold',
           'thr: neurons firing for >= thr traverse images removed (0: none)', 'Recall@1')


def astro_snn(outdir):
    """Bits per character (bars), recall accuracy against the delay, trained astrocyte time constants."""
    lm = read_table(outdir, 'lm.csv')
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.bar(np.arange(len(lm)), lm['bpc'], color=['C0', 'C1', 'C2'][:len(lm)])
    for i, row in enumerate(lm):
        ax.text(i, row['bpc'], '%.3f\n(%d par.)' % (row['bpc'], row['parameters']), ha='center', va='bottom',
                fontsize=8)
    ax.set_xticks(np.arange(len(lm)))
    ax.set_xticklabels(lm['model'])
    ax.set_ylim(0, 1.2 * max(lm['bpc']))
    finish(fig, ax, outdir, 'lm_bpc.png', 'Char LM on fortunes-min (our formulation)', 'model',
           'test bits per character', legend_size=0)
    recall = read_table(outdir, 'recall.csv')
    fig, ax = plt.subplots(figsize=(5, 4))
    for model in ['astro', 'plain', 'lstm']:
        r = recall[recall['model'] == model]
        ax.plot(r['delay'], 100 * r['accuracy'], 'o-', label=model)
    ax.axhline(25, color='k', ls='--', lw=1, label='chance')
    ax.set_ylim(0, 105)
    finish(fig, ax, outdir, 'recall_accuracy.png', 'Delayed recall (our formulation)', 'delay (steps)',
           'test accuracy (%)')
    tau = np.atleast_1d(read(outdir, 'astro_tau.csv'))
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.bar(tau['astrocyte'], tau['tau_steps'])
    ax.set_yscale('log')
    finish(fig, ax, outdir, 'astro_tau.png', 'Trained astrocyte time constants (char LM)', 'astrocyte',
           'tau (steps)', legend_size=0)


def gain_control(outdir):
    """Gains against preferred orientation, time-averaged responses, tuning curves before and after
    adaptation (rate model and spikes) and response correlation matrices."""
    g = np.atleast_1d(read(outdir, 'gains.csv'))
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    ax[0].plot(g['theta_deg'], g['g_unadapted'], 'o-', label='unadapted (uniform ensemble)')
    ax[0].plot(g['theta_deg'], g['g_adapted'], 's-', label='adapted (biased ensemble)')
    ax[0].axvline(0, color='k', ls=':', lw=1)
    ax[0].set(title='Optimal gains (rate model)', xlabel='preferred orientation (deg; adapter at 0)', ylabel='gain')
    ax[0].legend(fontsize=8)
    for key, label, style in (('mean_rate', 'rate model (left axis)', '-'), ('spike_rate', 'spikes (right axis)', '--')):
        axis = ax[1] if key == 'mean_rate' else ax[1].twinx()
        for cond, colour in (('unadapted', 'C0'), ('adapted', 'C1')):
            axis.plot(g['theta_deg'], g['%s_%s' % (key, cond)], style, color=colour, label='%s, %s' % (label, cond))
        axis.set_ylabel('time-averaged response' if key == 'mean_rate' else 'spike rate (Hz)')
        axis.legend(fontsize=7, loc='upper center' if key == 'mean_rate' else 'lower center')
    ax[1].set(title='Homeostasis: responses averaged over the biased ensemble', xlabel='preferred orientation (deg)')
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'gains.png'), dpi=120)
    plt.close(fig)
    t = read_table(outdir, 'tuning.csv')
    fig, ax = plt.subplots(1, 2, figsize=(10, 4))
    neurons = np.unique(t['neuron'])
    n = len(neurons)
    picks = [neurons[k * n // 16] for k in (1, 2, 3)] + [neurons[n - k * n // 16] for k in (2, 3)]
    for a, model in zip(ax, ('rate', 'spikes')):
        for i, neuron in enumerate(picks):
            for cond, style in (('unadapted', '--'), ('adapted', '-')):
                r = t[(t['model'] == model) & (t['condition'] == cond) & (t['neuron'] == neuron)]
                s = np.where(r['s_deg'] >= 90, r['s_deg'] - 180, r['s_deg'])
                order = np.argsort(s)
                a.plot(s[order], r['response'][order], style, color='C%d' % i,
                       label='%.0f deg, %s' % (r['theta_deg'][0], cond) if cond == 'adapted' or i == 0 else None)
        a.axvline(0, color='k', ls=':', lw=1)
        a.set(title='Tuning curves, %s (dashed: unadapted)' % model, xlabel='stimulus orientation (deg)',
              ylabel='response' if model == 'rate' else 'spike rate (Hz)')
        a.legend(fontsize=6)
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'tuning_curves.png'), dpi=120)
    plt.close(fig)
    c = read_table(outdir, 'correlations.csv')
    fig, ax = plt.subplots(2, 2, figsize=(8, 7))
    for row, model in enumerate(('rate', 'spikes')):
        for col, cond in enumerate(('unadapted', 'adapted')):
            r = c[(c['model'] == model) & (c['condition'] == cond)]
            m = np.zeros((r['i'].max() + 1, r['j'].max() + 1))
            m[r['i'], r['j']] = r['correlation']
            im = ax[row, col].imshow(m, vmin=-1, vmax=1, cmap='RdBu_r', origin='lower')
            ax[row, col].set(title='%s, %s' % (model, cond), xlabel='neuron (preference i 180/N deg)', ylabel='neuron')
    fig.colorbar(im, ax=ax, shrink=0.6, label='response correlation across the biased ensemble')
    save_png(fig, os.path.join(outdir, 'correlations.png'), dpi=120)
    plt.close(fig)


def dynamics_measures(outdir):
    """Closed forms against the measures (Kuramoto, PLV, Tort MI) and the Brunel states' spectra and measures."""
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    k = read(outdir, 'kuramoto.csv')
    kk = np.linspace(1.0, 4.5, 200)
    axes[0].plot(kk, np.sqrt(1 - 1.0 / kk), 'k-', lw=1, label='sqrt(1 - 2 gamma / K)')
    axes[0].plot([0, 1], [0, 0], 'k-', lw=1)
    axes[0].plot(k['K'], k['measured'], 'o', color='tab:red', label='simulated <R>')
    axes[0].set(title='Kuramoto, Lorentzian gamma = 0.5', xlabel='K', ylabel='<R>')
    p = read(outdir, 'plv.csv')
    ss = np.linspace(0, 2, 200)
    axes[1].plot(ss, np.exp(-ss ** 2 / 2), 'k-', lw=1, label='exp(-sigma^2 / 2)')
    axes[1].plot(p['sigma'], p['measured'], 'o', color='tab:red', label='measured PLV')
    axes[1].set(title='PLV under Gaussian phase jitter', xlabel='sigma [rad]', ylabel='PLV')
    t = read(outdir, 'tort.csv')
    axes[2].plot(t['chi'], t['ideal'], 'k-', lw=1, marker='s', ms=3, label='ideal envelope')
    axes[2].plot(t['chi'], t['measured'], 'o', color='tab:red', label='measured MI')
    axes[2].set(title='Tort MI (18 bins)', xlabel='chi', ylabel='MI')
    for ax in axes:
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'closed_forms.png'), dpi=110)
    plt.close(fig)

    s = read(outdir, 'spectra.csv')
    fig, ax = plt.subplots(figsize=(6, 4))
    for name in s.dtype.names[1:]:
        keep = (s['frequency_hz'] > 0) & (s[name] > 0)
        ax.semilogy(s['frequency_hz'][keep], s[name][keep], lw=1, label=name.replace('_', '-'))
    finish(fig, ax, outdir, 'brunel_spectra.png', 'Population-rate spectra of E (Brunel 2000 states)',
           'frequency [Hz]', 'power [Hz$^2$/Hz]')

    st = np.atleast_1d(read(outdir, 'states.csv'))
    names = [x.decode() if isinstance(x, bytes) else str(x) for x in
             np.genfromtxt(os.path.join(outdir, 'states.csv'), delimiter=',', skip_header=1, usecols=0, dtype=str)]
    fig, axes = plt.subplots(1, 4, figsize=(13, 3.2))
    for ax, key, label in zip(axes, ['cv', 'golomb_chi', 'relative_peak', 'rate_hz'],
                              ['CV of ISIs', 'Golomb chi', 'relative spectral peak', 'rate [Hz]']):
        ax.bar(range(len(names)), st[key], color='tab:blue')
        ax.set_xticks(range(len(names)), names, fontsize=8, rotation=30)
        ax.set(title=label)
        ax.grid(True, alpha=0.3, axis='y')
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'brunel_states.png'), dpi=110)


def dynamic_connectome(outdir):
    """Fitted against planted factors of the synthetic worms (temporal, recording, pair loadings),
    the rank diagnostic, and LFR NMI against the mixing parameters with the realised mixing."""
    f = read_table(outdir, 'worm_factors.csv')
    states = np.unique(f['state'])
    fig, ax = plt.subplots(len(states), 3, figsize=(12, 2.6 * len(states)), squeeze=False)
    for row, s in enumerate(states):
        for col, mode in enumerate(('time', 'recording', 'pair')):
            r = f[(f['state'] == s) & (f['mode'] == mode)]
            fitted, planted = r['fitted'], r['planted']
            scale = np.max(fitted) / max(np.max(planted), 1e-12)
            a = ax[row, col]
            if mode == 'pair':
                a.plot(r['index'], fitted, '.', ms=3, label='fitted')
                a.plot(r['index'], planted * scale, '-', lw=0.6, alpha=0.6, label='planted (scaled)')
            else:
                a.bar(r['index'], fitted, alpha=0.6, label='fitted')
                a.plot(r['index'], planted * scale, 'k.-', label='planted (scaled)')
            a.set(title='state %d, %s loadings' % (s, mode), xlabel=mode + (' window' if mode == 'time' else ''))
            a.legend(fontsize=6)
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'worm_factors.png'), dpi=120)
    plt.close(fig)
    d = np.atleast_1d(read(outdir, 'worm_rank.csv'))
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(d['rank'], d['best_fit'], 'o-', label='best fit over restarts')
    ax.plot(d['rank'], d['mean_fit'], 's--', label='mean fit')
    ax.plot(d['rank'], d['stability'], '^-', label='stability (FMS of restarts to the best)')
    finish(fig, ax, outdir, 'worm_rank.png', 'Rank diagnostic (synthetic worms)', 'CP rank', 'fit / FMS')
    g = np.atleast_1d(read(outdir, 'lfr.csv'))
    fig, ax = plt.subplots(1, 2, figsize=(11, 4))
    for a, key, other in ((ax[0], 'mu_w', 'mu_t'), (ax[1], 'mu_t', 'mu_w')):
        keep = (g['beta'] == 2) & (g['k'] == 25) & (g[other] == 0.5)
        methods = [('nmi_leiden', 'o-'), ('nmi_louvain', 's--')]
        if 'nmi_sbm' in g.dtype.names:
            methods.append(('nmi_sbm', '^-'))
        for method, style in methods:
            xs = np.unique(g[key][keep])
            a.plot(xs, [np.mean(g[method][keep & (g[key] == x)]) for x in xs], style, label=method[4:])
            a.plot(g[key][keep], g[method][keep], '.', color='gray', alpha=0.4)
        a.plot(g[key][keep], g['realised_' + key][keep], 'x', color='C3', label='realised ' + key)
        a.set(title='LFR, %s = 0.5, beta = 2, k = 25' % other, xlabel=key, ylabel='NMI to planted / realised mixing')
        a.grid(True, alpha=0.3)
        a.legend(fontsize=7)
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'lfr_nmi.png'), dpi=120)
    plt.close(fig)
def onehot_glm(outdir):
    """State posteriors against the truth, weight matrices true and fitted, EM log-likelihood."""
    st = read_table(outdir, 'states.csv')
    models = list(dict.fromkeys(st['model']))
    states = [n for n in st.dtype.names if n.startswith('p') and n[1:].isdigit()]
    fig, axes = plt.subplots(len(models), 1, figsize=(9, 2.2 * len(models)), sharex=True, squeeze=False)
    for ax, model in zip(axes[:, 0], models):
        rows = st[st['model'] == model]
        post = np.vstack([rows[n] for n in states])
        ax.imshow(post, aspect='auto', origin='lower', cmap='Greys', vmin=0, vmax=1, interpolation='nearest',
                  extent=(-0.5, len(rows) - 0.5, -0.5, len(states) - 0.5))
        ax.plot(rows['bin'], rows['true_state'], 'r-', lw=1, label='true state')
        ax.plot(rows['bin'], rows['viterbi'], 'c--', lw=0.8, label='Viterbi')
        ax.set(ylabel='state', title='%s: posterior (grey) on test trial 0' % model)
        ax.legend(fontsize=7, loc='upper right')
    axes[-1, 0].set_xlabel('bin')
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'states.png'), dpi=120)
    plt.close(fig)
    w = read_table(outdir, 'weights.csv')
    kinds = list(dict.fromkeys(w['model']))
    n_states, n = int(w['state'].max()) + 1, int(w['post'].max()) + 1
    vmax = np.abs(w['weight'][w['model'] == 'true']).max()
    fig, axes = plt.subplots(len(kinds), n_states, figsize=(2 * n_states, 2 * len(kinds)), squeeze=False)
    for i, kind in enumerate(kinds):
        rows = w[w['model'] == kind]
        for s in range(n_states):
            m = np.zeros((n, n))
            r = rows[rows['state'] == s]
            m[r['post'], r['pre']] = r['weight']
            ax = axes[i, s]
            ax.imshow(m, cmap='bwr', vmin=-vmax, vmax=vmax, interpolation='nearest')
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_title('state %d' % s, fontsize=9)
            if s == 0:
                ax.set_ylabel(kind)
    fig.suptitle('weights w[post, pre] (red excitatory, blue inhibitory)', fontsize=10)
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'weights.png'), dpi=120)
    plt.close(fig)
    em = read_table(outdir, 'em.csv')
    first = em[(em['states'] == em['states'][0]) & (em['neurons'] == em['neurons'][0]) & (em['seed'] == em['seed'][0])]
    fig, ax = plt.subplots(figsize=(5, 4))
    for model in dict.fromkeys(first['model']):
        rows = first[first['model'] == model]
        ax.plot(rows['iteration'], rows['train_ll'], 'o-', label=model)
    finish(fig, ax, outdir, 'em.png', 'Generalised EM (first run)', 'EM iteration', 'training log-likelihood')


def llm_feature_neurons(outdir):
    """Clamp ratios of each concept's best neuron, and the kinds of the neurons' top-1 tokens per layer."""
    concepts = read_table(outdir, 'concepts.csv')
    first = concepts[concepts['seed'] == concepts['seed'][0]]
    fig, ax = plt.subplots(figsize=(max(6, 0.25 * len(first)), 4))
    ratio = np.where(first['ratio'] > 0, first['ratio'], np.nan)
    found = (first['layer'] >= 0) & (first['ratio'] >= 5)
    ax.bar(np.arange(len(first)), ratio, color=np.where(found, 'tab:green', 'tab:gray'))
    ax.plot(np.arange(len(first)), np.where(first['control_ratio'] > 0, first['control_ratio'], np.nan), 'k.',
            label='best of as many random neurons (control)')
    ax.set_yscale('log')
    ax.axhline(5, color='k', ls='--', lw=1, label='5x (top 5 and >= 5x: green)')
    ax.set_xticks(np.arange(len(first)))
    ax.set_xticklabels(first['concept'], rotation=90, fontsize=7)
    finish(fig, ax, outdir, 'concept_clamps.png', 'Clamping each concept\'s best top-5 neuron (seed %d)' % first['seed'][0],
           'concept', 'P(concept) clamped / unclamped')
    kinds = ['concept', 'cue', 'filler', 'function']
    concept_words = set(first['concept'])

    def kind(token):
        if token in concept_words:
            return 'concept'
        if '_cue' in token:
            return 'cue'
        if len(token) == 4 and token[0] == 'w' and token[1:].isdigit():
            return 'filler'
        return 'function'

    fig, axes = plt.subplots(1, 2, figsize=(9, 4), sharey=True)
    for ax, prefix, title in zip(axes, ['topk_layer', 'topk_gain_layer'], ['p = softmax(W_U w)', 'with the final gain']):
        layer = 0
        while os.path.exists(os.path.join(outdir, '%s%d.csv' % (prefix, layer))):
            table = read_table(outdir, '%s%d.csv' % (prefix, layer))
            top1 = [kind(t) for t in table[table['rank'] == 1]['token']]
            bottom = 0
            for i, k in enumerate(kinds):
                share = top1.count(k) / len(top1)
                ax.bar(layer, share, bottom=bottom, color='C%d' % i, label=k if layer == 0 else None)
                bottom += share
            layer += 1
        ax.set_xticks(range(layer))
        ax.set(title=title, xlabel='layer')
    axes[0].set_ylabel('share of neurons (top-1 token)')
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'decoded_kinds.png'), dpi=120)


def neuroformer(outdir):
    """PSTHs real, generated and repeated; planted links against attention scores; training loss."""
    p = read_table(outdir, 'psth.csv')
    neurons = sorted(set(p['neuron'].tolist()))
    shown = neurons[:: max(1, len(neurons) // 6)][:6]
    fig, axes = plt.subplots(2, 4, figsize=(13, 5.5))
    for ax, n in zip(axes.flat[:6], shown):
        r = p[p['neuron'] == n]
        ax.plot(r['bin'], r['real'], 'k-', lw=1.2, label='real (test)')
        ax.plot(r['bin'], r['generated'], 'r-', lw=1, label='generated')
        ax.plot(r['bin'], r['repeat'], 'c--', lw=0.8, label='repeat set')
        ax.set(title='neuron %d' % n, xlabel='PSTH bin', ylabel='spikes per bin')
    axes.flat[0].legend(fontsize=7)
    ax = axes.flat[6]
    ax.plot(p['real'], p['generated'], 'r.', ms=2, alpha=0.5, label='generated')
    ax.plot(p['real'], p['repeat'], 'c.', ms=2, alpha=0.5, label='repeat')
    top = max(p['real'].max(), p['generated'].max())
    ax.plot([0, top], [0, top], 'k:', lw=0.8)
    ax.set(xlabel='real PSTH', ylabel='generated / repeat', title='all neurons and bins')
    ax.legend(fontsize=7)
    axes.flat[7].axis('off')
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'psth.png'), dpi=120)
    plt.close(fig)
    c = read_table(outdir, 'connectivity.csv')
    n = int(c['post'].max()) + 1
    planted, score = np.zeros((n, n)), np.zeros((n, n))
    planted[c['post'], c['pre']] = c['planted']
    score[c['post'], c['pre']] = c['score']
    np.fill_diagonal(score, np.nan)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.6))
    axes[0].imshow(planted, cmap='Greys', interpolation='nearest')
    axes[0].set(title='planted links (post <- pre)', xlabel='pre', ylabel='post')
    im = axes[1].imshow(score, cmap='viridis', interpolation='nearest')
    axes[1].set(title='gradient-weighted attention', xlabel='pre', ylabel='post')
    fig.colorbar(im, ax=axes[1], fraction=0.046)
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'connectivity.png'), dpi=120)
    plt.close(fig)
    t = read_table(outdir, 'training.csv')
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for model in dict.fromkeys(t['model']):
        r = t[t['model'] == model]
        ax.plot(r['epoch'], r['loss_per_window'], 'o-', label='%s: loss' % model)
        ax.plot(r['epoch'], r['id_cross_entropy_per_window'], 's--', label='%s: id cross-entropy' % model)
    ax.set(xlabel='epoch', ylabel='nats per window', title='training')
    ax.legend(fontsize=7)
    fig.tight_layout()
    save_png(fig, os.path.join(outdir, 'training.png'), dpi=120)
    plt.close(fig)


PLOTS = {'sdr-dendrites': sdr_dendrites, 'dense-hebbian': dense_hebbian, 'ca3-cam': ca3_cam,
         'elm-neuron': elm_neuron, 'train': learning_curve,
         'dynamic-confidence': dynamic_confidence, 'rich-lazy': rich_lazy, 'hlop': hlop,
         'granet': granet, 'place-recognition': place_recognition, 'astro-snn': astro_snn,
         'gain-control': gain_control, 'dynamics-measures': dynamics_measures, 'onehot-glm': onehot_glm,
         'dynamic-connectome': dynamic_connectome, 'llm-feature-neurons': llm_feature_neurons,
         'neuroformer': neuroformer}


def main(argv):
    if len(argv) != 3 or argv[1] not in PLOTS:
        print('usage: neurite_repro_plots.py {%s} OUTDIR' % '|'.join(PLOTS), file=sys.stderr)
        return 2
    try:
        PLOTS[argv[1]](argv[2])
    except OSError as e:
        print('neurite_repro_plots.py: %s' % e, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
