# memory/: systems that are not time-stepped spiking networks (issue 3).
include(memory/sdr.cmake OPTIONAL)
include(memory/dense_hebbian.cmake OPTIONAL)
target_sources(neurite PRIVATE memory/ca3_cam.cpp)
target_sources(neurite PRIVATE memory/diehl_cook.cpp memory/place_recognition.cpp)
