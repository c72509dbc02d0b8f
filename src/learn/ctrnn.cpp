#include "learn/ctrnn.hpp"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>
#include <torch/torch.h>

#include "core/rng.hpp"
#include "learn/parameters.hpp"
#include "learn/training_threads.hpp"

namespace neurite::learn {
namespace {

core::random_stream weight_stream(std::uint64_t seed, std::uint32_t layer) {
  return {seed, static_cast<std::uint32_t>(core::purpose::learn_weights), layer};
}

// The loop of the network; `recurrent_drive(r)` is W_rec r for rates r (batch, N).
ctrnn_trace unroll(const ctrnn_config& c, const std::vector<at::Tensor>& p, const at::Tensor& inputs,
                   const std::function<at::Tensor(const at::Tensor&)>& recurrent_drive) {
  if (inputs.dim() != 3 || inputs.size(2) != c.inputs)
    throw std::invalid_argument(fmt::format("ctrnn: inputs must be (T, batch, {}), got {} dimensions of which the last is {}",
                                            c.inputs, inputs.dim(), inputs.dim() ? inputs.size(-1) : 0));
  const std::int64_t steps = inputs.size(0);
  at::Tensor u = torch::zeros({inputs.size(1), c.hidden}, p[1].options().requires_grad(false));
  const at::Tensor input_drive = inputs.to(p[0].scalar_type()).matmul(p[0].t());  // (T, batch, N)
  std::vector<at::Tensor> rates;
  rates.reserve(static_cast<std::size_t>(steps));
  for (std::int64_t t = 0; t < steps; ++t) {
    const at::Tensor drive = recurrent_drive(torch::relu(u)) + input_drive[t];
    u = c.alpha == 1 ? drive : (1 - c.alpha) * u + c.alpha * drive;
    rates.push_back(torch::relu(u));
  }
  const at::Tensor r = torch::stack(rates);
  return {r.matmul(p[2].t()), r};
}

at::Tensor cross_entropy_sum(const at::Tensor& outputs, const at::Tensor& labels, loss_steps where) {
  const auto sum = torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum);
  if (where == loss_steps::last) return torch::nn::functional::cross_entropy(outputs[-1], labels, sum);
  return torch::nn::functional::cross_entropy(outputs.reshape({-1, outputs.size(2)}), labels.reshape({-1}), sum);
}

// Trials [first, first + count) of a batch; labels are (T, batch) or (batch).
labelled_batch trials_of(const labelled_batch& b, std::int64_t first, std::int64_t count) {
  return {b.inputs.narrow(1, first, count), b.labels.narrow(b.labels.dim() - 1, first, count)};
}

// The gradients of the batch's mean loss, set on the parameters: each micro-batch's on a worker,
// summed in micro-batch order. Returns the loss.
double set_gradients(const ctrnn& net, const labelled_batch& batch, const sgd_options& o, const training_threads& threads) {
  const std::int64_t trials = batch.inputs.dim() == 3 ? batch.inputs.size(1) : 0, size = o.micro_batch;
  if (trials < 1) throw std::invalid_argument("train_ctrnn: a batch must be (T, trials >= 1, inputs)");
  const auto parts = static_cast<std::size_t>((trials + size - 1) / size);
  const double count = static_cast<double>(o.loss == loss_steps::every ? trials * batch.inputs.size(0) : trials);
  std::vector<std::vector<at::Tensor>> gradients(parts);
  std::vector<double> losses(parts);
  threads.run([&](int w) {
    for (auto m = static_cast<std::size_t>(w); m < parts; m += static_cast<std::size_t>(threads.size())) {
      const auto first = static_cast<std::int64_t>(m) * size;
      const labelled_batch part = trials_of(batch, first, std::min(size, trials - first));
      const at::Tensor loss = cross_entropy_sum(net.run(part.inputs).outputs, part.labels, o.loss) / count;
      gradients[m] = torch::autograd::grad({loss}, net.parameters());
      losses[m] = loss.item<double>();
    }
  });
  for (std::size_t p = 0; p < net.parameters().size(); ++p) {
    at::Tensor sum = gradients[0][p];
    for (std::size_t m = 1; m < parts; ++m) sum = sum + gradients[m][p];
    net.parameters()[p].mutable_grad() = sum;
  }
  double loss = 0;
  for (const double l : losses) loss += l;
  return loss;
}

}  // namespace

ctrnn::ctrnn(const ctrnn_config& c, const at::Tensor& recurrent, std::uint64_t seed) : config_(c) {
  if (c.inputs < 1 || c.hidden < 1 || c.outputs < 1 || !(c.alpha > 0 && c.alpha <= 1))
    throw std::invalid_argument("ctrnn: inputs, hidden and outputs must be positive and alpha in (0, 1]");
  if (recurrent.dim() != 2 || recurrent.size(0) != c.hidden || recurrent.size(1) != c.hidden)
    throw std::invalid_argument(fmt::format("ctrnn: the recurrent weights must be {} x {}", c.hidden, c.hidden));
  const auto dtype = recurrent.scalar_type();
  auto in = weight_stream(seed, 0), out = weight_stream(seed, 2);
  parameters_ = {uniform_parameter({c.hidden, c.inputs}, 1 / std::sqrt(static_cast<double>(c.inputs)), in, dtype),
                 recurrent.detach().clone().requires_grad_(true),
                 uniform_parameter({c.outputs, c.hidden}, 1 / std::sqrt(static_cast<double>(c.hidden)), out, dtype)};
}

ctrnn_trace ctrnn::run(const at::Tensor& inputs) const {
  const at::Tensor w = parameters_[1].t();
  return unroll(config_, parameters_, inputs, [&w](const at::Tensor& r) { return r.matmul(w); });
}

ctrnn_trace ctrnn::run_per_trial(const at::Tensor& inputs, const at::Tensor& recurrent_per_trial) const {
  if (recurrent_per_trial.dim() != 3 || recurrent_per_trial.size(0) != inputs.size(1))
    throw std::invalid_argument("ctrnn: one recurrent matrix per trial expected");
  return unroll(config_, parameters_, inputs, [&recurrent_per_trial](const at::Tensor& r) {
    return torch::bmm(recurrent_per_trial, r.unsqueeze(2)).squeeze(2);
  });
}

at::Tensor gaussian_matrix(std::int64_t rows, std::int64_t cols, double sd, std::uint64_t seed, std::uint32_t layer) {
  if (rows < 1 || cols < 1) throw std::invalid_argument("gaussian_matrix: rows and columns must be positive");
  at::Tensor w = torch::empty({rows, cols}, torch::kDouble);
  auto stream = weight_stream(seed, layer);
  double* data = w.data_ptr<double>();
  for (std::int64_t i = 0; i < rows * cols; ++i) data[i] = sd * stream.normal();
  return w;
}

at::Tensor gaussian_recurrent(std::int64_t n, double gain, std::uint64_t seed) {
  if (n < 1) throw std::invalid_argument("gaussian_recurrent: n must be positive");
  return gaussian_matrix(n, n, gain / std::sqrt(static_cast<double>(n)), seed, 1);
}

at::Tensor truncated_rank(const at::Tensor& w0, std::int64_t rank) {
  if (w0.dim() != 2 || rank < 1 || rank > std::min(w0.size(0), w0.size(1)))
    throw std::invalid_argument(fmt::format("truncated_rank: rank {} outside 1..min(rows, columns)", rank));
  const auto [u, s, vh] = torch::linalg_svd(w0, /*full_matrices=*/false);
  const at::Tensor w = (u.narrow(1, 0, rank) * s.narrow(0, 0, rank)).matmul(vh.narrow(0, 0, rank));
  return w * (torch::linalg_norm(w0) / torch::linalg_norm(w));
}

double effective_rank(const at::Tensor& w) {
  const at::Tensor s = torch::linalg_svdvals(w.to(torch::kDouble));
  const at::Tensor p = s / s.sum();
  const at::Tensor positive = p.masked_select(p > 0);
  return std::exp(-(positive * positive.log()).sum().item<double>());
}

at::Tensor recurrent_jacobian(const ctrnn& net, const at::Tensor& inputs, kernel_steps steps) {
  const std::int64_t n = net.config().hidden, trials = inputs.size(1), outputs = net.config().outputs;
  const at::Tensor copies = net.recurrent().detach().unsqueeze(0).expand({trials, n, n}).clone().requires_grad_(true);
  const ctrnn_trace trace = net.run_per_trial(inputs, copies);
  const std::int64_t first = steps == kernel_steps::last ? inputs.size(0) - 1 : 0;
  std::vector<at::Tensor> rows;  // per step: (trials, outputs, N*N)
  for (std::int64_t t = first; t < inputs.size(0); ++t) {
    std::vector<at::Tensor> per_output;
    for (std::int64_t k = 0; k < outputs; ++k) {
      // Trials are independent, so the gradient of the sum w.r.t. trial b's copy is dy_{t,b,k}/dW_rec.
      const at::Tensor y = trace.outputs[t].select(1, k).sum();
      per_output.push_back(torch::autograd::grad({y}, {copies}, {}, /*retain_graph=*/true)[0].reshape({trials, n * n}));
    }
    rows.push_back(torch::stack(per_output, 1));
  }
  return torch::stack(rows).reshape({-1, n * n});
}

at::Tensor tangent_kernel(const ctrnn& net, const at::Tensor& inputs, kernel_steps steps) {
  const at::Tensor j = recurrent_jacobian(net, inputs, steps);
  return j.matmul(j.t());
}

double alignment(const at::Tensor& a, const at::Tensor& b) {
  if (!a.sizes().equals(b.sizes())) throw std::invalid_argument("alignment: the matrices differ in shape");
  const at::Tensor x = a.to(torch::kDouble), y = b.to(torch::kDouble);
  return ((x * y).sum() / (torch::linalg_norm(x) * torch::linalg_norm(y))).item<double>();
}

at::Tensor gram(const at::Tensor& rows) {
  const at::Tensor r = rows.to(torch::kDouble);
  return r.matmul(r.t());
}

double sign_similarity(const at::Tensor& a, const at::Tensor& b) {
  if (!a.sizes().equals(b.sizes())) throw std::invalid_argument("sign_similarity: the tensors differ in shape");
  return torch::sign(a).eq(torch::sign(b)).to(torch::kDouble).mean().item<double>();
}

std::vector<double> train_ctrnn(ctrnn& net, const batch_source& batches, const sgd_options& o) {
  if (o.iterations == 0 || o.micro_batch == 0 || o.threads < 1 || o.record_every == 0)
    throw std::invalid_argument("train_ctrnn: iterations, micro_batch, threads and record_every must be positive");
  const training_threads threads(o.threads);
  torch::optim::SGD optimizer(net.parameters(), torch::optim::SGDOptions(o.learning_rate).momentum(o.momentum));
  std::vector<double> curve;
  double running = 0;
  for (std::uint32_t i = 0; i < o.iterations; ++i) {
    running += set_gradients(net, batches(i), o, threads);
    optimizer.step();
    if ((i + 1) % o.record_every == 0 || i + 1 == o.iterations) {
      curve.push_back(running / static_cast<double>((i % o.record_every) + 1));
      running = 0;
    }
  }
  return curve;
}

decision_score score_decisions(const ctrnn& net, const labelled_batch& data, loss_steps loss) {
  const torch::NoGradGuard no_grad;
  const at::Tensor outputs = net.run(data.inputs).outputs;
  const std::int64_t trials = data.inputs.size(1);
  const double count = static_cast<double>(loss == loss_steps::every ? trials * data.inputs.size(0) : trials);
  const at::Tensor decisions = loss == loss_steps::every ? data.labels[-1] : data.labels;
  return {cross_entropy_sum(outputs, data.labels, loss).item<double>() / count,
          outputs[-1].argmax(1).eq(decisions).to(torch::kDouble).mean().item<double>()};
}

}  // namespace neurite::learn
