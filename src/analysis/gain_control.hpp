#pragma once
// Recurrent gain control (Duong, Bredenberg, Heeger & Simoncelli 2023, arXiv 2305.19869; paper 3 in
// shared/papers): a population of N orientation-tuned neurons with fixed recurrent weights W in
// which only the single-neuron gains g adapt, to the statistics of the stimulus ensemble p(s).
// The paper's equations could not be read; this is a reconstruction (docs/gain_control.md), its
// choices switchable:
//
//   drive       f_i(s) = b + exp(kappa (cos 2(s - theta_i) - 1))      von Mises in orientation
//   dynamics    tau dr/dt = -r + G (f(s) + W r)     gain_on_input (the paper's "gain of a neuron")
//               tau dr/dt = -r + G f(s) + W r       gain_on_drive (gains act on the feed-forward drive)
//   steady      r*(s; g) = P G f(s),  P = (I - G W)^-1  resp.  (I - W)^-1
//   objective   L(g) = -F(g) + lambda E_p[sum_i r*_i(s)]  (fidelity against total activity)
//     log_det   F = log |det dr*/df| = sum_i log g_i - log det(I - G W)  (resp. + const): the
//               information a response with small, fixed output noise carries about the drive
//               (Gaussian channel at high SNR), i.e. the log volume the representation spans.
//     quadratic F = -E_p ||f(s) - r*(s)||^2, the mean squared error of reading the drive out of r.
//
// With W = 0 log_det gives classic gain normalisation, g_i = 1 / (lambda E_p[f_i]): each gain
// divides by its neuron's mean drive and every mean response is 1 / lambda. gain_on_drive with
// log_det has the closed form g_i = 1 / (lambda c_i E_p[f_i]), c = (I - W)^-T 1; quadratic with
// gain_on_drive is quadratic in g (non-negative least squares); gain_on_input needs the
// optimiser (analysis/projected_gradient).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace neurite::analysis {

enum class gain_site { on_input, on_drive };
enum class fidelity { log_det, quadratic };
gain_site gain_site_from(std::string_view name);    // "input" | "drive"; else std::invalid_argument naming it
fidelity fidelity_from(std::string_view name);      // "log_det" | "quadratic"
std::string_view name_of(gain_site s);
std::string_view name_of(fidelity f);

// A dense row-major N x N matrix.
struct matrix {
  std::size_t n = 0;
  std::vector<double> a;
  explicit matrix(std::size_t size = 0) : n(size), a(size * size, 0.0) {}
  double& operator()(std::size_t i, std::size_t j) { return a[i * n + j]; }
  double operator()(std::size_t i, std::size_t j) const { return a[i * n + j]; }
};

struct gain_network_config {
  std::uint32_t neurons = 32;
  double kappa = 2.0;          // drive tuning width (von Mises concentration in 2s)
  double baseline = 0.05;      // b: drive at the anti-preferred orientation
  double w_kappa = 2.0;        // width of the recurrent weight profile
  double spectral_radius = 0.8;  // of W (W symmetric, non-negative, zero diagonal)
  gain_site site = gain_site::on_input;
  fidelity fid = fidelity::log_det;
  double lambda = 1.0;         // price of activity
};

struct gain_network {
  gain_network_config config;
  std::vector<double> theta;  // preferred orientations [rad], i pi / N
  matrix w;
};

// Throws std::invalid_argument for an impossible size or parameter, naming it.
gain_network make_gain_network(const gain_network_config& c);
std::vector<double> drive(const gain_network& net, double s);

// Orientations s_k = k pi / K with probabilities p_k.
struct ensemble {
  std::vector<double> s, p;
};
ensemble uniform_ensemble(std::uint32_t k);
// Benucci et al. 2013's biased ensemble: the orientation nearest `adapter` has probability
// p_adapter, the others share the rest equally.
ensemble biased_ensemble(std::uint32_t k, double adapter, double p_adapter);
// The ensemble turned by `shift` = m pi / K (whole grid steps): p'(s_k) = p(s_{k-m}).
ensemble rotate(const ensemble& e, int steps);

// r* for one drive, or +infinity entries when the network is unstable (an eigenvalue of G W at
// or above one for gain_on_input; W for gain_on_drive).
std::vector<double> steady_state(const gain_network& net, const std::vector<double>& g, const std::vector<double>& f);
// Is the fixed point stable (every eigenvalue of G W, resp. W, below one)? W symmetric: checked
// as positive definiteness of I - G^1/2 W G^1/2.
bool stable(const gain_network& net, const std::vector<double>& g);
// tau dr/dt = -r + ... from r0 for `duration`, classic fourth-order Runge-Kutta with step dt.
std::vector<double> integrate(const gain_network& net, const std::vector<double>& g, const std::vector<double>& f,
                              std::vector<double> r0, double tau, double dt, double duration);

// Tuning curves R[i][k] = r*_i(s_k).
std::vector<std::vector<double>> tuning_curves(const gain_network& net, const std::vector<double>& g, const ensemble& e);

// L(g) and its gradient (grad resized to N); +infinity when unstable.
double objective(const gain_network& net, const ensemble& e, const std::vector<double>& g, std::vector<double>& grad);

struct gain_solution {
  std::vector<double> g;
  double value = 0;
  std::string method;  // "closed form", "closed form (NNLS by projected gradient)", "projected gradient"
  int iterations = 0;
  bool converged = true;
};
// The optimal gains: the closed form where there is one, else projected gradient from equal gains
// 1 / (lambda mean_i E[f_i]) (log_det) or 1 (quadratic), halved until the network is stable.
gain_solution optimal_gains(const gain_network& net, const ensemble& e);
// Classic gain normalisation, the W = 0 optimum of log_det: 1 / (lambda E_p[f_i]).
std::vector<double> normalisation_gains(const gain_network& net, const ensemble& e);

// --- the measures the paper's claims are about, for rate-model and spike-count tuning curves ---

// Time-averaged response of each neuron under p: sum_k p_k R[i][k].
std::vector<double> mean_responses(const std::vector<std::vector<double>>& r, const ensemble& e);
double coefficient_of_variation(const std::vector<double>& x);
// Preferred orientation [rad, in [0, pi)] from the vector sum sum_k R[i][k] e^{2 i s_k} (uniform
// weights: the tuning curve's own centre, not the ensemble's).
std::vector<double> preferred_orientations(const std::vector<std::vector<double>>& r, const ensemble& e);
// Signed orientation difference a - b wrapped into [-pi/2, pi/2).
double orientation_difference(double a, double b);
// Response correlations across the ensemble (signal correlations weighted by p).
matrix response_correlations(const std::vector<std::vector<double>>& r, const ensemble& e);

// The four effects between unadapted gains (optimal for the uniform ensemble) and adapted ones
// (optimal for the biased ensemble), measured on tuning curves on the biased ensemble's grid.
struct adaptation_effects {
  double gain_ratio_near = 0, gain_ratio_far = 0;  // mean of adapted / unadapted (gains or peak responses)
  double cv_unadapted = 0, cv_adapted = 0;         // across neurons of the time-averaged responses (biased p)
  double repulsion_deg = 0, repulsion_se_deg = 0;  // mean shift of flank neurons' preference away from the adapter
  double corr_unadapted = 0, corr_adapted = 0;     // mean pairwise correlation among neurons near the adapter
  std::uint32_t near = 0, far = 0, flank = 0;      // neurons counted
};
// near: |theta - adapter| <= near_deg; far: >= far_deg; flank: (flank_min, flank_max] degrees.
struct effect_windows {
  double near_deg = 22.5, far_deg = 67.5, flank_min_deg = 0.5, flank_max_deg = 45;
};
// `ratio_unadapted` / `ratio_adapted`: the per-neuron quantity whose ratio is effect 1 (gains in
// the rate model, peak spike counts in the spiking one).
adaptation_effects measure_effects(const std::vector<double>& theta, double adapter,
                                   const std::vector<double>& ratio_unadapted, const std::vector<double>& ratio_adapted,
                                   const std::vector<std::vector<double>>& r_unadapted,
                                   const std::vector<std::vector<double>>& r_adapted, const ensemble& biased,
                                   const effect_windows& w = {});

}  // namespace neurite::analysis
