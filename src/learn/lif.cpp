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
  T beta, V_th, q_sfa, rho;
  bool subtract;
  surrogate_math<T> sg;

  explicit lif_scalars(const lif_params& p)
      : beta(static_cast<T>(p.beta())), V_th(static_cast<T>(p.V_th)), q_sfa(static_cast<T>(p.q_sfa)),
        rho(static_cast<T>(p.rho())), subtract(p.reset == reset_mode::subtract),
        sg{p.spike.shape, static_cast<T>(p.spike.slope), p.spike.smooth} {}
  T reset(T u, T s) const { return subtract ? u - V_th * s : u * (1 - s); }
};

// Neurons are independent: each chunk of them runs all T steps, step by step over the chunk so
// that the inner loop is contiguous and vectorises.
constexpr std::int64_t neurons_per_chunk = 4096;

// adaptation (only for adaptive LIF, else null) receives a(t-1), the value that sets theta(t).
template <class T>
void lif_forward_loop(const lif_params& p, const T* current, T* spikes, T* membrane, T* adaptation, std::int64_t steps,
                      std::int64_t n) {
  const lif_scalars<T> c(p);
  at::parallel_for(0, n, neurons_per_chunk, [&](std::int64_t begin, std::int64_t end) {
    std::vector<T> v(static_cast<std::size_t>(end - begin), T(0)), a(v);
    for (std::int64_t t = 0; t < steps; ++t) {
      const std::int64_t row = t * n;
      for (std::int64_t j = begin; j < end; ++j) {
        const auto k = static_cast<std::size_t>(j - begin);
        const T u = c.beta * v[k] + current[row + j];
        const T s = c.sg.spike(u - c.V_th - c.q_sfa * a[k]);
        membrane[row + j] = u;
        spikes[row + j] = s;
        if (adaptation) adaptation[row + j] = a[k];
        v[k] = c.reset(u, s);
        a[k] = c.rho * a[k] + s;
      }
    }
  });
}

// Backward through time, with g_v = dL/dV(t) and g_a = dL/da(t) carried back from step t+1:
//   dL/dS(t)   = gS(t) + g_v dV/dS + g_a                 (dV/dS = -V_th, or -U for reset to zero)
//   dL/dU(t)   = gU(t) + dL/dS(t) sigma'(x) + g_v dV/dU  (dV/dU = 1, or 1 - S), x = U - theta
//   dL/dI(t)   = dL/dU(t),  g_v(t-1) = beta dL/dU(t)
//   g_a(t-1)   = rho g_a - q_sfa sigma'(x) dL/dS(t)      (a(t-1) enters theta(t) and a(t))
// A missing incoming gradient (an output not used by the loss) is read as zero.
template <class T>
void lif_backward_loop(const lif_params& p, const T* membrane, const T* adaptation, const T* g_spikes,
                       const T* g_membrane, T* g_current, std::int64_t steps, std::int64_t n) {
  const lif_scalars<T> c(p);
  at::parallel_for(0, n, neurons_per_chunk, [&](std::int64_t begin, std::int64_t end) {
    std::vector<T> g_v(static_cast<std::size_t>(end - begin), T(0)), g_a(g_v);
    for (std::int64_t t = steps - 1; t >= 0; --t) {
      const std::int64_t row = t * n;
      for (std::int64_t j = begin; j < end; ++j) {
        const auto k = static_cast<std::size_t>(j - begin);
        const T u = membrane[row + j], a = adaptation ? adaptation[row + j] : T(0);
        const T x = u - c.V_th - c.q_sfa * a, s = c.sg.spike(x), d = c.sg.derivative(x);
        const T g_s = (g_spikes ? g_spikes[row + j] : T(0)) - g_v[k] * (c.subtract ? c.V_th : u) + g_a[k];
        const T g_u = (g_membrane ? g_membrane[row + j] : T(0)) + g_s * d + g_v[k] * (c.subtract ? T(1) : 1 - s);
        g_current[row + j] = g_u;
        g_v[k] = c.beta * g_u;
        g_a[k] = c.rho * g_a[k] - c.q_sfa * d * g_s;
      }
    }
  });
}

void* data_or_null(const at::Tensor& t) { return t.defined() ? t.data_ptr() : nullptr; }

struct lif_function : torch::autograd::Function<lif_function> {
  static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx, const at::Tensor& currents,
                                                const lif_params& p) {
    const at::Tensor in = currents.contiguous();
    at::Tensor spikes = at::empty_like(in), membrane = at::empty_like(in);
    at::Tensor adaptation = p.q_sfa != 0 ? at::empty_like(in) : at::Tensor();
    const std::int64_t steps = in.size(0), n = in.numel() / std::max<std::int64_t>(steps, 1);
    AT_DISPATCH_FLOATING_TYPES(in.scalar_type(), "lif_forward", [&] {
      lif_forward_loop<scalar_t>(p, in.data_ptr<scalar_t>(), spikes.data_ptr<scalar_t>(), membrane.data_ptr<scalar_t>(),
                                 static_cast<scalar_t*>(data_or_null(adaptation)), steps, n);
    });
    ctx->save_for_backward(adaptation.defined() ? torch::autograd::variable_list{membrane, adaptation}
                                                : torch::autograd::variable_list{membrane});
    save_params(ctx, p);
    return {spikes, membrane};
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor membrane = saved[0], adaptation = saved.size() > 1 ? saved[1] : at::Tensor();
    const lif_params p = saved_params(ctx);
    const at::Tensor g_spikes = grads[0].defined() ? grads[0].contiguous() : at::Tensor();
    const at::Tensor g_membrane = grads[1].defined() ? grads[1].contiguous() : at::Tensor();
    at::Tensor g_current = at::empty_like(membrane);
    const std::int64_t steps = membrane.size(0), n = membrane.numel() / std::max<std::int64_t>(steps, 1);
    AT_DISPATCH_FLOATING_TYPES(membrane.scalar_type(), "lif_backward", [&] {
      lif_backward_loop<scalar_t>(p, membrane.data_ptr<scalar_t>(), static_cast<const scalar_t*>(data_or_null(adaptation)),
                                  static_cast<const scalar_t*>(data_or_null(g_spikes)),
                                  static_cast<const scalar_t*>(data_or_null(g_membrane)), g_current.data_ptr<scalar_t>(),
                                  steps, n);
    });
    return {g_current, at::Tensor()};
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

lif_output lif_op_by_op(const at::Tensor& currents, const lif_params& p) {
  const double beta = p.beta(), rho = p.rho();
  at::Tensor v = at::zeros_like(currents[0]), a = at::zeros_like(currents[0]);
  std::vector<at::Tensor> spikes, membrane;
  for (std::int64_t t = 0; t < currents.size(0); ++t) {
    const at::Tensor u = v * beta + currents[t];
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
  if (kernel == lif_kernel::op_by_op) return lif_op_by_op(currents, p);
  const auto out = lif_function::apply(currents, p);
  return {out[0], out[1]};
}

}  // namespace neurite::learn
