#!/usr/bin/python3
"""Training throughput of neurite's two-layer LIF network against the same network in PyTorch.

    /usr/bin/python3 bench/compare_pytorch.py [--neurite build/neurite] [--samples 10000] [--write]

Needs Debian's python3-torch (scripts/install-deps --bench) and GNU time. Both sides train the
network of `neurite repro snn-fmnist --full` (examples/snn_fmnist.toml): 784-512-10 LIF neurons
(tau_m 10 ms, dt 1 ms, V_th 1, reset by subtraction with the gradient through the reset, fast-sigmoid
surrogate of slope 10), T = 25 steps of Poisson rate-coded Fashion-MNIST, the output layer's mean
membrane as class scores, cross-entropy, Adam, batches of 128, for one epoch over the first
--samples training images, with the same number of threads (1 and 2) and OMP_WAIT_POLICY=PASSIVE.
The time counted is that of the training epoch: encoding, forward, backward and optimiser steps,
not start-up, data loading or evaluation. neurite runs twice: with its fused LIF kernel (its
default) and with LibTorch operations step by step (kernel = "op_by_op"), the way the PyTorch
version below is written. Peak memory is the peak resident set size of the whole process.
--write appends the table, with the date and the machine, to bench/RESULTS.md.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(HERE)
EXAMPLE = os.path.join(SOURCE, 'examples', 'snn_fmnist.toml')
DATA = '/usr/share/datasets/fashion-mnist'
STEPS, HIDDEN, BATCH, BETA_TAU_MS, SLOPE = 25, 512, 128, 10.0, 10.0


def pytorch_epoch(samples, threads):
    """Trains the network in PyTorch for one epoch; returns training samples per second."""
    import gzip
    import math

    import numpy as np
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(1)
    with gzip.open(os.path.join(DATA, 'train-images-idx3-ubyte.gz')) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:samples]
    with gzip.open(os.path.join(DATA, 'train-labels-idx1-ubyte.gz')) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:samples]
    intensity = torch.from_numpy(images.astype(np.float32) / 255)
    targets = torch.from_numpy(labels.astype(np.int64))

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
    layers = [torch.nn.Linear(784, HIDDEN), torch.nn.Linear(HIDDEN, 10)]
    params = [p for layer in layers for p in layer.parameters()]
    optimizer = torch.optim.Adam(params, lr=1e-3)

    def lif(currents):
        v = torch.zeros_like(currents[0])
        spikes, membrane = [], []
        for t in range(currents.shape[0]):
            u = beta * v + currents[t]
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
        hidden, _ = lif(layers[0](x))
        _, membrane = lif(layers[1](hidden))
        loss = torch.nn.functional.cross_entropy(membrane.mean(0), targets[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return samples / (time.perf_counter() - start)


def timed(command, env):
    """Runs command under GNU time; returns (stdout, peak RSS in MB)."""
    with tempfile.NamedTemporaryFile('r') as rss:
        result = subprocess.run(['/usr/bin/time', '-f', '%M', '-o', rss.name, *command], capture_output=True,
                                text=True, env=env)
        if result.returncode != 0:
            sys.exit('failed: %s\n%s' % (' '.join(command), result.stderr))
        return result.stdout, int(rss.read().split()[-1]) / 1024


def neurite_epoch(binary, samples, threads, kernel, env):
    with tempfile.TemporaryDirectory() as out:
        _, rss = timed([binary, 'train', EXAMPLE, '--out', out, '--threads', str(threads), '--no-plot',
                        '--set', 'data.train_samples=%d' % samples, '--set', 'data.test_samples=100',
                        '--set', 'training.epochs=1', '--set', 'model.kernel="%s"' % kernel], env)
        with open(os.path.join(out, 'metrics.json')) as f:
            return json.load(f)['samples_per_second'], rss


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--neurite', default=os.path.join(SOURCE, 'build', 'neurite'))
    parser.add_argument('--samples', type=int, default=10000)
    parser.add_argument('--write', action='store_true')
    parser.add_argument('--pytorch-worker', type=int, metavar='THREADS', help=argparse.SUPPRESS)
    a = parser.parse_args()
    if a.pytorch_worker:
        print(pytorch_epoch(a.samples, a.pytorch_worker))
        return
    env = dict(os.environ, OMP_WAIT_POLICY='PASSIVE')
    load_before = os.getloadavg()[0]
    rows = []
    for threads in (1, 2):
        fused, fused_rss = neurite_epoch(a.neurite, a.samples, threads, 'fused', env)
        op_by_op, op_rss = neurite_epoch(a.neurite, a.samples, threads, 'op_by_op', env)
        out, torch_rss = timed([sys.executable, __file__, '--samples', str(a.samples), '--pytorch-worker', str(threads)],
                               env)
        pytorch = float(out.split()[-1])
        rows.append('| %d | %.0f | %.0f | %.0f | %.2f | %.2f | %.0f / %.0f / %.0f |' % (
            threads, fused, op_by_op, pytorch, fused / pytorch, op_by_op / pytorch, fused_rss, op_rss, torch_rss))
        print(rows[-1], file=sys.stderr)
    table = '\n'.join([
        '| threads | neurite fused (samples/s) | neurite op-by-op (samples/s) | PyTorch (samples/s) '
        '| fused / PyTorch | op-by-op / PyTorch | peak RSS MB (fused / op-by-op / PyTorch) |',
        '|---|---|---|---|---|---|---|', *rows])
    header = ('## %s: %s, %d cores: LIF network training against PyTorch\n\n'
              '784-%d-10 LIF, T = %d, batch %d, one epoch over %d Fashion-MNIST images, load average %.1f before '
              'and %.1f after the runs; `bench/compare_pytorch.py --write` (python3-torch %s).\n' % (
                  datetime.datetime.now().strftime('%Y-%m-%d %H:%M'), platform.processor() or platform.machine(),
                  os.cpu_count(), HIDDEN, STEPS, BATCH, a.samples, load_before, os.getloadavg()[0],
                  subprocess.run([sys.executable, '-c', 'import torch; print(torch.__version__)'],
                                 capture_output=True, text=True).stdout.strip()))
    print(header + '\n' + table)
    if a.write:
        with open(os.path.join(HERE, 'RESULTS.md'), 'a') as f:
            f.write('\n' + header + '\n' + table + '\n')


if __name__ == '__main__':
    main()
