#!/usr/bin/env python3
"""Lists one-word place names that are also ordinary lower-case English words
("fleet", "split", "reading"), so the matcher can ask for more evidence before
taking them as places. Reads plain word lists (one word a line, such as
Debian's wamerican and wbritish dictionaries) and the gazetteer tables; writes
gazetteer/common_words.txt.

Usage: common_words.py GAZETTEER_DIR DICTIONARY...
"""
import os
import sys
import unicodedata


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return "".join(c for c in s.lower() if c.isalnum())


def names(path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        cols = [header.index(c) for c in ("name", "alternate_names") if c in header]
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            for i in cols:
                if i < len(fields):
                    yield from fields[i].split("|")


def one_word_names(gaz):
    """Folded one-word names (3 letters or more) of every table in the gazetteer folder."""
    found = set()
    for table in ("countries.tsv", "admin1.tsv", "admin2.tsv", "cities.tsv", "continents.tsv",
                  "physical.tsv"):
        p = os.path.join(gaz, table)
        if not os.path.exists(p):
            continue
        for n in names(p):
            n = n.strip()
            if not n or " " in n or "-" in n:
                continue
            k = fold(n)
            if len(k) >= 3:
                found.add(k)
    return found


def main():
    gaz, dictionaries = sys.argv[1], sys.argv[2:]
    lower = set()
    for dictionary in dictionaries:
        with open(dictionary, encoding="utf-8", errors="replace") as f:
            lower |= {w.strip() for w in f if w.strip() and w.strip().islower() and w.strip().isalpha()}
    found = one_word_names(gaz) & lower
    out = os.path.join(gaz, "common_words.txt")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# One-word place names that are also lower-case English words; made by tools/common_words.py\n")
        for w in sorted(found):
            f.write(w + "\n")
    print("[gazetteer] common_words.txt: %d words" % len(found))


if __name__ == "__main__":
    main()
