# Dense (P-body) Hebbian networks, supervised and unsupervised (issue 3, paper 1).
target_sources(neurite PRIVATE
  memory/dense_hebbian.cpp
  memory/dense_hebbian_tensor.cpp
  memory/dense_hebbian_sweep.cpp
  memory/dense_hebbian_mean_field.cpp
  memory/dense_hebbian_rs.cpp
)
