"""End-to-end test of `neurite train` and `neurite eval`: a tiny run writes its metrics, curve and
checkpoints; resuming from the epoch-1 checkpoint on another thread count gives the same metrics;
eval of the last checkpoint gives the test accuracy recorded in training; a mistake in the
training file exits with status 2, naming the key, and writes nothing; so does a bad checkpoint.

Run by CTest as: /usr/bin/python3 test_train_cli.py NEURITE_BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

NEURITE, SOURCE = sys.argv[1], sys.argv[2]
EXAMPLE = os.path.join(SOURCE, "examples", "snn_fmnist.toml")
TINY = ["--set", "data.train_samples=1000", "--set", "data.test_samples=200", "--set", "training.epochs=2",
        "--set", "model.hidden=[32]", "--set", "data.steps=6", "--no-plot"]


def neurite(*args):
    return subprocess.run([NEURITE, *args], capture_output=True, text=True, timeout=300)


def load_metrics(folder):
    with open(os.path.join(folder, "metrics.json")) as f:
        return json.load(f)


class Train(unittest.TestCase):
    def test_a_tiny_run_writes_metrics_and_learning_curve(self):
        with tempfile.TemporaryDirectory() as out:
            result = neurite("train", EXAMPLE, "--out", out, "--threads", "2", *TINY)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("test accuracy", result.stdout)
            self.assertIn("epoch 2/2", result.stderr)
            with open(os.path.join(out, "metrics.json")) as f:
                m = json.load(f)
            self.assertEqual(len(m["epochs"]), 2)
            self.assertEqual((m["threads"], m["train_samples"], m["test_samples"]), (2, 1000, 200))
            self.assertEqual(m["parameters"], 784 * 32 + 32 + 32 * 10 + 10)
            self.assertGreater(m["test_accuracy"], 0.3)  # chance is 0.1
            with open(os.path.join(out, "learning_curve.csv")) as f:
                self.assertEqual(len(f.read().splitlines()), 3)

    def test_resume_and_eval_reproduce_the_straight_run(self):
        with tempfile.TemporaryDirectory() as tmp:
            straight, resumed = os.path.join(tmp, "straight"), os.path.join(tmp, "resumed")
            result = neurite("train", EXAMPLE, "--out", straight, "--threads", "1", *TINY,
                             "--set", "model.recurrent=true", "--set", "model.learn_tau=true",
                             "--set", "training.keep_checkpoints=true")
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue(os.path.exists(os.path.join(straight, "checkpoint-epoch-1.pt")))
            result = neurite("train", "--resume", os.path.join(straight, "checkpoint-epoch-1.pt"), "--out", resumed,
                             "--threads", "2", "--no-plot")
            self.assertEqual(result.returncode, 0, result.stderr)
            a, b = (load_metrics(d) for d in (straight, resumed))
            self.assertEqual(len(b["epochs"]), 2)
            for key in ("train_loss", "train_accuracy", "test_accuracy"):
                self.assertEqual([e[key] for e in a["epochs"]], [e[key] for e in b["epochs"]], key)
            result = neurite("eval", os.path.join(resumed, "checkpoint.pt"), "--out", tmp, "--threads", "2")
            self.assertEqual(result.returncode, 0, result.stderr)
            with open(os.path.join(tmp, "eval.json")) as f:
                e = json.load(f)
            self.assertEqual(e["accuracy"], a["test_accuracy"])
            self.assertEqual(e["samples"], 200)

    def test_a_bad_checkpoint_exits_with_2_naming_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            bad = os.path.join(tmp, "checkpoint.pt")
            with open(bad, "w") as f:
                f.write("not a checkpoint")
            for command in (["train", "--resume", bad], ["eval", bad]):
                result = neurite(*command)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(bad + ": cannot be read as a checkpoint", result.stderr)
            result = neurite("train", "--resume", bad, "--set", "training.epochs=3")
            self.assertEqual(result.returncode, 2)
            self.assertIn("cannot change a resumed run", result.stderr)

    def test_a_wrong_key_exits_with_2_and_writes_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "run")
            result = neurite("train", EXAMPLE, "--out", out, "--set", "training.epoch=2")
            self.assertEqual(result.returncode, 2)
            self.assertIn('training.epoch: expected a key of [training]', result.stderr)
            self.assertIn('did you mean "epochs"', result.stderr)
            self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
