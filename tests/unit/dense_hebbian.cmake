# Dense Hebbian networks (src/memory/dense_hebbian*).
neurite_test(test_dense_hebbian unit test_dense_hebbian.cpp)
neurite_test(test_dense_hebbian_theory unit test_dense_hebbian_mean_field.cpp test_dense_hebbian_rs.cpp)
