#pragma once
// Generalised linear models of spike counts with a history basis (paper 11, Li et al. ICLR 2024):
//   x_{t,n} ~ Poisson(f_{t,n}) or Bernoulli(f_{t,n}),
//   f_{t,n} = g(b_n + sum_{n'} w_{n<-n'} h_{t,n'}),  h_{t,n'} = sum_{k=1..K} phi_k x_{t-k,n'},
// g the sigmoid (rate <= 1 per bin, the paper's demo) or softplus, phi an exponential basis.
// Here: the basis, the history, the per-bin log-likelihood and its derivative, switching GLMs
// (one weight matrix per hidden state, shared bias) with their emissions, the demo's generator,
// and the M-step objective of one neuron ("row") under the three weight priors (none, Gaussian,
// one-hot) with its hand-written gradient. Fitting: analysis/hmm_glm.hpp.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace neurite::analysis {

enum class glm_noise { poisson, bernoulli };
enum class glm_link { sigmoid, softplus };
enum class weight_prior { none, gaussian, onehot };
std::string_view weight_prior_name(weight_prior p);  // "naive", "gaussian", "onehot"

// phi_k proportional to exp(-decay * k), k = 0 .. size-1, summing to one (the demo: K = 5,
// decay 1, {0.6364, 0.2341, 0.0861, 0.0317, 0.0117}); phi_0 weighs the previous bin.
std::vector<double> exponential_basis(std::size_t size, double decay = 1.0);

struct spike_trial {
  std::size_t bins = 0, neurons = 0;
  std::vector<double> counts;  // bins x neurons
  std::vector<int> states;     // the true hidden state per bin where known (generated data)
};

// h[t * N + n'] = sum_k basis[k] * counts[(t - 1 - k) * N + n'] (zero before the first bin).
std::vector<double> history(const spike_trial& trial, const std::vector<double>& basis);

// log p(x | f = g(u)) and its derivative by u. Poisson includes -log x!; Bernoulli needs the
// sigmoid link (a rate above one is no probability) and x in {0, 1}.
double glm_log_likelihood(glm_noise noise, glm_link link, double x, double u, double& d_du);

// One GLM per hidden state; the bias is shared by the states (as in the paper's demo).
struct switching_glm {
  std::size_t states = 1, neurons = 0;
  glm_noise noise = glm_noise::poisson;
  glm_link link = glm_link::sigmoid;
  std::vector<double> basis;
  std::vector<double> weights;     // S x N x N: weights[(s * N + post) * N + pre]
  std::vector<double> bias;        // N
  std::vector<double> initial;     // S probabilities
  std::vector<double> transition;  // S x S probabilities, rows sum to one
};

// log p(x_t | z_t = s) summed over neurons, T x S, for one trial and its history.
std::vector<double> glm_log_emissions(const switching_glm& m, const spike_trial& trial, const std::vector<double>& h);

// The demo's generator: for each ordered pair an anatomical prior p ~ Dirichlet(concentration)
// over {inhibitory, none, excitatory}; each state's adjacency one categorical draw from p (a hard
// Gumbel-softmax sample); strengths softplus(log(strength_scale U)) = log(1 + strength_scale U),
// U ~ U(0, 1) (the demo stores log(3 U) as the raw strength and its model passes every raw strength
// through softplus, so its true strengths lie in [0, log 4]; softplus_strength = false gives the
// plain strength_scale U); biases bias_scale * (U - 0.5); no
// self-connections (the demo does plant and fit them: ours); a sticky chain (stay on the diagonal, the rest spread evenly), uniform start.
// Streams (seed, purpose): id = pre-post pair (prior, and step 1 + s for state s), id = N * N + n
// for the biases; sample_switching_glm uses the id it is given (callers keep them >= 2^24).
struct plant_options {
  std::size_t states = 5, neurons = 20;
  double concentration[3] = {0.2, 1.6, 0.2};
  double strength_scale = 3.0, bias_scale = 0.1, stay = 0.98;
  bool softplus_strength = true;  // the demo's log(1 + scale U); false: scale U
  glm_noise noise = glm_noise::poisson;
  std::size_t basis_size = 5;
};
struct planted_glm {
  switching_glm model;
  std::vector<int> adjacency;      // S x N x N in {-1, 0, +1}
  std::vector<double> connectome;  // N x N x 3, the Dirichlet draws
};
planted_glm plant_switching_glm(const plant_options& o, std::uint64_t seed, std::uint32_t purpose);
spike_trial sample_switching_glm(const switching_glm& m, std::size_t bins, std::uint64_t seed, std::uint32_t purpose,
                                 std::uint32_t id);

// Gamma(shape, 1) by Marsaglia & Tsang (shape < 1 through the U^(1/shape) boost); exposed for tests.
double gamma_variate(double shape, std::uint64_t seed, std::uint32_t purpose, std::uint32_t id, std::uint64_t step);

// The Concrete (Gumbel-softmax) log-density of a point y of the k-simplex, given by log y, with
// prior logits l and temperature tau (Maddison et al. 2017):
//   log p = log (k-1)! + (k-1) log tau + sum_i (l_i - (tau+1) log y_i) - k logsumexp_i(l_i - tau log y_i).
// Writes d/dlog y and d/dl when the pointers are given.
double concrete_log_density(const double* log_y, const double* logits, std::size_t k, double tau, double* d_log_y,
                            double* d_logits);

// The data of one M step: bins of all trials in a row (the M step has no time coupling), with the
// posterior weight of each state per bin (a plain GLM: one state, weight 1).
struct glm_design {
  std::size_t bins = 0, neurons = 0, states = 1;
  std::vector<double> history, counts;  // bins x N
  std::vector<double> responsibility;   // bins x S
};

// The parameters of one neuron's M-step problem, theta, laid out as
//   none, gaussian: w[s][n'] (S x N), then the bias;
//   onehot: adjacency logits a[s][n'][c] (S x N x 3, c = inhibitory, none, excitatory), raw strengths
//           r[s][n'] (S x N, strength softplus(r)), prior logits l[n'][c] (N x 3, shared by the
//           states), then the bias.
// The self-connection (n' = neuron) is held out: weight 0, no prior term, zero gradient.
struct row_prior {
  weight_prior kind = weight_prior::none;
  double sd = 1.0 / 3.0;       // gaussian: w[s][n'] ~ N(mean[n'], sd^2)
  std::vector<double> mean;    // gaussian: N values (the mean over states), empty for zero
  // onehot: the prior of the relaxed adjacency y = softmax(a) given the pair's shared logits l.
  // concrete: the paper's Concrete log-density at temperature tau. It is unbounded at the
  // simplex's corners (as y -> a vertex it grows like (2 - tau) times the logit gap), so a MAP
  // step that is not held back by small steps trades likelihood for it without end (measured:
  // docs/onehot_glm.md). categorical (ours, the default): sum_c y_c log softmax(l)_c, the
  // expected log prior probability of the class, bounded, the same on the corners.
  bool concrete = false;
  double tau = 0.2;            // onehot, concrete: the Concrete temperature of the prior
  // onehot: log strength ~ N(log strength_median, strength_sd^2); strength_sd = 0: no prior (the
  // paper's code). Ours: without it a quasi-Newton M step silences a connection by driving its
  // strength to zero and leaves its class wherever it started (docs/onehot_glm.md).
  double strength_median = 1.0, strength_sd = 0.3;
  // onehot: the Gumbel-softmax relaxation of training. With noise (samples x S x N x 3 Gumbel
  // draws, held fixed while one M step runs: common random numbers, so the objective is a
  // deterministic function that L-BFGS can minimise), the likelihood is the mean over samples of
  // that of w_m = (y_exc - y_inh) strength with y_m = softmax((a + g_m) / weight_tau); only a
  // confident adjacency gives every sample the same weight, which drives the logits to a corner.
  // Without noise, y = softmax(a).
  std::vector<double> gumbel;
  std::size_t samples = 0;
  double weight_tau = 0.5;
  // The paper's log-prior terms (Gaussian, class) times this (> 0); our strength prior keeps
  // weight 1. The demo's code adds the whole prior to each single trial's objective and cycles
  // over the trials, so against the summed likelihood of K trials its prior weighs about K; 1 is
  // the plain MAP.
  double weight = 1.0;
};
std::size_t row_size(weight_prior kind, std::size_t states, std::size_t neurons);

// The state weights w[s][n'] of a row (S x N): relaxed (softmax of the logits) or hard (argmax).
std::vector<double> row_weights(weight_prior kind, std::size_t states, std::size_t neurons, std::size_t neuron,
                                const std::vector<double>& theta, bool hard);

// J(theta) = sum_t sum_s r_{t,s} log p(x_{t,n} | theta_s) + log prior(theta); grad = dJ/dtheta.
// Bins whose responsibility for a state is below 1e-12 skip that state (their share of J and of
// the gradient is below 1e-12 of a bin's): EM's posteriors are nearly one-hot.
double row_objective(const glm_design& d, glm_noise noise, glm_link link, std::size_t neuron, const row_prior& prior,
                     const std::vector<double>& theta, std::vector<double>& grad);

}  // namespace neurite::analysis
