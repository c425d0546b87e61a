#!/usr/bin/env python3
"""For the samples whose stack holds FRAME (its outermost occurrence): the DEPTH frames it called on the way to the
leaf, and the leaf frames, each as a share of all samples. Input as for jfr_samples.py.
Usage: python3 jfr_children.py exec.txt FRAME [DEPTH]"""
import re, sys, collections
path, target = sys.argv[1], sys.argv[2]
depth = int(sys.argv[3]) if len(sys.argv) > 3 else 1
text = open(path, encoding='utf-8', errors='replace').read()
events = re.split(r'\n(?=jdk\.\w+ \{)', text)
total = 0; hit = 0
kids = collections.Counter(); leaves = collections.Counter()
for ev in events:
    frames = re.findall(r'^\s+([\w.$<>/]+\.[\w$<>]+)\(.*?\)\s+line:', ev, re.M)
    if not frames: continue
    total += 1
    if target not in frames: continue
    hit += 1
    i = max(k for k, f in enumerate(frames) if f == target)  # outermost occurrence
    path_ = frames[max(0, i - depth):i][::-1]
    kids[' > '.join(path_) if path_ else '(self)'] += 1
    leaves[frames[0]] += 1
print(f'{target}: {hit} of {total} samples ({hit/total*100:.1f}%)')
for k, v in kids.most_common(40): print(f'  {v/total*100:5.1f}%  {k}')
print(' leaves:')
for k, v in leaves.most_common(25): print(f'  {v/total*100:5.1f}%  {k}')
