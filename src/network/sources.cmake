target_sources(neurite PRIVATE
)
