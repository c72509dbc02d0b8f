"""`neurite analyze` end to end: a small Brunel network run by `neurite run`, then analysed; the
numbers against the run's own summary.json, and bad input refused with a message naming it.

Run by CTest as: /usr/bin/python3 test_analyze.py NEURITE_BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

NEURITE, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
BRUNEL = os.path.join(SOURCE, "examples", "brunel.toml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from brunel_small import SMALL  # noqa: E402  (tests/brunel_small.py)


def neurite(*args):
    return subprocess.run([NEURITE, *args], capture_output=True, text=True, timeout=300)


class Analyze(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix=f"neurite_analyze_{os.getpid()}_")
        cls.run_dir = os.path.join(cls.tmp.name, "run")
        cls.ran = neurite("run", BRUNEL, "--out", cls.run_dir, "--duration", "500 ms", "--threads", "2",
                          "--no-plot", "--quiet", *SMALL)
        cls.spikes = os.path.join(cls.run_dir, "spikes.h5")
        cls.out = os.path.join(cls.tmp.name, "analysis")
        cls.result = neurite("analyze", cls.spikes, "--out", cls.out, "--no-plot")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_analysis_matches_the_runs_summary(self):
        self.assertEqual(self.ran.returncode, 0, self.ran.stderr)
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        with open(os.path.join(self.run_dir, "summary.json")) as f:
            summary = json.load(f)
        with open(os.path.join(self.out, "analysis.json")) as f:
            analysis = json.load(f)
        self.assertEqual(analysis["t_stop_ms"], summary["duration_ms"])
        self.assertTrue(analysis["t_stop_from_file"])
        for pop in ("E", "I"):
            ours, theirs = analysis["populations"][pop], summary["populations"][pop]
            self.assertEqual(ours["size"], theirs["size"])
            self.assertEqual(ours["spikes"], theirs["spikes"])
            self.assertAlmostEqual(ours["rate_hz"], theirs["rate_hz"], delta=1e-9 * theirs["rate_hz"])
            # The kernel accumulates ISI sums as it runs; we recompute them from the stored times
            # (the same steps times dt): equal to rounding.
            self.assertAlmostEqual(ours["cv_isi"]["mean"], theirs["cv_isi"], delta=1e-6)
            for key in ("lv", "fano", "sttc", "spectrum", "sync", "dimension"):
                self.assertIn(key, ours)
            self.assertTrue(os.path.exists(os.path.join(self.out, f"analysis_neurons_{pop}.csv")))
            self.assertTrue(os.path.exists(os.path.join(self.out, f"analysis_spectrum_{pop}.csv")))
        self.assertFalse(any(name.endswith(".part") for name in os.listdir(self.out)))

    def test_one_measure_and_one_population(self):
        out = os.path.join(self.tmp.name, "only_rate")
        r = neurite("analyze", self.spikes, "--out", out, "--measures", "rate", "--population", "I", "--no-plot")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "analysis.json")) as f:
            analysis = json.load(f)
        self.assertEqual(list(analysis["populations"]), ["I"])
        self.assertNotIn("cv_isi", analysis["populations"]["I"])

    def test_unknown_measure_and_population_are_named(self):
        r = neurite("analyze", self.spikes, "--out", self.out, "--measures", "rate,wobble")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown measure 'wobble'", r.stderr)
        r = neurite("analyze", self.spikes, "--out", self.out, "--population", "X")
        self.assertEqual(r.returncode, 2)
        self.assertIn("has no population 'X' (it has E, I)", r.stderr)
        r = neurite("analyze", self.spikes, "--out", self.out, "--bin", "0")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--bin", r.stderr)

    def test_a_damaged_file_is_named(self):
        garbage = os.path.join(self.tmp.name, "garbage.h5")
        with open(garbage, "w") as f:
            f.write("not an HDF5 file\n")
        r = neurite("analyze", garbage, "--out", self.out)
        self.assertEqual(r.returncode, 2)
        self.assertIn(garbage + ": not an HDF5 file", r.stderr)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
