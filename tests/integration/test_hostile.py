"""Hostile inputs against the built CLI, one table row each (issue 10, "a hostile corpus").

Every row runs `neurite` on a tiny model (changed by --set, by editing the file, or replaced by
garbage) and states the exit code and a regex its message must match: the key named and the
word "expected" (or the limit), not the exact text. Every row also checks that the process
neither crashed (signal, sanitizer or traceback text) nor hung (a timeout per row), that no
partial file (*.part) is left and no PWNED file appeared, that a refused run wrote nothing,
and that an exit 0 wrote a sensible summary.json. Prints the totals per category.

Run by CTest as: /usr/bin/python3 test_hostile.py NEURITE_BINARY SOURCE_DIR [NAME_REGEX]
"""
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Optional

NEURITE, SOURCE = sys.argv[1], sys.argv[2]
ONLY = re.compile(sys.argv[3]) if len(sys.argv) > 3 else None
ROW_TIMEOUT_S = 30
MEMORY_LIMIT = 3 << 30  # address space of each run: /dev/zero and huge inputs fail instead of filling memory
FILE_LIMIT = 256 << 20  # largest file a run may write

TINY = """\
[simulation]
dt = "0.1 ms"
duration = "20 ms"
seed = 1
threads = 1

[populations.src]
model = "spike_source"
size = 3
spike_times = { unit = "ms", times = [[1.0, 5.0], [], [2.5]] }

[populations.noise]
model = "poisson_source"
size = 2
params = { rate = "100 Hz" }

[populations.E]
model = "iaf_psc_delta"
size = 4
params = { tau_m = "10 ms", C_m = "250 pF", t_ref = "2 ms", V_th = "-55 mV", V_reset = "-70 mV", E_L = "-70 mV", I_e = "0 pA" }
initial = { V_m = { dist = "uniform", low = "-70 mV", high = "-56 mV" } }

[[projections]]
name = "src_E"
source = "src"
target = "E"
connector = { rule = "explicit", file = "edges.csv", weight_unit = "mV", delay_unit = "ms" }

[[projections]]
name = "EE"
source = "E"
target = "E"
connector = { rule = "fixed_indegree", indegree = 2, autapses = false }
weight = "0.5 mV"
delay = "1 ms"
plasticity = { rule = "stdp_pair", tau_plus = "20 ms", tau_minus = "20 ms", A_plus = 0.01, A_minus = 0.0105, w_min = "0 mV", w_max = "1 mV" }

[[projections]]
name = "noise_E"
source = "noise"
target = "E"
connector = { rule = "fixed_probability", p = 0.5 }
weight = "2 mV"
delay = "0.5 ms"

[[stimuli]]
type = "poisson_input"
target = "E"
n = 5
rate = "50 Hz"
weight = "1 mV"
start = "0 ms"
stop = "15 ms"

[[stimuli]]
type = "dc"
target = "E"
amplitude = "10 pA"
start = "2 ms"
stop = "10 ms"

[record]
spikes = ["E", "src"]
state = [{ population = "E", variable = "V_m", ids = [0, 1], interval = "1 ms" }]
weights = [{ projection = "EE", targets = [0], interval = "5 ms" }]
rate_bin = "1 ms"
"""
EDGES = "source,target,weight,delay\n0,0,20.0,1.0\n1,1,20.0,1.0\n2,2,20.0,1.5\n"
SRC_SPIKES = 3  # spikes of population src in TINY
RUN = ["run", "{model}", "--out", "{out}", "--no-plot"]
CRASH_TEXT = re.compile(r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|Segmentation fault"
                        r"|terminate called|Traceback \(most recent call last\)|std::bad_alloc|core dumped")


@dataclass
class Row:
    category: str
    name: str
    args: list = field(default_factory=lambda: list(RUN))
    exit: object = 2                    # an int, or a set of accepted codes
    pattern: str = r"expected"          # must match stdout + stderr (re.S)
    model: Optional[str] = None         # model text (None: TINY)
    model_name: str = "model.toml"
    files: dict = field(default_factory=dict)  # more files beside the model: name -> str or bytes
    check: Optional[Callable] = None    # check(row_dir, out_dir) -> error text or None, on exit 0
    waits_for: str = ""                 # the defect of issue 10 this row waits for, if any
    max_rss_mb: int = 1024              # peak memory allowed (the tiny model needs ~50 MB)


def summary_of(out):
    with open(os.path.join(out, "summary.json")) as f:
        return json.load(f)


def ran(duration_ms, src_spikes=SRC_SPIKES, seed=None, out_dir=None, raster=False):
    """On exit 0: a summary with the duration asked for, every spike of the source, the seed given,
    and the raster when plotted. out_dir: where the outputs are, relative to the row's folder."""
    def check(row_dir, out):
        if out_dir is not None:
            out = os.path.join(row_dir, out_dir)
        s = summary_of(out)
        if abs(s["duration_ms"] - duration_ms) > 1e-9:
            return f"duration_ms {s['duration_ms']}, expected {duration_ms}"
        if src_spikes is not None and s["populations"]["src"]["spikes"] != src_spikes:
            return f"src spikes {s['populations']['src']['spikes']}, expected {src_spikes}"
        if seed is not None and s["seed"] != seed:
            return f"seed {s['seed']}, expected {seed}"
        if not os.path.isfile(os.path.join(out, "spikes.h5")):
            return "no spikes.h5"
        if raster and not os.path.isfile(os.path.join(out, "raster.png")):
            return "no raster.png"
        return None
    return check


def edit(old, new, text=TINY):
    assert old in text, old
    return text.replace(old, new, 1)


def located(key):
    """A message located in the model file, naming the key, with "expected" or a limit."""
    return rf"model\.toml:\d+:.*{re.escape(key)}.*(expected|limit|at most)"


def located_any(*words):
    return rf"model\.toml:\d+:.*({'|'.join(map(re.escape, words))}).*(expected|limit|at most|available)"


def named(key):
    return rf"{re.escape(key)}.*(expected|limit|at most)"


# ---- the table ------------------------------------------------------------------------------

# Keys of TINY by kind: a quantity of a dimension, an integer, a plain number.
QUANTITIES = [  # key, its unit, a unit of another dimension, whether it must be > 0 (else >= 0 or any sign)
    ("simulation.dt", "ms", "mV", True), ("simulation.duration", "ms", "mV", True),
    ("populations.E.params.tau_m", "ms", "mV", True), ("populations.E.params.C_m", "pF", "ms", True),
    ("populations.E.params.t_ref", "ms", "mV", False), ("populations.E.params.V_th", "mV", "ms", None),
    ("populations.E.params.I_e", "pA", "mV", None), ("populations.noise.params.rate", "Hz", "ms", False),
    ("projections.1.weight", "mV", "pA", None), ("projections.1.delay", "ms", "mV", True),
    ("projections.1.plasticity.tau_plus", "ms", "mV", True), ("projections.1.plasticity.w_max", "mV", "ms", None),
    ("stimuli.0.rate", "Hz", "mV", False), ("stimuli.0.weight", "mV", "pA", None),
    ("stimuli.0.start", "ms", "mV", False), ("stimuli.1.amplitude", "pA", "mV", None),
    ("record.rate_bin", "ms", "mV", True), ("record.state.0.interval", "ms", "mV", True),
    ("record.weights.0.interval", "ms", "Hz", True),
]
INTEGERS = [  # key, smallest allowed
    ("simulation.seed", 0), ("simulation.threads", 1), ("populations.E.size", 1), ("stimuli.0.n", 1),
    ("projections.1.connector.indegree", 0),
]
NUMBERS = ["projections.2.connector.p", "projections.1.plasticity.A_plus"]


def override_rows():
    """Every kind of key given a wrong unit, no unit, NaN, nothing, a wrong sign, a wrong type."""
    rows = []

    def add(category, key, value, waits_for=""):
        rows.append(Row(category, f"{key}={value}", RUN + ["--set", f"{key}={value}"], 2, named(key.split(".")[-1]),
                        waits_for=waits_for))

    for key, unit, wrong, positive in QUANTITIES:
        add("wrong unit", key, f'"5 {wrong}"')
        add("no unit", key, "5")
        add("nan", key, f'"nan {unit}"')
        add("nan", key, "nan")
        add("empty", key, '""')
        if positive is not None:
            add("negative", key, f'"-5 {unit}"')
    for key, smallest in INTEGERS:
        add("negative", key, str(smallest - 1 if smallest > 0 else -1))
        add("wrong type", key, "1.5")
        add("empty", key, '""')
        add("huge", key, "99999999999999999999")  # beyond 64 bits: not a TOML integer
    for key in NUMBERS:
        add("nan", key, "nan")
        add("inf", key, "inf")
        add("empty", key, '""')
        add("wrong unit", key, '"0.5 ms"')
    add("negative", "projections.2.connector.p", "-0.5")
    add("huge", "projections.2.connector.p", "1.5")
    rows.append(Row("huge", 'simulation.dt="1e300 ms"', RUN + ["--set", 'simulation.dt="1e300 ms"'], 2,
                    r"(dt|duration).*expected"))  # dt beyond the duration: either key may be blamed
    # --threads stops at 256; the same key in the file or --set must too (not try 1,000 threads).
    add("huge", "simulation.threads", "1000", "new: simulation.threads has no upper bound, unlike --threads (256)")
    # Times kept as step counts: 1e301 steps fit no integer (as durations in defect 2).
    for key in ("populations.E.params.t_ref", "record.rate_bin", "record.state.0.interval", "record.weights.0.interval"):
        add("huge", key, '"1e300 ms"', "new: step count overflow of a time (reader, like defect 2)")
    return rows


INF_KEYS = ["simulation.dt", "populations.E.params.tau_m", "populations.E.params.C_m", "projections.1.weight",
            "projections.1.delay", "stimuli.0.rate", "stimuli.1.amplitude", "record.rate_bin"]
INF_UNITS = {"dt": "ms", "tau_m": "ms", "C_m": "pF", "weight": "mV", "delay": "ms", "rate": "Hz", "amplitude": "pA",
             "rate_bin": "ms"}


def inf_rows():
    rows = []
    for key in INF_KEYS:
        leaf = key.split(".")[-1]
        for value in (f'"inf {INF_UNITS[leaf]}"', f'"-inf {INF_UNITS[leaf]}"', "inf"):
            rows.append(Row("inf", f"{key}={value}", RUN + ["--set", f"{key}={value}"], 2, named(leaf)))
    return rows


def file_rows():
    """Bad values written in the file itself: the message names FILE:LINE and the key."""
    r = []

    def add(category, old, new, key, waits_for="", pattern=None):
        r.append(Row(category, f"file: {new}", model=edit(old, new), pattern=pattern or located(key),
                     waits_for=waits_for))

    add("huge", 'duration = "20 ms"', 'duration = "1e15 s"', "duration", "defect 2")
    add("huge", 'duration = "20 ms"', 'duration = "1e20 s"', "duration", "defect 2")
    add("huge", 'duration = "20 ms"', 'duration = "1e300 s"', "duration", "defect 2")
    add("huge", 'dt = "0.1 ms"', 'dt = "1e-300 ms"', "", "defect 2", located_any("dt", "duration"))
    add("huge", 'delay = "1 ms"', 'delay = "10 s"', "delay", "defect 9")  # 100,000 steps
    # The memory pre-check: the file, the line and the key that makes the network too big.
    add("huge", "size = 4", "size = 4000000000", "", "defect 9", located_any("size", "memory", "synapses"))
    add("huge", "indegree = 2", "indegree = 1000000000", "", "defect 9", located_any("indegree", "memory", "synapses"))
    add("nan", 'tau_m = "10 ms"', "tau_m = nan", "tau_m")
    add("inf", 'V_th = "-55 mV"', 'V_th = "inf mV"', "V_th")
    add("wrong unit", 'amplitude = "10 pA"', 'amplitude = "10 µA"', "amplitude")
    add("wrong unit", 'rate = "50 Hz"', 'rate = "+50 Hz"', "rate")
    add("wrong unit", 'unit = "ms"', 'unit = "mV"', "unit")
    add("empty", 'model = "iaf_psc_delta"', 'model = ""', "model")
    add("empty", "spikes = [\"E\", \"src\"]", "spikes = [\"\"]", "spikes")
    add("negative", "times = [[1.0, 5.0], [], [2.5]]", "times = [[-1.0], [], [2.5]]", "times")
    add("nan", "times = [[1.0, 5.0], [], [2.5]]", "times = [[nan], [], [2.5]]", "times")
    # Its step count overflows (llround(1e301) - 1 is undefined), as durations do in defect 2.
    add("huge", "times = [[1.0, 5.0], [], [2.5]]", "times = [[1e300], [], [2.5]]", "times",
        "new: spike-time step overflow (reader, like defect 2)")
    add("wrong type", "ids = [0, 1]", 'ids = [0, "1"]', "ids")
    add("huge", "ids = [0, 1]", "ids = [0, 99]", "ids")
    add("negative", "autapses = false", "autapses = -1", "autapses")
    v_m = 'initial = { V_m = { dist = "uniform", low = "-70 mV", high = "-56 mV" } }'
    add("negative", v_m, 'initial = { V_m = { dist = "uniform", low = "-56 mV", high = "-70 mV" } }', "high")
    add("negative", v_m, 'initial = { V_m = { dist = "normal", mean = "-60 mV", sd = "-1 mV" } }', "sd")
    add("wrong unit", v_m, 'initial = { V_m = { dist = "normal", mean = "-60 mV", sd = "1 ms" } }', "sd")
    add("nan", v_m, 'initial = { V_m = { dist = "normal", mean = "nan mV", sd = "1 mV" } }', "mean")
    add("empty", v_m, 'initial = { V_m = { dist = "" } }', "dist")
    # sd^2 / mean^2 overflows: the lognormal's sigma is inf, and the weights come out at w_max.
    add("huge", 'weight = "0.5 mV"', 'weight = { dist = "lognormal", mean = "0.5 mV", sd = "1e300 mV" }', "weight",
        "new: a lognormal whose parameters overflow is accepted")
    return r


GARBAGE_SEED = bytes((i * 7919 + 13) % 256 for i in range(4096))


def garbage_rows():
    rows = []

    def add(name, content, pattern=r"model\.toml:?\d*:?.*expected", exit=2, waits_for=""):
        rows.append(Row("garbage", name, model=content, pattern=pattern, exit=exit, waits_for=waits_for))

    add("binary bytes", GARBAGE_SEED)
    add("NUL bytes", b"\0" * 1000)
    add("UTF-16 text", TINY.encode("utf-16"))
    add("invalid UTF-8 in a string", TINY.replace('name = "EE"', 'name = "E\xff\xfeE"').encode("latin-1"))
    add("empty file", "")
    add("only a comment", "# nothing here\n")
    add("truncated table header", "[populations.E\nmodel = 1\n")
    add("unterminated string", TINY[:TINY.index('name = "EE"') + 9])
    add("key twice", TINY + '\n[simulation]\ndt = "0.1 ms"\n')
    add("unknown section", TINY + '\n[simulaton]\ndt = "0.1 ms"\n', pattern=r"simulaton.*expected")
    add("unknown model", edit('model = "iaf_psc_delta"', 'model = "iaf_psc_dleta"'), pattern=named("model"))
    add("projection onto a source", edit('target = "E"\nconnector = { rule = "fixed_probability"',
                                         'target = "noise"\nconnector = { rule = "fixed_probability"'),
        pattern=named("target"))
    rows.append(Row("garbage", "a megabyte-long comment line", model=TINY + "# " + "x" * (1 << 20) + "\n", exit=0,
                    pattern="", check=ran(20.0)))
    return rows


def nesting_rows():
    deep = ".".join(["a"] * 50000)
    return [
        Row("nesting", "50,000 dotted parts in the file", model=f"{deep} = 1\n", pattern=r"model\.toml:1:.*expected",
            waits_for="defect 4"),
        Row("nesting", "50,000 dotted parts in a table header", model=f"[{deep}]\nx = 1\n",
            pattern=r"model\.toml:1:.*expected", waits_for="defect 4"),
        Row("nesting", "50,000 nested arrays", model="a = " + "[" * 50000 + "]" * 50000 + "\n",
            pattern=r"model\.toml:1:.*expected"),
        Row("nesting", "50,000 nested inline tables", model="a = " + "{b = " * 50000 + "1" + "}" * 50000 + "\n",
            pattern=r"model\.toml:1:.*expected"),
        Row("nesting", "--set with 50,000 dotted parts", RUN + ["--set", f"{deep}=1"], pattern=r"--set.*expected"),
        Row("nesting", "--set with a deeply nested value", RUN + ["--set", "record.spikes=" + "[" * 50000]),
    ]


def huge_file_rows():
    rows = [
        # Read with a cap on the size, not until memory runs out (the address-space limit of the
        # rows, then a read error, would otherwise hide it).
        Row("huge files", "/dev/zero as the model", ["run", "/dev/zero", "--out", "{out}", "--no-plot"],
            pattern=r"/dev/zero.*(expected|at most|limit)", waits_for="defect 14", max_rss_mb=512),
        Row("huge files", "/dev/zero as the connection list",
            model=edit('file = "edges.csv"', 'file = "/dev/zero"'), pattern=named("file"), max_rss_mb=512,
            waits_for="new: the CSV reader has no size cap (as defect 14 for the model file)"),
        Row("huge files", "a directory as the connection list", model=edit('file = "edges.csv"', 'file = "."'),
            pattern=named("file")),
        Row("huge files", "a missing connection list", model=edit('file = "edges.csv"', 'file = "missing.csv"'),
            pattern=named("file")),
        Row("huge files", "a directory as the model", ["run", "{dir}", "--out", "{out}", "--no-plot"],
            pattern=r"(expected|[Dd]irectory|not exist)"),
        Row("huge files", "a missing model", ["run", "{dir}/missing.toml", "--out", "{out}", "--no-plot"],
            pattern=r"missing\.toml"),
        Row("huge files", "20 MB of comments: read, or refused by a size limit", exit={0, 2},
            model=TINY + ("# " + "y" * 98 + "\n") * 200000, pattern=r"model\.toml.*(expected|at most|limit)",
            check=ran(20.0)),
    ]
    bad_csv = [("binary bytes", GARBAGE_SEED), ("an id past the population", "0,7,1.0,1.0\n"),
               ("a NaN weight", "0,0,nan,1.0\n"), ("an inf delay", "0,0,1.0,inf\n"),
               ("a negative id", "-1,0,1.0,1.0\n"), ("ragged rows", "0,0,1.0,1.0\n1,1\n"),
               ("a wrong header", "src,tgt,w,d\n0,0,1,1\n"), ("a delay below dt", "0,0,1.0,0.01\n"),
               ("an id past 2^64", "18446744073709551616,0,1,1\n"), ("a 5 MB line", "0," + "1" * (5 << 20) + "\n")]
    for name, content in bad_csv:
        rows.append(Row("csv", f"connection list: {name}", files={"edges.csv": content},
                        pattern=r"edges\.csv:\d+:.*file.*expected"))
    return rows


def name_rows():
    return [
        Row("names", "model file named with a quote, plotted", ["run", "{model}"], 0, "",
            model_name="bob's_net.toml", check=ran(20.0, out_dir="out/bob's_net", raster=True), waits_for="defect 1"),
        Row("names", "shell injection in the model name", ["run", "{model}"], 0, "", model_name="m';touch PWNED;'.toml",
            check=ran(20.0, out_dir="out/m';touch PWNED;'", raster=True), waits_for="defect 1"),
        Row("names", "shell injection in --out", ["run", "{model}", "--out", "o'; touch PWNED; echo '"], 0, "",
            check=ran(20.0, out_dir="o'; touch PWNED; echo '", raster=True), waits_for="defect 1"),
        Row("names", "a model name with spaces and unicode", RUN, 0, "", model_name="mein Netz — ü ✓.toml",
            check=ran(20.0)),
        Row("names", "an output folder with spaces, quotes and unicode, plotted",
            ["run", "{model}", "--out", "{dir}/out \"q\" 'x' ü"], 0, "",
            check=ran(20.0, out_dir="out \"q\" 'x' ü", raster=True), waits_for="defect 1"),
        Row("names", "a projection named a/b", model=edit('name = "EE"', 'name = "a/b"').replace(
            'projection = "EE"', 'projection = "a/b"'), pattern=named("name"), waits_for="defect 7"),
        Row("names", "a population named a/b", model=TINY.replace("populations.E]", 'populations."a/b"]').replace(
            '"E"', '"a/b"'), pattern=named("a/b"), waits_for="defect 7"),
        Row("names", "a population named ..", model=TINY.replace("populations.E]", 'populations.".."]').replace(
            '"E"', '".."'), pattern=r"\.\..*expected", waits_for="defect 7"),
        Row("names", "an empty population name", model=TINY.replace("populations.E]", 'populations.""]').replace(
            '"E"', '""'), pattern=r"populations.*expected"),
        Row("names", "a projection name with a quote and unicode", model=edit('name = "EE"', 'name = "E\'E ✓"').replace(
            'projection = "EE"', 'projection = "E\'E ✓"'), pattern=r"projections\[\d\]\.name: expected a projection name"),
        Row("names", "a population named with a quote", model=TINY.replace("populations.E]", 'populations."E\'x"]')
            .replace('"E"', '"E\'x"'), pattern=r"population name.*expected|populations.*expected"),
        Row("names", "an empty projection name", model=edit('name = "EE"', 'name = ""').replace(
            'projection = "EE"', 'projection = ""'), pattern=named("name")),
    ]


def output_rows():
    return [
        Row("outputs", "--out \"\"", ["run", "{model}", "--out", "", "--no-plot"], 2, r"--out.*expected",
            waits_for="defect 14"),
        Row("outputs", "--out below a regular file", ["run", "{model}", "--out", "{model}/out", "--no-plot"], {1, 2},
            r"model\.toml"),
        Row("outputs", "--out below /dev/null", ["run", "{model}", "--out", "/dev/null/out", "--no-plot"], {1, 2},
            r"/dev/null"),
        Row("outputs", "--out in /proc", ["run", "{model}", "--out", "/proc/neurite-out", "--no-plot"], {1, 2},
            r"/proc/neurite-out"),
        Row("outputs", "--out with a 300-byte name", ["run", "{model}", "--out", "{dir}/" + "n" * 300, "--no-plot"],
            {1, 2}, r"n{300}"),
        Row("outputs", "--out is a regular file", ["run", "{model}", "--out", "{dir}/edges.csv", "--no-plot"], {1, 2},
            r"edges\.csv"),
    ]


def option_rows():
    big = str(2 ** 63)
    return [
        Row("options", "--seed -1", RUN + ["--seed", "-1"], 2, r"--seed.*expected", waits_for="defect 8"),
        Row("options", "--seed 2^63 (valid per --help)", RUN + ["--seed", big], 0, "", check=ran(20.0, seed=2 ** 63),
            waits_for="defect 8"),
        Row("options", "--seed 2^64", RUN + ["--seed", str(2 ** 64)], 2, r"--seed", waits_for="defect 8"),
        Row("options", "--seed abc", RUN + ["--seed", "abc"], 2, r"--seed"),
        Row("options", "--seed 0x10 (TOML's hex, not a seed as typed)", RUN + ["--seed", "0x10"], 2,
            r"--seed: simulation.seed: expected .*found a string \(\"0x10\"\)"),
        Row("options", "--duration with a quote and a TOML comment", RUN + ["--duration", '10 ms"#'], 2,
            r"--duration: simulation.duration: expected a time"),
        Row("options", "--threads 0", RUN + ["--threads", "0"], 2, r"--threads"),
        Row("options", "--threads -3", RUN + ["--threads", "-3"], 2, r"--threads"),
        Row("options", "--duration \"1e15 s\"", RUN + ["--duration", "1e15 s"], 2, named("duration"),
            waits_for="defect 2"),
        Row("options", "--duration \"1e20 s\"", RUN + ["--duration", "1e20 s"], 2, named("duration"),
            waits_for="defect 2"),
        Row("options", "--duration \"\"", RUN + ["--duration", ""], 2, named("duration"),
            waits_for="new: --duration \"\" falls back to the file, like --out \"\" (defect 14)"),
        Row("options", "--duration 5 (no unit)", RUN + ["--duration", "5"], 2, named("duration")),
        Row("options", "--duration \"nan s\"", RUN + ["--duration", "nan s"], 2, named("duration")),
        Row("options", "--duration \"-1 s\"", RUN + ["--duration", "-1 s"], 2, named("duration")),
        Row("options", "--duration \"0.05 ms\" (not a multiple of dt)", RUN + ["--duration", "0.05 ms"], 2,
            named("duration")),
        Row("options", "--duration with a quote", RUN + ["--duration", '1 s" \nx = "'], 2, named("duration")),
        Row("options", "--duration \"30 ms\"", RUN + ["--duration", "30 ms"], 0, "", check=ran(30.0)),
        Row("options", "--set without =", RUN + ["--set", "simulation.duration"], 2, r"--set.*expected"),
        Row("options", "--set with an empty key", RUN + ["--set", "=5"], 2, r"--set.*expected"),
        Row("options", "--set of an unknown key", RUN + ["--set", "simulation.durration=1"], 2,
            r"durration.*expected"),
        Row("options", "--set of a missing array element", RUN + ["--set", "projections.9.weight=\"1 mV\""], 2,
            r"projections.*expected"),
        Row("options", "an unknown option", RUN + ["--bogus"], 2, r"--bogus"),
    ]


def defect_rows():
    return [
        Row("defects", "times = [[30, 3, 3]] delivers 3 spikes or is refused",
            RUN + ["--duration", "40 ms"], {0, 2}, r"(^$|spikes\.h5|times.*expected)",
            model=edit("times = [[1.0, 5.0], [], [2.5]]", "times = [[30, 3, 3], [], []]"),
            check=ran(40.0, src_spikes=3), waits_for="defect 6"),
        Row("defects", "the tiny model runs (control row)", RUN, 0, r"spikes\.h5", check=ran(20.0)),
        Row("defects", "the tiny model runs and plots (control row)", ["run", "{model}", "--out", "{out}"], 0, "",
            check=ran(20.0, raster=True)),
    ]


def table():
    return (override_rows() + inf_rows() + file_rows() + garbage_rows() + nesting_rows()
            + huge_file_rows() + name_rows() + output_rows() + option_rows() + defect_rows())


# ---- running a row ---------------------------------------------------------------------------

def limits():
    if not ASAN:  # AddressSanitizer reserves terabytes of address space
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, FILE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def binary_has_asan(path):
    with open(path, "rb") as f:
        return b"__asan_init" in f.read()


ASAN = binary_has_asan(NEURITE)


def write(path, content):
    with open(path, "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode())


def every_file(top):
    for root, dirs, files in os.walk(top):
        for name in files + dirs:
            yield os.path.join(root, name)


def run_limited(args, cwd):
    """Runs neurite; returns (exit code or None when killed for taking too long, output, peak MB)."""
    with tempfile.TemporaryFile() as output:
        p = subprocess.Popen([NEURITE, *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=output,
                             stderr=subprocess.STDOUT, preexec_fn=limits)
        timer = threading.Timer(ROW_TIMEOUT_S, p.kill)
        timer.start()
        _, status, usage = os.wait4(p.pid, 0)  # wait4: this child's own peak memory
        hung = not timer.is_alive()
        timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return (None if hung else p.returncode), text, usage.ru_maxrss / 1024


def run_row(row, tmp):
    """Runs one row in its own folder; returns a list of problems (empty: passed)."""
    model = os.path.join(tmp, row.model_name)
    out = os.path.join(tmp, "out")
    write(model, TINY if row.model is None else row.model)
    files = {"edges.csv": EDGES, **row.files}
    for name, content in files.items():
        write(os.path.join(tmp, name), content)
    args = [a.replace("{model}", model).replace("{out}", out).replace("{dir}", tmp) for a in row.args]
    before = set(every_file(tmp))
    returncode, text, peak_mb = run_limited(args, tmp)
    if returncode is None:
        return [f"hung: no exit within {ROW_TIMEOUT_S} s"]
    problems = []
    if not ASAN and peak_mb > row.max_rss_mb:
        problems.append(f"peak memory {peak_mb:.0f} MB, more than {row.max_rss_mb} MB")
    accepted = row.exit if isinstance(row.exit, set) else {row.exit}
    if returncode < 0 or returncode >= 128:
        problems.append(f"killed by a signal (exit {returncode})")
    elif returncode not in accepted:
        problems.append(f"exit {returncode}, expected {sorted(accepted)}")
    if CRASH_TEXT.search(text):
        problems.append("crash text in the output")
    if returncode != 0 and not re.search(row.pattern, text, re.S):
        problems.append(f"message does not match /{row.pattern}/")
    new = set(every_file(tmp)) - before
    if any(p.endswith(".part") for p in new):
        problems.append("left a partial file: " + ", ".join(p for p in new if p.endswith(".part")))
    if any(os.path.basename(p) == "PWNED" for p in new) or os.path.exists(os.path.join(SOURCE, "PWNED")):
        problems.append("a PWNED file was created: a shell ran text from the input")
    if returncode == 2 and any(os.path.isfile(p) for p in new):
        problems.append("refused, yet wrote " + ", ".join(os.path.relpath(p, tmp) for p in new if os.path.isfile(p)))
    if returncode == 0 and row.check and not problems:
        try:
            error = row.check(tmp, out)
        except (OSError, KeyError, ValueError) as e:
            error = f"exit 0 without a readable summary: {e!r}"
        if error:
            problems.append("exit 0 with nonsense: " + error)
    if problems:
        problems.append("output: " + text.strip()[-300:].replace("\n", " | "))
    return problems


def main():
    rows = [r for r in table() if not ONLY or ONLY.search(f"{r.category}: {r.name}")]
    passed, failed = Counter(), Counter()
    failures = []
    start = time.monotonic()
    for i, row in enumerate(rows):
        with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
            problems = run_row(row, tmp)
        (failed if problems else passed)[row.category] += 1
        if problems:
            failures.append((i, row, problems))
    for i, row, problems in failures:
        wait = f" [waits for {row.waits_for}]" if row.waits_for else ""
        print(f"FAIL #{i} {row.category}: {row.name[:120]}{wait}")
        for p in problems:
            print(f"    {p}")
    print(f"\n{'category':<12} {'passed':>7} {'failed':>7}")
    for c in sorted(set(passed) | set(failed)):
        print(f"{c:<12} {passed[c]:>7} {failed[c]:>7}")
    print(f"{'total':<12} {sum(passed.values()):>7} {sum(failed.values()):>7}   ({len(rows)} rows, "
          f"{time.monotonic() - start:.0f} s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
