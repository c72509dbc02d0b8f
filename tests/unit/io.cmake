# Model-file reader tests (io/).
neurite_test(test_model_file unit test_model_file.cpp test_info_defaults.cpp test_explicit_connections.cpp)
neurite_test(test_idx unit test_idx.cpp test_fashion_mnist.cpp)
neurite_test(test_results unit test_results.cpp)
neurite_test(test_spikes_reader unit test_spikes_reader.cpp)
