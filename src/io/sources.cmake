# Model files (TOML) -> network::network_desc.
target_sources(neurite PRIVATE
  io/model_file.cpp
  io/toml_fields.cpp
  io/overrides.cpp
  io/populations.cpp
  io/projections.cpp
  io/edge_list.cpp
  io/idx.cpp
  io/fashion_mnist.cpp
)
