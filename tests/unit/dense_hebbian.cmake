# Dense Hebbian networks (src/memory/dense_hebbian*).
neurite_test(test_dense_hebbian unit test_dense_hebbian.cpp)
