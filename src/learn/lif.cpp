#include "learn/lif.hpp"

#include <cmath>
#include <numbers>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

namespace neurite::learn {
namespace {

// sigma'(x) and its antiderivative F (F(-inf) = 0), scalar, for the fused kernel.
template <class T>
struct surrogate_math {
  surrogate_shape shape;
  T k;
  bool smooth;

  T derivative(T x) const {
    if (shape == surrogate_shape::fast_sigmoid) {
      const T d = 1 + k * std::abs(x);
      return 1 / (d * d);
    }
    return 1 / (1 + k * x * k * x);
  }
  T spike(T x) const {
    if (!smooth) return x >= 0 ? T(1) : T(0);
    if (shape == surrogate_shape::fast_sigmoid) return 1 / k + x / (1 + k * std::abs(x));
    return (std::atan(k * x) + std::numbers::pi_v<T> / 2) / k;
  }
};

template <class T>
struct lif_scalars {
  T V_th, q_sfa;
  bool subtract;
  surrogate_math<T> sg;

  explicit lif_scalars(const lif_params& p)
      : V_th(static_cast<T>(p.V_th)), q_sfa(static_cast<T>(p.q_sfa)), subtract(p.reset == reset_mode::subtract),
        sg{p.spike.shape, static_cast<T>(p.spike.slope), p.spike.smooth} {}
  T reset(T u, T s) const { return subtract ? u - V_th * s : u * (1 - s); }
};

// The layer as raw arrays: (T, rows, n) time-major, n neurons per row (a row is a sample). beta and
// rho hold one decay per neuron.
template <class T>
struct lif_arrays {
  std::int64_t steps, rows, n;
  const T *beta, *rho;
  T* at(const at::Tensor& t, std::int64_t step) const { return t.defined() ? t.data_ptr<T>() + step * rows * n : nullptr; }
};

// Rows are independent within a step: each chunk of them runs the step, the inner loop over a row's
// neurons is contiguous and vectorises. Steps run in order, since recurrence couples the neurons.
template <class F>
void for_rows(std::int64_t rows, std::int64_t n, const F& f) {
  at::parallel_for(0, rows, std::max<std::int64_t>(1, 4096 / n), [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t r = begin; r < end; ++r) f(r * n, r * n + n);
  });
}

// Recurrent input V S(t-1) for every row, (rows, n); undefined without recurrence or at t = 0.
at::Tensor recurrent_input(const at::Tensor& recurrent, const at::Tensor& spikes, std::int64_t t) {
  if (!recurrent.defined() || t == 0) return {};
  return at::mm(spikes[t - 1].reshape({-1, recurrent.size(0)}), recurrent.t()).contiguous();
}

// State V(t-1) and a(t-1) carried per (row, neuron); adaptation (only for adaptive LIF, else
// undefined) receives a(t-1), the value that sets theta(t).
template <class T>
void lif_forward_loop(const lif_params& p, const lif_arrays<T>& l, const at::Tensor& current, const at::Tensor& recurrent,
                      const at::Tensor& spikes, const at::Tensor& membrane, const at::Tensor& adaptation) {
  const lif_scalars<T> c(p);
  std::vector<T> v(static_cast<std::size_t>(l.rows * l.n), T(0)), a(v);
  for (std::int64_t t = 0; t < l.steps; ++t) {
    const at::Tensor rec = recurrent_input(recurrent, spikes, t);
    const T *in = l.at(current, t), *r = l.at(rec, 0);
    T *s_out = l.at(spikes, t), *u_out = l.at(membrane, t), *a_out = l.at(adaptation, t);
    for_rows(l.rows, l.n, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t e = begin; e < end; ++e) {
        const std::int64_t i = e - begin;
        const auto k = static_cast<std::size_t>(e);
        const T u = l.beta[i] * v[k] + in[e] + (r ? r[e] : T(0));
        const T s = c.sg.spike(u - c.V_th - c.q_sfa * a[k]);
        u_out[e] = u;
        s_out[e] = s;
        if (a_out) a_out[e] = a[k];
        v[k] = c.reset(u, s);
        a[k] = l.rho[i] * a[k] + s;
      }
    });
  }
}

// Gradients of the trained tensors besides the currents, per (row, neuron) for the decays (summed
// over rows afterwards, so that rows can run in parallel); undefined when not wanted.
struct lif_decay_gradients {
  at::Tensor beta, rho;
};

// Backward through time, with g_v = dL/dV(t) and g_a = dL/da(t) carried back from step t+1 and
// g_r = dL/dS(t) through the recurrent input of step t+1 (the row of dL/dI(t+1) times V):
//   dL/dS(t)   = gS(t) + g_r + g_v dV/dS + g_a             (dV/dS = -V_th, or -U for reset to zero)
//   dL/dU(t)   = gU(t) + dL/dS(t) sigma'(x) + g_v dV/dU    (dV/dU = 1, or 1 - S), x = U - theta
//   dL/dI(t)   = dL/dU(t),  g_v(t-1) = beta dL/dU(t)
//   g_a(t-1)   = rho g_a - q_sfa sigma'(x) dL/dS(t)        (a(t-1) enters theta(t) and a(t))
//   dL/dbeta  += dL/dU(t) V(t-1),  dL/drho += g_a a(t-1)   (U(t) = beta V(t-1) + ..., a(t) = rho a(t-1) + S(t))
// dL/dV_rec = sum over t of dL/dI(t)^T S(t-1) is one matrix product afterwards. A missing incoming
// gradient (an output not used by the loss) is read as zero.
template <class T>
void lif_backward_loop(const lif_params& p, const lif_arrays<T>& l, const at::Tensor& spikes, const at::Tensor& membrane,
                       const at::Tensor& adaptation, const at::Tensor& recurrent, const at::Tensor& g_spikes,
                       const at::Tensor& g_membrane, const at::Tensor& g_current, const lif_decay_gradients& g_decay) {
  const lif_scalars<T> c(p);
  std::vector<T> g_v(static_cast<std::size_t>(l.rows * l.n), T(0)), g_a(g_v);
  T *g_beta = l.at(g_decay.beta, 0), *g_rho = l.at(g_decay.rho, 0);
  for (std::int64_t t = l.steps - 1; t >= 0; --t) {
    const at::Tensor g_rec = recurrent.defined() && t + 1 < l.steps
                                 ? at::mm(g_current[t + 1].reshape({-1, l.n}), recurrent).contiguous()
                                 : at::Tensor();
    const T *u_t = l.at(membrane, t), *a_t = l.at(adaptation, t), *gs_t = l.at(g_spikes, t), *gu_t = l.at(g_membrane, t);
    const T *u_prev = t > 0 ? l.at(membrane, t - 1) : nullptr, *s_prev = t > 0 ? l.at(spikes, t - 1) : nullptr;
    const T* g_r = l.at(g_rec, 0);
    T* g_i = l.at(g_current, t);
    for_rows(l.rows, l.n, [&](std::int64_t begin, std::int64_t end) {
      for (std::int64_t e = begin; e < end; ++e) {
        const std::int64_t i = e - begin;
        const auto k = static_cast<std::size_t>(e);
        const T u = u_t[e], a = a_t ? a_t[e] : T(0);
        const T x = u - c.V_th - c.q_sfa * a, s = c.sg.spike(x), d = c.sg.derivative(x);
        const T g_s = (gs_t ? gs_t[e] : T(0)) + (g_r ? g_r[e] : T(0)) - g_v[k] * (c.subtract ? c.V_th : u) + g_a[k];
        const T g_u = (gu_t ? gu_t[e] : T(0)) + g_s * d + g_v[k] * (c.subtract ? T(1) : 1 - s);
        g_i[e] = g_u;
        if (g_beta && u_prev) g_beta[e] += g_u * c.reset(u_prev[e], s_prev[e]);
        if (g_rho) g_rho[e] += g_a[k] * a;
        g_v[k] = l.beta[i] * g_u;
        g_a[k] = l.rho[i] * g_a[k] - c.q_sfa * d * g_s;
      }
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
      lif_forward_loop<scalar_t>(p, arrays<scalar_t>(in, b, r), in, rec, spikes, membrane, adaptation);
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
      lif_backward_loop<scalar_t>(p, arrays<scalar_t>(membrane, beta, rho), spikes, membrane, adaptation, recurrent,
                                  contiguous_or_undefined(grads[0]), contiguous_or_undefined(grads[1]), g_current,
                                  g_decay);
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
    return {steps, layer.numel() / std::max<std::int64_t>(steps * n, 1), n, beta.data_ptr<T>(), rho.data_ptr<T>()};
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
