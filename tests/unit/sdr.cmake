neurite_test(test_sdr unit test_sdr.cpp test_sdr_theory.cpp)
