#!/usr/bin/python3
"""neurite's benchmark networks in Brian2 (2.5.1, C++ standalone), for bench/compare_brian2.py.

    /usr/bin/python3 bench/brian2_models.py NAME --threads N --duration-s T --out RESULT.json

NAME is one of
  cuba      Brette et al. (2007) benchmark 2 as in Brian2's examples/CUBA.py (examples/cuba.toml)
  coba      Brette et al. (2007) benchmark 1 as in Brian's COBA.py example (examples/coba.toml)
  brunel    Brunel (2000) model A with the parameters of examples/brunel.toml
  brunel4x  the same with 4x the neurons and the same in-degrees
  brunel_stdp  brunel with pair STDP on E->E, as examples/brunel_stdp.toml

Times reported (all wall clock, seconds):
  construct_s     building the network objects in Python (connectivity drawn with numpy)
  codegen_s       code generation and writing the project (the run() call and device.build)
  compile_s       `make` of the standalone project
  setup_s         the standalone binary's time outside its simulation loop (loading arrays,
                  creating synapses, writing results)
  build_s         the sum of the four above: everything before and around the simulation
  simulate_s      the C++ simulation loop only (Network::run, measured with omp_get_wtime by
                  Brian2 itself and reported as device._last_run_time)
Peak RSS is that of the standalone binary (via /usr/bin/time when installed, else getrusage).

Timing conventions. Brian2 runs, in each step, state update -> threshold -> synapses (on_pre)
-> reset, so an on_pre effect with zero delay is seen by the target's next update. neurite, like
NEST, adds the input arriving with delay d (>= 1 step) in the update d steps after the spike.
Hence a neurite delay of D corresponds to a Brian2 delay of D - dt.

The Brunel network is written to have iaf_psc_delta semantics exactly: arriving input collects
in `inbuf`, which is added to v after v has decayed in the same step (v <- v e^{-dt/tau} + input,
as iaf_psc_delta does), and is discarded while refractory. Brian2 recomputes `not_refractory` at
the start of each step as (steps since spike) >= (refractory steps), so a neuron that spiked in
step n is clamped in steps n+1 .. n+R-1; NEST/neurite clamp in steps n+1 .. n+t_ref/dt. Hence
refractory = t_ref + dt below.

CUBA and COBA are Brian2's own examples, unchanged (zero delay, refractory 5 ms in Brian2's
convention); examples/cuba.toml and coba.toml discuss how they map onto neurite.
"""
import argparse
import json
import os
import resource
import shutil
import tempfile
import time
import warnings

warnings.filterwarnings('ignore', category=FutureWarning)  # pythran vs numpy noise on import
import numpy as np
import brian2
from brian2 import (Hz, Network, NeuronGroup, PoissonInput, SpikeMonitor, Synapses, defaultclock, device,
                    mV, ms, prefs, second, set_device)

MODELS = ('cuba', 'coba', 'brunel', 'brunel4x', 'brunel_stdp')
DT = 0.1 * ms
BATCHES = 10  # spike counts in this many equal time bins, for error estimates


def cuba():
    """Brette et al. 2007, benchmark 2 (current-based), as Brian2's examples/CUBA.py."""
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    Vt, Vr, El = -50 * mV, -60 * mV, -49 * mV
    eqs = '''
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    '''
    P = NeuronGroup(4000, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms,
                    method='exact', namespace=locals())  # CUBA.py's 'linear' is this method
    P.v = 'Vr + rand() * (Vt - Vr)'
    we = (60 * 0.27 / 10) * mV  # 1.62 mV
    wi = (-20 * 4.5 / 10) * mV  # -9 mV
    Ce = Synapses(P[:3200], P, on_pre='ge += we', namespace={'we': we})
    Ci = Synapses(P[3200:], P, on_pre='gi += wi', namespace={'wi': wi})
    Ce.connect(p=0.02)  # autapses allowed, as in CUBA.py
    Ci.connect(p=0.02)
    return P, {'E': (0, 3200), 'I': (3200, 4000)}, [Ce, Ci], []


def coba():
    """Brette et al. 2007, benchmark 1 (conductance-based), as R. Brette's COBA.py example
    (Brian 1, ported to Brian2 in Brian2's early examples): conductances in units of the leak
    conductance, Euler integration, no external input (the random initial conductances start
    self-sustained activity). Voltages here are absolute (the original measures them from -60 mV)."""
    taum, taue, taui = 20 * ms, 5 * ms, 10 * ms
    El, Ee, Ei = -60 * mV, 0 * mV, -80 * mV
    Vt, Vr = -50 * mV, -60 * mV
    eqs = '''
    dv/dt  = (-(v-El) + ge*(Ee-v) + gi*(Ei-v))/taum : volt (unless refractory)
    dge/dt = -ge/taue : 1
    dgi/dt = -gi/taui : 1
    '''
    P = NeuronGroup(4000, eqs, threshold='v>Vt', reset='v = Vr', refractory=5 * ms,
                    method='euler', namespace=locals())
    P.v = 'El + (randn()*5 - 5)*mV'
    P.ge = 'randn()*1.5 + 4'
    P.gi = 'randn()*12 + 20'
    we, wi = 6. / 10., 67. / 10.  # 6 nS and 67 nS over g_L = 10 nS
    Ce = Synapses(P[:3200], P, on_pre='ge += we', namespace={'we': we})
    Ci = Synapses(P[3200:], P, on_pre='gi += wi', namespace={'wi': wi})
    Ce.connect(p=0.02)
    Ci.connect(p=0.02)
    return P, {'E': (0, 3200), 'I': (3200, 4000)}, [Ce, Ci], []


def fixed_indegree(rng, n_source, n_target, indegree, own_offset):
    """(sources, targets) of `indegree` synapses onto each of n_target targets, sources drawn
    with replacement (multapses allowed, as in NEST's and neurite's fixed_indegree). Target j is
    source neuron j - own_offset when that lies in [0, n_source): it is excluded (no autapses)."""
    targets = np.repeat(np.arange(n_target, dtype=np.int32), indegree)
    own = targets - own_offset
    is_own = (own >= 0) & (own < n_source)
    src = rng.integers(0, n_source - is_own.astype(np.int32), dtype=np.int32)  # n_source - 1 for own
    src += (is_own & (src >= own)).astype(np.int32)  # skip the target itself
    # Store the synapses grouped by source, the order Brian2's own connect() produces: a spike
    # then touches one contiguous run of synapses (2-3x faster on the Brunel network than in
    # target order).
    order = np.argsort(src, kind='stable')
    return src[order], targets[order]


def stdp_ee(P, NE, ie, je, J, D):
    """The E->E synapses of brunel_stdp with neurite's stdp_pair timing: the depression and the
    presynaptic trace act at the spike (pathway 'plast', no delay), the updated weight arrives a
    delay later (pathway 'pre'), a postsynaptic spike acts a delay after it fired (the delay is
    dendritic). Additive, tau 20 ms, A_plus 0.01, A_minus 0.0105, w in [0, 2 J]."""
    keep = je < NE
    model = '''w : volt
    dapre/dt = -apre / (20*ms) : 1 (event-driven)
    dapost/dt = -apost / (20*ms) : 1 (event-driven)'''
    S = Synapses(P[:NE], P[:NE], model=model,
                 on_pre={'pre': 'inbuf_post += w',
                         'plast': 'w = clip(w - 0.0105 * wmax * apost, 0*mV, wmax)\napre += 1'},
                 on_post='w = clip(w + 0.01 * wmax * apre, 0*mV, wmax)\napost += 1',
                 namespace={'wmax': 2 * J})
    S.connect(i=ie[keep], j=je[keep])
    S.w = J
    S.pre.delay = D - DT
    S.plast.delay = 0 * ms
    S.post.delay = D
    return S, ~keep


def brunel(scale, seed, stdp=False):
    """Brunel (2000) model A, g = 5, eta = 2, with iaf_psc_delta semantics (see module doc)."""
    NE, NI = 10000 * scale, 2500 * scale
    CE, CI = 1000, 250
    J, g, D = 0.1 * mV, 5.0, 1.5 * ms
    tau, theta, Vr, t_ref = 20 * ms, 20 * mV, 10 * mV, 2 * ms
    nu_ext = 20 * Hz  # eta * nu_thr = 2 * theta / (J * CE * tau)
    eqs = '''
    dv/dt = -v/tau : volt (unless refractory)
    inbuf : volt  # input of this step, added after the decay
    '''
    P = NeuronGroup(NE + NI, eqs, threshold='v >= theta', reset='v = Vr',
                    refractory=t_ref + DT, method='exact',
                    namespace={'tau': tau, 'theta': theta, 'Vr': Vr})
    # v is "unless refractory": Brian2 makes this write conditional on not_refractory, so input
    # arriving during the refractory period is discarded; inbuf is cleared in any case.
    P.run_regularly('v += inbuf\ninbuf = 0*mV', when='before_thresholds')
    P.v = 'rand() * theta'
    rng = np.random.default_rng(seed)
    # One Synapses object per source population onto all of P (targets 0..NE-1 are E).
    ie, je = fixed_indegree(rng, NE, NE + NI, CE, own_offset=0)
    ii, ji = fixed_indegree(rng, NI, NE + NI, CI, own_offset=NE)
    Se = Synapses(P[:NE], P, on_pre='inbuf_post += J', delay=D - DT, namespace={'J': J})
    Si = Synapses(P[NE:], P, on_pre='inbuf_post += JI', delay=D - DT, namespace={'JI': -g * J})
    plastic = []
    if stdp:  # E->E becomes plastic; Se keeps the synapses onto I
        S, static = stdp_ee(P, NE, ie, je, J, D)
        ie, je, plastic = ie[static], je[static], [S]
    Se.connect(i=ie, j=je)
    Si.connect(i=ii, j=ji)
    drive = PoissonInput(P, 'inbuf', N=CE, rate=nu_ext, weight=J)
    return P, {'E': (0, NE), 'I': (NE, NE + NI)}, [Se, Si] + plastic, [drive]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('name', choices=MODELS)
    ap.add_argument('--threads', type=int, default=1, help='OpenMP threads of the simulation')
    ap.add_argument('--duration-s', type=float, default=1.0, help='biological time [s]')
    ap.add_argument('--seed', type=int, default=12345)
    ap.add_argument('--out', help='result JSON (default: print it)')
    ap.add_argument('--make-jobs', type=int, default=None, help='parallel compile jobs (default: --threads)')
    ap.add_argument('--build-dir', help='standalone project directory (default: a temporary one, removed)')
    args = ap.parse_args()

    build_dir = args.build_dir or tempfile.mkdtemp(prefix=f'brian2_{args.name}_')
    set_device('cpp_standalone', directory=build_dir, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = args.threads
    prefs.devices.cpp_standalone.extra_make_args_unix = [f'-j{args.make_jobs or args.threads}']
    maxrss_file = os.path.join('results', 'maxrss_kb.txt')  # relative to the project
    if os.access('/usr/bin/time', os.X_OK):
        prefs.devices.cpp_standalone.run_cmd_unix = ['/usr/bin/time', '-f', '%M', '-o', maxrss_file, './main']
    defaultclock.dt = DT
    brian2.seed(args.seed)

    t0 = time.perf_counter()
    if args.name == 'cuba':
        P, pops, syn, other = cuba()
    elif args.name == 'coba':
        P, pops, syn, other = coba()
    else:
        P, pops, syn, other = brunel(4 if args.name == 'brunel4x' else 1, args.seed, args.name == 'brunel_stdp')
    mon = SpikeMonitor(P)
    net = Network(P, *syn, *other, mon)
    t1 = time.perf_counter()
    net.run(args.duration_s * second)
    device.build(directory=build_dir, compile=True, run=False, with_output=False)
    t2 = time.perf_counter()
    compile_s = device.timers['compile']['make'] or 0.0

    children_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    device.run(build_dir, with_output=False, run_args=[])
    binary_s = device.timers['run_binary']
    simulate_s = float(device._last_run_time)
    rss_path = os.path.join(build_dir, maxrss_file)
    if os.path.exists(rss_path):
        peak_rss_mb, rss_source = int(open(rss_path).read().split()[-1]) / 1024, '/usr/bin/time'
    else:  # the largest child so far: only meaningful if the binary outgrew the compiler
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peak_rss_mb = after / 1024 if after > children_before else None
        rss_source = 'getrusage'

    spikes, times = np.asarray(mon.i[:]), np.asarray(mon.t[:] / ms)
    duration_s = args.duration_s
    edges = np.linspace(0.0, duration_s * 1000, BATCHES + 1)
    populations = {}
    for name, (lo, hi) in pops.items():
        mine = (spikes >= lo) & (spikes < hi)
        n = int(np.count_nonzero(mine))
        populations[name] = {'size': hi - lo, 'spikes': n, 'rate_hz': n / (hi - lo) / duration_s,
                             'batch_counts': np.histogram(times[mine], edges)[0].tolist()}
    result = {
        'simulator': f'brian2 {brian2.__version__} cpp_standalone',
        'model': args.name,
        'threads': args.threads,
        'seed': args.seed,
        'dt_ms': float(DT / ms),
        'duration_ms': duration_s * 1000,
        'populations': populations,
        'synapses': int(sum(len(s) for s in syn)),
        'construct_s': t1 - t0,
        'codegen_s': t2 - t1 - compile_s,
        'compile_s': compile_s,
        'setup_s': binary_s - simulate_s,
        'build_s': (t2 - t0) + (binary_s - simulate_s),
        'simulate_s': simulate_s,
        'sim_s_per_bio_s': simulate_s / duration_s,
        'peak_rss_mb': peak_rss_mb,
        'peak_rss_source': rss_source,
        'build_dir': None if not args.build_dir else build_dir,
    }
    if not args.build_dir:
        shutil.rmtree(build_dir, ignore_errors=True)
    text = json.dumps(result, indent=2)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(text + '\n')
    else:
        print(text)


if __name__ == '__main__':
    main()
