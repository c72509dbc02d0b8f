# learn/: gradient-trained models on LibTorch, in a library of its own so that the core builds and
# tests without LibTorch. An OBJECT library, like the core; the reproductions that train with it
# are a library above it (repro/learn_sources.cmake). A file that includes <torch/torch.h> costs ~25 s and ~1.3 GB to
# compile (DEPENDENCIES.md, trap 4): the headers here include at most <ATen/core/Tensor.h>, and
# only lif, lif_network, lstm, ctrnn, training, training_threads, checkpoint and the conversion (qcfs,
# ann_to_snn, dynamic_confidence) include LibTorch at all.
add_library(neurite_learn OBJECT
  learn/training_threads.cpp
  learn/encoders.cpp
  learn/sequences.cpp
  learn/parameters.cpp
  learn/elm.cpp
  learn/lstm.cpp
  learn/lif.cpp
  learn/spike_linear.cpp
  learn/lif_network.cpp
  learn/export.cpp
  learn/training.cpp
  learn/training_output.cpp
  learn/training_file.cpp
  learn/qcfs.cpp
  learn/ann_to_snn.cpp
  learn/dynamic_confidence.cpp
  learn/spike_metrics.cpp
  learn/neuron_fit.cpp
  learn/neuron_io.cpp
  learn/pathfinder.cpp
  learn/checkpoint.cpp
  learn/ctrnn.cpp learn/cognitive_tasks.cpp learn/student_teacher.cpp
  learn/hlop.cpp learn/rate_mlp.cpp learn/continual.cpp learn/ewc.cpp learn/dsr.cpp
  learn/sparsity.cpp learn/csr.cpp
  learn/astro_rnn.cpp learn/astro_tasks.cpp
  learn/llama_decoder.cpp learn/concept_grammar.cpp learn/neuron_decoding.cpp
  learn/spike_tokens.cpp learn/neuroformer.cpp
)
target_link_libraries(neurite_learn PUBLIC neurite torch PRIVATE neurite_warnings)
# Its objects also go into the module that `neurite` loads on demand (apps/learn_module.hpp).
set_target_properties(neurite_learn PROPERTIES POSITION_INDEPENDENT_CODE ON)
# The LIF loops round after every operation, as LibTorch's op-by-op reference and the kernel's
# lif_discrete do (models/sources.cmake): exported networks spike there as here, bit for bit.
set_source_files_properties(learn/lif.cpp PROPERTIES COMPILE_OPTIONS -ffp-contract=off)
