#!/usr/bin/env python3
"""Build events/triggers.tsv from events/seeds.tsv, events/stoplist.tsv and
the WordNet 3.0 database files (index.*, data.*, *.exc).

Standard library only.  Usage (from the repository root):

    python3 events/tools/build_lexicon.py --wordnet DIR [--events events]
    python3 events/tools/build_lexicon.py --wordnet DIR --show LEMMA POS

DIR holds index.noun, data.noun, noun.exc, index.verb, data.verb, verb.exc.
--show prints the senses of a lemma with their glosses (for writing seeds).
"""

import argparse
import os
import re
import sys

POS_FILE = {"n": "noun", "v": "verb"}

# Noun lexicographer files whose synsets name happenings (WordNet lexnames):
# 04 noun.act, 11 noun.event, 19 noun.phenomenon, 22 noun.process,
# 26 noun.state.  Derivations into other noun files are mostly agents
# ("abductor", noun.person) or artefacts and are left out.
EVENT_NOUN_LEXFILES = {4, 11, 19, 22, 26}

# Relation priority: when one form reaches one type by several paths, the
# most direct path wins and gives its strength and source.
PRIORITY = {"curated": 0, "seed": 1, "syn": 2, "deriv": 3, "tropo": 4, "hypo": 4}

STRENGTHS = ("strong", "weak")


def die(msg):
    sys.stderr.write("build_lexicon: %s\n" % msg)
    sys.exit(1)


# --------------------------------------------------------------------------
# WordNet reading


class WordNet:
    def __init__(self, root):
        self.root = root
        self.index = {}  # (lemma, pos) -> [offset, ...] in sense order
        self.synsets = {}  # (offset, pos) -> dict
        self.exc = {}  # (pos, base) -> set of inflected forms
        self.tagged = {}  # (lemma, pos) -> tagsense_cnt
        for pos, name in POS_FILE.items():
            self._read_index(pos, os.path.join(root, "index." + name))
            self._read_data(pos, os.path.join(root, "data." + name))
            self._read_exc(pos, os.path.join(root, name + ".exc"))

    @staticmethod
    def _lines(path):
        if not os.path.isfile(path):
            die("WordNet file missing: %s" % path)
        with open(path, encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):  # licence header
                    continue
                yield line.rstrip("\n")

    def _read_index(self, pos, path):
        for line in self._lines(path):
            t = line.split()
            lemma, p_cnt = t[0], int(t[3])
            i = 4 + p_cnt
            sense_cnt = int(t[i])
            offsets = t[i + 2:i + 2 + sense_cnt]
            self.index[(lemma, pos)] = offsets
            self.tagged[(lemma, pos)] = int(t[i + 1])  # senses seen in SemCor

    def _read_data(self, pos, path):
        for line in self._lines(path):
            head, _, gloss = line.partition(" | ")
            t = head.split()
            off, lexfile = t[0], int(t[1])
            w_cnt = int(t[3], 16)
            words = []
            i = 4
            for _ in range(w_cnt):
                w = re.sub(r"\([a-z]+\)$", "", t[i])
                words.append(w)
                i += 2
            p_cnt = int(t[i])
            i += 1
            ptrs = []
            for _ in range(p_cnt):
                sym, toff, tpos, st = t[i], t[i + 1], t[i + 2], t[i + 3]
                if tpos == "s":
                    tpos = "a"
                ptrs.append((sym, toff, tpos, int(st[:2], 16), int(st[2:], 16)))
                i += 4
            self.synsets[(off, pos)] = {
                "lexfile": lexfile,
                "words": words,
                "ptrs": ptrs,
                "gloss": gloss.strip(),
            }

    def _read_exc(self, pos, path):
        for line in self._lines(path):
            t = line.split()
            if len(t) < 2:
                continue
            for base in t[1:]:
                self.exc.setdefault((pos, base), set()).add(t[0])

    def senses(self, lemma, pos):
        return self.index.get((lemma, pos), [])


# --------------------------------------------------------------------------
# Inflection

VOWELS = set("aeiou")
PARTICLES = {"about", "across", "along", "around", "away", "back", "by", "down", "in",
             "off", "on", "out", "over", "through", "up"}


def _sibilant(w):
    return w.endswith(("s", "x", "z", "ch", "sh"))


def _cons_y(w):
    return len(w) > 1 and w.endswith("y") and w[-2] not in VOWELS


def _double_final(w):
    """Monosyllables ending consonant-vowel-consonant double the consonant
    (stab, rob).  Only used for words WordNet's verb.exc does not list."""
    if len(w) < 3 or w[-1] in "wxy" or w[-1] in VOWELS:
        return False
    if w[-2] not in VOWELS or w[-3] in VOWELS:
        return False
    return len(re.findall(r"[aeiouy]+", w)) == 1


def verb_forms(base, wn, in_wordnet):
    """Base, -s, past, past participle and -ing of a single-word verb."""
    forms = {base}
    exc = wn.exc.get(("v", base), set())
    exc_ing = {f for f in exc if f.endswith("ing")}
    exc_s = {f for f in exc if f.endswith("s") and not f.endswith("ss")}
    exc_ed = exc - exc_ing - exc_s
    forms |= exc
    # -s
    if not exc_s:
        if _sibilant(base) or base.endswith("o"):
            forms.add(base + "es")
        elif _cons_y(base):
            forms.add(base[:-1] + "ies")
        else:
            forms.add(base + "s")
    dbl = (not in_wordnet) and _double_final(base)
    # past / participle; a verb whose doubled -ing form is listed but no past
    # form ("putting", "hitting", "setting") keeps its base as the past
    if not exc_ed and any(f == base + base[-1] + "ing" for f in exc_ing):
        pass
    elif not exc_ed:
        if base.endswith("e"):
            forms.add(base + "d")
        elif _cons_y(base):
            forms.add(base[:-1] + "ied")
        elif dbl:
            forms.add(base + base[-1] + "ed")
        else:
            forms.add(base + "ed")
    # -ing
    if not exc_ing:
        if base.endswith("ie"):
            forms.add(base[:-2] + "ying")
        elif base.endswith("e") and not base.endswith(("ee", "ye", "oe")) and len(base) > 2:
            forms.add(base[:-1] + "ing")
        elif dbl:
            forms.add(base + base[-1] + "ing")
        else:
            forms.add(base + "ing")
    return forms


def noun_forms(base, wn):
    forms = {base}
    exc = wn.exc.get(("n", base), set())
    if exc:
        forms |= exc
        return forms
    if base.endswith("man") and not base.endswith(("human", "shaman")) and len(base) > 4:
        forms.add(base[:-3] + "men")
    elif _sibilant(base):
        forms.add(base + "es")
    elif _cons_y(base):
        forms.add(base[:-1] + "ies")
    else:
        forms.add(base + "s")
    return forms


def inflect(lemma, pos, wn):
    """All surface forms of a (possibly multi-word) lemma.  Verbs inflect
    their first word ("open fire" -> "opened fire"), nouns their last
    ("roadside bomb" -> "roadside bombs"); pos p is a fixed phrase."""
    words = lemma.split(" ")
    if pos == "p":
        return {lemma}
    if pos == "v":
        # a multi-word verb listed whole in verb.exc is taken from there
        whole = wn.exc.get(("v", lemma.replace(" ", "_")), set())
        # the head is the first word WordNet knows as a verb ("sexually
        # assault" -> "assault"), else the first word
        h_i = next((i for i, w in enumerate(words) if wn.senses(w, "v")), 0)
        # a WordNet noun-verb compound ("carpet bomb") inflects its verb: the
        # first word is more often a noun in SemCor (index tagsense_cnt), the
        # last is a verb and not a particle
        if (len(words) == 2 and h_i == 0 and words[1] not in PARTICLES
                and wn.senses("_".join(words), "v")
                and wn.senses(words[1], "v")
                and wn.tagged.get((words[0], "n"), 0) > wn.tagged.get((words[0], "v"), 0)):
            h_i = 1
        in_wn = bool(wn.senses(words[h_i], "v"))
        heads = verb_forms(words[h_i], wn, in_wn)
        out = {" ".join(words[:h_i] + [h] + words[h_i + 1:]) for h in heads}
        out |= {w.replace("_", " ") for w in whole}
        return out
    if pos == "n":
        # "exchange of fire", "state of emergency": the head precedes "of"
        h_i = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
        heads = noun_forms(words[h_i], wn)
        return {" ".join(words[:h_i] + [h] + words[h_i + 1:]) for h in heads}
    die("unknown pos %r" % pos)


_IZE = re.compile(r"\b([a-z]{3,}[^es\W])iz(e|ed|es|ing|ation|ations)\b")


def british(form):
    """The -ise spelling of an -ize word ("mobilized" -> "mobilised"); the
    stem must not end in e or s (seize, capsize, size keep their z)."""
    return _IZE.sub(r"\1is\2", form)


def normalise(form):
    """Lower-case ASCII, words separated by single spaces; a hyphen inside a
    word is kept.  Returns None for a form that cannot be used."""
    f = form.replace("_", " ").lower()
    try:
        f.encode("ascii")
    except UnicodeEncodeError:
        return None
    f = re.sub(r"[^a-z0-9\- ]", " ", f)
    f = re.sub(r"\s*-\s*", "-", f).strip("-")
    f = " ".join(f.split())
    if len(f.replace(" ", "")) < 2 or not re.search(r"[a-z]", f):
        return None
    return f


# --------------------------------------------------------------------------
# Seeds, stoplist, ontology


def read_tsv(path, ncols):
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != ncols:
                die("%s:%d: expected %d tab-separated columns, got %d" % (path, n, ncols, len(cols)))
            rows.append((n, cols))
    return rows[1:] if rows else rows  # first non-comment row is the header


def read_types(path):
    return [cols[0] for _, cols in read_tsv(path, 8)]


class SeedError(Exception):
    pass


def expand_seed(wn, lemma, pos, senses, expand, path, n):
    """Yield (lemma_text, lemma_pos, offset, relation) for one seed row."""
    key = lemma.replace(" ", "_")
    offsets = wn.senses(key, pos)
    if not offsets:
        raise SeedError("%s:%d: %r (%s) not in WordNet; use senses and expand '-'" % (path, n, lemma, pos))
    chosen = []
    for s in senses.split(","):
        s = s.strip()
        if len(s) == 8 and s.isdigit():
            if (s, pos) not in wn.synsets:
                raise SeedError("%s:%d: synset %s-%s not in WordNet" % (path, n, s, pos))
            chosen.append(s)
        elif s.isdigit() and 1 <= int(s) <= len(offsets):
            chosen.append(offsets[int(s) - 1])
        else:
            raise SeedError("%s:%d: bad sense %r for %r (%d senses)" % (path, n, s, lemma, len(offsets)))
    rels = set() if expand == "-" else {r.strip() for r in expand.split(",")}
    bad = rels - {"syn", "tropo", "tropo1", "hypo", "hypo1", "deriv"}
    if bad:
        raise SeedError("%s:%d: unknown relation(s) %s" % (path, n, ",".join(sorted(bad))))
    for off in chosen:
        ss = wn.synsets[(off, pos)]
        yield lemma, pos, off, "seed"
        if "syn" in rels:
            for w in ss["words"]:
                yield w, pos, off, "syn"
        if "deriv" in rels:
            # lexical "+" pointers whose source is the seed lemma itself
            idx = [w.lower() for w in ss["words"]].index(key.lower()) + 1 if key.lower() in [w.lower() for w in ss["words"]] else 0
            for sym, toff, tpos, src, tgt in ss["ptrs"]:
                if sym != "+" or tpos not in POS_FILE or (src and src != idx):
                    continue
                t = wn.synsets[(toff, tpos)]
                if tpos == "n" and t["lexfile"] not in EVENT_NOUN_LEXFILES:
                    continue
                words = t["words"] if tgt == 0 else [t["words"][tgt - 1]]
                for w in words:
                    yield w, tpos, toff, "deriv"
        for rel, sym in (("tropo", "~"), ("hypo", "~")):
            depth = None
            if rel in rels:
                depth = 99
            elif rel + "1" in rels:
                depth = 1
            if depth is None or (rel == "tropo" and pos != "v") or (rel == "hypo" and pos != "n"):
                continue
            frontier, seen = [off], {off}
            for _ in range(depth):
                nxt = []
                for o in frontier:
                    for psym, toff, tpos, _, _ in wn.synsets[(o, pos)]["ptrs"]:
                        if psym == sym and tpos == pos and toff not in seen:
                            seen.add(toff)
                            nxt.append(toff)
                            for w in wn.synsets[(toff, pos)]["words"]:
                                yield w, pos, toff, rel
                frontier = nxt


def build(wn, events_dir):
    types = set(read_types(os.path.join(events_dir, "ontology.tsv")))
    seeds_path = os.path.join(events_dir, "seeds.tsv")
    stop_path = os.path.join(events_dir, "stoplist.tsv")
    stop = {}
    for n, (form, typ, reason) in read_tsv(stop_path, 3):
        if typ != "*" and typ not in types:
            die("%s:%d: unknown type %r" % (stop_path, n, typ))
        f = normalise(form)
        if f is None:
            die("%s:%d: unusable form %r" % (stop_path, n, form))
        stop.setdefault(f, set()).add(typ)

    errors = []
    best = {}  # (form, type) -> (priority, strength, pos, lemma, source)
    covered = set()
    for n, (lemma, pos, senses, typ, strength, expand) in read_tsv(seeds_path, 6):
        if typ not in types:
            errors.append("%s:%d: type %r is not in ontology.tsv" % (seeds_path, n, typ))
            continue
        if strength not in STRENGTHS:
            errors.append("%s:%d: strength must be strong or weak, not %r" % (seeds_path, n, strength))
            continue
        if pos not in ("n", "v", "p"):
            errors.append("%s:%d: pos must be n, v or p, not %r" % (seeds_path, n, pos))
            continue
        covered.add(typ)
        if senses == "-":
            if expand != "-":
                errors.append("%s:%d: a curated row (senses '-') takes expand '-'" % (seeds_path, n))
                continue
            items = [(lemma, pos, None, "curated")]
        else:
            if pos == "p":
                errors.append("%s:%d: a fixed phrase (pos p) has no WordNet senses" % (seeds_path, n))
                continue
            try:
                items = list(expand_seed(wn, lemma, pos, senses, expand, seeds_path, n))
            except SeedError as e:
                errors.append(str(e))
                continue
        for lem, lpos, off, rel in items:
            lem_n = normalise(lem)
            if lem_n is None:
                continue
            st = stop.get(lem_n, set())
            if rel not in ("curated", "seed") and ("*" in st or typ in st):
                continue  # a stoplisted lemma reached by expansion drops all its forms
            source = "curated" if off is None else "wordnet:%s-%s:%s" % (off, lpos, rel)
            forms = inflect(lem_n, lpos, wn)
            forms |= {british(f) for f in forms}
            for form in forms:
                f = normalise(form)
                if f is None:
                    continue
                st = stop.get(f, set())
                if "*" in st or typ in st:
                    continue
                cand = (PRIORITY[rel], 0 if strength == "strong" else 1, lpos, lem_n, source)
                key = (f, typ)
                if key not in best or cand < best[key]:
                    best[key] = cand
    if errors:
        die("\n".join(errors))
    missing = types - covered
    if missing:
        sys.stderr.write("build_lexicon: note: no seeds for %s\n" % ", ".join(sorted(missing)))
    rows = []
    for (form, typ), (_, st, lpos, lem, source) in best.items():
        rows.append((form, typ, STRENGTHS[st], lpos, lem, source))
    rows.sort()
    out = os.path.join(events_dir, "triggers.tsv")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("form\ttype\tstrength\tpos\tlemma\tsource\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    counts = {}
    for r in rows:
        counts[r[1]] = counts.get(r[1], 0) + 1
    sys.stderr.write("build_lexicon: %d rows, %d forms -> %s\n" % (len(rows), len({r[0] for r in rows}), out))
    return counts


# --------------------------------------------------------------------------
# Checks of the hand-written cues.tsv and actors.tsv (no output, errors stop)

CUE_VALUES = {
    "killed": {"killed"}, "injured": {"injured"}, "casualties": {"casualties"},
    "negation": {"negated"}, "modality": {"threat", "plan", "reported"},
    "disrupt": {"weapons_seized"}, "intervention": {"protest_intervention"},
    "excessive": {"excessive_force"}, "size": {"quantity"},
}
WEAPON_CLASSES = {"firearm", "blade", "arson", "crowd_control"}
ACTOR_CLASSES = {
    "military": "1", "police": "1", "state_forces": "1", "rebels": "2",
    "political_militia": "3", "identity_militia": "4",
    "unidentified_armed_group": "3", "rioters": "5", "protesters": "6",
    "civilians": "7", "external": "8", "government": "",
}


def check_curated(events_dir, ontology_rows):
    errors = []
    explosion = {cols[0] for cols in ontology_rows if cols[2] == "explosion"}
    path = os.path.join(events_dir, "cues.tsv")
    seen = set()
    for n, (form, cue, value) in read_tsv(path, 3):
        if normalise(form) != form:
            errors.append("%s:%d: form %r is not lower-case ASCII with single spaces" % (path, n, form))
        if cue == "weapon":
            if value not in explosion and value not in WEAPON_CLASSES:
                errors.append("%s:%d: weapon value %r is neither an explosion type nor %s"
                              % (path, n, value, "/".join(sorted(WEAPON_CLASSES))))
        elif cue not in CUE_VALUES:
            errors.append("%s:%d: unknown cue %r" % (path, n, cue))
        elif value not in CUE_VALUES[cue]:
            errors.append("%s:%d: cue %s takes %s, not %r" % (path, n, cue, "/".join(sorted(CUE_VALUES[cue])), value))
        if (form, cue) in seen:
            errors.append("%s:%d: duplicate %s %s" % (path, n, form, cue))
        seen.add((form, cue))
    path = os.path.join(events_dir, "actors.tsv")
    seen = set()
    for n, (form, cls, inter, country, label) in read_tsv(path, 5):
        if cls not in ACTOR_CLASSES:
            errors.append("%s:%d: unknown class %r" % (path, n, cls))
        elif ACTOR_CLASSES[cls] is not None and inter != ACTOR_CLASSES[cls] and cls not in ("military", "police", "state_forces"):
            errors.append("%s:%d: class %s has inter %s, not %r" % (path, n, cls, ACTOR_CLASSES[cls], inter))
        if inter not in ("", "1", "2", "3", "4", "5", "6", "7", "8"):
            errors.append("%s:%d: inter %r is not an ACLED code 1-8" % (path, n, inter))
        if (cls == "government") != (inter == ""):
            errors.append("%s:%d: inter is empty for government only" % (path, n))
        if country and not re.fullmatch(r"[A-Z]{2}", country):
            errors.append("%s:%d: country %r is not ISO alpha-2" % (path, n, country))
        if not form.strip() or form != " ".join(form.split()) or not label:
            errors.append("%s:%d: empty or badly spaced form or label" % (path, n))
        if form in seen:
            errors.append("%s:%d: duplicate form %r" % (path, n, form))
        seen.add(form)
    if errors:
        die("\n".join(errors))


def show(wn, lemma, pos):
    for i, off in enumerate(wn.senses(lemma.replace(" ", "_"), pos), 1):
        ss = wn.synsets[(off, pos)]
        tro = sum(1 for p in ss["ptrs"] if p[0] == "~")
        print("%d\t%s\t%02d\t%s\t[%d hypo]\t%s" % (i, off, ss["lexfile"], ",".join(ss["words"]), tro, ss["gloss"][:90]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wordnet", required=True, help="directory of the WordNet 3.0 database files")
    ap.add_argument("--events", default="events", help="the events directory (default: events)")
    ap.add_argument("--show", nargs=2, metavar=("LEMMA", "POS"), help="print the senses of a lemma")
    ap.add_argument("--counts", action="store_true", help="print forms per type")
    a = ap.parse_args()
    wn = WordNet(a.wordnet)
    if a.show:
        show(wn, a.show[0], a.show[1])
        return
    check_curated(a.events, [cols for _, cols in read_tsv(os.path.join(a.events, "ontology.tsv"), 8)])
    counts = build(wn, a.events)
    if a.counts:
        for t in sorted(counts):
            print("%s\t%d" % (t, counts[t]))


if __name__ == "__main__":
    main()
