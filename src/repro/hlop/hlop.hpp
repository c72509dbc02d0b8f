#pragma once
// `neurite repro hlop`: Hebbian learning based orthogonal projection for continual learning (Xiao
// et al., ICLR 2024, paper 6) on permuted Fashion-MNIST. One rate-based network without biases
// and one shared head (learn/rate_mlp.hpp) is trained on the tasks in turn by SGD, by plain
// fine-tuning (the baseline), with HLOP (learn/hlop.hpp), with EWC where asked, and jointly on all
// tasks (the multitask bound). Rows: ACC and BWT of each method against the paper's claims, and
// the Hebbian subspaces against the principal (top-k SVD) subspaces of the same activity; CSV
// files: the accuracy matrix of each method (accuracy_METHOD.csv), ACC and BWT (summary.csv), the
// principal-angle cosines with and without the consolidation epochs (subspace.csv). A smaller spiking run adds the same rows for LIF layers trained by
// surrogate-gradient BPTT (accuracy_snn_METHOD.csv, summary_snn.csv).
#include <cstdint>
#include <vector>

#include "learn/hlop.hpp"
#include "repro/repro.hpp"

namespace neurite::repro {

// The spiking rows: a LIF network without biases (learn/lif_network.hpp: the biases held at zero),
// pixels as constant input currents for `steps` steps, trained by surrogate-gradient BPTT through
// the T steps, by fine-tuning and with HLOP on each layer's mean input rate.
struct hlop_spiking_size {
  std::uint32_t tasks = 0;                          // 0: no spiking run
  std::uint32_t train_images = 0, test_images = 0;  // per task, as below
  std::vector<std::int64_t> sizes;
  learn::lateral_schedule lateral;
  std::uint32_t steps = 6;
  double learning_rate = 0.1;                       // SGD, batches of hlop_size::batch
  double threshold = 1;                             // V_th, in the units of the input current
  bool dsr = false;                                 // also trained by DSR (learn/dsr.hpp)
};

struct hlop_size {
  std::uint32_t tasks = 0;
  std::uint32_t train_images = 0, test_images = 0;  // per task: the first ones of each split, permuted (0: all)
  std::vector<std::int64_t> sizes;                  // inputs, hidden layers, classes
  learn::lateral_schedule lateral;
  std::uint32_t epochs = 1, batch = 64;
  double learning_rate = 0.1;                       // SGD
  double ewc_lambda = 0;                            // 0: no EWC run
  std::uint32_t subspace_images = 0;                // task-0 images whose activity the SVD sees (0: all)
  hlop_spiking_size spiking;
  // Hebbian-only passes over each task's images after its training, the network fixed
  // (hlop::consolidate; ours, not the repository's), in the rate network's HLOP run; the spiking
  // runs keep the repository's schedule.
  std::uint32_t consolidation_epochs = 0;
};

hlop_size hlop_default_size(bool full);
std::vector<row> run_hlop(const options& o, const hlop_size& size);  // with the spiking rows where size.spiking.tasks > 0
// The spiking rows alone (accuracy_snn_METHOD.csv and summary_snn.csv).
std::vector<row> run_hlop_spiking(const options& o, const hlop_size& size);

}  // namespace neurite::repro
