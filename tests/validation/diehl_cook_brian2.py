#!/usr/bin/python3
"""A Diehl & Cook module (memory/diehl_cook, as place-recognition builds it) in neurite and in
Brian2, side by side, by its statistics.

    /usr/bin/python3 tests/validation/diehl_cook_brian2.py PATH/TO/neurite

The network of examples/diehl_cook.toml with the place-recognition settings (inhibitory
conductances decaying with 0.5 ms, t_block = 50 ms, the "+" presynaptic STDP term): 784 Poisson
inputs with rates drawn uniformly in [0, 63.75) Hz (the range of a patch-normalised image),
plastic all-to-all onto 100 excitatory neurons with adaptive thresholds, each driving one
inhibitory neuron that inhibits all other excitatory neurons; 2 s (four normalisation periods of
500 ms), dt = 0.5 ms. neurite runs the model file through its CLI; Brian2 2.5 runs the same
equations (numpy target, exponential Euler: conductances exact, V exact for conductances held
over a step, as neurite's integrator up to the mid-step conductance). Refractory is t_ref + dt
in Brian2 (test_brian2_models.py explains why). Delays are the same in both: a spike found after
step k's update reaches its target's update k + D + 1 in both when the delay is D steps (neurite
adds the arriving weights after the step's integration, Brian2 applies on_pre after the
threshold of the spike's own step). The paper's code has zero-delay E->I->E synapses at
Brian2's default dt of 0.1 ms; neurite's shortest delay is one step.

The Poisson inputs, initial weights and Brian2's schedule differ in detail, so the runs are
compared by what the place-recognition reproduction depends on, over SEEDS seeds each:
  - excitatory and inhibitory spikes per neuron per second,
  - synchrony: the fraction of excitatory spikes that share their step with another one
    (the winner-take-all failure the reproduction documents: neurons crossing threshold in the
    same step, before inhibition can act),
  - the spread (sd) of the trained weights onto four neurons at the end.
Each mean must agree within 3 standard errors of the difference plus 3 % of the Brian2 value
(the schedule's one-step offsets). Then neurite is rerun with a wrong parameter (inhibition
decaying with 2 ms, the Diehl & Cook paper's value; half the inhibitory weight), and each such
run must disagree in at least one measure, so the tolerance is tight enough to see it. Every
run is seeded, so the outcome is the same at every run of the test.
Exit 0: agreement; 1: disagreement (printed); 77: Brian2 or h5py missing (skipped).
"""
import os
import subprocess
import sys
import tempfile
import warnings

try:
    import numpy as np
    import h5py
    warnings.filterwarnings('ignore')
    import brian2 as b2
except ImportError as error:
    print(f"SKIP: {error} (needs Debian's /usr/bin/python3 with python3-brian2, python3-h5py)")
    sys.exit(77)

sys.excepthook = sys.__excepthook__
b2.prefs.codegen.target = 'numpy'
b2.prefs.logging.file_log = False
b2.BrianLogger.log_level_error()

SEEDS = 10
N_IN, N_E, DT, T_MS, PERIOD_MS = 784, 100, 0.1, 1000.0, 500.0
MAX_RATE = 63.75
WEIGHT_TARGETS = [0, 1, 2, 3]
BASE = {'tau_syn_in': 0.5, 'theta_plus': 0.05, 'w_ie': 17.0}
WRONG = [{'tau_syn_in': 2.0}, {'w_ie': 8.5}]


def model_file(seed, p):
    e = (f'E_L = "-65 mV", V_reset = "-65 mV", V_th = "-52 mV", tau_m = "100 ms", t_ref = "5 ms", '
         f'E_in = "-100 mV", theta_plus = "{p["theta_plus"]!r} mV", tau_theta = "1e7 ms", '
         f'tau_syn_in = "{p["tau_syn_in"]!r} ms", t_block = "50 ms"')
    i = (f'E_L = "-60 mV", V_reset = "-45 mV", V_th = "-40 mV", tau_m = "10 ms", t_ref = "2 ms", '
         f'E_in = "-85 mV", theta_plus = "0 mV", frozen = true, tau_syn_in = "{p["tau_syn_in"]!r} ms"')
    return f'''[simulation]
dt = "{DT} ms"
duration = "{T_MS} ms"
seed = {seed}

[populations.X]
model = "poisson_rates"
size = {N_IN}
initial = {{ rate = {{ dist = "uniform", low = "0 Hz", high = "{MAX_RATE} Hz" }} }}

[populations.E]
model = "diehl_cook_lif"
size = {N_E}
params = {{ {e} }}

[populations.I]
model = "diehl_cook_lif"
size = {N_E}
params = {{ {i} }}

[[projections]]
name = "XE"
source = "X"
target = "E"
connector = {{ rule = "all_to_all" }}
weight = {{ dist = "uniform", low = 0.0, high = 0.3 }}
delay = "{DT} ms"
plasticity = {{ rule = "stdp_diehl_cook", nu_pre = 1e-4, nu_post = 1e-2, pre_potentiates = 1, norm_total = 78, norm_every = "{PERIOD_MS} ms" }}

[[projections]]
source = "E"
target = "I"
connector = {{ rule = "one_to_one" }}
weight = 10.4
delay = "{DT} ms"

[[projections]]
source = "I"
target = "E"
connector = {{ rule = "all_to_others" }}
weight = -{p["w_ie"]!r}
delay = "{DT} ms"

[record]
spikes = ["E", "I"]
weights = [{{ projection = "XE", targets = {WEIGHT_TARGETS}, interval = "{T_MS} ms" }}]
'''


def measures(e_steps, n_i_spikes, final_weights):
    """(E rate, I rate [spikes per neuron per s], synchrony, weight sd)."""
    seconds = T_MS / 1000.0
    _, counts = np.unique(e_steps, return_counts=True)
    shared = counts[counts > 1].sum() / max(len(e_steps), 1)
    return np.array([len(e_steps) / N_E / seconds, n_i_spikes / N_E / seconds, shared, np.std(final_weights)])


def run_neurite(cli, workdir, seed, p, tag):
    path = os.path.join(workdir, f'dc_{tag}_{seed}.toml')
    out = os.path.join(workdir, f'dc_{tag}_{seed}')
    with open(path, 'w') as f:
        f.write(model_file(seed, p))
    r = subprocess.run([cli, 'run', path, '-o', out, '--no-plot', '--quiet', '--threads', '1'],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f'neurite failed on {path} (exit {r.returncode}):\n{r.stderr}{r.stdout}')
    with h5py.File(os.path.join(out, 'spikes.h5'), 'r') as f:
        e_steps = np.rint(f['spikes/E/timestamps'][:] / DT).astype(np.int64)
        n_i = len(f['spikes/I/timestamps'])
        weights = [g['values'][-1] for g in f['weights'].values()]
    return measures(e_steps, n_i, np.concatenate(weights))


def run_brian2(seed):
    b2.start_scope()
    b2.seed(seed)
    rng = np.random.default_rng(seed)
    ms, mV = b2.ms, b2.mV
    b2.defaultclock.dt = DT * ms
    e = b2.NeuronGroup(N_E, '''dv/dt = ((-65*mV - v) + ge * (0*mV - v) + gi * (-100*mV - v)) / (100*ms) : volt (unless refractory)
                               dge/dt = -ge / (1*ms) : 1
                               dgi/dt = -gi / (0.5*ms) : 1
                               dtheta/dt = -theta / (1e7*ms) : volt
                               dtimer/dt = 0.1 : second''',
                       threshold='v >= -52*mV + theta and timer >= 5*ms', reset='v = -65*mV; theta += 0.05*mV; timer = 0*ms',
                       refractory=(5 + DT) * ms, method='exponential_euler')
    i = b2.NeuronGroup(N_E, '''dv/dt = ((-60*mV - v) + ge * (0*mV - v) + gi * (-85*mV - v)) / (10*ms) : volt (unless refractory)
                               dge/dt = -ge / (1*ms) : 1
                               dgi/dt = -gi / (0.5*ms) : 1''',
                       threshold='v >= -40*mV', reset='v = -45*mV', refractory=(2 + DT) * ms, method='exponential_euler')
    e.v, i.v, e.timer = -65 * mV, -60 * mV, 1 * b2.second
    x = b2.PoissonGroup(N_IN, rng.uniform(0, MAX_RATE, N_IN) * b2.Hz)
    xe = b2.Synapses(x, e, '''w : 1
                             dpre/dt = -pre / (20*ms) : 1 (event-driven)
                             dpost1/dt = -post1 / (20*ms) : 1 (event-driven)
                             dpost2/dt = -post2 / (40*ms) : 1 (event-driven)''',
                     on_pre='ge_post += w; pre = 1.0; w = clip(w + 1e-4 * post1, 0, 1)',
                     on_post='w = clip(w + 1e-2 * pre * post2, 0, 1); post1 = 1.0; post2 = 1.0')
    xe.connect()
    xe.w = rng.uniform(0, 0.3, N_IN * N_E)
    xe.delay = DT * ms
    ei = b2.Synapses(e, i, on_pre='ge_post += 10.4', delay=DT * ms)
    ei.connect(j='i')
    ie = b2.Synapses(i, e, on_pre='gi_post += 17.0', delay=DT * ms)
    ie.connect(condition='i != j')
    se, si = b2.SpikeMonitor(e), b2.SpikeMonitor(i)
    net = b2.Network(e, i, x, xe, ei, ie, se, si)
    for _ in range(int(T_MS / PERIOD_MS)):
        net.run(PERIOD_MS * ms)
        w = np.array(xe.w).reshape(N_IN, N_E)  # Brian2 orders all-to-all synapses by source
        xe.w = (w * (78.0 / w.sum(axis=0))).ravel()
    e_steps = np.rint(np.array(se.t / ms) / DT).astype(np.int64)
    w = np.array(xe.w).reshape(N_IN, N_E)[:, WEIGHT_TARGETS]
    return measures(e_steps, si.num_spikes, w.ravel())


NAMES = ['E spikes/neuron/s', 'I spikes/neuron/s', 'synchronous E fraction', 'weight sd']


def disagreements(ours, peer):
    m_o, m_p = ours.mean(0), peer.mean(0)
    se = np.sqrt(ours.var(0, ddof=1) / len(ours) + peer.var(0, ddof=1) / len(peer))
    tol = 3 * se + 0.03 * np.abs(m_p)
    lines = [f'  {n:24s} neurite {a:9.4f}  Brian2 {b:9.4f}  |diff| {abs(a - b):8.4f}  tol {t:8.4f}'
             for n, a, b, t in zip(NAMES, m_o, m_p, tol)]
    return [n for n, a, b, t in zip(NAMES, m_o, m_p, tol) if abs(a - b) > t], lines


def main():
    cli = sys.argv[1]
    peer = np.array([run_brian2(s) for s in range(1, SEEDS + 1)])
    ok = True
    with tempfile.TemporaryDirectory(prefix=f'neurite_dc_brian2_{os.getpid()}_') as work:
        ours = np.array([run_neurite(cli, work, s, BASE, 'base') for s in range(1, SEEDS + 1)])
        bad, lines = disagreements(ours, peer)
        print('Diehl & Cook module, neurite vs Brian2 (means over seeds):', *lines, sep='\n')
        if bad:
            print('DISAGREE:', ', '.join(bad))
            ok = False
        for wrong in WRONG:
            p = dict(BASE, **wrong)
            runs = np.array([run_neurite(cli, work, s, p, 'wrong') for s in range(1, SEEDS + 1)])
            bad, lines = disagreements(runs, peer)
            print(f'neurite with {wrong} (must disagree):', *lines, sep='\n')
            if not bad:
                print(f'NOT SEEN: the comparison cannot tell {wrong} from the right parameters')
                ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
