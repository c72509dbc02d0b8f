"""End-to-end tests of the neurite command: output files, errors, Ctrl-C, thread invariance.

Run by CTest as: /usr/bin/python3 test_cli.py NEURITE_BINARY SOURCE_DIR
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np

NEURITE, SOURCE = sys.argv[1], sys.argv[2]
BRUNEL = os.path.join(SOURCE, "examples", "brunel.toml")
SMALL = ["--set", "populations.E.size=800", "--set", "populations.I.size=200",
         "--set", "projections.0.connector.indegree=80", "--set", "projections.1.connector.indegree=80",
         "--set", "projections.2.connector.indegree=20", "--set", "projections.3.connector.indegree=20",
         "--set", "projections.0.weight=1.25 mV", "--set", "projections.1.weight=1.25 mV",
         "--set", "projections.2.weight=-6.25 mV", "--set", "projections.3.weight=-6.25 mV",
         "--set", "stimuli.0.n=80", "--set", "stimuli.1.n=80",
         "--set", "stimuli.0.weight=1.25 mV", "--set", "stimuli.1.weight=1.25 mV"]


def neurite(*args, **kw):
    return subprocess.run([NEURITE, *args], capture_output=True, text=True, timeout=300, **kw)


class OutputFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "brunel")
        cls.result = neurite("run", BRUNEL, "--out", cls.out, "--duration", "300 ms", "--threads", "2", *SMALL)

    def test_run_succeeds_and_prints_a_summary(self):
        self.assertEqual(self.result.returncode, 0, self.result.stderr)
        for word in ("rate (Hz)", "CV ISI", "synapses", "bytes each", "per biological s", "peak memory"):
            self.assertIn(word, self.result.stdout)

    def test_summary_json_has_the_documented_keys(self):
        with open(os.path.join(self.out, "summary.json")) as f:
            s = json.load(f)
        for key in ("populations", "synapses", "bytes_per_synapse", "build_s", "simulate_s", "peak_rss_mb",
                    "threads", "seed"):
            self.assertIn(key, s)
        self.assertEqual(s["threads"], 2)
        self.assertEqual(s["synapses"], 1000 * 100)
        for pop, size in (("E", 800), ("I", 200)):
            p = s["populations"][pop]
            self.assertEqual(p["size"], size)
            self.assertAlmostEqual(p["rate_hz"], p["spikes"] / (size * 0.3), places=9)
            self.assertGreater(p["rate_hz"], 1.0)

    def test_spikes_h5_follows_the_sonata_layout_and_matches_the_summary(self):
        with open(os.path.join(self.out, "summary.json")) as f:
            s = json.load(f)
        with h5py.File(os.path.join(self.out, "spikes.h5"), "r") as f:
            for pop in ("E", "I"):
                g = f["spikes"][pop]
                # SONATA's sorting is an HDF5 enum, as libsonata reads it
                self.assertEqual(h5py.check_enum_dtype(g.attrs.get_id("sorting").dtype),
                                 {"none": 0, "by_id": 1, "by_time": 2})
                self.assertEqual(g.attrs["sorting"], 2)
                t, ids = g["timestamps"][:], g["node_ids"][:]
                self.assertEqual(len(t), s["populations"][pop]["spikes"])
                self.assertTrue(np.all(np.diff(t) >= 0), "timestamps must be sorted")
                self.assertTrue(np.all((t > 0) & (t <= 300.0 + 1e-9)))
                self.assertTrue(np.all(ids < s["populations"][pop]["size"]))

    def test_raster_png_is_written(self):
        path = os.path.join(self.out, "raster.png")
        self.assertTrue(os.path.getsize(path) > 10000)
        with open(path, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


class Errors(unittest.TestCase):
    def test_a_malformed_override_exits_2_and_writes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "never")
            r = neurite("run", BRUNEL, "--out", out, "--set", "populations.E.params.tau_m=20 mV")
            self.assertEqual(r.returncode, 2)
            self.assertIn("populations.E.params.tau_m", r.stderr)
            self.assertFalse(os.path.exists(out))

    def test_a_network_too_large_for_memory_is_refused_with_both_figures(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "never")
            r = neurite("run", BRUNEL, "--out", out, "--set", "populations.E.size=4000000000",
                        "--set", "projections.0.connector.indegree=100000")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("the network needs about", r.stderr)
            self.assertIn("GB of memory is available", r.stderr)
            self.assertFalse(os.path.exists(out))

    def test_missing_model_file_and_bad_options_exit_2(self):
        self.assertEqual(neurite("run", "/nonexistent.toml").returncode, 2)
        self.assertEqual(neurite("run", BRUNEL, "--threads", "0").returncode, 2)
        self.assertEqual(neurite("frobnicate").returncode, 2)

    def test_an_unwritable_output_folder_is_an_error_not_a_crash(self):
        r = neurite("run", BRUNEL, "--out", "/proc/neurite_cannot_write_here", "--duration", "1 ms", "--no-plot", *SMALL)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("neurite: ", r.stderr)
        self.assertIn("/proc/neurite_cannot_write_here", r.stderr)

    def test_info_lists_every_model_and_rejects_unknown_names(self):
        r = neurite("info")
        self.assertEqual(r.returncode, 0)
        for name in ("iaf_psc_delta", "iaf_psc_exp", "iaf_cond_exp", "izhikevich", "aeif_cond_exp",
                     "poisson_source", "spike_source", "fixed_indegree", "poisson_input", "dc"):
            self.assertIn(name, r.stdout)
        r = neurite("info", "iaf_psc_exp")
        self.assertIn("tau_syn_ex", r.stdout)
        self.assertNotIn("izhikevich", r.stdout)
        self.assertEqual(neurite("info", "no_such_model").returncode, 2)


class Interrupt(unittest.TestCase):
    def test_ctrl_c_stops_early_and_leaves_valid_files(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "long")
            p = subprocess.Popen([NEURITE, "run", BRUNEL, "--out", out, "--duration", "1000 s", "--no-plot", *SMALL],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(2.0)
            p.send_signal(signal.SIGINT)
            stdout, stderr = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 130, stderr)
            self.assertIn("interrupted", stderr)
            with open(os.path.join(out, "summary.json")) as f:
                s = json.load(f)
            self.assertTrue(s["interrupted"])
            self.assertGreater(s["duration_ms"], 0)
            self.assertLess(s["duration_ms"], 1e6)
            with h5py.File(os.path.join(out, "spikes.h5"), "r") as f:
                t = f["spikes/E/timestamps"][:]
                self.assertEqual(len(t), s["populations"]["E"]["spikes"])
                self.assertLessEqual(t.max(), s["duration_ms"] + 1e-9)


    def test_sigterm_stops_like_ctrl_c_and_leaves_valid_files(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "long")
            p = subprocess.Popen([NEURITE, "run", BRUNEL, "--out", out, "--duration", "1000 s", "--no-plot", *SMALL],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            while not os.path.isdir(out) and p.poll() is None:  # the folder appears once the handlers are set
                time.sleep(0.05)
            p.send_signal(signal.SIGTERM)
            stdout, stderr = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 128 + signal.SIGTERM, stderr)
            self.assertIn("interrupted", stderr)
            with open(os.path.join(out, "summary.json")) as f:
                s = json.load(f)
            self.assertTrue(s["interrupted"])
            self.assertLess(s["duration_ms"], 1e6)
            with h5py.File(os.path.join(out, "spikes.h5"), "r") as f:
                for pop in ("E", "I"):
                    self.assertEqual(len(f[f"spikes/{pop}/timestamps"]), s["populations"][pop]["spikes"])
            self.assertEqual(sorted(os.listdir(out)), ["checkpoint.h5", "spikes.h5", "summary.json"])


class Memory(unittest.TestCase):
    """Memory is bounded by the network, not by the duration: rate bins and recorders stream to disk."""

    TINY = ["--set", "populations.E.size=80", "--set", "populations.I.size=20",
            "--set", "projections.0.connector.indegree=8", "--set", "projections.1.connector.indegree=8",
            "--set", "projections.2.connector.indegree=2", "--set", "projections.3.connector.indegree=2",
            "--set", "stimuli.0.n=8", "--set", "stimuli.1.n=8", "--threads", "2", "--no-plot", "--quiet"]

    def peak_mb(self, tmp, duration):
        out = os.path.join(tmp, duration.replace(" ", ""))
        r = neurite("run", BRUNEL, "--out", out, "--duration", duration, *self.TINY)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(out, "summary.json")) as f:
            s = json.load(f)
        with h5py.File(os.path.join(out, "spikes.h5"), "r") as f:  # everything simulated was written
            self.assertEqual(len(f["spikes/E/timestamps"]), s["populations"]["E"]["spikes"])
            self.assertEqual(len(f["population_rate/E/rate"]), round(s["duration_ms"]))
        return s["peak_rss_mb"]

    def test_a_long_run_of_a_tiny_network_uses_no_more_memory_than_a_short_one(self):
        with tempfile.TemporaryDirectory() as tmp:
            short, long = self.peak_mb(tmp, "10 s"), self.peak_mb(tmp, "300 s")
            # 3e6 steps: per-step counts alone would take 24 MB per population and copy
            self.assertLess(long - short, 12, f"peak memory {short:.0f} MB at 10 s, {long:.0f} MB at 300 s")


def read_json(path):
    with open(path) as f:
        return json.load(f)


def h5_content(path):
    """Every dataset of an HDF5 file, by path."""
    d = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: d.__setitem__(name, obj[()]) if isinstance(obj, h5py.Dataset) else None)
    return d


class Checkpoint(unittest.TestCase):
    """A resumed run gives the same files, in content, as an uninterrupted one, on any thread count."""

    STDP = [os.path.join(SOURCE, "examples", "brunel_stdp.toml"), "--set", "populations.E.size=800",
            "--set", "populations.I.size=200", "--set", "projections.0.connector.indegree=80",
            "--set", "projections.1.connector.indegree=80", "--set", "projections.2.connector.indegree=20",
            "--set", "projections.3.connector.indegree=20", "--set", "stimuli.0.n=80", "--set", "stimuli.1.n=80",
            "--set", "projections.0.weight=1.25 mV", "--set", "projections.0.plasticity.w_max=2.5 mV",
            "--set", "projections.1.weight=1.25 mV", "--set", "projections.2.weight=-6.25 mV",
            "--set", "projections.3.weight=-6.25 mV", "--set", "stimuli.0.weight=1.25 mV",
            "--set", "stimuli.1.weight=1.25 mV",
            "--set", "record.weights=[{projection=\"EE\", targets=[0, 5], interval=\"10 ms\"}]",
            "--set", "record.state=[{population=\"E\", variable=\"V_m\", ids=[0, 3], interval=\"0.5 ms\"}]",
            "--no-plot", "--quiet"]

    def assert_same_outputs(self, a, b):
        ca, cb = h5_content(os.path.join(a, "spikes.h5")), h5_content(os.path.join(b, "spikes.h5"))
        self.assertEqual(sorted(ca), sorted(cb))
        for name in ca:
            np.testing.assert_array_equal(ca[name], cb[name], err_msg=name)
        sa, sb = (read_json(os.path.join(d, "summary.json")) for d in (a, b))
        for key in ("populations", "synaptic_events", "duration_ms", "synapses"):
            self.assertEqual(sa[key], sb[key], key)
        self.assertGreater(len(ca["spikes/E/timestamps"]), 100)

    def test_a_plastic_run_extended_from_its_checkpoint_equals_one_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            whole, pieces = os.path.join(tmp, "whole"), os.path.join(tmp, "pieces")
            r = neurite("run", *self.STDP, "--out", whole, "--duration", "300 ms", "--threads", "2")
            self.assertEqual(r.returncode, 0, r.stderr)
            r = neurite("run", *self.STDP, "--out", pieces, "--duration", "150 ms", "--threads", "2",
                        "--checkpoint-every", "60 ms")
            self.assertEqual(r.returncode, 0, r.stderr)
            r = neurite("run", "--resume", os.path.join(pieces, "checkpoint.h5"), "--duration", "300 ms",
                        "--threads", "1", "--no-plot", "--quiet")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assert_same_outputs(whole, pieces)
            self.assertIn("weights/EE_0/values", h5_content(os.path.join(pieces, "spikes.h5")))

    def test_a_run_killed_by_sigterm_resumes_to_the_same_files(self):
        with tempfile.TemporaryDirectory() as tmp:
            whole, killed = os.path.join(tmp, "whole"), os.path.join(tmp, "killed")
            args = ["--no-plot", "--quiet", *SMALL]
            p = subprocess.Popen([NEURITE, "run", BRUNEL, "--duration", "1000 s", *args, "--out", killed,
                                  "--threads", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            while not os.path.isdir(killed) and p.poll() is None:
                time.sleep(0.05)
            time.sleep(0.5)  # into the run; wherever it stops, the test holds
            p.send_signal(signal.SIGTERM)
            _, stderr = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 128 + signal.SIGTERM, stderr)
            self.assertIn("--resume", stderr)
            end = f"{read_json(os.path.join(killed, 'summary.json'))['duration_ms'] + 150:.1f} ms"
            r = neurite("run", "--resume", os.path.join(killed, "checkpoint.h5"), "--duration", end, "--threads", "1",
                        "--no-plot", "--quiet")
            self.assertEqual(r.returncode, 0, r.stderr)
            r = neurite("run", BRUNEL, "--duration", end, *args, "--out", whole, "--threads", "3")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assert_same_outputs(whole, killed)

    def test_a_bad_checkpoint_is_refused_naming_the_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "a")
            r = neurite("run", BRUNEL, "--out", out, "--duration", "30 ms", "--checkpoint-every", "10 ms", *SMALL,
                        "--no-plot", "--quiet")
            self.assertEqual(r.returncode, 0, r.stderr)
            ckpt = os.path.join(out, "checkpoint.h5")
            with open(ckpt, "rb") as f:
                data = f.read()
            cases = {"truncated.h5": data[: len(data) // 2], "garbage.h5": b"\x89HDF\r\n\x1a\n" + b"\x00" * 500,
                     "text.h5": b"not a checkpoint\n"}
            for name, content in cases.items():
                bad = os.path.join(tmp, name)
                with open(bad, "wb") as f:
                    f.write(content)
                before = sorted(os.listdir(out))
                r = neurite("run", "--resume", bad, "--out", out, "--no-plot")
                self.assertEqual(r.returncode, 2, f"{name}: {r.stderr}")
                self.assertTrue(r.stderr.startswith(bad + ": "), r.stderr)
                self.assertNotIn("Traceback", r.stderr)
                self.assertEqual(sorted(os.listdir(out)), before)
            r = neurite("run", "--resume", ckpt, "--set", "populations.E.size=10")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("--resume", r.stderr)


class Examples(unittest.TestCase):
    """Every example runs (Brunel at a tenth of its size, the others in full for 300 ms) and is active."""

    def test_examples_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            for name, extra in (("brunel", SMALL), ("cuba", []), ("coba", [])):
                out = os.path.join(tmp, name)
                r = neurite("run", os.path.join(SOURCE, "examples", name + ".toml"), "--out", out,
                            "--duration", "300 ms", "--no-plot", "--quiet", *extra)
                self.assertEqual(r.returncode, 0, f"{name}: {r.stderr}")
                with open(os.path.join(out, "summary.json")) as f:
                    s = json.load(f)
                for pop, p in s["populations"].items():
                    self.assertGreater(p["rate_hz"], 1.0, f"{name}.{pop} is silent")


class Threads(unittest.TestCase):
    def test_spike_files_are_identical_for_1_and_3_threads(self):
        for name, extra in (("brunel", SMALL), ("cuba", []), ("coba", [])):
            with tempfile.TemporaryDirectory() as tmp:
                spikes = []
                for threads in ("1", "3"):
                    out = os.path.join(tmp, threads)
                    r = neurite("run", os.path.join(SOURCE, "examples", name + ".toml"), "--out", out,
                                "--duration", "200 ms", "--threads", threads, "--no-plot", "--quiet", *extra)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    with h5py.File(os.path.join(out, "spikes.h5"), "r") as f:
                        spikes.append({p: (f[f"spikes/{p}/timestamps"][:], f[f"spikes/{p}/node_ids"][:]) for p in "EI"})
                for p in "EI":
                    self.assertGreater(len(spikes[0][p][0]), 0, f"{name}.{p} is silent")
                    np.testing.assert_array_equal(spikes[0][p][0], spikes[1][p][0], err_msg=name)
                    np.testing.assert_array_equal(spikes[0][p][1], spikes[1][p][1], err_msg=name)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
