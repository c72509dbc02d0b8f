"""Command-line overrides shared by the Python tests: examples/brunel.toml (Brunel's model A) at a
tenth of its size with J C_E kept (800 E, 200 I, in-degrees 80 and 20, J = 1.25 mV)."""

SMALL = ["--set", "populations.E.size=800", "--set", "populations.I.size=200",
         "--set", "projections.0.connector.indegree=80", "--set", "projections.1.connector.indegree=80",
         "--set", "projections.2.connector.indegree=20", "--set", "projections.3.connector.indegree=20",
         "--set", "projections.0.weight=1.25 mV", "--set", "projections.1.weight=1.25 mV",
         "--set", "projections.2.weight=-6.25 mV", "--set", "projections.3.weight=-6.25 mV",
         "--set", "stimuli.0.n=80", "--set", "stimuli.1.n=80",
         "--set", "stimuli.0.weight=1.25 mV", "--set", "stimuli.1.weight=1.25 mV"]
