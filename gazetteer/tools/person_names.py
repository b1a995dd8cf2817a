#!/usr/bin/env python3
"""Lists one-word place names that are also common personal names ("Paul",
"Mary", "Nelson", "Bolton"), so the matcher asks for place evidence before taking
them as places. Reads the US Census 1990 name frequency files shipped in the PyPI
package `names` (public domain data) and the gazetteer tables; writes
gazetteer/person_names.txt.

Usage: person_names.py NAMES_DATA_DIR GAZETTEER_DIR [MAX_SURNAME_RANK]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from common_words import one_word_names  # noqa: E402


FIRST_NAME_RANK = 400


def read_census(path, max_rank=None):
    out = set()
    with open(path, encoding="ascii", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 4:
                continue
            if max_rank is not None and int(parts[3]) > max_rank:
                break
            out.add(parts[0].lower())
    return out


def main():
    data, gaz = sys.argv[1], sys.argv[2]
    max_rank = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    people = read_census(os.path.join(data, "dist.male.first"))
    people |= read_census(os.path.join(data, "dist.female.first"))
    people |= read_census(os.path.join(data, "dist.all.last"), max_rank)
    found = one_word_names(gaz) & people
    out = os.path.join(gaz, "person_names.txt")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# One-word place names that are also common personal names (US Census 1990 lists); "
                "made by tools/person_names.py\n")
        for w in sorted(found):
            f.write(w + "\n")
    print("[gazetteer] person_names.txt: %d names" % len(found))

    # The commonest first names: a capitalised word right after one is a surname
    # ("Bill Holland"), even when it is also a famous place.
    first = read_census(os.path.join(data, "dist.male.first"), FIRST_NAME_RANK)
    first |= read_census(os.path.join(data, "dist.female.first"), FIRST_NAME_RANK)
    out = os.path.join(gaz, "first_names.txt")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("# The %d commonest male and female first names (US Census 1990 lists); "
                "made by tools/person_names.py\n" % FIRST_NAME_RANK)
        for w in sorted(first):
            f.write(w + "\n")
    print("[gazetteer] first_names.txt: %d names" % len(first))


if __name__ == "__main__":
    main()
