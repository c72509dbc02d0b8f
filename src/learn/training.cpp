#include "learn/training.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>
#include <span>
#include <stdexcept>

#include <fmt/format.h>
#include <torch/torch.h>

#include "core/rng.hpp"
#include "learn/training_threads.hpp"

namespace neurite::learn {
namespace {

using steady = std::chrono::steady_clock;

double seconds_since(steady::time_point start) { return std::chrono::duration<double>(steady::now() - start).count(); }

// Indices [0, n) in an order drawn for this epoch (Fisher-Yates on the Philox stream).
std::vector<std::uint32_t> sample_order(std::uint32_t n, std::uint64_t seed, std::uint32_t epoch) {
  std::vector<std::uint32_t> order(n);
  for (std::uint32_t i = 0; i < n; ++i) order[i] = i;
  core::random_stream stream(seed, static_cast<std::uint32_t>(core::purpose::learn_sample_order), 0, epoch);
  for (std::uint32_t i = n; i > 1; --i) std::swap(order[i - 1], order[stream.below(i)]);
  return order;
}

// Runs f(m, samples of micro-batch m) for every micro-batch of `samples`, the workers taking them
// in turn (worker w: m = w, w + size, ...).
void for_each_micro_batch(const training_threads& threads, std::span<const std::uint32_t> samples, std::uint32_t size,
                          const std::function<void(std::size_t, std::span<const std::uint32_t>)>& f) {
  const std::size_t count = (samples.size() + size - 1) / size;
  threads.run([&](int w) {
    for (auto m = static_cast<std::size_t>(w); m < count; m += static_cast<std::size_t>(threads.size()))
      f(m, samples.subspan(m * size, std::min<std::size_t>(size, samples.size() - m * size)));
  });
}

const training_objective classification{};

const training_objective& objective_of(const training_options& o) { return o.objective ? *o.objective : classification; }

struct batch_totals {
  double loss_sum = 0;   // the objective's loss summed over the samples
  double score_sum = 0;  // and its score

  batch_totals& operator+=(const batch_totals& o) {
    loss_sum += o.loss_sum, score_sum += o.score_sum;
    return *this;
  }
};

// f(m, batch m of `data` as the evaluation encodes it) for every micro-batch, without gradients.
void for_each_evaluation_batch(const labelled_dataset& data, const training_threads& threads, std::uint32_t micro_batch,
                               const std::function<void(std::size_t, const labelled_batch&)>& f) {
  std::vector<std::uint32_t> all(data.count());
  for (std::uint32_t i = 0; i < data.count(); ++i) all[i] = i;
  for_each_micro_batch(threads, all, micro_batch, [&](std::size_t m, std::span<const std::uint32_t> samples) {
    const torch::NoGradGuard no_grad;  // thread-local: one per worker
    f(m, data.batch(samples, 1, 0));
  });
}

std::size_t micro_batch_count(const labelled_dataset& data, std::uint32_t micro_batch) {
  return (data.count() + micro_batch - 1) / micro_batch;
}

// The objective's mean score over `data`, summed in micro-batch order (any thread count).
double accuracy(const classifier_model& model, const labelled_dataset& data, const training_threads& threads,
                std::uint32_t micro_batch, const training_objective& objective) {
  std::vector<double> scores(micro_batch_count(data, micro_batch), 0);
  for_each_evaluation_batch(data, threads, micro_batch, [&](std::size_t m, const labelled_batch& in) {
    scores[m] = objective.score_sum(model.forward(in.inputs), in.labels);
  });
  double total = 0;
  for (const auto s : scores) total += s;
  return total / std::max<std::uint32_t>(data.count(), 1);
}

void check(const training_options& o, const labelled_dataset& train, const labelled_dataset& test) {
  if (o.batch_size == 0 || o.micro_batch == 0 || o.epochs == 0 || o.threads < 1)
    throw std::invalid_argument("training: epochs, batch_size, micro_batch and threads must be positive");
  if (train.count() == 0) throw std::invalid_argument("training: no training samples");
  if (test.count() != 0 && test.classes() != train.classes())
    throw std::invalid_argument("training: the training and test sets have different classes");
}

void check_images(const training_config& c, const io::labelled_images& train, const io::labelled_images& test) {
  if (c.input.steps == 0) throw std::invalid_argument("training: steps must be positive");
  const auto pixels = static_cast<std::int64_t>(train.pixels_per_image());
  if (c.model.sizes.front() != pixels || test.pixels_per_image() != train.pixels_per_image())
    throw std::invalid_argument(fmt::format("training: the model takes {} inputs, the images have {} pixels",
                                            c.model.sizes.front(), pixels));
  if (c.model.sizes.back() < static_cast<std::int64_t>(io::fashion_mnist_classes))
    throw std::invalid_argument("training: the last layer needs one neuron per class");
}

std::unique_ptr<torch::optim::Optimizer> make_optimizer(const std::vector<at::Tensor>& parameters,
                                                       const training_options& o) {
  if (o.optimizer == optimizer_kind::sgd_nesterov)
    return std::make_unique<torch::optim::SGD>(
        parameters,
        torch::optim::SGDOptions(o.learning_rate).momentum(o.momentum).nesterov(true).weight_decay(o.weight_decay));
  if (o.optimizer == optimizer_kind::sgd)
    return std::make_unique<torch::optim::SGD>(parameters, torch::optim::SGDOptions(o.learning_rate));
  return std::make_unique<torch::optim::Adam>(parameters, torch::optim::AdamOptions(o.learning_rate));
}

// The state of one run: the network, its optimiser and the threads, over fixed data.
class trainer {
 public:
  trainer(classifier_model& model, const labelled_dataset& train, const training_options& o)
      : c_(o), train_(train), threads_(o.threads), net_(model),
        optimizer_(make_optimizer(model.parameters(), o)),
        batches_((train.count() + o.batch_size - 1) / o.batch_size) {}

  // One pass over the training set in this epoch's order, reporting after each batch.
  batch_totals train_epoch(std::uint32_t epoch, const training_hooks& hooks) {
    const auto order = sample_order(train_.count(), c_.seed, epoch);
    const auto start = steady::now();
    batch_totals sum;
    for (std::uint32_t b = 0; b < batches_; ++b) {
      set_learning_rate((epoch - 1.0) * batches_ + b);
      const std::size_t first = std::size_t{b} * c_.batch_size;
      const auto samples = std::span(order).subspan(first, std::min<std::size_t>(c_.batch_size, train_.count() - first));
      sum += train_batch(samples, epoch, hooks.gradients);
      if (hooks.step_done) hooks.step_done(momentum_buffers());
      if (hooks.batch_done) hooks.batch_done(samples, epoch);
      if (hooks.progress)
        hooks.progress(progress_after(epoch, std::min((b + 1.0) * c_.batch_size, 1.0 * train_.count()), sum, start));
    }
    return sum;
  }

  double test_accuracy(const labelled_dataset& data) const {
    return accuracy(net_, data, threads_, c_.micro_batch, objective_of(c_));
  }

  std::string optimizer_state() const {
    torch::serialize::OutputArchive archive;
    optimizer_->save(archive);
    std::string bytes;
    archive.save_to([&](const void* data, std::size_t size) {
      bytes.append(static_cast<const char*>(data), size);
      return size;
    });
    return bytes;
  }

  void load_optimizer_state(const std::string& bytes) {
    torch::serialize::InputArchive archive;
    archive.load_from(bytes.data(), bytes.size());
    optimizer_->load(archive);
  }

 private:
  // SGD with momentum: each parameter's buffer (undefined before the first step); else undefined.
  std::vector<at::Tensor> momentum_buffers() const {
    std::vector<at::Tensor> buffers(net_.parameters().size());
    if (c_.optimizer != optimizer_kind::sgd_nesterov) return buffers;
    for (std::size_t i = 0; i < buffers.size(); ++i) {
      const auto found = optimizer_->state().find(c10::guts::to_string(net_.parameters()[i].unsafeGetTensorImpl()));
      if (found != optimizer_->state().end())
        buffers[i] = static_cast<const torch::optim::SGDParamState&>(*found->second).momentum_buffer();
    }
    return buffers;
  }

  // Adam: a cosine from the configured rate down to 5% of it over the whole run; SGD: constant;
  // SGD with Nesterov momentum: x0.1 at half the run and again at three quarters.
  void set_learning_rate(double step) {
    if (c_.optimizer == optimizer_kind::sgd) return;
    if (c_.optimizer == optimizer_kind::sgd_nesterov) {
      const double fraction = step / (static_cast<double>(batches_) * c_.epochs);
      const double rate = c_.learning_rate * (fraction < 0.5 ? 1.0 : fraction < 0.75 ? 0.1 : 0.01);
      static_cast<torch::optim::SGDOptions&>(optimizer_->param_groups()[0].options()).lr(rate);
      return;
    }
    const double fraction = step / (static_cast<double>(batches_) * c_.epochs);
    static_cast<torch::optim::AdamOptions&>(optimizer_->param_groups()[0].options())
        .lr(c_.learning_rate * (0.05 + 0.475 * (1 + std::cos(std::numbers::pi * fraction))));
  }

  // One optimiser step on a batch: gradients of each micro-batch, summed in micro-batch order.
  batch_totals train_batch(std::span<const std::uint32_t> batch, std::uint32_t epoch,
                           const std::function<void(std::vector<at::Tensor>&)>& adjust_gradients) {
    struct part {
      batch_totals totals;
      std::vector<at::Tensor> gradients;
    };
    std::vector<part> parts((batch.size() + c_.micro_batch - 1) / c_.micro_batch);
    for_each_micro_batch(threads_, batch, c_.micro_batch, [&](std::size_t m, std::span<const std::uint32_t> samples) {
      const auto in = train_.batch(samples, 0, epoch);
      const at::Tensor outputs = net_.forward(in.inputs);
      const at::Tensor loss_sum = objective_of(c_).loss_sum(outputs, in.labels);
      parts[m].gradients = torch::autograd::grad({loss_sum / static_cast<double>(batch.size())}, net_.parameters());
      parts[m].totals = {loss_sum.item<double>(), objective_of(c_).score_sum(outputs.detach(), in.labels)};
    });
    std::vector<at::Tensor> sums(net_.parameters().size());
    for (std::size_t i = 0; i < sums.size(); ++i) {
      sums[i] = parts[0].gradients[i];
      for (std::size_t m = 1; m < parts.size(); ++m) sums[i] = sums[i] + parts[m].gradients[i];
    }
    if (adjust_gradients) adjust_gradients(sums);
    for (std::size_t i = 0; i < sums.size(); ++i) net_.parameters()[i].mutable_grad() = sums[i];
    optimizer_->step();
    batch_totals totals;
    for (const auto& p : parts) totals += p.totals;
    return totals;
  }

  training_progress progress_after(std::uint32_t epoch, double seen, const batch_totals& sum,
                                   steady::time_point epoch_start) const {
    const double rate = seen / seconds_since(epoch_start), done = (epoch - 1.0) * train_.count() + seen;
    const double total = 1.0 * train_.count() * c_.epochs;
    return {epoch, c_.epochs, done, total, sum.loss_sum / seen, sum.score_sum / seen, rate,
            (total - done) / rate};
  }

  const training_options& c_;
  const labelled_dataset& train_;
  training_threads threads_;
  classifier_model& net_;
  std::unique_ptr<torch::optim::Optimizer> optimizer_;
  std::uint32_t batches_;
};

}  // namespace

at::Tensor training_objective::loss_sum(const at::Tensor& outputs, const at::Tensor& labels) const {
  return torch::nn::functional::cross_entropy(outputs, labels,
                                              torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
}

double training_objective::score_sum(const at::Tensor& outputs, const at::Tensor& labels) const {
  return static_cast<double>(outputs.argmax(1).eq(labels).sum().item<std::int64_t>());
}

labelled_batch encoded_images::batch(std::span<const std::uint32_t> samples, std::uint32_t stream,
                                     std::uint64_t epoch) const {
  const auto n = static_cast<std::int64_t>(samples.size());
  at::Tensor inputs = at::empty({encoder_.steps, n, data_.pixels_per_image()}, at::kFloat);
  encode_batch(encoder_, data_, samples, stream, epoch, {inputs.data_ptr<float>(), static_cast<std::size_t>(inputs.numel())});
  at::Tensor labels = at::empty({n}, at::kLong);
  for (std::int64_t b = 0; b < n; ++b) labels.data_ptr<std::int64_t>()[b] = data_.labels[samples[static_cast<std::size_t>(b)]];
  return {inputs, labels};
}

training_report train_classifier(classifier_model& model, const labelled_dataset& train, const labelled_dataset& test,
                                 const training_options& options, const training_hooks& hooks) {
  check(options, train, test);
  trainer run(model, train, options);
  training_state state;
  if (hooks.resume) {
    state = *hooks.resume;
    if (state.epochs.size() > options.epochs) throw std::invalid_argument("training: the run to resume has more epochs than configured");
    run.load_optimizer_state(state.optimizer);
  }
  const double seconds_before = state.epochs.empty() ? 0.0 : state.epochs.back().seconds;
  const auto start = steady::now();
  for (auto epoch = static_cast<std::uint32_t>(state.epochs.size() + 1); epoch <= options.epochs; ++epoch) {
    const auto epoch_start = steady::now();
    const batch_totals sum = run.train_epoch(epoch, hooks);
    const double training_seconds = seconds_since(epoch_start);
    const double accuracy = test.count() ? run.test_accuracy(test) : 0.0;
    state.epochs.push_back({epoch, sum.loss_sum / train.count(), sum.score_sum / train.count(),
                            accuracy, seconds_before + seconds_since(start), train.count() / training_seconds});
    if (hooks.epoch_done) {
      state.optimizer = run.optimizer_state();
      hooks.epoch_done(state);
    }
  }
  return {state.epochs, model.parameter_count(), seconds_before + seconds_since(start)};
}

training_report train_classifier(classifier_model& model, const labelled_dataset& train, const labelled_dataset& test,
                                 const training_options& options,
                                 const std::function<void(const training_progress&)>& progress) {
  return train_classifier(model, train, test, options, training_hooks{progress, {}, nullptr});
}

training_report train_classifier(const training_config& c, lif_network& net, const io::labelled_images& train,
                                 const io::labelled_images& test, const training_hooks& hooks) {
  check_images(c, train, test);
  return train_classifier(net, encoded_images(c.input, train), encoded_images(c.input, test), c, hooks);
}

training_report train_classifier(const training_config& c, const io::labelled_images& train,
                                 const io::labelled_images& test,
                                 const std::function<void(const training_progress&)>& progress) {
  lif_network net(c.model, c.seed);
  return train_classifier(c, net, train, test, training_hooks{progress, {}, nullptr});
}

double classification_accuracy(const classifier_model& model, const labelled_dataset& data, std::uint32_t micro_batch,
                               int threads) {
  if (micro_batch == 0 || threads < 1) throw std::invalid_argument("evaluation: micro_batch and threads must be positive");
  return accuracy(model, data, training_threads(threads), micro_batch, classification);
}

std::vector<std::pair<at::Tensor, at::Tensor>> evaluation_outputs(const classifier_model& model,
                                                                  const labelled_dataset& data,
                                                                  std::uint32_t micro_batch, int threads) {
  if (micro_batch == 0 || threads < 1) throw std::invalid_argument("evaluation: micro_batch and threads must be positive");
  std::vector<std::pair<at::Tensor, at::Tensor>> outputs(micro_batch_count(data, micro_batch));
  for_each_evaluation_batch(data, training_threads(threads), micro_batch, [&](std::size_t m, const labelled_batch& in) {
    outputs[m] = {model.forward(in.inputs), in.labels};
  });
  return outputs;
}

std::vector<double> mean_spike_counts(const lif_network& net, const labelled_dataset& data, std::uint32_t micro_batch,
                                      int threads) {
  if (micro_batch == 0 || threads < 1) throw std::invalid_argument("evaluation: micro_batch and threads must be positive");
  // Spikes of each layer per micro-batch, summed in micro-batch order afterwards (any thread count).
  std::vector<std::vector<double>> parts(micro_batch_count(data, micro_batch));
  for_each_evaluation_batch(data, training_threads(threads), micro_batch, [&](std::size_t m, const labelled_batch& in) {
    for (const auto& layer : net.layer_outputs(in.inputs)) parts[m].push_back(layer.spikes.sum().item<double>());
  });
  std::vector<double> mean(net.layers(), 0.0);
  for (const auto& part : parts)
    for (std::size_t l = 0; l < part.size(); ++l) mean[l] += part[l];
  for (std::size_t l = 0; l < mean.size(); ++l)
    mean[l] /= static_cast<double>(net.config().sizes[l + 1]) * std::max<std::uint32_t>(data.count(), 1);
  return mean;
}

}  // namespace neurite::learn
