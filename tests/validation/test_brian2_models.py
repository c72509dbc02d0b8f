#!/usr/bin/python3
"""neurite's neuron models against Brian2 versions written from NEST's equations (and, for
two_compartment_nmda, from the equations in its source file).

    /usr/bin/python3 tests/validation/test_brian2_models.py PATH/TO/neurite [MODEL ...]

For each of izhikevich, iaf_psc_exp, iaf_cond_exp, aeif_cond_exp and two_compartment_nmda, three
unconnected neurons with different constant currents I_e (neurite: three populations of one
neuron) receive the same excitatory and inhibitory input spikes at known times (two spike_source
neurons, all_to_all) and fire a few to thirty times in 200-250 ms. neurite runs the network through its CLI (model
file written into a temporary folder, --no-plot --quiet); Brian2 2.5 runs it in runtime mode
with the numpy target (no compilation). Spike times, membrane potentials and the other state
variables are compared with the tolerances derived at each case below; then neurite is rerun
with slightly wrong parameters, and each such run must fail the comparison (so the tolerances
are tight enough to see a wrong equation). Exit status 0: all agree; 1: a disagreement
(printed); 77: Brian2 or h5py is missing (ctest reports the test as skipped).

What is compared
- izhikevich, iaf_psc_exp at dt = 0.1 ms: Brian2 with the same integration scheme ('euler',
  as NEST's izhikevich; 'exact' for the linear iaf_psc_exp), so both agree to rounding.
- iaf_cond_exp, aeif_cond_exp at dt = 0.01 ms: Brian2's 'rk4' for all variables; neurite's RK4
  for V (and w) with the exact conductance course, so both are within RK4's tiny error of the
  true solution and of each other.
- The same two at neurite's usual dt = 0.1 ms (aeif_cond_exp with n_substeps = 1 and 10), against
  a second copy of the neurons in the same Brian2 run that keeps Brian2's 0.01 ms RK4 but does
  threshold, reset and refractoriness on the 0.1 ms grid as NEST does (see "NEST's step logic on
  the coarse grid" below): the precise reference for a neurite run at the coarse step.

Conventions (neurite follows NEST; Brian2 its own schedule), made explicit here:
- Spike time stamps. Brian2's SpikeMonitor records t = n dt for a threshold crossing detected
  after the update of step n (the step from n dt to (n+1) dt); neurite stamps the same spike
  (n + 1) dt, the end of that step. All spike times are turned into step indices k (time k dt):
  k = round(t_brian / dt) + 1 for Brian2 and k = round(t_neurite / dt) for neurite.
- State samples. neurite's sample at t is the value after the step ending at t (after a
  reset); Brian2's StateMonitor (when='start') records at t the value left by the previous
  step: the same quantity. Indexed by k = round(t / dt): neurite k = 1..K, Brian2 k = 0..K-1.
- Input timing. A spike_source spike at t_s is emitted in the step ending at t_s; with a delay
  of D steps its weight is added to the target in the step ending at t_s + D dt. A Brian2
  SpikeGeneratorGroup spike at t_s fires in the step starting at t_s; on_pre with delay
  (D - 1) dt runs after the target's update of the step starting at t_s + (D - 1) dt, so the
  jump also acts from t_s + D dt on: a neurite delay d is a Brian2 delay d - dt (the 0.1 ms
  excitatory delay is the minimal one, Brian2's zero delay, at dt = 0.1 ms).
- Refractoriness. NEST (and neurite) clamp V in the t_ref/dt steps after the spike step;
  Brian2 clamps while timestep(t - lastspike) < timestep(refractory), i.e. in the
  refractory/dt - 1 steps after it, so Brian2 gets refractory = t_ref + dt.
- Ordering within a step (izhikevich only, whose synapses make V jump): NEST/neurite add the
  arriving weights to V before the threshold check, Brian2 after it (synapses run after
  thresholds). The state after the step is the same either way; only a jump that by itself
  carries V over V_th would be detected one step later by Brian2. The test asserts that no
  output spike falls into a step with arriving input, so that this case does not occur.
"""
import os
import subprocess
import sys
import tempfile
import time
import warnings

try:
    import numpy as np
    import h5py
    warnings.filterwarnings('ignore')  # deprecation noise from inside Brian2 and sympy
    import brian2 as b2
except ImportError as error:
    print(f"SKIP: {error} (needs Debian's /usr/bin/python3 with python3-brian2, python3-h5py)")
    sys.exit(77)

sys.excepthook = sys.__excepthook__  # Brian2's would write debug files into /tmp
b2.prefs.codegen.target = 'numpy'  # runtime mode, no compilation
b2.prefs.logging.file_log = False
b2.BrianLogger.log_level_error()

ms, mV, pA, pF, nS = b2.ms, b2.mV, b2.pA, b2.pF, b2.nS
UNITS = {'mV': mV, 'ms': ms, 'pA': pA, 'pF': pF, 'nS': nS, '': 1}

# Input spike times [ms], the same for every case and neuron. Pairs and triplets 1 ms apart give
# larger PSPs; all times are multiples of every dt used. Several fall into refractory periods.
EXC_TIMES = [20.0, 45.0, 46.0, 47.0, 80.0, 130.0, 131.0, 190.0, 191.0, 192.0, 230.0]
INH_TIMES = [60.0, 100.0, 101.0, 150.0, 175.0, 176.0, 215.0]
DELAY_EX, DELAY_IN = 0.1, 1.0  # neurite's delays [ms]; Brian2 gets these minus its dt
COARSE_DT = 0.1  # ms: neurite's usual step, for the second comparison of the conductance models


class Tol:
    """Allowed |neurite - Brian2| at a sample: abs + rel * max|reference| + slope * |reference
    change over that step| (the last term admits a tiny time shift of steep upswings). With
    `below`, only samples where the reference lies below that value are compared."""

    def __init__(self, abs=0.0, rel=0.0, slope=0.0, below=None):
        self.abs, self.rel, self.slope, self.below = abs, rel, slope, below

    def allowed(self, ref):
        change = np.abs(np.diff(ref, axis=0, prepend=ref[:1]))
        allowed = self.abs + self.rel * np.max(np.abs(ref)) + self.slope * change
        return allowed if self.below is None else np.where(ref < self.below, allowed, np.inf)


class Case:
    """One neuron model: NEST parameters and units, inputs, Brian2 equations, tolerances."""

    def __init__(self, **kw):
        self.refractory, self.si, self.coarse, self.jump_synapses, self.clamp_code = True, True, None, False, None
        self.receptors = {}  # source (SE, SI) -> receptor named in the projection; default: by sign
        self.__dict__.update(kw)

    def unit(self, name):
        """The Brian2 unit of a value in NEST units (1 for equations written in plain numbers)."""
        return UNITS[name] if self.si else 1


# ----------------------------------------------------------------------------------------------
# The models, written from NEST's equations and update order (`neurite info`, src/models/*.cpp).

IZHIKEVICH = Case(
    model='izhikevich',
    # Regular spiking (Izhikevich 2003; NEST's defaults). V, U, c, d in mV, t in ms, and I_e [pA]
    # enters dV/dt as mV/ms: Brian2 gets plain numbers in these units (si=False).
    params={'a': 0.02, 'b': 0.2, 'c': -65.0, 'd': 8.0, 'V_th': 30.0},
    units={'a': '', 'b': '', 'c': 'mV', 'd': 'mV', 'V_th': 'mV', 'I_e': 'pA'},
    I_e=[6.0, 10.0, 14.0], w_ex=3.0, w_in=-3.0, weight_unit='mV', dt=0.1, duration=250.0,
    variables={'V_m': 'mV', 'U_m': 'mV'},
    # NEST's izhikevich with consistent_integration: forward Euler of (V, U) from the values at
    # the step start, which is Brian2's 'euler'. No refractoriness; U = 0 initially (not b V).
    equations='''
    dV_m/dt = (0.04*V_m**2 + 5*V_m + 140 - U_m + I_e)/ms : 1
    dU_m/dt = a*(b*V_m - U_m)/ms : 1
    I_e : 1 (constant)
    ''',
    threshold='V_m >= V_th', reset='V_m = c; U_m += d', method='euler',
    on_pre_ex='V_m_post += weight', on_pre_in='V_m_post += weight',
    initial={'V_m': -65.0, 'U_m': 0.0}, refractory=False, si=False, jump_synapses=True,
    # Same scheme and arithmetic up to reassociation (Brian2 simplifies the expressions with
    # sympy): each step adds rounding of ~1e-14 mV (|V| < 100 mV), which the contracting
    # subthreshold dynamics damp and each upswing amplifies by at most a few hundred (measured
    # max 2e-11 mV). 1e-9 leaves a wide margin and still sees a parameter wrong by 1e-6 of its
    # value with a margin of 1e4 (the mutants; 1e-7 is seen too).
    tol={'V_m': Tol(abs=1e-9), 'U_m': Tol(abs=1e-9)},
    mutations=[('a', 1e-6), ('b', 1e-6), ('d', 1e-6)])

IAF_PSC_EXP = Case(
    model='iaf_psc_exp',
    params={'E_L': -70.0, 'C_m': 250.0, 'tau_m': 10.0, 'tau_syn_ex': 2.0, 'tau_syn_in': 5.0, 't_ref': 2.0,
            'V_th': -55.0, 'V_reset': -70.0},
    units={'E_L': 'mV', 'C_m': 'pF', 'tau_m': 'ms', 'tau_syn_ex': 'ms', 'tau_syn_in': 'ms', 't_ref': 'ms',
           'V_th': 'mV', 'V_reset': 'mV', 'I_e': 'pA'},
    I_e=[360.0, 400.0, 450.0], w_ex=300.0, w_in=-300.0, weight_unit='pA', dt=0.1, duration=250.0,
    variables={'V_m': 'mV', 'I_syn_ex': 'pA', 'I_syn_in': 'pA'},
    # Linear: Brian2's 'exact' integrates it with the same exact propagator as NEST. The currents
    # keep decaying (and receiving input) while V is clamped. Inhibitory weights are negative.
    # The clamp: instead of the flag (unless refractory), whose symbolic solution costs sympy
    # ~6 s, V is set back to V_reset after the update of every refractory step (clamp_code);
    # V is V_reset when such a step starts, so this is the same as not integrating it.
    equations='''
    dV_m/dt = -(V_m - E_L)/tau_m + (I_syn_ex + I_syn_in + I_e)/C_m : volt
    dI_syn_ex/dt = -I_syn_ex/tau_syn_ex : amp
    dI_syn_in/dt = -I_syn_in/tau_syn_in : amp
    I_e : amp (constant)
    ''',
    threshold='V_m >= V_th', reset='V_m = V_reset', method='exact',
    on_pre_ex='I_syn_ex_post += weight', on_pre_in='I_syn_in_post += weight',
    initial={'V_m': -70.0 * mV},
    clamp_code='V_m = V_m*int(not_refractory) + V_reset*(1 - int(not_refractory))',
    # Both exact: they differ by rounding in differently arranged propagators (~1e-16 relative
    # per step, not accumulating in this stable linear system; measured max 1.3e-12). A
    # parameter wrong by 1e-6 of its value moves V by > 5e-6 mV (the mutants).
    tol={'V_m': Tol(abs=1e-9), 'I_syn_ex': Tol(abs=1e-9), 'I_syn_in': Tol(abs=1e-9)},
    mutations=[('tau_m', 1e-6), ('C_m', 1e-6), ('tau_syn_in', 1e-6),
               ('t_ref 2 -> 2.1 ms (one more clamped step)', {'t_ref': 2.1})])

# Tolerances shared by the two conductance models at dt = 0.01 ms (and at 0.1 ms with 10 RK4
# sub-steps, the same arithmetic). Brian2's rk4 decays g by the 4th-order Taylor polynomial
# of e^{-x}, x = dt/tau_syn = 0.05 for tau_syn_ex = 0.2 ms: relative error x^5/120 per step,
# at most g_peak x^4/(120 e) = 2e-8 g_peak over a decay (neurite's decay is exact):
# rel = 1e-7 of the largest g. V: neurite's RK4 sees the exact g at the stage times, Brian2's
# RK4 stage values of g; both are O(dt^4) accurate on time scales >= 0.2 ms. Measured
# differences are < 1e-7 mV (< 1e-8 pA for w) except in the AdEx upswing, where the
# exponential amplifies them from step to step to ~1e-6 of the step's change of V (a time shift
# of 1e-6 step): abs = 1e-6 mV plus slope = 1e-5 of that change. A parameter wrong by 1e-6 of
# its value already gives 4e-6 to 0.6 mV; the mutants (1e-5) are seen with a margin >= 30.
COND_FINE_TOL = {'V_m': Tol(abs=1e-6, slope=1e-5), 'w': Tol(abs=1e-6), 'g_ex': Tol(rel=1e-7),
                 'g_in': Tol(rel=1e-7)}

IAF_COND_EXP = Case(
    model='iaf_cond_exp',
    params={'E_L': -70.0, 'C_m': 250.0, 'g_L': 16.6667, 't_ref': 2.0, 'V_th': -55.0, 'V_reset': -60.0,
            'E_ex': 0.0, 'E_in': -85.0, 'tau_syn_ex': 0.2, 'tau_syn_in': 2.0},  # NEST's defaults
    units={'E_L': 'mV', 'C_m': 'pF', 'g_L': 'nS', 't_ref': 'ms', 'V_th': 'mV', 'V_reset': 'mV', 'E_ex': 'mV',
           'E_in': 'mV', 'tau_syn_ex': 'ms', 'tau_syn_in': 'ms', 'I_e': 'pA'},
    I_e=[240.0, 270.0, 320.0], w_ex=40.0, w_in=-10.0, weight_unit='nS', dt=0.01, duration=200.0,
    variables={'V_m': 'mV', 'g_ex': 'nS', 'g_in': 'nS'},
    # NEST bounds V by V_th inside the right-hand side (V_b; it matters only in the step that
    # crosses threshold). A conductance jumps by |weight| (inhibitory weights are negative).
    # `clamped` is 0 except for the copies that do NEST's step logic on the coarse grid.
    equations='''
    dV_m/dt = (1 - clamped)*(-g_L*(V_b - E_L) - g_ex*(V_b - E_ex) - g_in*(V_b - E_in) + I_e)/C_m
              : volt (unless refractory)
    V_b = clip(V_m, V_floor, V_th) : volt
    dg_ex/dt = -g_ex/tau_syn_ex : siemens
    dg_in/dt = -g_in/tau_syn_in : siemens
    I_e : amp (constant)
    ''',
    threshold='V_m >= V_th', reset='V_m = V_reset', method='rk4',
    on_pre_ex='g_ex_post += weight', on_pre_in='g_in_post -= weight',
    initial={'V_m': -70.0 * mV},
    tol=COND_FINE_TOL,
    # At 0.1 ms: threshold checked at the end of each 0.1 ms step only, as in NEST.
    # neurite's one RK4 step per 0.1 ms against the 0.01 ms reference: RK4's global error grows
    # as h^4 (1e4 times that at 0.01 ms), the conductance pulses (tau_syn_ex = 0.2 ms = 2 h)
    # being the hardest part; measured max 7e-5 mV. Allowed: 1e-3 mV plus 1e-3 of the step's
    # change of V. g decays exactly in neurite at any step: as above.
    coarse={'check': 'step_end', 'runs': [('dt = 0.1 ms', {}, {
        'V_m': Tol(abs=1e-3, slope=1e-3), 'g_ex': Tol(rel=1e-7), 'g_in': Tol(rel=1e-7)})]},
    mutations=[('g_L', 1e-5), ('E_in', 1e-5), ('tau_syn_ex', 1e-5),
               ('t_ref 2 -> 2.01 ms (one more clamped step)', {'t_ref': 2.01})])

AEIF_COND_EXP = Case(
    model='aeif_cond_exp',
    params={'C_m': 281.0, 't_ref': 1.0, 'V_reset': -60.0, 'E_L': -70.6, 'g_L': 30.0, 'Delta_T': 2.0,
            'tau_w': 144.0, 'a': 4.0, 'b': 80.5, 'V_th': -50.4, 'V_peak': 0.0, 'E_ex': 0.0, 'E_in': -85.0,
            'tau_syn_ex': 0.2, 'tau_syn_in': 2.0, 'n_substeps': 1},
    # NEST's defaults except t_ref = 1 ms (NEST: 0); one RK4 step per dt, as Brian2's rk4
    units={'C_m': 'pF', 't_ref': 'ms', 'V_reset': 'mV', 'E_L': 'mV', 'g_L': 'nS', 'Delta_T': 'mV',
           'tau_w': 'ms', 'a': 'nS', 'b': 'pA', 'V_th': 'mV', 'V_peak': 'mV', 'E_ex': 'mV', 'E_in': 'mV',
           'tau_syn_ex': 'ms', 'tau_syn_in': 'ms', 'n_substeps': '', 'I_e': 'pA'},
    I_e=[650.0, 750.0, 950.0], w_ex=40.0, w_in=-10.0, weight_unit='nS', dt=0.01, duration=200.0,
    variables={'V_m': 'mV', 'w': 'pA', 'g_ex': 'nS', 'g_in': 'nS'},
    # NEST's aeif_cond_exp: V bounded by V_peak inside the right-hand side (in every term, also
    # in dw/dt); while refractory V stays at V_reset and w relaxes with V = V_reset; spike at
    # V >= V_peak (Delta_T > 0), then V <- V_reset, w <- w + b.
    equations='''
    dV_m/dt = (1 - clamped)*(-g_L*(V_b - E_L) + g_L*Delta_T*exp((V_b - V_th)/Delta_T)
               - g_ex*(V_b - E_ex) - g_in*(V_b - E_in) - w + I_e)/C_m : volt (unless refractory)
    dw/dt = (a*(V_b - E_L) - w)/tau_w : amp
    V_b = clip(V_m, V_floor, V_peak) : volt
    dg_ex/dt = -g_ex/tau_syn_ex : siemens
    dg_in/dt = -g_in/tau_syn_in : siemens
    I_e : amp (constant)
    ''',
    threshold='V_m >= V_peak', reset='V_m = V_reset; w += b', method='rk4',
    on_pre_ex='g_ex_post += weight', on_pre_in='g_in_post -= weight',
    initial={'V_m': -70.6 * mV},
    tol=COND_FINE_TOL,
    # At 0.1 ms: NEST checks V >= V_peak after every solver step inside the 0.1 ms step and
    # clamps V for the rest of that step; the reference checks after every 0.01 ms step.
    # - n_substeps = 10: neurite's sub-steps are the reference's steps, so the fine tolerances
    #   apply unchanged.
    # - n_substeps = 1: one RK4 step of 0.1 ms; threshold seen at the end of the step only. In
    #   the spike step NEST integrates w with the true V up to the crossing and with V_reset
    #   after it, neurite with V (bounded by V_peak) over the whole step, then adds b: each spike
    #   leaves |dw| <= h a (V_peak - V_reset) / tau_w = 0.17 pA, decaying with tau_w = 144 ms,
    #   so w may differ by ~1 pA after several spikes (measured 0.4 pA), V by dw / g_L < 0.05 mV.
    #   Subthreshold, RK4's h^4 error (measured < 1e-3 mV before the first spike). Above V_th
    #   the exponential makes the dynamics unstable: differences grow by e^{(V - V_th)/Delta_T}
    #   and reach mV in the upswing, where one RK4 step of 0.1 ms also lags the finite-time
    #   blow-up of V, so that neurite sees up to half of the spikes one step late, and a later
    #   spike once two steps late (measured). Checked: the same spike count, neurite later by
    #   0..2 steps; up to the first spike in different steps, w within 1 pA and V within
    #   0.05 mV where the reference is below V_th (measured 0.014 mV).
    coarse={'check': 'substep', 'runs': [
        ('dt = 0.1 ms, n_substeps = 10', {'n_substeps': 10}, COND_FINE_TOL),
        ('dt = 0.1 ms, n_substeps = 1', {'n_substeps': 1}, {
            'V_m': Tol(abs=0.05, below=-50.4), 'w': Tol(abs=1.0), 'g_ex': Tol(rel=1e-7), 'g_in': Tol(rel=1e-7)},
         (0, 2))]},
    mutations=[('a', 1e-5), ('tau_w', 1e-5), ('Delta_T', 1e-5),
               ('t_ref 1 -> 1.01 ms (one more clamped step)', {'t_ref': 1.01})])

TWO_COMPARTMENT_NMDA = Case(
    model='two_compartment_nmda',
    params={'C_m': 200.0, 'g_L': 10.0, 'C_d': 100.0, 'g_L_d': 5.0, 'g_c': 8.0, 'E_L': -70.0, 'E_ex': 0.0,
            'E_in': -80.0, 'V_th': -50.0, 'V_reset': -60.0, 't_ref': 2.0, 'tau_syn_ex': 2.0, 'tau_syn_in': 5.0,
            'tau_nmda': 50.0, 'nmda_ratio': 2.0, 'Mg': 1.0, 'n_substeps': 1},
    units={'C_m': 'pF', 'g_L': 'nS', 'C_d': 'pF', 'g_L_d': 'nS', 'g_c': 'nS', 'E_L': 'mV', 'E_ex': 'mV',
           'E_in': 'mV', 'V_th': 'mV', 'V_reset': 'mV', 't_ref': 'ms', 'tau_syn_ex': 'ms', 'tau_syn_in': 'ms',
           'tau_nmda': 'ms', 'nmda_ratio': '', 'Mg': '', 'n_substeps': '', 'I_e': 'pA'},
    # Excitation onto the dendrite (AMPA and NMDA), inhibition onto the soma. Pairs and triplets
    # of 15 nS open the Mg block; the neurons fire 20 to 30 times.
    I_e=[150.0, 220.0, 280.0], w_ex=15.0, w_in=-10.0, weight_unit='nS', dt=0.01, duration=250.0,
    receptors={'SE': 'dend_ex'},
    variables={'V_m': 'mV', 'V_d': 'mV'},
    # src/models/two_compartment_nmda.cpp: the soma is clamped at V_reset while refractory and
    # the dendrite runs on; the Mg block of Jahr & Stevens with V in mV.
    equations='''
    dV_m/dt = (1 - clamped)*(-g_L*(V_m - E_L) + g_c*(V_d - V_m) - g_ex*(V_m - E_ex) - g_in*(V_m - E_in)
               + I_e)/C_m : volt (unless refractory)
    dV_d/dt = (-g_L_d*(V_d - E_L) + g_c*(V_m - V_d) - g_ex_d*(V_d - E_ex) - g_in_d*(V_d - E_in)
               - g_nmda/(1 + Mg/3.57*exp(-0.062*V_d/mV))*(V_d - E_ex))/C_d : volt
    dg_ex/dt = -g_ex/tau_syn_ex : siemens
    dg_in/dt = -g_in/tau_syn_in : siemens
    dg_ex_d/dt = -g_ex_d/tau_syn_ex : siemens
    dg_in_d/dt = -g_in_d/tau_syn_in : siemens
    dg_nmda/dt = -g_nmda/tau_nmda : siemens
    I_e : amp (constant)
    ''',
    threshold='V_m >= V_th', reset='V_m = V_reset', method='rk4',
    on_pre_ex='g_ex_d_post += weight; g_nmda_post += 2.0*weight', on_pre_in='g_in_post -= weight',
    initial={'V_m': -70.0 * mV, 'V_d': -70.0 * mV},
    # Both RK4 at 0.01 ms with time constants >= 2 ms: as COND_FINE_TOL, whose reasoning holds
    # with room to spare. At 0.1 ms with 10 sub-steps (threshold after each, as aeif_cond_exp)
    # the sub-steps are the reference's steps: the same tolerances.
    tol={'V_m': Tol(abs=1e-6, slope=1e-5), 'V_d': Tol(abs=1e-6, slope=1e-5)},
    coarse={'check': 'substep', 'runs': [
        ('dt = 0.1 ms, n_substeps = 10', {'n_substeps': 10},
         {'V_m': Tol(abs=1e-6, slope=1e-5), 'V_d': Tol(abs=1e-6, slope=1e-5)})]},
    mutations=[('g_c', 1e-5), ('Mg', 1e-5), ('tau_nmda', 1e-5), ('nmda_ratio', 1e-5),
               ('t_ref 2 -> 2.01 ms (one more clamped step)', {'t_ref': 2.01})])

CASES = [IZHIKEVICH, IAF_PSC_EXP, IAF_COND_EXP, AEIF_COND_EXP, TWO_COMPARTMENT_NMDA]


# ----------------------------------------------------------------------------------------------
# neurite through its CLI


def quantity_text(value, unit):
    return repr(float(value)) if not unit else f'"{float(value)!r} {unit}"'


def model_file(case, params, dt):
    """The TOML model file: sources SE, SI; populations N0, N1, ... of one neuron each."""
    lines = ['[simulation]', f'dt = "{dt!r} ms"', f'duration = "{case.duration!r} ms"', 'seed = 1', '']
    for name, times in (('SE', EXC_TIMES), ('SI', INH_TIMES)):
        lines += [f'[populations.{name}]', 'model = "spike_source"', 'size = 1',
                  f'spike_times = {{ unit = "ms", times = [[{", ".join(repr(t) for t in times)}]] }}', '']
    names = [f'N{i}' for i in range(len(case.I_e))]
    for name, I_e in zip(names, case.I_e):
        values = dict(params, I_e=I_e)
        text = ', '.join(f'{k} = {quantity_text(v, case.units[k])}' for k, v in values.items())
        lines += [f'[populations.{name}]', f'model = "{case.model}"', 'size = 1', f'params = {{ {text} }}', '']
    for name in names:
        for source, w, delay in (('SE', case.w_ex, DELAY_EX), ('SI', case.w_in, DELAY_IN)):
            lines += ['[[projections]]', f'source = "{source}"', f'target = "{name}"',
                      'connector = { rule = "all_to_all" }', f'weight = {quantity_text(w, case.weight_unit)}',
                      f'delay = "{delay!r} ms"']
            lines += [f'receptor = "{case.receptors[source]}"', ''] if source in case.receptors else ['']
    state = [f'{{ population = "{n}", variable = "{v}", ids = [0], interval = "{dt!r} ms" }}'
             for n in names for v in case.variables]
    lines += ['[record]', f'state = [{", ".join(state)}]', f'spikes = [{", ".join(repr(n) for n in names)}]', '']
    return '\n'.join(lines), names


def text_attr(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def steps(times_ms, dt):
    """Times [ms] on the grid of dt as integer step indices (checking that they lie on it)."""
    times_ms = np.asarray(times_ms, dtype=float)
    k = np.rint(times_ms / dt)
    assert np.all(np.abs(k * dt - times_ms) < 1e-6 * dt), f'times off the {dt} ms grid: {times_ms}'
    return k.astype(np.int64)


def run_neurite(cli, workdir, case, params, dt, tag):
    """neurite's run: ({variable: [K, n] at k = 1..K}, [spike step indices of each neuron])."""
    text, names = model_file(case, params, dt)
    path = os.path.join(workdir, f'{case.model}_{tag}.toml')
    out = os.path.join(workdir, f'{case.model}_{tag}')
    with open(path, 'w') as f:
        f.write(text)
    result = subprocess.run([cli, 'run', path, '-o', out, '--no-plot', '--quiet'], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f'neurite failed on {path} (exit {result.returncode}):\n{result.stderr}{result.stdout}')
    K = int(round(case.duration / dt))
    traces = {v: np.zeros((K, len(names))) for v in case.variables}
    found = set()
    with h5py.File(os.path.join(out, 'spikes.h5'), 'r') as f:
        for group in f['state'].values():
            pop, var = text_attr(group.attrs['population']), text_attr(group.attrs['variable'])
            assert np.array_equal(steps(group['times'][:], dt), np.arange(1, K + 1)), group.name
            traces[var][:, names.index(pop)] = group['values'][:, 0]
            found.add((pop, var))
        spikes = [steps(f[f'spikes/{name}/timestamps'][:], dt) for name in names]
    assert len(found) == len(names) * len(case.variables), 'a state recording is missing'
    return traces, spikes


# ----------------------------------------------------------------------------------------------
# Brian2
#
# NEST's step logic on the coarse grid (cases with `coarse`). The group holds a second copy of
# the neurons (emu = 1) that Brian2 integrates with the same 0.01 ms rk4, but whose threshold,
# reset and refractoriness follow NEST at a step of H = 0.1 ms = M fine steps:
# - threshold: 'step_end' (iaf_cond_exp): only in the fine step that ends a coarse step;
#   'substep' (aeif_cond_exp): after every fine step, as NEST after each solver step;
# - a spike sets the counter r = R + 1 (R = t_ref / H) and clamps V at V_reset for the rest of
#   the coarse step (clamped = 1: dV/dt = 0, w relaxing with V = V_reset);
# - at every coarse step end (run_regularly, dt = H, before the monitors), r decreases by one
#   and clamped = (r > 0): the R coarse steps after the spike step are clamped, as in NEST.
# Brian2's own refractoriness is off for these copies (ref_b = 0). Input jumps arrive at
# t_s + delay, which are coarse step ends. A spike in the fine step ending at fine step k is
# NEST's spike stamped at the end of the coarse step holding it: coarse index ceil(k / M).


def run_brian2(case):
    """Brian2's run. Returns {'fine': (traces, spikes)} on case.dt, indexed as neurite's, and
    with `coarse` also {'coarse': (traces, spikes)} of the copies on the coarse grid."""
    b2.start_scope()
    dt = case.dt
    b2.defaultclock.dt = dt * ms
    n = len(case.I_e)
    copies = 2 if case.coarse else 1
    ns = {k: v * case.unit(case.units[k]) for k, v in case.params.items()}
    ns['V_floor'] = -1000 * case.unit('mV')  # lower bound of the clip() calls, never reached
    equations, threshold, reset, kwargs = case.equations, case.threshold, case.reset, {}
    if case.refractory:
        equations += '\nref_b : second (constant)'
        kwargs['refractory'] = 'ref_b'
    if case.coarse:
        M = int(round(COARSE_DT / dt))
        ns.update(M=M, R=int(round(case.params['t_ref'] / COARSE_DT)))
        equations += '\nclamped : 1\nr : integer\nemu : integer (constant)'
        if case.coarse['check'] == 'step_end':
            threshold = f'({threshold}) and clamped == 0 and (emu == 0 or (t_in_timesteps + 1) % M == 0)'
        else:
            threshold = f'({threshold}) and clamped == 0'
        reset += '; r = emu*(R + 1); clamped = emu*int(R > 0)'
    G = b2.NeuronGroup(copies * n, equations, threshold=threshold, reset=reset, method=case.method,
                       namespace=ns, **kwargs)
    for var, value in case.initial.items():
        setattr(G, var, value)
    G.I_e = np.tile(case.I_e, copies) * case.unit(case.units['I_e'])
    if case.refractory:  # Brian2's clamp for the first copy, none for the NEST-logic copy
        G.ref_b = np.repeat([case.params['t_ref'] + dt, 0.0], n)[:copies * n] * ms
    if case.clamp_code:  # right after the state update, before thresholds
        G.run_regularly(case.clamp_code, when='after_groups')
    if case.coarse:
        G.emu = np.repeat([0, 1], n)
        G.run_regularly('r = r - int(r > 0)\nclamped = int(r > 0)', dt=COARSE_DT * ms, when='start', order=-1)
    SE = b2.SpikeGeneratorGroup(1, np.zeros(len(EXC_TIMES), int), np.asarray(EXC_TIMES) * ms)
    SI = b2.SpikeGeneratorGroup(1, np.zeros(len(INH_TIMES), int), np.asarray(INH_TIMES) * ms)
    wu = case.unit(case.weight_unit)
    syn_ex = b2.Synapses(SE, G, on_pre=case.on_pre_ex, namespace={'weight': case.w_ex * wu},
                         delay=(DELAY_EX - dt) * ms)
    syn_in = b2.Synapses(SI, G, on_pre=case.on_pre_in, namespace={'weight': case.w_in * wu},
                         delay=(DELAY_IN - dt) * ms)
    syn_ex.connect()
    syn_in.connect()
    state = b2.StateMonitor(G, list(case.variables), record=True)
    spikes = b2.SpikeMonitor(G)
    b2.Network(G, SE, SI, syn_ex, syn_in, state, spikes).run(case.duration * ms, namespace={})

    K = int(round(case.duration / dt))
    assert np.array_equal(steps(np.asarray(state.t / ms), dt), np.arange(K))
    all_traces = {v: np.asarray(getattr(state, v)).T / float(case.unit(u)) for v, u in case.variables.items()}
    trains = spikes.spike_trains()
    fine_steps = [steps(np.asarray(trains[i] / ms), dt) + 1 for i in range(copies * n)]
    result = {'fine': ({v: x[:, :n] for v, x in all_traces.items()}, fine_steps[:n])}
    if case.coarse:  # fine sample M k is the state after coarse step k (k = 0..K/M - 1)
        result['coarse'] = ({v: x[::M, n:] for v, x in all_traces.items()},
                            [(k + M - 1) // M for k in fine_steps[n:]])
    return result


# ----------------------------------------------------------------------------------------------
# Comparison


def compare(case, label, neurite, brian, tol, dt, log, lag=(0, 0)):
    """Compares one neurite run with Brian2's; returns the list of disagreements.

    Spike times must be equal, or with lag = (lo, hi) be later in neurite by lo..hi steps (same
    count). The traces are compared where both runs are in the same phase: for each neuron up
    to the first spike that is not in the same step in both (with exact spikes: everywhere)."""
    (n_traces, n_spikes), (b_traces, b_spikes) = neurite, brian
    failures = []
    K = n_traces[next(iter(case.variables))].shape[0] - 1  # paired samples k = 1..K
    window = np.ones((K, len(case.I_e)), dtype=bool)
    for i, I_e in enumerate(case.I_e):
        a, b = n_spikes[i], b_spikes[i]
        same = np.array_equal(a, b)
        shifts = a - b if len(a) == len(b) else None
        ok = same or (shifts is not None and np.all((shifts >= lag[0]) & (shifts <= lag[1])))
        text = 'same steps' if same else (f'neurite later by {list(shifts)} steps' if ok else 'DIFFER')
        if not same:
            text += f'\n      neurite {list(np.round(a * dt, 6))}\n      Brian2  {list(np.round(b * dt, 6))}'
            n = min(len(a), len(b))
            first = next((j for j in range(n) if a[j] != b[j]), n)
            window[min(a[first] if first < len(a) else K, b[first] if first < len(b) else K) - 1:, i] = False
        log(f'    I_e = {I_e:g} pA: {len(a)} spikes, {text}')
        if not ok:
            failures.append(f'{case.model} {label} I_e = {I_e:g} pA: spike times differ')
        if case.jump_synapses:  # see "Ordering within a step" in the module docstring
            arrivals = set(steps(np.add(EXC_TIMES, DELAY_EX), dt)) | set(steps(np.add(INH_TIMES, DELAY_IN), dt))
            if arrivals & set(a.tolist()):
                failures.append(f'{case.model} {label} I_e = {I_e:g} pA: a spike in a step with arriving '
                                'input (NEST and Brian2 order it differently): change the input times')
    if not window.all():
        log(f'    traces compared up to the first spike in different steps: '
            f'{", ".join(f"{window[:, i].sum() * dt:g} ms" for i in range(len(case.I_e)))}')
    for var, t in tol.items():
        if var not in case.variables:
            continue
        # neurite's samples k = 1..K against Brian2's (the last sample of each is unpaired)
        a, b = n_traces[var][:-1], b_traces[var][1:]
        allowed = t.allowed(b)
        diff = np.where(window & np.isfinite(allowed), np.abs(a - b), 0.0)  # NaN stays NaN
        k, i = np.unravel_index(np.argmax(diff), diff.shape)
        kw, iw = np.unravel_index(np.argmax(diff / allowed), diff.shape)
        log(f'    {var:9s} max |diff| {diff[k, i]:.3g} at t = {(k + 1) * dt:g} ms, I_e = {case.I_e[i]:g} '
            f'(allowed {allowed[k, i]:.3g}); largest diff/allowed {diff[kw, iw] / allowed[kw, iw]:.3g}')
        bad = ~(diff <= allowed)  # NaN fails too
        if bad.any():
            failures.append(f'{case.model} {label} {var}: {bad.sum()} samples beyond tolerance, the first at '
                            f't = {(np.argwhere(bad)[0][0] + 1) * dt:g} ms (max |diff| {diff.max():.3g})')
    return failures


def check(cli, workdir, case):
    """All comparisons of one model; returns the disagreements."""
    failures = []
    t0 = time.time()
    brian = run_brian2(case)
    print(f'{case.model} (Brian2 {case.method} at dt = {case.dt:g} ms: {time.time() - t0:.1f} s)')
    runs = [(f'dt = {case.dt:g} ms', case.dt, {}, 'fine', case.tol)]
    for label, extra, tol, *lag in (case.coarse or {}).get('runs', []):
        runs.append((label, COARSE_DT, extra, 'coarse', tol, *lag))
    for j, (label, dt, extra, which, tol, *lag) in enumerate(runs):
        print(f'  {label}' + (' (against the copies with NEST\'s step logic at 0.1 ms)' if which == 'coarse' else ''))
        neurite = run_neurite(cli, workdir, case, dict(case.params, **extra), dt, f'run{j}')
        failures += compare(case, label, neurite, brian[which], tol, dt, print, *lag)
    # A slightly wrong parameter stands for a wrong equation: it must fail the comparison.
    for j, (description, change) in enumerate(case.mutations):
        if not isinstance(change, dict):  # (name, relative change)
            description, change = f'{description} * (1 + {change:g})', {description: case.params[description] * (1 + change)}
        neurite = run_neurite(cli, workdir, case, dict(case.params, **change), case.dt, f'mutant{j}')
        found = compare(case, 'mutant', neurite, brian['fine'], case.tol, case.dt, lambda _: None)
        print(f'  mutant {description}: ' + ('detected' if found else 'NOT DETECTED'))
        if not found:
            failures.append(f'{case.model}: the comparison does not see {description}')
    return failures


def main():
    if len(sys.argv) < 2 or sys.argv[1].startswith('-'):
        print(__doc__)
        return 2
    cli = os.path.abspath(sys.argv[1])
    selected = [c for c in CASES if len(sys.argv) == 2 or c.model in sys.argv[2:]]
    failures = []
    start = time.time()
    with tempfile.TemporaryDirectory(prefix='neurite_brian2_') as workdir:
        for case in selected:
            try:
                failures += check(cli, workdir, case)
            except Exception as error:  # a crash of either simulator fails this model only
                failures.append(f'{case.model}: {type(error).__name__}: {error}')
                print(f'{case.model}: {type(error).__name__}: {error}')
    print(f'{len(selected)} models in {time.time() - start:.1f} s')
    if failures:
        print('FAILED:\n  ' + '\n  '.join(failures))
        return 1
    print('PASSED')
    return 0


if __name__ == '__main__':
    sys.exit(main())
