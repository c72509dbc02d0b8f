#include "learn/spike_linear.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <vector>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>

namespace neurite::learn {
namespace {

// Above half the inputs spiking, events would do at least half a dense product's additions, at a
// lower rate than the BLAS kernel's register-blocked multiply-adds, so the dense product takes over
// (a bound, not a measured crossover: rate-coded Fashion-MNIST spikes at 29%, latency coding far less).
constexpr double max_event_density = 0.5;
// Output columns summed at a time: 64 floats stay in four AVX-512 registers.
constexpr std::int64_t tile = 64;

// For each of `lists` destinations, an ascending list of sources: destination d's are
// index[start[d]] .. index[start[d + 1] - 1]. By rows of x (rows, in): the inputs that spiked in each
// row; transposed, by inputs: the rows in which each input spiked.
struct events {
  at::Tensor start, index;  // int64 (lists + 1), int32 (spikes)
  std::int64_t lists() const { return start.size(0) - 1; }
};

// Bit j: part[j] == 1 (j < width <= 64); other: some part[j] is neither 0 nor 1. The loop
// vectorises when the width is a constant.
struct spike_mask {
  std::uint64_t ones = 0, other = 0;
};
template <class T, class Width>
spike_mask mask_of(const T* part, Width width) {
  spike_mask m;
  for (std::int64_t j = 0; j < width; ++j) {
    m.ones |= std::uint64_t{part[j] == T(1)} << j;
    m.other |= std::uint64_t{part[j] != T(0)} & std::uint64_t{part[j] != T(1)};
  }
  return m;
}

// By rows; none when an entry is neither 0 nor 1, or when more than max_event_density of them are 1.
// Each 64 inputs give a mask of their spikes, whose set bits are the list.
template <class T>
std::optional<events> events_of(const at::Tensor& x) {
  const std::int64_t rows = x.size(0), in = x.size(1);
  const auto most = static_cast<std::int64_t>(max_event_density * static_cast<double>(rows * in));
  const T* p = x.data_ptr<T>();
  at::Tensor start = at::empty({rows + 1}, at::kLong), index = at::empty({most + in}, at::kInt);
  std::int64_t* s = start.data_ptr<std::int64_t>();
  std::int32_t* i = index.data_ptr<std::int32_t>();
  s[0] = 0;
  for (std::int64_t r = 0, n = 0; r < rows; ++r) {
    for (std::int64_t j0 = 0; j0 < in; j0 += 64) {
      const T* part = p + r * in + j0;
      auto m = j0 + 64 <= in ? mask_of(part, std::integral_constant<std::int64_t, 64>{}) : mask_of(part, in - j0);
      if (m.other != 0) return std::nullopt;
      for (; m.ones != 0; m.ones &= m.ones - 1) i[n++] = static_cast<std::int32_t>(j0 + std::countr_zero(m.ones));
    }
    if (n > most) return std::nullopt;
    s[r + 1] = n;
  }
  return events{start, index.narrow(0, 0, s[rows])};
}

// The same spikes listed by the `sources` of e (a counting sort, so each new list stays ascending).
events transposed(const events& e, std::int64_t sources) {
  const std::int64_t* s = e.start.data_ptr<std::int64_t>();
  const std::int32_t* i = e.index.data_ptr<std::int32_t>();
  const std::int64_t spikes = e.index.size(0);
  at::Tensor start = at::zeros({sources + 1}, at::kLong), index = at::empty({spikes}, at::kInt);
  std::int64_t* t = start.data_ptr<std::int64_t>();
  for (std::int64_t k = 0; k < spikes; ++k) ++t[i[k] + 1];
  for (std::int64_t j = 0; j < sources; ++j) t[j + 1] += t[j];
  std::vector<std::int64_t> next(t, t + sources);
  std::int32_t* out = index.data_ptr<std::int32_t>();
  for (std::int64_t d = 0; d < e.lists(); ++d)
    for (std::int64_t k = s[d]; k < s[d + 1]; ++k) out[next[i[k]]++] = static_cast<std::int32_t>(d);
  return {start, index};
}

// 64-byte vectors (GCC and Clang): written out, because left to itself the compiler vectorised
// the sums across inputs, with gathers, instead of across columns.
template <class T>
struct simd;
template <>
struct simd<float> {
  typedef float type __attribute__((vector_size(64)));
};
template <>
struct simd<double> {
  typedef double type __attribute__((vector_size(64)));
};

// One full tile of columns as vectors, loaded and stored without alignment.
template <class T>
struct tile_vectors {
  using vector = typename simd<T>::type;
  static constexpr std::int64_t lanes = 64 / sizeof(T), count = tile / lanes;
  vector v[count];

  void load(const T* p) {
    for (std::int64_t n = 0; n < count; ++n) std::memcpy(&v[n], p + n * lanes, sizeof(vector));
  }
  void store(T* p) const {
    for (std::int64_t n = 0; n < count; ++n) std::memcpy(p + n * lanes, &v[n], sizeof(vector));
  }
  void add(const T* p) {
    for (std::int64_t n = 0; n < count; ++n) {
      vector w;
      std::memcpy(&w, p + n * lanes, sizeof(vector));
      v[n] += w;
    }
  }
};

// out[c] += source[j * stride + c] (c < width, one tile) for the sources j in [first, last).
template <class T>
void add_listed(const std::int32_t* first, const std::int32_t* last, const T* source, std::int64_t stride, T* out,
                std::int64_t width) {
  if (width == tile) {
    tile_vectors<T> sum;
    sum.load(out);
    for (const std::int32_t* j = first; j != last; ++j) sum.add(source + *j * stride);
    sum.store(out);
    return;
  }
  for (const std::int32_t* j = first; j != last; ++j)
    for (std::int64_t c = 0; c < width; ++c) out[c] += source[*j * stride + c];
}

// result (lists, n) = init (n; zeros when null) + the sum of the rows of source (sources, n) that each
// destination lists, sources ascending. Threads split the destinations; a tile's columns of source
// are read by every destination in turn, so that they stay in cache.
template <class T>
void sum_listed(const events& e, const T* source, const T* init, T* result, std::int64_t n) {
  const std::int64_t* start = e.start.data_ptr<std::int64_t>();
  const std::int32_t* index = e.index.data_ptr<std::int32_t>();
  at::parallel_for(0, e.lists(), std::max<std::int64_t>(1, 8192 / n), [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t c0 = 0; c0 < n; c0 += tile) {
      const std::int64_t width = std::min(tile, n - c0);
      for (std::int64_t d = begin; d < end; ++d) {
        T* out = result + d * n + c0;
        if (init)
          std::copy_n(init + c0, width, out);
        else
          std::fill_n(out, width, T(0));
        add_listed(index + start[d], index + start[d + 1], source + c0, n, out, width);
      }
    }
  });
}

// The column sums of g (rows, n), rows in order.
template <class T>
void column_sums(const T* g, std::int64_t rows, std::int64_t n, T* sums) {
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < n; ++c) sums[c] += g[r * n + c];
}

// Inputs: x, weight, bias, and x's events (not differentiated).
struct spike_linear_function : torch::autograd::Function<spike_linear_function> {
  static at::Tensor forward(torch::autograd::AutogradContext* ctx, const at::Tensor& x, const at::Tensor& weight,
                            const at::Tensor& bias, const at::Tensor& start, const at::Tensor& index) {
    const std::int64_t out = weight.size(0), rows = start.size(0) - 1;
    const at::Tensor wt = weight.t().contiguous(), b = bias.contiguous();
    at::Tensor y = at::empty({rows, out}, x.options());
    AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "spike_linear_forward", [&] {
      sum_listed<scalar_t>({start, index}, wt.data_ptr<scalar_t>(), b.data_ptr<scalar_t>(), y.data_ptr<scalar_t>(), out);
    });
    ctx->save_for_backward({weight, start, index});
    ctx->saved_data["x_shape"] = x.sizes().vec();
    std::vector<std::int64_t> shape = x.sizes().vec();
    shape.back() = out;
    return y.view(shape);
  }

  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const at::Tensor& weight = saved[0];
    const events by_rows{saved[1], saved[2]};
    const std::int64_t out = weight.size(0), in = weight.size(1), rows = by_rows.lists();
    const at::Tensor g = grads[0].reshape({rows, out}).contiguous();
    at::Tensor g_wt = at::empty({in, out}, g.options()), g_bias = at::zeros({out}, g.options());
    AT_DISPATCH_FLOATING_TYPES(g.scalar_type(), "spike_linear_backward", [&] {
      sum_listed<scalar_t>(transposed(by_rows, in), g.data_ptr<scalar_t>(), nullptr, g_wt.data_ptr<scalar_t>(), out);
      column_sums<scalar_t>(g.data_ptr<scalar_t>(), rows, out, g_bias.data_ptr<scalar_t>());
    });
    const at::Tensor g_x =
        ctx->needs_input_grad(0) ? at::mm(g, weight).view(ctx->saved_data["x_shape"].toIntVector()) : at::Tensor();
    return {g_x, g_wt.t().contiguous(), g_bias, at::Tensor(), at::Tensor()};
  }
};

}  // namespace

at::Tensor spike_linear(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias) {
  if (x.dim() < 1 || weight.dim() != 2 || !bias.defined() || bias.dim() != 1 || x.size(-1) != weight.size(1) ||
      bias.size(0) != weight.size(0) || x.scalar_type() != weight.scalar_type() ||
      x.scalar_type() != bias.scalar_type() || !at::isFloatingType(x.scalar_type()))
    return at::linear(x, weight, bias);  // its errors for the shapes and types it refuses
  const at::Tensor rows = x.detach().reshape({-1, x.size(-1)}).contiguous();
  std::optional<events> e;
  AT_DISPATCH_FLOATING_TYPES(rows.scalar_type(), "spike_linear_events", [&] { e = events_of<scalar_t>(rows); });
  if (!e) return at::linear(x, weight, bias);
  return spike_linear_function::apply(x, weight, bias, e->start, e->index);
}

}  // namespace neurite::learn
