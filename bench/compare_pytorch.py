#!/usr/bin/python3
"""Training throughput of neurite's two-layer LIF network and ELM neuron against the same models in PyTorch.

    /usr/bin/python3 bench/compare_pytorch.py [--neurite build/neurite] [--samples 10000] [--models lif,elm] [--write]

Needs Debian's python3-torch (scripts/install-deps --bench) and GNU time. Both sides train the
network of `neurite train examples/snn_fmnist.toml`: 784-512-10 LIF neurons
(tau_m 10 ms, dt 1 ms, V_th 1, reset by subtraction with the gradient through the reset, fast-sigmoid
surrogate of slope 10), T = 25 steps of Poisson rate-coded Fashion-MNIST, the output layer's mean
membrane as class scores, cross-entropy, Adam, batches of 128, for one epoch over the first
--samples training images, with the same number of threads (1 and 2) and OMP_WAIT_POLICY=PASSIVE.
The time counted is that of the training epoch: encoding, forward, backward and optimiser steps,
not start-up, data loading or evaluation. neurite runs twice: with its fused LIF kernel (its
default: the LIF loops hand-written forward and backward, and each layer's input product taken
event by event since its inputs are spikes, learn/spike_linear.hpp) and with LibTorch operations
step by step and dense products (kernel = "op_by_op"), the way the PyTorch version below is written. Peak memory is the peak resident set size of the whole process.

The ELM half trains the model of `neurite repro elm-neuron` (build/neurite_elm_bench): the ELM neuron v1
with d_m = 50, tau_m log-spaced in [1, 500], tau_s = 5, lambda = 5, one ReLU hidden layer of 100, on
Fashion-MNIST-Adding (two images row by row: 56 steps of 28 inputs, 19 classes), the last step's
output as class scores, cross-entropy, Adam (lr 5e-3), batches of 64, one epoch of --samples pairs.
The PyTorch version below computes the same operations in the same order (the input half of the
MLP's first layer for all steps in one product, then the recurrence step by step).
--repeat N runs every LIF cell N times, interleaved (fused, op-by-op, PyTorch, then again), and
prints the median with the range [min-max] and the ratio as the median of the N paired ratios
with its range; the header gives the CPU time the hypervisor stole from this machine during the
runs (/proc/stat), which moves figures on a shared virtual machine without any change on either
side. --pin runs each process on the first THREADS cores (taskset), both sides alike.
--hidden N changes the hidden layer's size on both sides (512 by default); --threads 1 runs one
thread count only. The header names the CPU model and its L2 cache per core: the fused kernel's
input product streams the input layer's weight columns (784 x N floats, 1.6 MB at N = 512, and as
much again for their gradient), so whether they stay in L2 moves our side and not PyTorch's blocked
sgemm (bench/RESULTS.md, 2026-12-07).
--write appends the tables, with the date and the machine, to bench/RESULTS.md.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import statistics
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
EXAMPLE = os.path.join(SOURCE, 'examples', 'snn_fmnist.toml')
DATA = '/usr/share/datasets/fashion-mnist'
STEPS, BATCH, BETA_TAU_MS, SLOPE = 25, 128, 10.0, 10.0
ELM_MEMORY, ELM_BATCH, ELM_CLASSES, ELM_TAU_S, ELM_TAU_MAX, ELM_LAMBDA = 50, 64, 19, 5.0, 500.0, 5.0


def fashion_mnist_train(samples):
    """The first `samples` training images (as float in [0, 1], 28 x 28) and their labels."""
    import gzip

    import numpy as np
    import torch
    with gzip.open(os.path.join(DATA, 'train-images-idx3-ubyte.gz')) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:samples]
    with gzip.open(os.path.join(DATA, 'train-labels-idx1-ubyte.gz')) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:samples]
    return torch.from_numpy(images.astype(np.float32) / 255), torch.from_numpy(labels.astype(np.int64))


def pytorch_epoch(samples, threads, hidden):
    """Trains the network in PyTorch for one epoch; returns training samples per second."""
    import math

    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(1)
    intensity, targets = fashion_mnist_train(samples)

    class Spike(torch.autograd.Function):
        """Step forward; fast-sigmoid surrogate 1 / (1 + k|x|)^2 backward."""
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return (x >= 0).to(x.dtype)

        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad / (1 + SLOPE * x.abs()) ** 2

    beta = math.exp(-1.0 / BETA_TAU_MS)
    layers = [torch.nn.Linear(784, hidden), torch.nn.Linear(hidden, 10)]
    params = [p for layer in layers for p in layer.parameters()]
    optimizer = torch.optim.Adam(params, lr=1e-3)

    def lif(currents):
        v = torch.zeros_like(currents[0])
        spikes, membrane = [], []
        # unbind once: indexing currents[t] in the loop would make every step's backward fill a
        # zero gradient of all steps (O(T^2) work), which would slow PyTorch down unfairly.
        for current in currents.unbind(0):
            u = beta * v + current
            s = Spike.apply(u - 1.0)
            v = u - s
            spikes.append(s)
            membrane.append(u)
        return torch.stack(spikes), torch.stack(membrane)

    start = time.perf_counter()
    order = torch.randperm(samples)
    for first in range(0, samples, BATCH):
        batch = order[first:first + BATCH]
        x = (torch.rand(STEPS, len(batch), 784) < intensity[batch]).float()
        spikes, _ = lif(layers[0](x))
        _, membrane = lif(layers[1](spikes))
        loss = torch.nn.functional.cross_entropy(membrane.mean(0), targets[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return samples / (time.perf_counter() - start)


def pytorch_elm_epoch(pairs, threads):
    """Trains the ELM in PyTorch for one epoch of Fashion-MNIST-Adding; returns training samples per second."""
    import math

    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(1)
    images, labels = fashion_mnist_train(60000)
    d_m, inputs = ELM_MEMORY, 28
    kappa_s = math.exp(-1 / ELM_TAU_S)
    tau_m = torch.exp(torch.linspace(0, math.log(ELM_TAU_MAX), d_m))
    kappa_m = torch.exp(-1 / tau_m)
    gain = ELM_LAMBDA * (1 - kappa_m)
    w_s = torch.nn.Parameter(torch.full((inputs,), 0.5))
    hidden = torch.nn.Linear(inputs + d_m, 2 * d_m)
    delta = torch.nn.Linear(2 * d_m, d_m)
    readout = torch.nn.Linear(d_m, ELM_CLASSES)
    params = [w_s, *hidden.parameters(), *delta.parameters(), *readout.parameters()]
    optimizer = torch.optim.Adam(params, lr=5e-3)

    def forward(x):
        drives = (x * torch.relu(w_s)).unbind(0)
        currents = [drives[0]]
        for drive in drives[1:]:
            currents.append(kappa_s * currents[-1] + drive)
        from_currents = torch.nn.functional.linear(torch.stack(currents), hidden.weight[:, :inputs], hidden.bias)
        from_memory = hidden.weight[:, inputs:]
        m = torch.zeros(x.shape[1], d_m)
        for current_part in from_currents.unbind(0):
            decayed = kappa_m * m
            h = torch.relu(current_part + decayed @ from_memory.t())
            m = decayed + gain * (1.7159 * torch.tanh(2 / 3 * delta(h)))
        return readout(m)

    start = time.perf_counter()
    for first in range(0, pairs, ELM_BATCH):
        n = min(ELM_BATCH, pairs - first)
        a, b = torch.randint(len(labels), (n,)), torch.randint(len(labels), (n,))
        x = torch.cat([images[a].view(n, 28, 28), images[b].view(n, 28, 28)], 1).transpose(0, 1)
        loss = torch.nn.functional.cross_entropy(forward(x), labels[a] + labels[b])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return pairs / (time.perf_counter() - start)


def timed(command, env):
    """Runs command under GNU time; returns (stdout, peak RSS in MB)."""
    with tempfile.NamedTemporaryFile('r') as rss:
        result = subprocess.run(['/usr/bin/time', '-f', '%M', '-o', rss.name, *command], capture_output=True,
                                text=True, env=env)
        if result.returncode != 0:
            sys.exit('failed: %s\n%s' % (' '.join(command), result.stderr))
        return result.stdout, int(rss.read().split()[-1]) / 1024


def cpu_times():
    """(steal, total) jiffies of all CPUs so far, from /proc/stat."""
    with open('/proc/stat') as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return values[7], sum(values[:8])


def cpu_model():
    with open('/proc/cpuinfo') as f:
        names = [line.split(':', 1)[1].strip() for line in f if line.startswith('model name')]
    return names[0] if names else platform.machine()


def l2_per_core():
    """The L2 cache of cpu0 as sysfs gives it (e.g. '2048K')."""
    base = '/sys/devices/system/cpu/cpu0/cache'
    for index in sorted(os.listdir(base)) if os.path.isdir(base) else []:
        with open(os.path.join(base, index, 'level')) as level, open(os.path.join(base, index, 'size')) as size:
            if level.read().strip() == '2':
                return size.read().strip()
    return 'unknown'


def pinned(command, threads, pin):
    return ['taskset', '-c', '0-%d' % (threads - 1), *command] if pin else command


def neurite_epoch(binary, samples, threads, kernel, env, pin, hidden):
    with tempfile.TemporaryDirectory() as out:
        _, rss = timed(pinned([binary, 'train', EXAMPLE, '--out', out, '--threads', str(threads), '--no-plot',
                        '--set', 'data.train_samples=%d' % samples, '--set', 'data.test_samples=100',
                        '--set', 'training.epochs=1', '--set', 'model.kernel="%s"' % kernel,
                               '--set', 'model.hidden=[%d]' % hidden], threads, pin), env)
        with open(os.path.join(out, 'metrics.json')) as f:
            return json.load(f)['samples_per_second'], rss


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--neurite', default=os.path.join(SOURCE, 'build', 'neurite'))
    parser.add_argument('--samples', type=int, default=10000)
    parser.add_argument('--models', default='lif,elm', help='comma-separated: lif, elm')
    parser.add_argument('--write', action='store_true')
    parser.add_argument('--repeat', type=int, default=1, help='runs of each LIF cell (median and range)')
    parser.add_argument('--pin', action='store_true', help='run each process on the first THREADS cores')
    parser.add_argument('--hidden', type=int, default=512, help='hidden LIF neurons (both sides)')
    parser.add_argument('--threads', type=int, choices=(1, 2), help='one thread count only (default: 1 and 2)')
    parser.add_argument('--pytorch-worker', type=int, metavar='THREADS', help=argparse.SUPPRESS)
    parser.add_argument('--pytorch-elm-worker', type=int, metavar='THREADS', help=argparse.SUPPRESS)
    a = parser.parse_args()
    if a.pytorch_worker:
        print(pytorch_epoch(a.samples, a.pytorch_worker, a.hidden))
        return
    if a.pytorch_elm_worker:
        print(pytorch_elm_epoch(a.samples, a.pytorch_elm_worker))
        return
    env = dict(os.environ, OMP_WAIT_POLICY='PASSIVE')
    tables = []
    if 'lif' in a.models.split(','):
        tables.append(lif_table(a, env))
    if 'elm' in a.models.split(','):
        tables.append(elm_table(a, env))
    print('\n'.join(tables))
    if a.write:
        with open(os.path.join(HERE, 'RESULTS.md'), 'a') as f:
            f.write(''.join('\n' + t for t in tables))


def torch_version():
    return subprocess.run([sys.executable, '-c', 'import torch; print(torch.__version__)'], capture_output=True,
                          text=True).stdout.strip()


def elm_table(a, env):
    """Samples per second and peak memory of the ELM neuron, neurite against PyTorch, on 1 and 2 threads."""
    load_before = os.getloadavg()[0]
    binary = os.path.join(os.path.dirname(a.neurite), 'neurite_elm_bench')
    rows = []
    for threads in (1, 2):
        out, rss = timed([binary, str(threads), str(a.samples), str(ELM_MEMORY), str(ELM_BATCH)], env)
        ours = json.loads(out)['samples_per_second']
        out, torch_rss = timed([sys.executable, __file__, '--samples', str(a.samples), '--pytorch-elm-worker',
                                str(threads)], env)
        pytorch = float(out.split()[-1])
        rows.append('| %d | %.0f | %.0f | %.2f | %.0f / %.0f |' % (threads, ours, pytorch, ours / pytorch, rss, torch_rss))
        print(rows[-1], file=sys.stderr)
    return '\n'.join([
        '## %s: %s, %d cores: ELM neuron training against PyTorch\n' % (
            datetime.datetime.now().strftime('%Y-%m-%d %H:%M'), platform.processor() or platform.machine(),
            os.cpu_count()),
        'ELM v1, d_m = %d, tau_m in [1, %g], Fashion-MNIST-Adding (56 steps x 28 inputs, 19 classes), batch %d, one '
        'epoch of %d pairs, load average %.1f before and %.1f after the runs; `bench/compare_pytorch.py --models elm '
        '--write` (python3-torch %s).\n' % (ELM_MEMORY, ELM_TAU_MAX, ELM_BATCH, a.samples, load_before,
                                             os.getloadavg()[0], torch_version()),
        '| threads | neurite (samples/s) | PyTorch (samples/s) | neurite / PyTorch | peak RSS MB (neurite / PyTorch) |',
        '|---|---|---|---|---|', *rows]) + '\n'


def spread(values):
    """'median' or 'median [min-max]' of a list of figures."""
    median = statistics.median(values)
    if len(values) == 1:
        return '%.0f' % median if median > 10 else '%.2f' % median
    form = '%.0f' if median > 10 else '%.2f'
    return (form + ' [' + form + '-' + form + ']') % (median, min(values), max(values))


def lif_row(a, env, threads):
    """One thread count: a.repeat interleaved runs of each side; the table's row."""
    runs = {'fused': [], 'op_by_op': [], 'pytorch': []}
    rss = {}
    for _ in range(a.repeat):
        for kernel in ('fused', 'op_by_op'):
            speed, rss[kernel] = neurite_epoch(a.neurite, a.samples, threads, kernel, env, a.pin, a.hidden)
            runs[kernel].append(speed)
        out, rss['pytorch'] = timed(pinned([sys.executable, __file__, '--samples', str(a.samples), '--pytorch-worker',
                                            str(threads), '--hidden', str(a.hidden)], threads, a.pin), env)
        runs['pytorch'].append(float(out.split()[-1]))
    ratio = lambda side: spread([x / y for x, y in zip(runs[side], runs['pytorch'])])
    return '| %d | %s | %s | %s | %s | %s | %.0f / %.0f / %.0f |' % (
        threads, spread(runs['fused']), spread(runs['op_by_op']), spread(runs['pytorch']), ratio('fused'),
        ratio('op_by_op'), rss['fused'], rss['op_by_op'], rss['pytorch'])


def lif_table(a, env):
    """The LIF network's table (see the module's docstring)."""
    load_before, (steal_before, total_before) = os.getloadavg()[0], cpu_times()
    rows = []
    for threads in [a.threads] if a.threads else [1, 2]:
        rows.append(lif_row(a, env, threads))
        print(rows[-1], file=sys.stderr)
    steal, total = (now - then for now, then in zip(cpu_times(), (steal_before, total_before)))
    table = '\n'.join([
        '| threads | neurite fused (samples/s) | neurite op-by-op (samples/s) | PyTorch (samples/s) '
        '| fused / PyTorch | op-by-op / PyTorch | peak RSS MB (fused / op-by-op / PyTorch) |',
        '|---|---|---|---|---|---|---|', *rows])
    repeats = '' if a.repeat == 1 else ', each cell the median [range] of %d interleaved runs' % a.repeat
    header = ('## %s: %s, %d cores, L2 %s per core: LIF network training against PyTorch\n\n'
              '784-%d-10 LIF, T = %d, batch %d, one epoch over %d Fashion-MNIST images%s%s, load average %.1f before '
              'and %.1f after the runs, %.1f%% of CPU time stolen by the hypervisor during them; '
              '`bench/compare_pytorch.py --write` (python3-torch %s).\n' % (
                  datetime.datetime.now().strftime('%Y-%m-%d %H:%M'), cpu_model(), os.cpu_count(), l2_per_core(),
                  a.hidden, STEPS, BATCH, a.samples, repeats, ', pinned (taskset)' if a.pin else '',
                  load_before, os.getloadavg()[0], 100 * steal / max(total, 1), torch_version()))
    return header + '\n' + table + '\n'


if __name__ == '__main__':
    main()
