target_sources(neurite PRIVATE repro/repro.cpp)
# One line per reproduction: its folder's source registers it by name.
target_sources(neurite PRIVATE repro/sdr_dendrites/sdr_dendrites.cpp)
target_sources(neurite PRIVATE repro/dense_hebbian/dense_hebbian.cpp)
target_sources(neurite PRIVATE repro/ca3_cam/ca3_cam.cpp)
target_sources(neurite PRIVATE repro/place_recognition/place_recognition.cpp)
target_sources(neurite PRIVATE repro/gain_control/gain_control.cpp)
target_sources(neurite PRIVATE repro/dynamics_measures/dynamics_measures.cpp)
target_sources(neurite PRIVATE repro/dynamic_connectome/dynamic_connectome.cpp)
