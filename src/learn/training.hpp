#pragma once
// Training a classifier_model on a labelled_dataset: Adam on a training_objective (by default the
// cross-entropy of the class scores), the learning rate decayed along a cosine to 5% of its start
// (or SGD, plain or with Nesterov momentum and step decay), samples shuffled per epoch from the
// Philox stream. Each batch is cut into micro-batches of a fixed size that the workers of
// training_threads share; their gradients are summed in micro-batch order, so a run gives the same
// numbers for any thread count.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "io/fashion_mnist.hpp"
#include "learn/classifier.hpp"
#include "learn/encoders.hpp"
#include "learn/lif_network.hpp"

namespace neurite::learn {

// What training minimises and what it scores, per micro-batch of model outputs and their labels.
// The default is classification: cross-entropy, and the count of samples whose largest score is
// their label (the epochs' "accuracy"). Other objectives (learn/neuron_fit.hpp) read other labels.
class training_objective {
 public:
  virtual ~training_objective() = default;
  virtual at::Tensor loss_sum(const at::Tensor& outputs, const at::Tensor& labels) const;  // summed over samples
  virtual double score_sum(const at::Tensor& outputs, const at::Tensor& labels) const;     // summed over samples
};

enum class optimizer_kind {
  adam_cosine,  // Adam, the rate decayed along a cosine to 5% of its start over the run
  sgd,          // plain SGD at a constant rate (the continual-learning papers' setting)
  sgd_nesterov,  // SGD with Nesterov momentum and weight decay, the rate x0.1 at 1/2 and 3/4 of the run
                 // (the sparse-training papers' setting, learn/sparsity.hpp)
};

struct training_options {
  std::uint32_t epochs = 1;
  std::uint32_t batch_size = 128;
  std::uint32_t micro_batch = 32;  // samples per unit of work for one thread
  double learning_rate = 1e-3;
  int threads = 1;
  std::uint64_t seed = 1;  // sample order (and, for train_classifier(training_config), the weights)
  const training_objective* objective = nullptr;  // null: classification
  optimizer_kind optimizer = optimizer_kind::adam_cosine;
  double momentum = 0.9, weight_decay = 0;  // sgd_nesterov only
};

// A LIF network on encoded images; input.seed is set apart from seed.
struct training_config : training_options {
  lif_network_config model;
  encoder input;
};

// Images encoded into time-major input, (T, batch, pixels), with their labels.
class encoded_images final : public labelled_dataset {
 public:
  encoded_images(encoder e, const io::labelled_images& data) : encoder_(e), data_(data) {}
  std::uint32_t count() const override { return data_.count; }
  std::uint32_t classes() const override { return static_cast<std::uint32_t>(io::fashion_mnist_classes); }
  labelled_batch batch(std::span<const std::uint32_t> samples, std::uint32_t stream, std::uint64_t epoch) const override;

 private:
  encoder encoder_;
  const io::labelled_images& data_;
};

struct epoch_record {
  std::uint32_t epoch = 0;  // from 1
  double train_loss = 0, train_accuracy = 0, test_accuracy = 0;  // accuracy: the objective's mean score
  double seconds = 0;  // since training began, at the end of this epoch's evaluation
  double samples_per_second = 0;  // training samples of this epoch per second of its training
};

struct training_progress {
  std::uint32_t epoch = 0, epochs = 0;
  double samples_done = 0, samples_total = 0;  // over the whole run
  double loss = 0, accuracy = 0;  // running means over this epoch
  double samples_per_second = 0, seconds_left = 0;
};

struct training_report {
  std::vector<epoch_record> epochs;
  std::int64_t parameters = 0;
  double seconds = 0;
};

// What a run has done, enough to continue it bit for bit (with the model's parameters): the sample
// order and the encodings are pure functions of (seed, epoch), so the epoch is the whole position.
struct training_state {
  std::vector<epoch_record> epochs;  // those done, in order
  std::string optimizer;             // the optimiser's state (Adam's moments and step counts), serialised by LibTorch
};

struct training_hooks {
  std::function<void(const training_progress&)> progress;  // after every batch
  std::function<void(const training_state&)> epoch_done;   // after every epoch and its test
  // Continue a run from here; the model must hold the parameters it had at that point.
  const training_state* resume = nullptr;
  // The batch's gradients (summed over its micro-batches, one per model parameter) just before the
  // optimiser step; the hook may change them in place (learn/hlop.hpp projects them).
  std::function<void(std::vector<at::Tensor>& gradients)> gradients{};
  // After each optimiser step, with the batch's samples and the epoch: for learning that runs
  // beside training on the same data (learn/hlop.hpp's Hebbian subspaces).
  std::function<void(std::span<const std::uint32_t> samples, std::uint32_t epoch)> batch_done{};
  // After each optimiser step, before batch_done: the optimiser's momentum buffer of each model
  // parameter (sgd_nesterov; undefined tensors otherwise), shared with the optimiser, so that the
  // hook may change weights and buffers in place (learn/sparsity.hpp keeps pruned weights and their
  // momentum at zero).
  std::function<void(const std::vector<at::Tensor>& momentum)> step_done{};
};

// The test set is evaluated after every epoch (skipped when empty).
training_report train_classifier(classifier_model& model, const labelled_dataset& train, const labelled_dataset& test,
                                 const training_options& options, const training_hooks& hooks);

// Calls `progress` after every batch when given. The test set is evaluated after every epoch
// (skipped when empty).
training_report train_classifier(classifier_model& model, const labelled_dataset& train, const labelled_dataset& test,
                                 const training_options& options,
                                 const std::function<void(const training_progress&)>& progress = {});

// A lif_network of config.model, weights drawn from config.seed, on images encoded by config.input.
training_report train_classifier(const training_config& config, const io::labelled_images& train,
                                 const io::labelled_images& test,
                                 const std::function<void(const training_progress&)>& progress = {});
// The same with a given network (built from config.model, or restored from a checkpoint).
training_report train_classifier(const training_config& config, lif_network& net, const io::labelled_images& train,
                                 const io::labelled_images& test, const training_hooks& hooks);

// The fraction of `data` that the model classifies right (stream 1, epoch 0: the evaluation's
// encoding), over micro-batches shared by `threads` workers: the number of any training run's test.
double classification_accuracy(const classifier_model& model, const labelled_dataset& data, std::uint32_t micro_batch,
                               int threads);
// The model's outputs and the labels of every micro-batch of `data` (encoded as for the accuracy),
// in sample order: for scores that do not sum over micro-batches (ROC AUC).
std::vector<std::pair<at::Tensor, at::Tensor>> evaluation_outputs(const classifier_model& model,
                                                                  const labelled_dataset& data,
                                                                  std::uint32_t micro_batch, int threads);
// Spikes per neuron per sample of each layer of `net` over `data` (encoded as for the accuracy).
std::vector<double> mean_spike_counts(const lif_network& net, const labelled_dataset& data, std::uint32_t micro_batch,
                                      int threads);

}  // namespace neurite::learn
