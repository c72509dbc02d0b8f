#!/usr/bin/python3
"""`neurite analyze` side by side with NumPy/SciPy on the same spikes: a small Brunel network run by
`neurite run`, analysed by `neurite analyze`, and its spikes.h5 read again here with h5py. Compared:
each neuron's CV and LV (numpy), the Welch spectrum of the population rate
(scipy.signal.welch with its defaults: periodic Hann window, half overlap, constant detrend,
one-sided density), and the participation ratio of the same neurons' binned counts from the
eigenvalues of numpy's covariance.

Run by CTest as: /usr/bin/python3 analysis_scipy_peer.py NEURITE_BINARY SOURCE_DIR (exit 1 on a
difference, 77 without SciPy or h5py).
"""
import json
import os
import subprocess
import sys
import tempfile

try:
    import h5py
    import numpy as np
    from scipy import signal
except ImportError:
    print('SciPy, NumPy or h5py is not installed: skipped')
    sys.exit(77)

NEURITE, SOURCE = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from brunel_small import SMALL  # noqa: E402  (tests/brunel_small.py)
failures = []


def check(what, ours, theirs, rtol):
    ours, theirs = np.asarray(ours, float), np.asarray(theirs, float)
    ok = ours.shape == theirs.shape and np.allclose(ours, theirs, rtol=rtol, atol=1e-12, equal_nan=True)
    print(f"{what}: neurite {np.ravel(ours)[:3]} scipy/numpy {np.ravel(theirs)[:3]} {'ok' if ok else 'DIFFERENT'}")
    if not ok:
        failures.append(what)


def lv(isi):
    return 3 * np.mean(((isi[:-1] - isi[1:]) / (isi[:-1] + isi[1:])) ** 2) if isi.size >= 2 else np.nan


def main():
    with tempfile.TemporaryDirectory(prefix=f"neurite_analysis_peer_{os.getpid()}_") as tmp:
        run = subprocess.run([NEURITE, "run", os.path.join(SOURCE, "examples", "brunel.toml"), "--out", tmp,
                              "--duration", "2 s", "--threads", "2", "--no-plot", "--quiet", *SMALL],
                             capture_output=True, text=True, timeout=300)
        if run.returncode:
            print(run.stderr)
            return 1
        bin_ms, window_ms, max_neurons = 1.0, 50.0, 60
        a = subprocess.run([NEURITE, "analyze", os.path.join(tmp, "spikes.h5"), "--no-plot", "--quiet", "--bin",
                            str(bin_ms), "--window", str(window_ms), "--max-neurons", str(max_neurons), "--from", "100"],
                           capture_output=True, text=True, timeout=300)
        if a.returncode:
            print(a.stderr)
            return 1
        with open(os.path.join(tmp, "analysis.json")) as f:
            analysis = json.load(f)
        t0, t1 = 100.0, analysis["t_stop_ms"]
        with h5py.File(os.path.join(tmp, "spikes.h5"), "r") as f:
            for pop in ("E", "I"):
                times = f[f"spikes/{pop}/timestamps"][:]
                ids = f[f"spikes/{pop}/node_ids"][:]
                size = int(f[f"spikes/{pop}"].attrs["population_size"])
                keep = (times >= t0) & (times <= t1)
                times, ids = times[keep], ids[keep]
                neurons = np.genfromtxt(os.path.join(tmp, f"analysis_neurons_{pop}.csv"), delimiter=",", names=True)
                cv, lvs = [], []
                for i in neurons["node_id"].astype(int):
                    isi = np.diff(np.sort(times[ids == i]))
                    cv.append(isi.std() / isi.mean() if isi.size >= 2 else np.nan)
                    lvs.append(lv(isi))
                check(f"{pop} CV of each neuron", neurons["cv_isi"], cv, 1e-9)
                check(f"{pop} LV of each neuron", neurons["lv"], lvs, 1e-9)
                n_bins = int(np.floor((t1 - t0) / bin_ms + 1e-9))
                counts = np.bincount(((times - t0) / bin_ms).astype(int), minlength=n_bins + 1)[:n_bins]
                rate = counts * 1000.0 / (bin_ms * size)
                fs = 1000.0 / bin_ms
                freq, power = signal.welch(rate, fs=fs, nperseg=int(round(fs)))
                spec = np.genfromtxt(os.path.join(tmp, f"analysis_spectrum_{pop}.csv"), delimiter=",", names=True)
                check(f"{pop} Welch frequencies", spec["frequency_hz"], freq, 1e-12)
                check(f"{pop} Welch power", spec["power"], power, 1e-8)
                # The neurons `analyze` samples: those that fired, evenly spread in id order.
                active = np.unique(ids)
                picked = active if active.size <= max_neurons else active[(np.arange(max_neurons) * active.size) // max_neurons]
                n_windows = int(np.floor((t1 - t0) / window_ms + 1e-9))
                binned = np.array([np.bincount(((times[ids == i] - t0) / window_ms).astype(int),
                                               minlength=n_windows + 1)[:n_windows] for i in picked], float)
                eig = np.linalg.eigvalsh(np.cov(binned, bias=True))
                check(f"{pop} participation ratio", analysis["populations"][pop]["dimension"]["participation_ratio"],
                      eig.sum() ** 2 / (eig ** 2).sum(), 1e-8)
    print("FAILED: " + ", ".join(failures) if failures else "all agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
