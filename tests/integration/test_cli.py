"""End-to-end tests of the neurite command: output files, errors, Ctrl-C, thread invariance.

Run by CTest as: /usr/bin/python3 test_cli.py NEURITE_BINARY SOURCE_DIR [TEST NAMES...]
"""
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

import h5py
import numpy as np

NEURITE, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
BRUNEL = os.path.join(SOURCE, "examples", "brunel.toml")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from brunel_small import SMALL  # noqa: E402  (tests/brunel_small.py)


def neurite(*args, **kw):
    return subprocess.run([NEURITE, *args], capture_output=True, text=True, timeout=300, **kw)


def version():
    """What `neurite --version` prints after "neurite "."""
    return neurite("--version").stdout.removeprefix("neurite ").rstrip("\n")


class Version(unittest.TestCase):
    def test_version_prints_the_project_version_and_the_commit(self):
        r = neurite("--version")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(SOURCE, "CMakeLists.txt")) as f:
            project = re.search(r"project\(neurite VERSION ([0-9.]+)", f.read()).group(1)
        # The commit is there when the source was a git checkout at configure time.
        commit = r"(?: \(git [0-9a-f]{7,40}\))" + ("" if os.path.exists(os.path.join(SOURCE, ".git")) else "?")
        self.assertRegex(r.stdout, r"\Aneurite " + re.escape(project) + commit + r"\n\Z")


class OutputFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.out = os.path.join(cls.tmp.name, "brunel")
        cls.args = ["run", BRUNEL, "--out", cls.out, "--duration", "300 ms", "--threads", "2", *SMALL]
        cls.result = neurite(*cls.args)

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

    def test_summary_json_says_where_the_result_came_from(self):
        with open(os.path.join(self.out, "summary.json")) as f:
            s = json.load(f)
        self.assertEqual(s["neurite_version"], version())
        self.assertEqual(s["model"], BRUNEL)
        self.assertEqual(s["overrides"], SMALL[1::2] + ["simulation.threads=2", 'simulation.duration="300 ms"'])
        self.assertEqual(s["command_line"], [NEURITE, *self.args])

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
            self.assertIn("brunel.toml:", r.stderr)
            self.assertIn(": projections[0]: expected a network that fits in the ", r.stderr)
            self.assertIn(" GB of memory available, found one that needs about ", r.stderr)
            self.assertIn("most of it for projections[0] (E->E) ", r.stderr)
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


def files_named(root, name):
    return [os.path.join(d, name) for d, _, files in os.walk(root) if name in files]


class HostileNames(unittest.TestCase):
    """Names with quotes and `;` reach the plot helper as plain arguments: no shell runs them."""

    def run_in(self, tmp, model_name, *args):
        model = os.path.join(tmp, model_name)
        with open(os.path.join(SOURCE, "examples", "cuba.toml")) as src, open(model, "w") as dst:
            dst.write(src.read())
        return neurite("run", model_name, "--duration", "50 ms", *args, cwd=tmp)

    def test_a_model_file_name_with_shell_code_runs_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = self.run_in(tmp, "m';touch PWNED;'.toml")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(files_named(tmp, "PWNED"), [])
            self.assertTrue(os.path.exists(os.path.join(tmp, "out", "m';touch PWNED;'", "raster.png")), r.stderr)

    def test_an_output_folder_with_shell_code_runs_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = "o'; touch PWNED; echo '"
            r = self.run_in(tmp, "cuba.toml", "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(files_named(tmp, "PWNED"), [])
            self.assertTrue(os.path.exists(os.path.join(tmp, out, "raster.png")), r.stderr)

    def test_an_output_folder_that_looks_like_an_option_gets_its_raster(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = self.run_in(tmp, "cuba.toml", "--out=-h")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(os.path.exists(os.path.join(tmp, "-h", "raster.png")), r.stdout)

    def test_a_quote_in_the_model_name_still_gets_its_raster(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = self.run_in(tmp, "bob's_net.toml")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("warning", r.stderr)
            path = os.path.join(tmp, "out", "bob's_net", "raster.png")
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


def learn_built():
    return "dynamic-confidence" in neurite("repro", "--list").stdout


class Train(unittest.TestCase):
    """`neurite train` starts its plot helper without a shell and records where its metrics came from."""

    def test_a_hostile_output_folder_runs_nothing_and_metrics_say_where_they_came_from(self):
        if not learn_built():
            self.skipTest("built without LibTorch")
        with tempfile.TemporaryDirectory() as tmp:
            out = "o'; touch PWNED; echo '"
            config = os.path.join(SOURCE, "examples", "snn_fmnist.toml")
            args = ["train", config, "--out", out, "--seed", "5", "--set", "data.train_samples=200",
                    "--set", "data.test_samples=100", "--set", "training.epochs=1", "--set", "model.hidden=[8]",
                    "--set", "data.steps=4"]
            r = neurite(*args, cwd=tmp)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(files_named(tmp, "PWNED"), [])
            self.assertTrue(os.path.exists(os.path.join(tmp, out, "learning_curve.png")), r.stderr)
            with open(os.path.join(tmp, out, "metrics.json")) as f:
                m = json.load(f)
            self.assertEqual(m["neurite_version"], version())
            self.assertEqual(m["config"], config)
            self.assertEqual(m["overrides"], args[7::2] + ["training.seed=5"])
            self.assertEqual(m["command_line"], [NEURITE, *args])
            self.assertEqual(m["seed"], 5)


class PlotMessages(unittest.TestCase):
    """The "wrote" line names raster.png only when it was drawn; a failed plot costs one warning line."""

    def run_cuba(self, tmp, **kw):
        out = os.path.join(tmp, "cuba")
        r = neurite("run", os.path.join(SOURCE, "examples", "cuba.toml"), "--out", out, "--duration", "50 ms", **kw)
        return out, r

    def test_a_failed_plot_warns_in_one_line_and_keeps_the_results(self):
        with tempfile.TemporaryDirectory() as tmp:
            broken = os.path.join(tmp, "broken")
            os.mkdir(broken)
            with open(os.path.join(broken, "h5py.py"), "w") as f:
                f.write("raise ImportError('h5py is broken here')\n")
            out, r = self.run_cuba(tmp, env={**os.environ, "PYTHONPATH": broken})
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr, "warning: raster.png could not be drawn: ImportError: h5py is broken here\n")
            self.assertIn(f"wrote {out}/spikes.h5, summary.json\n", r.stdout)
            self.assertNotIn("raster.png", r.stdout)
            self.assertFalse(os.path.exists(os.path.join(out, "raster.png")))
            for name in ("spikes.h5", "summary.json"):
                self.assertTrue(os.path.exists(os.path.join(out, name)), name)

    def test_with_stdout_piped_the_lines_come_in_order(self):
        with tempfile.TemporaryDirectory() as tmp:
            out, r = self.run_cuba(tmp)
            self.assertEqual(r.returncode, 0, r.stderr)
            lines = r.stdout.splitlines()
            table = next(i for i, line in enumerate(lines) if line.startswith("population"))
            helper = lines.index(os.path.join(out, "raster.png"))
            self.assertLess(table, helper)
            self.assertEqual(lines[-1], f"wrote {out}/spikes.h5, summary.json, raster.png")


class Companions(unittest.TestCase):
    """The plot scripts are found at run time from the executable's path, not a path fixed at build time."""

    def test_a_moved_binary_uses_the_scripts_of_its_installed_tree(self):
        with tempfile.TemporaryDirectory() as tmp:
            os.makedirs(os.path.join(tmp, "bin"))
            scripts = os.path.join(tmp, "share", "neurite", "python")
            os.makedirs(scripts)
            binary = shutil.copy(NEURITE, os.path.join(tmp, "bin", "neurite"))
            with open(os.path.join(SOURCE, "python", "neurite_plot.py")) as src, \
                    open(os.path.join(scripts, "neurite_plot.py"), "w") as dst:
                dst.write("open(__file__ + '.ran', 'w').close()\n" + src.read())
            out = os.path.join(tmp, "cuba")
            r = subprocess.run([binary, "run", os.path.join(SOURCE, "examples", "cuba.toml"), "--out", out,
                                "--duration", "50 ms"], capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertTrue(os.path.exists(os.path.join(scripts, "neurite_plot.py.ran")), r.stderr)
            self.assertTrue(os.path.exists(os.path.join(out, "raster.png")), r.stderr)

    def test_a_missing_script_is_a_warning_that_says_where_it_looked(self):
        with tempfile.TemporaryDirectory() as tmp:
            nowhere = os.path.join(tmp, "nowhere")
            out = os.path.join(tmp, "cuba")
            r = neurite("run", os.path.join(SOURCE, "examples", "cuba.toml"), "--out", out, "--duration", "20 ms",
                        env={**os.environ, "NEURITE_PYTHON_DIR": nowhere})
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stderr, f"warning: raster.png could not be drawn: no neurite_plot.py in {nowhere} "
                                       "(NEURITE_PYTHON_DIR names the folder that has it)\n")
            self.assertTrue(os.path.exists(os.path.join(out, "summary.json")))

    def test_an_empty_output_folder_is_refused_naming_the_option(self):
        with tempfile.TemporaryDirectory() as tmp:
            for args in (("run", BRUNEL), ("repro", "sdr-dendrites")):
                r = neurite(*args, "--out", "", cwd=tmp)
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn("--out: expected a folder name, found an empty string", r.stderr)
                self.assertEqual(os.listdir(tmp), [])


class OptionErrors(unittest.TestCase):
    """An option that stands for a key is named in errors as typed; a seed takes any uint64."""
    U64 = "an integer in [0, 18446744073709551615]"

    def test_a_negative_seed_is_refused_naming_the_option(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "never")
            r = neurite("run", BRUNEL, "--out", out, "--seed", "-1")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertTrue(r.stderr.startswith(f"--seed: simulation.seed: expected {self.U64}"), r.stderr)
            self.assertTrue(r.stderr.endswith("found -1\n"), r.stderr)
            self.assertFalse(os.path.exists(out))
            r = neurite("repro", "sdr-dendrites", "--out", out, "--seed", "-1")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertTrue(r.stderr.startswith(f'--seed: expected {self.U64}, found "-1"'), r.stderr)
            self.assertFalse(os.path.exists(out))

    def test_seeds_above_two_to_the_63_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            for seed in ("9223372036854775808", "18446744073709551615"):
                out = os.path.join(tmp, seed)
                r = neurite("run", os.path.join(SOURCE, "examples", "cuba.toml"), "--out", out, "--seed", seed,
                            "--duration", "10 ms", "--no-plot", "--quiet")
                self.assertEqual(r.returncode, 0, r.stderr)
                with open(os.path.join(out, "summary.json")) as f:
                    self.assertEqual(json.load(f)["seed"], int(seed))

    def test_a_bad_duration_names_the_option(self):
        r = neurite("run", BRUNEL, "--duration", "3 mV")
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertEqual(r.stderr, '--duration: simulation.duration: expected a time (ms), found a voltage ("3 mV")\n')

    def test_train_threads_zero_names_the_option(self):
        if not learn_built():
            self.skipTest("built without LibTorch")
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "never")
            r = neurite("train", os.path.join(SOURCE, "examples", "snn_fmnist.toml"), "--out", out, "--threads", "0")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertTrue(r.stderr.startswith("--threads: training.threads: expected an integer in [1, "), r.stderr)
            self.assertFalse(os.path.exists(out))


class FileOrder(unittest.TestCase):
    """The table, summary.json and the raster list populations in the model file's order."""
    ORDER = ["zeta", "alpha", "mu"]

    def test_outputs_follow_the_order_of_the_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            model, out = os.path.join(tmp, "order.toml"), os.path.join(tmp, "order")
            with open(model, "w") as f:
                f.write('[simulation]\nduration = "50 ms"\n')
                for k, name in enumerate(self.ORDER):
                    f.write(f'[populations.{name}]\nmodel = "poisson_source"\nsize = {k + 2}\n'
                            'params = { rate = "100 Hz" }\n')
                f.write('[record]\nspikes = ["alpha", "mu", "zeta"]\n')  # sources are not recorded unless named
            r = neurite("run", model, "--out", out)
            self.assertEqual(r.returncode, 0, r.stderr)
            table = [words[0] for words in map(str.split, r.stdout.splitlines()) if words and words[0] in self.ORDER]
            self.assertEqual(table, self.ORDER)
            with open(os.path.join(out, "summary.json")) as f:
                summary = json.load(f)  # a dict keeps the file's order
            self.assertEqual(list(summary["populations"]), self.ORDER)
            sys.path.insert(0, os.path.join(SOURCE, "python"))
            try:
                import neurite_plot
            finally:
                sys.path.pop(0)
            drawn = neurite_plot.in_model_order(neurite_plot.read_spikes(out), summary["populations"])
            self.assertEqual([name for name, _ in drawn], self.ORDER)
            self.assertTrue(os.path.exists(os.path.join(out, "raster.png")))


class SavePng(unittest.TestCase):
    def test_a_failed_save_leaves_the_old_figure_and_no_temporary(self):
        sys.path.insert(0, os.path.join(SOURCE, "python"))
        try:
            import neurite_plot
        finally:
            sys.path.pop(0)

        class FailingFigure:
            def savefig(self, path, **kw):
                with open(path, "wb") as f:
                    f.write(b"\x89PNG half")
                raise OSError("disk full")

        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "raster.png")
            with open(path, "wb") as f:
                f.write(b"old figure")
            with self.assertRaises(OSError):
                neurite_plot.save_png(FailingFigure(), path)
            self.assertEqual(os.listdir(tmp), ["raster.png"])
            with open(path, "rb") as f:
                self.assertEqual(f.read(), b"old figure")


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
            "--set", "stimuli.0.n=8", "--set", "stimuli.1.n=8", "--threads", "1", "--no-plot", "--quiet"]
    # One thread: on 100 neurons a second one only adds a barrier per step (2-3x slower, and on a
    # loaded machine 3e6 barriers outlast the time limit).

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

    def checkpointed_run(self, out):
        """30 ms of the small network with a checkpoint every 10 ms; returns the checkpoint's path."""
        r = neurite("run", BRUNEL, "--out", out, "--duration", "30 ms", "--checkpoint-every", "10 ms", *SMALL,
                    "--no-plot", "--quiet")
        self.assertEqual(r.returncode, 0, r.stderr)
        return os.path.join(out, "checkpoint.h5")

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
            ckpt = self.checkpointed_run(out)
            with open(ckpt, "rb") as f:
                data = f.read()
            cases = {"truncated.h5": data[: len(data) // 2], "garbage.h5": b"\x89HDF\r\n\x1a\n" + b"\x00" * 500,
                     "text.h5": b"not a checkpoint\n"}
            for name, content in cases.items():
                bad = os.path.join(tmp, name)
                with open(bad, "wb") as f:
                    f.write(content)
                before = sorted(os.listdir(out))
                r = neurite("run", "--resume", bad, "--no-plot")
                self.assertEqual(r.returncode, 2, f"{name}: {r.stderr}")
                self.assertTrue(r.stderr.startswith(bad + ": "), r.stderr)
                self.assertNotIn("Traceback", r.stderr)
                self.assertEqual(sorted(os.listdir(out)), before)
            r = neurite("run", "--resume", ckpt, "--set", "populations.E.size=10")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("--resume: expected no model file, --seed or --set", r.stderr)
            self.assertIn("found --set", r.stderr)

    def test_a_full_disk_after_a_checkpoint_keeps_the_spikes_written(self):
        def small_disk():  # a file-size limit fails writes as a full disk does
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))

        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "a")
            r = subprocess.run([NEURITE, "run", BRUNEL, "--out", out, "--duration", "3000 ms", "--checkpoint-every",
                                "20 ms", *SMALL, "--no-plot", "--quiet"], preexec_fn=small_disk, capture_output=True,
                               text=True)
            self.assertEqual(r.returncode, 1, r.stderr)  # an error, not a crash
            part = os.path.join(out, "spikes.h5.part")
            self.assertIn(f"the spikes written so far stay in {part}", r.stderr)
            self.assertEqual(sorted(os.listdir(out)), ["checkpoint.h5", "spikes.h5.part"])
            self.assertGreater(os.path.getsize(part), 100_000)

    def test_resume_refuses_an_end_at_or_before_the_checkpoint_and_another_out(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "a")
            ckpt = self.checkpointed_run(out)
            before = {name: os.path.getmtime(os.path.join(out, name)) for name in os.listdir(out)}
            for end in ("30 ms", "20 ms"):  # the checkpoint is at the end, t = 30 ms
                r = neurite("run", "--resume", ckpt, "--duration", end, "--no-plot", "--quiet")
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertIn(f"--duration: expected a time after the checkpoint's t = 30 ms, found \"{end}\"", r.stderr)
            elsewhere = os.path.join(tmp, "b")
            r = neurite("run", "--resume", ckpt, "--duration", "40 ms", "--out", elsewhere, "--no-plot", "--quiet")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("--out: expected none with --resume", r.stderr)
            self.assertFalse(os.path.exists(elsewhere))
            self.assertEqual({name: os.path.getmtime(os.path.join(out, name)) for name in os.listdir(out)}, before)
            r = neurite("run", "--no-plot")
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("run: expected a model file or --resume CHECKPOINT (one of them), found neither", r.stderr)


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


    def test_diehl_cook_is_identical_for_1_and_3_threads_across_normalisations(self):
        """STDP with weight normalisation every 500 ms (examples/diehl_cook.toml), past two periods."""
        with tempfile.TemporaryDirectory() as tmp:
            spikes = []
            for threads in ("1", "3"):
                out = os.path.join(tmp, threads)
                r = neurite("run", os.path.join(SOURCE, "examples", "diehl_cook.toml"), "--out", out,
                            "--duration", "1200 ms", "--threads", threads, "--no-plot", "--quiet")
                self.assertEqual(r.returncode, 0, r.stderr)
                with h5py.File(os.path.join(out, "spikes.h5"), "r") as f:
                    spikes.append({p: (f[f"spikes/{p}/timestamps"][:], f[f"spikes/{p}/node_ids"][:]) for p in "EI"})
            for p in "EI":
                self.assertGreater(len(spikes[0][p][0]), 0, f"diehl_cook.{p} is silent")
                np.testing.assert_array_equal(spikes[0][p][0], spikes[1][p][0])
                np.testing.assert_array_equal(spikes[0][p][1], spikes[1][p][1])


class HostileModelInput(unittest.TestCase):
    """Inputs that once crashed or gave silently wrong results: refused with exit 2, nothing written."""

    def refused(self, model, *args):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "never")
            r = neurite("run", model, "--out", out, "--no-plot", *args)
            self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
            self.assertFalse(os.path.exists(out))
            return r.stderr

    def test_a_duration_whose_step_count_overflows_is_refused(self):
        for duration in ("1e15 s", "1e20 s"):
            err = self.refused(os.path.join(SOURCE, "examples", "cuba.toml"), "--duration", duration)
            self.assertIn("simulation.duration: expected a time of at most 9007199254740992 steps of dt", err)


    def test_deep_nesting_and_files_that_are_not_small_regular_files_are_refused(self):
        with tempfile.TemporaryDirectory() as tmp:
            deep = os.path.join(tmp, "deep.toml")
            with open(deep, "w") as f:
                f.write(".".join(["a"] * 50000) + " = 1\n")
            self.assertIn("deep.toml:1:130: expected valid TOML nested at most 64 levels deep", self.refused(deep))
            err = self.refused(os.path.join(SOURCE, "examples", "cuba.toml"), "--set", ".".join(["a"] * 50000) + "=1")
            self.assertIn("expected a KEY and VALUE nested at most 64 levels deep", err)
        self.assertIn("/dev/zero: expected a readable model file (a regular file), found a character device",
                      self.refused("/dev/zero"))


    def test_a_slash_in_a_projection_name_is_refused_where_it_is_read(self):
        with tempfile.TemporaryDirectory() as tmp:
            model = os.path.join(tmp, "slash.toml")
            with open(model, "w") as f:
                f.write('[simulation]\nduration = "10 ms"\n'
                        '[populations.E]\nmodel = "iaf_psc_delta"\nsize = 2\n'
                        '[[projections]]\nname = "E/E"\nsource = "E"\ntarget = "E"\n'
                        'connector = { rule = "all_to_all" }\nweight = "0.1 mV"\ndelay = "1 ms"\n'
                        'plasticity = { rule = "stdp_pair" }\n'
                        '[record]\nweights = [{ projection = "E/E", targets = [0] }]\n')
            self.assertIn("slash.toml:7: projections[0].name: expected a projection name of 1 to 255 letters",
                          self.refused(model))


class Info(unittest.TestCase):
    """`neurite info` shows the keys the reader reads, in the form it reads them."""

    def test_every_connector_and_stimulus_lists_its_keys_and_switches_read_true_or_false(self):
        r = neurite("info", "explicit")
        self.assertEqual(r.returncode, 0, r.stderr)
        for key in ("file", "weight_unit", "delay_unit"):
            self.assertIn(key, r.stdout)
        self.assertIn("spike_times", neurite("info", "spike_source").stdout)
        for name, key in (("fixed_indegree", "autapses"), ("stdp_pair", "nearest")):
            line = next(l for l in neurite("info", name).stdout.splitlines() if l.split()[:1] == [key])
            self.assertIn("true | false", line)
        self.assertNotIn(" inf", neurite("info").stdout)

    def test_an_unknown_name_gets_a_suggestion(self):
        r = neurite("info", "iaf_psc_exp_typo")
        self.assertEqual(r.returncode, 2)
        self.assertIn("did you mean 'iaf_psc_exp'?", r.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)
