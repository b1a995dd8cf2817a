#!/usr/bin/env python3
"""Writes a varied JSON Lines corpus for speed runs: the texts of the development
corpora (GeoWebNews news and WikToR Wikipedia openings), mixed in a seeded random
order and repeated until the output reaches the wanted size.

    python3 scripts/mix_whole_texts.py --out /tmp/mixed.jsonl        # 10 MB, seed 14
    python3 scripts/mix_whole_texts.py --size 1000000 --seed 1 --out x.jsonl

The corpora are read from ../shared/eval at run time and never copied into the
repository; the output belongs in a temporary directory. Standard library only.
"""

import argparse
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPORA = [
    os.path.join(HERE, "..", "..", "shared", "eval", "geowebnews.jsonl"),
    os.path.join(HERE, "..", "..", "shared", "eval", "wiktor-dev.jsonl"),
]


def texts(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                t = json.loads(line).get("text", "")
                if t:
                    yield t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", type=int, default=10_000_000, help="bytes of text (default 10 MB)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("corpora", nargs="*", default=DEFAULT_CORPORA)
    args = ap.parse_args()
    pool = []
    for c in args.corpora:
        if not os.path.exists(c):
            sys.exit("mix_corpus: %s not found" % c)
        pool.extend(texts(c))
    if not pool:
        sys.exit("mix_corpus: no texts in %s" % ", ".join(args.corpora))
    rng = random.Random(args.seed)
    written = 0
    n = 0
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        while written < args.size:
            order = list(range(len(pool)))
            rng.shuffle(order)
            for i in order:
                if written >= args.size:
                    break
                t = pool[i]
                f.write(json.dumps({"id": "m%d" % n, "text": t}, ensure_ascii=False) + "\n")
                written += len(t.encode("utf-8"))
                n += 1
    print("mix_corpus: %d documents, %d bytes of text from %d distinct texts -> %s"
          % (n, written, len(pool), args.out))


if __name__ == "__main__":
    main()
