#include "learn/lif.hpp"

#include <cmath>
#include <numbers>
#include <type_traits>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

namespace neurite::learn {
namespace {

// The loop-invariant choices of a layer as compile-time constants, so that the loops over a row's
// neurons carry no branches and vectorise.
template <bool Subtract, bool Adaptive, bool Smooth, bool Arctan>
struct lif_variant {
  static constexpr bool subtract = Subtract, adaptive = Adaptive, smooth = Smooth, arctan = Arctan;
};

// Calls f with std::bool_constant arguments for the given run-time bools, in order.
template <class F>
void with_constants(const F& f) {
  f();
}
template <class F, class... Rest>
void with_constants(const F& f, bool first, Rest... rest) {
  if (first)
    with_constants([&](auto... next) { f(std::true_type{}, next...); }, rest...);
  else
    with_constants([&](auto... next) { f(std::false_type{}, next...); }, rest...);
}

// Calls f(lif_variant<...>{}) for p's reset, adaptation and surrogate.
template <class F>
void with_variant(const lif_params& p, const F& f) {
  with_constants([&](auto subtract, auto adaptive, auto smooth,
                     auto arctan) { f(lif_variant<subtract(), adaptive(), smooth(), arctan()>{}); },
                 p.reset == reset_mode::subtract, p.q_sfa != 0, p.spike.smooth,
                 p.spike.shape == surrogate_shape::arctan);
}

// sigma'(x) and its antiderivative F (F(-inf) = 0), scalar, for the fused kernel.
template <class T, class V>
struct surrogate_math {
  T k;

  T derivative(T x) const {
    if constexpr (V::arctan) {
      return 1 / (1 + k * x * k * x);
    } else {
      const T d = 1 + k * std::abs(x);
      return 1 / (d * d);
    }
  }
  T spike(T x) const {
    if constexpr (!V::smooth) return x >= 0 ? T(1) : T(0);
    if constexpr (V::arctan) return (std::atan(k * x) + std::numbers::pi_v<T> / 2) / k;
    return 1 / k + x / (1 + k * std::abs(x));
  }
};

template <class T, class V>
struct lif_scalars {
  T V_th, q_sfa;
  surrogate_math<T, V> sg;

  explicit lif_scalars(const lif_params& p)
      : V_th(static_cast<T>(p.V_th)), q_sfa(static_cast<T>(p.q_sfa)), sg{static_cast<T>(p.spike.slope)} {}
  T reset(T u, T s) const {
    if constexpr (V::subtract) return u - V_th * s;
    return u * (1 - s);
  }
  T threshold_distance(T u, T a) const {
    if constexpr (V::adaptive) return u - V_th - q_sfa * a;
    return u - V_th;
  }
};

// The layer as raw arrays: (T, rows, n) time-major, n neurons per row (a row is a sample). beta and
// rho hold one decay per neuron. Absent inputs read as zeros (a buffer of one step), so that the
// loops need no tests; absent outputs go to a scratch step.
template <class T>
struct lif_arrays {
  std::int64_t steps, rows, n;
  const T *beta, *rho;
  std::vector<T> zero, scratch;

  lif_arrays(std::int64_t steps_, std::int64_t rows_, std::int64_t n_, const T* beta_, const T* rho_)
      : steps(steps_), rows(rows_), n(n_), beta(beta_), rho(rho_), zero(static_cast<std::size_t>(rows_ * n_)),
        scratch(zero.size()) {}
  const T* in(const at::Tensor& t, std::int64_t step) const {
    return t.defined() ? t.data_ptr<T>() + step * rows * n : zero.data();
  }
  T* out(const at::Tensor& t, std::int64_t step) { return t.defined() ? t.data_ptr<T>() + step * rows * n : scratch.data(); }
};

// Rows are independent within a step: each chunk of them runs the step, the inner loop over a row's
// neurons is contiguous and vectorises. Steps run in order, since recurrence couples the neurons.
template <class F>
void for_rows(std::int64_t rows, std::int64_t n, const F& f) {
  at::parallel_for(0, rows, std::max<std::int64_t>(1, 4096 / n), [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t r = begin; r < end; ++r) f(r * n);
  });
}

// Recurrent input V S(t-1) for every row, (rows, n); undefined without recurrence or at t = 0.
at::Tensor recurrent_input(const at::Tensor& recurrent, const at::Tensor& spikes, std::int64_t t) {
  if (!recurrent.defined() || t == 0) return {};
  return at::mm(spikes[t - 1].reshape({-1, recurrent.size(0)}), recurrent.t()).contiguous();
}

// One step of one row of n neurons; state v = V(t-1) and a = a(t-1) updated in place.
template <class T, class V>
void forward_row(const lif_scalars<T, V>& c, std::int64_t n, const T* __restrict beta, const T* __restrict rho,
                 const T* __restrict in, const T* __restrict rec, T* __restrict v, T* __restrict a, T* __restrict s_out,
                 T* __restrict u_out, T* __restrict a_out) {
  for (std::int64_t i = 0; i < n; ++i) {
    const T u = beta[i] * v[i] + in[i] + rec[i];
    const T s = c.sg.spike(c.threshold_distance(u, a[i]));
    u_out[i] = u;
    s_out[i] = s;
    v[i] = c.reset(u, s);
    if constexpr (V::adaptive) {
      a_out[i] = a[i];
      a[i] = rho[i] * a[i] + s;
    }
  }
}

// State V(t-1) and a(t-1) carried per (row, neuron); adaptation (only for adaptive LIF, else
// undefined) receives a(t-1), the value that sets theta(t).
template <class T, class V>
void lif_forward_loop(const lif_params& p, lif_arrays<T>& l, const at::Tensor& current, const at::Tensor& recurrent,
                      const at::Tensor& spikes, const at::Tensor& membrane, const at::Tensor& adaptation) {
  const lif_scalars<T, V> c(p);
  std::vector<T> v(static_cast<std::size_t>(l.rows * l.n), T(0)), a(v);
  for (std::int64_t t = 0; t < l.steps; ++t) {
    const at::Tensor rec = recurrent_input(recurrent, spikes, t);
    const T *in = l.in(current, t), *r = l.in(rec, 0);
    T *s_out = l.out(spikes, t), *u_out = l.out(membrane, t), *a_out = l.out(adaptation, t);
    for_rows(l.rows, l.n, [&](std::int64_t e) {
      forward_row(c, l.n, l.beta, l.rho, in + e, r + e, v.data() + e, a.data() + e, s_out + e, u_out + e, a_out + e);
    });
  }
}

// Gradients of the trained tensors besides the currents, per (row, neuron) for the decays (summed
// over rows afterwards, so that rows can run in parallel); undefined when not wanted.
struct lif_decay_gradients {
  at::Tensor beta, rho;
};

// What one step of one row of the backward pass reads and writes (see lif_backward_loop).
template <class T>
struct backward_row_arrays {
  const T *u, *a, *g_s_in, *g_u_in, *u_prev, *s_prev, *g_rec;
  T *g_i, *g_beta, *g_rho;
};

template <class T, class V, bool DecayGradients>
void backward_row(const lif_scalars<T, V>& c, std::int64_t n, const T* __restrict beta, const T* __restrict rho,
                  const backward_row_arrays<T>& x, T* __restrict g_v, T* __restrict g_a) {
  const T *__restrict u_t = x.u, *__restrict a_t = x.a, *__restrict gs = x.g_s_in, *__restrict gu = x.g_u_in;
  const T *__restrict u_prev = x.u_prev, *__restrict s_prev = x.s_prev, *__restrict g_r = x.g_rec;
  T *__restrict g_i = x.g_i, *__restrict g_beta = x.g_beta, *__restrict g_rho = x.g_rho;
  for (std::int64_t i = 0; i < n; ++i) {
    const T u = u_t[i], a = V::adaptive ? a_t[i] : T(0);
    const T dist = c.threshold_distance(u, a), s = c.sg.spike(dist), d = c.sg.derivative(dist);
    T g_s = gs[i] + g_r[i] - g_v[i] * (V::subtract ? c.V_th : u);
    if constexpr (V::adaptive) g_s += g_a[i];
    const T g_u = gu[i] + g_s * d + g_v[i] * (V::subtract ? T(1) : 1 - s);
    g_i[i] = g_u;
    if constexpr (DecayGradients) {
      g_beta[i] += g_u * c.reset(u_prev[i], s_prev[i]);
      if constexpr (V::adaptive) g_rho[i] += g_a[i] * a;
    }
    g_v[i] = beta[i] * g_u;
    if constexpr (V::adaptive) g_a[i] = rho[i] * g_a[i] - c.q_sfa * d * g_s;
  }
}

// Backward through time, with g_v = dL/dV(t) and g_a = dL/da(t) carried back from step t+1 and
// g_r = dL/dS(t) through the recurrent input of step t+1 (the row of dL/dI(t+1) times V):
//   dL/dS(t)   = gS(t) + g_r + g_v dV/dS + g_a             (dV/dS = -V_th, or -U for reset to zero)
//   dL/dU(t)   = gU(t) + dL/dS(t) sigma'(x) + g_v dV/dU    (dV/dU = 1, or 1 - S), x = U - theta
//   dL/dI(t)   = dL/dU(t),  g_v(t-1) = beta dL/dU(t)
//   g_a(t-1)   = rho g_a - q_sfa sigma'(x) dL/dS(t)        (a(t-1) enters theta(t) and a(t))
//   dL/dbeta  += dL/dU(t) V(t-1),  dL/drho += g_a a(t-1)   (U(t) = beta V(t-1) + ..., a(t) = rho a(t-1) + S(t))
// dL/dV_rec = sum over t of dL/dI(t)^T S(t-1) is one matrix product afterwards. A missing incoming
// gradient (an output not used by the loss) is read as zero; so are U(-1) and S(-1).
template <class T, class V, bool DecayGradients>
void lif_backward_loop(const lif_params& p, lif_arrays<T>& l, const at::Tensor& spikes, const at::Tensor& membrane,
                       const at::Tensor& adaptation, const at::Tensor& recurrent, const at::Tensor& g_spikes,
                       const at::Tensor& g_membrane, const at::Tensor& g_current, const lif_decay_gradients& g_decay) {
  const lif_scalars<T, V> c(p);
  std::vector<T> g_v(static_cast<std::size_t>(l.rows * l.n), T(0)), g_a(g_v);
  T *g_beta = l.out(g_decay.beta, 0), *g_rho = l.out(g_decay.rho, 0);
  for (std::int64_t t = l.steps - 1; t >= 0; --t) {
    const at::Tensor g_rec = recurrent.defined() && t + 1 < l.steps
                                 ? at::mm(g_current[t + 1].reshape({-1, l.n}), recurrent).contiguous()
                                 : at::Tensor();
    const backward_row_arrays<T> step{l.in(membrane, t),
                                      l.in(adaptation, t),
                                      l.in(g_spikes, t),
                                      l.in(g_membrane, t),
                                      t > 0 ? l.in(membrane, t - 1) : l.zero.data(),
                                      t > 0 ? l.in(spikes, t - 1) : l.zero.data(),
                                      l.in(g_rec, 0),
                                      l.out(g_current, t),
                                      g_beta,
                                      g_rho};
    for_rows(l.rows, l.n, [&](std::int64_t e) {
      const backward_row_arrays<T> row{step.u + e,      step.a + e,      step.g_s_in + e, step.g_u_in + e,
                                       step.u_prev + e, step.s_prev + e, step.g_rec + e,  step.g_i + e,
                                       step.g_beta + e, step.g_rho + e};
      backward_row<T, V, DecayGradients>(c, l.n, l.beta, l.rho, row, g_v.data() + e, g_a.data() + e);
    });
  }
}

at::Tensor contiguous_or_undefined(const at::Tensor& t) { return t.defined() ? t.contiguous() : at::Tensor(); }

// sum over t >= 1 of dL/dI(t)^T S(t-1): (n, n).
at::Tensor recurrent_gradient(const at::Tensor& g_current, const at::Tensor& spikes, std::int64_t n) {
  const std::int64_t steps = g_current.size(0);
  if (steps < 2) return at::zeros({n, n}, g_current.options());
  return at::mm(g_current.slice(0, 1).reshape({-1, n}).t(), spikes.slice(0, 0, steps - 1).reshape({-1, n}));
}

// Inputs: currents, beta (n), rho (n), recurrent (n, n) or empty; outputs: spikes, membrane. (An
// absent tensor travels as an empty one: Function::apply takes no undefined inputs.)
struct lif_function : torch::autograd::Function<lif_function> {
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx, const at::Tensor& currents,
                                                const at::Tensor& beta, const at::Tensor& rho,
                                                const at::Tensor& recurrent, const lif_params& p) {
    const at::Tensor in = currents.contiguous(), b = beta.contiguous(), r = rho.contiguous();
    const at::Tensor rec = recurrent.numel() ? recurrent.contiguous() : at::Tensor();
    at::Tensor spikes = at::empty_like(in), membrane = at::empty_like(in);
    at::Tensor adaptation = p.q_sfa != 0 ? at::empty_like(in) : at::Tensor();
    AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "lif_forward", [&] {
      auto l = arrays<scalar_t>(in, b, r);
      with_variant(p, [&](auto variant) {
        lif_forward_loop<scalar_t, decltype(variant)>(p, l, in, rec, spikes, membrane, adaptation);
      });
    });
    ctx->save_for_backward({spikes, membrane, adaptation.defined() ? adaptation : at::empty({0}, in.options()), b, r,
                            rec.defined() ? rec : recurrent});
    save_params(ctx, p);
    return {spikes, membrane};
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor &spikes = saved[0], &membrane = saved[1], &beta = saved[3], &rho = saved[4];
    const at::Tensor adaptation = saved[2].numel() ? saved[2] : at::Tensor();
    const at::Tensor recurrent = saved[5].numel() ? saved[5] : at::Tensor();
    const lif_params p = saved_params(ctx);
    at::Tensor g_current = at::empty_like(membrane);
    const lif_decay_gradients g_decay{ctx->needs_input_grad(1) ? at::zeros_like(membrane[0]) : at::Tensor(),
                                      ctx->needs_input_grad(2) && adaptation.defined() ? at::zeros_like(membrane[0])
                                                                                        : at::Tensor()};
    AT_DISPATCH_FLOATING_TYPES(membrane.scalar_type(), "lif_backward", [&] {
      auto l = arrays<scalar_t>(membrane, beta, rho);
      const at::Tensor g_spikes = contiguous_or_undefined(grads[0]), g_membrane = contiguous_or_undefined(grads[1]);
      with_variant(p, [&](auto variant) {
        with_constants(
            [&](auto decay_gradients) {
              lif_backward_loop<scalar_t, decltype(variant), decay_gradients()>(
                  p, l, spikes, membrane, adaptation, recurrent, g_spikes, g_membrane, g_current, g_decay);
            },
            g_decay.beta.defined() || g_decay.rho.defined());
      });
    });
    const std::int64_t n = beta.size(0);
    const auto per_neuron = [&](const at::Tensor& g) { return g.defined() ? g.reshape({-1, n}).sum(0) : at::Tensor(); };
    const bool wants_recurrent = recurrent.defined() && ctx->needs_input_grad(3);
    return {g_current, per_neuron(g_decay.beta),
            g_decay.rho.defined() ? per_neuron(g_decay.rho) : (ctx->needs_input_grad(2) ? at::zeros_like(rho) : at::Tensor()),
            wants_recurrent ? recurrent_gradient(g_current, spikes, n) : at::Tensor(), at::Tensor()};
  }

  template <class T>
  static lif_arrays<T> arrays(const at::Tensor& layer, const at::Tensor& beta, const at::Tensor& rho) {
    const std::int64_t steps = layer.size(0), n = beta.size(0);
    return lif_arrays<T>(steps, layer.numel() / std::max<std::int64_t>(steps * n, 1), n, beta.data_ptr<T>(),
                         rho.data_ptr<T>());
  }

  static void save_params(torch::autograd::AutogradContext* ctx, const lif_params& p) {
    auto& d = ctx->saved_data;
    d["tau_m"] = p.tau_m, d["dt"] = p.dt, d["V_th"] = p.V_th, d["subtract"] = p.reset == reset_mode::subtract;
    d["arctan"] = p.spike.shape == surrogate_shape::arctan, d["slope"] = p.spike.slope, d["smooth"] = p.spike.smooth;
    d["q_sfa"] = p.q_sfa, d["tau_sfa"] = p.tau_sfa;
  }
  static lif_params saved_params(torch::autograd::AutogradContext* ctx) {
    const auto& d = ctx->saved_data;
    return {d.at("tau_m").toDouble(), d.at("dt").toDouble(), d.at("V_th").toDouble(),
            d.at("subtract").toBool() ? reset_mode::subtract : reset_mode::to_zero,
            {d.at("arctan").toBool() ? surrogate_shape::arctan : surrogate_shape::fast_sigmoid, d.at("slope").toDouble(),
             d.at("smooth").toBool()},
            d.at("q_sfa").toDouble(), d.at("tau_sfa").toDouble()};
  }
};

// The antiderivative F of sigma' in LibTorch operations: autograd differentiates it, so the
// reference needs no hand-written derivative.
at::Tensor surrogate_antiderivative(const at::Tensor& x, const surrogate& sg) {
  const double k = sg.slope;
  if (sg.shape == surrogate_shape::fast_sigmoid) return x / (x.abs() * k + 1) + 1 / k;
  return (at::atan(x * k) + std::numbers::pi / 2) / k;
}

// The step forward, sigma' backward: the step plus F(x) - F(x) with the second F detached.
at::Tensor spike_op(const at::Tensor& x, const surrogate& sg) {
  const at::Tensor smooth = surrogate_antiderivative(x, sg);
  if (sg.smooth) return smooth;
  return x.ge(0).to(x.scalar_type()) + (smooth - smooth.detach());
}

// The per-neuron decay, or the shared one for every neuron.
at::Tensor decay_per_neuron(const at::Tensor& trained, double shared, const at::Tensor& currents) {
  if (trained.defined()) return trained.to(currents.scalar_type());
  return at::full({currents.size(-1)}, shared, currents.options().requires_grad(false));
}

lif_output lif_op_by_op(const at::Tensor& currents, const lif_layer_tensors& trained, const lif_params& p) {
  const at::Tensor beta = decay_per_neuron(trained.beta, p.beta(), currents);
  const at::Tensor rho = decay_per_neuron(trained.rho, p.rho(), currents);
  at::Tensor v = at::zeros_like(currents[0]), a = at::zeros_like(currents[0]);
  std::vector<at::Tensor> spikes, membrane;
  // Unbound once: indexing currents[t] in the loop would fill a zero gradient of all steps in
  // every step's backward (O(T^2)).
  for (const at::Tensor& current : currents.unbind(0)) {
    at::Tensor u = v * beta + current;
    if (trained.recurrent.defined() && !spikes.empty()) u = u + at::matmul(spikes.back(), trained.recurrent.t());
    const at::Tensor s = spike_op(u - p.V_th - a * p.q_sfa, p.spike);
    v = p.reset == reset_mode::subtract ? u - s * p.V_th : u * (1 - s);
    a = a * rho + s;
    spikes.push_back(s);
    membrane.push_back(u);
  }
  return {at::stack(spikes), at::stack(membrane)};
}

}  // namespace

double lif_params::beta() const { return std::exp(-dt / tau_m); }
double lif_params::rho() const { return std::exp(-dt / tau_sfa); }

lif_output lif(const at::Tensor& currents, const lif_params& p, lif_kernel kernel) {
  return lif(currents, lif_layer_tensors{}, p, kernel);
}

lif_output lif(const at::Tensor& currents, const lif_layer_tensors& trained, const lif_params& p, lif_kernel kernel) {
  if (kernel == lif_kernel::op_by_op) return lif_op_by_op(currents, trained, p);
  const auto out = lif_function::apply(currents, decay_per_neuron(trained.beta, p.beta(), currents),
                                       decay_per_neuron(trained.rho, p.rho(), currents),
                                       trained.recurrent.defined() ? trained.recurrent : at::empty({0}, currents.options()), p);
  return {out[0], out[1]};
}

}  // namespace neurite::learn
