# Model-file reader tests (io/).
neurite_test(test_model_file unit test_model_file.cpp)
