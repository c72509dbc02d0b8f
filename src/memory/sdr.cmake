target_sources(neurite PRIVATE memory/sdr.cpp memory/sdr_theory.cpp)
