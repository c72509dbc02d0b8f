target_sources(neurite PRIVATE
  network/brunel.cpp
  network/build.cpp
  network/catalog.cpp
  network/connectors.cpp
  network/stimuli.cpp
)
