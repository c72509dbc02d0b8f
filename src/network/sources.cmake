target_sources(neurite PRIVATE
  network/stimuli.cpp
)
