target_sources(neurite PRIVATE
  network/build.cpp
  network/catalog.cpp
  network/connectors.cpp
  network/stimuli.cpp
)
