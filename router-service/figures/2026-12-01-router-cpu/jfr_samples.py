#!/usr/bin/env python3
"""Shares of a JFR recording's samples, from the text of
`jfr print --events jdk.ExecutionSample --stack-depth 64 rec.jfr > exec.txt` (or jdk.ObjectAllocationSample with a
second argument `alloc`, weighted by the bytes each sample stands for): by thread (digits folded), by router role
(pickup, worker, status commit, other), top own frames, and frames of dev.eventpipe inclusive.
Usage: python3 jfr_samples.py exec.txt [cpu|alloc]"""
import re, sys, collections
path = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else 'cpu'
text = open(path, encoding='utf-8', errors='replace').read()
events = re.split(r'\n(?=jdk\.\w+ \{)', text)
samples = []
for ev in events:
    m = re.search(r'sampledThread = "([^"]*)"', ev) or re.search(r'eventThread = "([^"]*)"', ev)
    thread = m.group(1) if m else '?'
    frames = re.findall(r'^\s+([\w.$<>/]+\.[\w$<>]+)\(.*?\)\s+line:', ev, re.M)
    if not frames:
        continue
    w = 1
    if mode == 'alloc':
        mm = re.search(r'weight = ([\d.,]+) (bytes|kB|MB|GB)', ev)
        if mm:
            v = float(mm.group(1).replace(',', ''))
            w = v * {'bytes': 1, 'kB': 1024, 'MB': 1 << 20, 'GB': 1 << 30}[mm.group(2)]
    samples.append((thread, frames, w))
def group(t):
    t = re.sub(r'\d+', 'N', t)
    return t
def classify(frames):
    s = ' '.join(frames)
    if 'PickupLoop' in s or 'Pickup.' in s: return 'pickup'
    if 'StatusCommitter' in s: return 'status-commit'
    if 'Worker.' in s or 'HttpDelivery' in s: return 'worker'
    return 'other'
total = sum(w for _, _, w in samples)
print('samples', len(samples), 'total weight', total)
byt = collections.Counter()
for t, f, w in samples: byt[group(t)] += w
print('\n== by thread'); [print(f'{v/total*100:5.1f}%  {k}') for k, v in byt.most_common(25)]
byc = collections.Counter()
for t, f, w in samples: byc[classify(f)] += w
print('\n== by role'); [print(f'{v/total*100:5.1f}%  {k}') for k, v in byc.most_common()]
own = collections.Counter()
for t, f, w in samples: own[f[0]] += w
print('\n== top own frames'); [print(f'{v/total*100:5.1f}%  {k}') for k, v in own.most_common(45)]
incl = collections.Counter()
for t, f, w in samples:
    for fr in set(f):
        if fr.startswith('dev.eventpipe'): incl[fr] += w
print('\n== inclusive eventpipe frames'); [print(f'{v/total*100:5.1f}%  {k}') for k, v in incl.most_common(60)]
