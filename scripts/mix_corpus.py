#!/usr/bin/env python3
"""Writes a large, varied JSON Lines corpus for throughput and memory runs.

Each output record is a new document built from the dev corpora's texts
(../shared/eval/*.jsonl by default): one to five runs of consecutive
paragraphs (or sentences, for one-paragraph texts) taken from different source
documents at random, so the corpus is not one article repeated, and the
documents vary in length, topic and place. Each record gets an id, a title
(its first words), a date in 2023-2024 and, for one in ten, no date at all.
Seeded: the same arguments give the same bytes.

    python3 scripts/mix_corpus.py --mb 100 --seed 15 -o /tmp/mix-100mb.jsonl
"""
import argparse
import glob
import json
import os
import random
import re
import sys


def pieces(text):
    """Paragraphs, or sentences when the text is one paragraph."""
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paras) > 1:
        return paras
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", text.strip()) if s]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "..", "shared", "eval", "*.jsonl")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="*", help="JSON Lines corpora with a `text` field (default: %(default)s)")
    ap.add_argument("--mb", type=float, default=100.0, help="size to write, in MB (10^6 bytes)")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("-o", "--out", required=True)
    a = ap.parse_args()
    files = sorted(f for p in (a.inputs or [default]) for f in glob.glob(p))
    if not files:
        sys.exit(f"no corpus found (looked for {a.inputs or [default]})")
    sources = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    t = json.loads(line).get("text", "")
                    p = pieces(t)
                    if p:
                        sources.append(p)
    rng = random.Random(a.seed)
    target = int(a.mb * 1e6)
    written = 0
    n = 0
    with open(a.out, "w", encoding="utf-8") as out:
        while written < target:
            parts = []
            for _ in range(rng.randint(1, 5)):
                src = rng.choice(sources)
                i = rng.randrange(len(src))
                parts.append("\n\n".join(src[i:i + rng.randint(1, 4)]))
            text = "\n\n".join(parts)
            n += 1
            rec = {"id": f"mix-{n}", "title": " ".join(text.split()[:8]), "text": text}
            if rng.random() >= 0.1:
                rec["date"] = f"{rng.choice([2023, 2024])}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode("utf-8"))
    print(f"wrote {a.out}: {n} documents, {written / 1e6:.1f} MB from {len(sources)} source texts", file=sys.stderr)


if __name__ == "__main__":
    main()
