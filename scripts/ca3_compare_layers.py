#!/usr/bin/python3
"""Compare every layer of `neurite repro ca3-cam` with the SpiNNaker spike tables of the CA3 paper.

    ca3_compare_layers.py PAPER_REPO [--neurite build/neurite] [--out DIR]

PAPER_REPO is a git clone (bare or not) of github.com/dancasmor/An-aproach-to-a-spike-based-
Content-Addressable-Memory-bio-inspired-in-the-Hippocampus; its results/*/spikes.xlsx hold each
layer's spikes per step. For the golden trace, testbench 2 and the state map the script prints,
per population, the first step where the spike sets differ and how many (step, neuron) spikes
differ; exit status 1 when any differs. Standard library only.
"""
import argparse, ast, collections, csv, io, re, subprocess, sys, zipfile

# experiment: (xlsx folder, neurite raster, cues n, steps compared)
EXPERIMENTS = {'golden': ('1_learn_recall_by_cue_and_cont_forget', 'golden_raster.csv', 5, 90),
               'testbench2': ('2_tb2_piramidal_sequence_cont', 'testbench2_raster.csv', 5, 851),
               'state_map': ('3_state_map_app', 'state_map_raster.csv', 16, 140)}
# the paper's column -> neurite's population, and whether ids follow the n cue ids
COLUMNS = {'INcue': ('input', False), 'INcont': ('input', True), 'CA3cueCueRecall': ('CA3cueCueRecall', False),
           'CA3contCueRecall': ('CA3contCueRecall', False), 'CA3contCond': ('CA3contCond', False),
           'CA3contCondInt': ('CA3contCondInt', False), 'CA3cueContRecall': ('CA3cueContRecall', False),
           'CA3contContRecall': ('CA3contContRecall', False), 'CA3MergeCue': ('CA3mergeCue', False),
           'CA3MergeCont': ('CA3mergeCont', False), 'OUTcue': ('output', False), 'OUTcont': ('output', True)}


def sheet_rows(xlsx):
    """The first sheet's rows as {column index: text} (shared strings resolved)."""
    z = zipfile.ZipFile(io.BytesIO(xlsx))
    shared = [re.sub(r'<[^>]+>', '', s) for s in re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode(), re.S)]
    rows = []
    for row in re.findall(r'<row[^>]*>(.*?)</row>', z.read('xl/worksheets/sheet1.xml').decode(), re.S):
        cells = {}
        for ref, attrs, value in re.findall(r'<c r="([A-Z]+)\d+"([^>]*)>(?:<v>(.*?)</v>)?', row):
            col = 0
            for ch in ref: col = col * 26 + ord(ch) - 64
            cells[col - 1] = shared[int(value)] if 't="s"' in attrs else value
        rows.append(cells)
    return rows


def paper_spikes(repo, folder, n, horizon):
    xlsx = subprocess.run(['git', '-C', repo, 'show', f'HEAD:results/{folder}/spikes.xlsx'], check=True,
                          capture_output=True).stdout
    rows = sheet_rows(xlsx)
    spikes = collections.defaultdict(set)
    for row in rows[1:]:
        step = int(float(row[0]))
        for col, name in rows[0].items():
            if col == 0 or row.get(col, '-') in ('-', '') or step >= horizon: continue
            population, after_cues = COLUMNS[name]
            for i in ast.literal_eval(row[col]): spikes[population].add((step, i + (n if after_cues else 0)))
    return spikes


def neurite_spikes(path, horizon):
    spikes = collections.defaultdict(set)
    for r in csv.DictReader(open(path)):
        if int(r['step']) < horizon: spikes[r['population']].add((int(r['step']), int(r['neuron'])))
    return spikes


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('paper_repo')
    ap.add_argument('--neurite', default='build/neurite')
    ap.add_argument('--out', default='out/ca3_compare_layers')
    a = ap.parse_args()
    subprocess.run([a.neurite, 'repro', 'ca3-cam', '--no-plot', '--out', a.out], check=False, stdout=subprocess.DEVNULL)
    differs = False
    for name, (folder, raster, n, horizon) in EXPERIMENTS.items():
        paper, ours = paper_spikes(a.paper_repo, folder, n, horizon), neurite_spikes(f'{a.out}/{raster}', horizon)
        print(f'{name} (steps < {horizon}):')
        for population in sorted(set(paper) | set(ours)):
            diff = paper[population] ^ ours[population]
            differs |= bool(diff)
            first = min(s for s, _ in diff) if diff else '-'
            print(f'  {population:18} spikes {len(paper[population]):4}  first difference {first!s:>4}  differing {len(diff)}')
    return 1 if differs else 0


if __name__ == '__main__':
    sys.exit(main())
