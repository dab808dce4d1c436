#!/usr/bin/env python3
"""Rule-based conversion of the original Danish Dependency Treebank (DDT,
CDT v1 CoNLL-X release) to Universal Dependencies v2 (as in UD Danish-DDT).

Usage
-----
    python training/ddt2ud.py [convert] --data /work/shared/data --out training/corpus
    python training/ddt2ud.py evaluate --split dev [--data ...] [--show N]

The conversion works per DDT sentence:

1. token level: PAROLE tag + DDT features (+ a little tree context) -> UPOS,
   UD FEATS and UD lemma;
2. tree level: DDT makes function words heads (determiners, prepositions,
   auxiliaries, subordinators, infinitive "at", genitive possessors,
   coordinators).  Every token gets a *lexical head* (follow the complement
   chain nobj/vobj/possd/pred-of-copula down to the content word); the
   lexical head takes over the attachment of the topmost function word and
   the function words attach to it as case/det/aux/cop/mark/nmod:poss/...;
   coordination is rebuilt (conjuncts attach to the first conjunct,
   coordinators to the following conjunct); DDT labels are mapped to UD
   labels using the POS of both ends;
3. multiword tokens of DDT ("i_dag", "selv_om") are split into UD tokens
   joined by "fixed";
4. the converted stream is re-segmented to UD's sentence boundaries (UD
   dev/test gold and DaNE/UD train token sequences are located in the
   stream), each sentence gets one root.

The tool only reads the data directory; nothing there is modified.
"""

from __future__ import annotations

import argparse
import collections
import glob
import json
import os
import re
import sys

# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------


def parse_ddt_feats(s: str) -> dict[str, str]:
    out = {}
    if s and s != "_":
        for kv in s.split("|"):
            if "=" in kv:
                k, v = kv.split("=", 1)
                if k != "id":
                    out[k] = v
    return out


def unescape(s: str) -> str:
    return s.replace("&quot;", '"')


def parse_ddt_lines(lines: list[str]) -> list[list[dict]]:
    """Parse CoNLL-X lines of the DDT into sentences (list of token dicts)."""
    sents, cur = [], []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        c = line.split("\t")
        cur.append(
            {
                "id": int(c[0]),
                "form": unescape(c[1]),
                "lemma": unescape(c[2]),
                "cpos": c[3],
                "pos": c[4],
                "f": parse_ddt_feats(c[5]),
                "head": int(c[6]),
                "rel": c[7],
            }
        )
    if cur:
        sents.append(cur)
    return sents


def read_ddt(path: str) -> list[list[dict]]:
    with open(path, encoding="utf-8") as fh:
        return parse_ddt_lines(fh.readlines())


def read_conllu(path: str) -> list[tuple[dict, list[list[str]]]]:
    out, cur, meta = [], [], {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line:
                if cur:
                    out.append((meta, cur))
                cur, meta = [], {}
                continue
            if line.startswith("#"):
                k, _, v = line[1:].partition("=")
                meta[k.strip()] = v.strip()
                continue
            c = line.split("\t")
            if "-" in c[0] or "." in c[0]:
                continue
            cur.append(c)
    if cur:
        out.append((meta, cur))
    return out


# ---------------------------------------------------------------------------
# lexical knowledge
# ---------------------------------------------------------------------------

AUX_LEMMAS = {"have", "være", "blive", "kunne", "ville", "skulle", "måtte", "burde", "turde", "gide"}
MODALS = {"kunne", "ville", "skulle", "måtte", "burde", "turde", "gide"}
PUNCT_RE = re.compile(r"^[\W_]+$", re.U)


def norm_form(form: str) -> str:
    """Form normalisation used for aligning token sequences."""
    return unescape(form).replace("_", "").replace(" ", "")


# ---------------------------------------------------------------------------
# token level: UPOS, FEATS, lemma
# ---------------------------------------------------------------------------


def _ud_feats_nominal(f: dict, out: dict, definite=True, gender=True, number=True):
    if definite:
        d = f.get("def") or f.get("definiteness")
        if d == "def":
            out["Definite"] = "Def"
        elif d == "indef":
            out["Definite"] = "Ind"
    if gender:
        g = f.get("gender")
        if g == "common":
            out["Gender"] = "Com"
        elif g == "neuter":
            out["Gender"] = "Neut"
    if number:
        n = f.get("number")
        if n == "sing":
            out["Number"] = "Sing"
        elif n == "plur":
            out["Number"] = "Plur"


DEGREE = {"pos": "Pos", "comp": "Cmp", "sup": "Sup", "abs": "Abs"}
CASE = {"nom": "Nom", "acc": "Acc", "gen": "Gen"}


def token_feats(t: dict, upos: str) -> dict[str, str]:
    f = t["f"]
    out: dict[str, str] = {}
    cp = t["cpos"]
    if cp == "U":
        if t["rel"] == "expl":
            return {}
        return {"PartType": "Inf"}
    if upos in ("NOUN",):
        _ud_feats_nominal(f, out)
        if f.get("case") == "gen":
            out["Case"] = "Gen"
    elif upos == "PROPN":
        if f.get("case") == "gen":
            out["Case"] = "Gen"
    elif upos == "ADJ" and cp in ("AN", "AO"):
        if cp == "AO":
            out["NumType"] = "Ord"
        deg = DEGREE.get(f.get("degree", ""))
        if deg:
            out["Degree"] = deg
        _ud_feats_nominal(f, out)
        if f.get("case") == "gen":
            out["Case"] = "Gen"
    elif upos in ("VERB", "AUX"):
        mood = f.get("mood")
        voice = f.get("voice")
        tense = f.get("tense")
        if mood == "indic":
            out["Mood"] = "Ind"
            out["VerbForm"] = "Fin"
        elif mood == "imper":
            out["Mood"] = "Imp"
        elif mood == "infin":
            out["VerbForm"] = "Inf"
        elif mood == "partic":
            out["VerbForm"] = "Part"
            _ud_feats_nominal(f, out, gender=False)
        elif mood == "gerund":
            out["VerbForm"] = "Ger"
        if tense == "present":
            out["Tense"] = "Pres"
        elif tense == "past":
            out["Tense"] = "Past"
        if voice == "active":
            out["Voice"] = "Act"
        elif voice == "passive":
            out["Voice"] = "Pass"
    elif upos in ("PRON", "DET"):
        pt = {"PP": "Prs", "PD": "Dem", "PI": "Ind", "PT": "Int,Rel", "PC": "Rcp", "PO": "Prs"}.get(cp)
        if pt:
            out["PronType"] = pt
        if cp == "PO":
            out["Poss"] = "Yes"
            ps = f.get("possessor")
            if ps == "sing":
                out["Number[psor]"] = "Sing"
            elif ps == "plur":
                out["Number[psor]"] = "Plur"
        p = f.get("person")
        if p in ("1", "2", "3"):
            out["Person"] = p
        _ud_feats_nominal(f, out, definite=False)
        c = CASE.get(f.get("case", ""))
        if c:
            out["Case"] = c
        elif cp == "PP" and f.get("case") == "unmarked":
            out["Case"] = "Acc"
        reg = f.get("register")
        if reg == "polite":
            out["Polite"] = "Form"
        elif reg == "formal":
            out["Style"] = "Form"
        if f.get("reflexive") == "yes":
            out["Reflex"] = "Yes"
    elif upos == "NUM":
        out["NumType"] = "Card"
    elif upos == "ADV":
        deg = DEGREE.get(f.get("degree", ""))
        if deg and (deg != "Pos" or cp == "AN"):
            out["Degree"] = deg
    elif upos == "ADP" and cp != "CS":
        out["AdpType"] = "Prep"
    elif upos == "PART":
        out["PartType"] = "Inf"
    elif upos == "X":
        if cp == "XF":
            out["Foreign"] = "Yes"
        elif cp == "XA":
            out["Abbr"] = "Yes"
    return out


def feats_str(d: dict[str, str]) -> str:
    if not d:
        return "_"
    return "|".join(f"{k}={d[k]}" for k in sorted(d, key=str.lower))


# ---------------------------------------------------------------------------
# tree conversion
# ---------------------------------------------------------------------------


class Sent:
    """A DDT sentence with helpers (1-based ids, 0 = root)."""

    def __init__(self, toks: list[dict]):
        self.t = toks
        self.n = len(toks)
        self.kids: dict[int, list[int]] = collections.defaultdict(list)
        for x in toks:
            self.kids[x["head"]].append(x["id"])

    def __getitem__(self, i: int) -> dict:
        return self.t[i - 1]

    def children(self, i: int, rel: str | None = None) -> list[int]:
        ks = self.kids.get(i, [])
        if rel is None:
            return ks
        return [k for k in ks if self[k]["rel"] == rel]


def is_verb(t):
    return t["cpos"] in ("VA", "VE")


def lower(t):
    return t["form"].lower()


def complement(s: Sent, i: int) -> tuple[int, str] | None:
    """If token i is a DDT function-word head, return (complement id, kind)."""
    t = s[i]
    cp = t["cpos"]
    lem = t["lemma"].lower()
    kids = s.children(i)

    def first(rel, cond=None):
        for k in kids:
            if s[k]["rel"] == rel and (cond is None or cond(s[k])):
                return k
        return None

    if cp == "SP" or (cp == "U" and lower(t) == "som") or (cp == "CS" and lower(t) == "end" and first("nobj")):
        if cp == "SP" and stranded_som(s, i):
            return None
        k = first("nobj") or first("vobj") or first("aobj") or first("pred") or first("avobj")
        if k:
            return k, "case"
        return None
    if cp == "PD" and lem == "den" and not first("nobj") and not first("possd"):
        # 'det ulidelige', 'de fleste': the adjective heads in UD
        for k in kids:
            if k > i and s[k]["rel"] == "mod" and s[k]["cpos"] in ("AN", "AO"):
                return k, "det"
    if cp == "PT" or (cp == "RG" and lem.startswith("hv")):
        # 'hvad børn har godt af', 'hvordan hun kunne overse ...': DDT makes
        # the wh-word head of its clause, UD-DDT the clause's verb
        k = first("rel")
        if k:
            return k, "wh"
    if cp in ("PD", "PO"):
        # 'den detroniserede formand Svend Auken', 'deres far prins Henrik':
        # UD-DDT makes the apposed name the head of the noun phrase
        ka = first("appr", lambda x: x["cpos"] == "NP")
        if ka and (first("nobj") or first("possd")):
            return ka, ("poss" if first("possd") else "det")
    if cp == "AN" and lem in ("meget", "sådan"):
        # 'meget mere plads', 'et sådant krav': UD-DDT keeps the degree
        # adjective as head, the noun is its obl
        return None
    if cp in ("PD", "PI", "PT", "PO", "AC", "AN", "AO", "PP", "NC", "NP", "XX"):
        k = first("nobj")
        if k and cp not in ("NC", "NP", "PP", "XX"):
            return k, "det"
        k2 = first("possd")
        if k2:
            return k2, "poss"
        if k and cp in ("NC", "NP", "XX"):
            # e.g. numbers/abbreviations heading nouns
            return None
        return None
    if cp == "CS" or (cp == "U" and lower(t) == "at"):
        k = first("vobj")
        if k:
            return k, "mark"
        return None
    if cp in ("VA", "VE"):
        if lem in AUX_LEMMAS:
            k = first("vobj", lambda x: is_verb(x) or x["cpos"] == "U")
            if k and is_verb(s[k]):
                return k, "aux"
        if lem == "være":
            k = first("pred")
            if k and pred_is_nominal(s, k):
                return k, "cop"
    return None


def stranded_som(s: Sent, i: int) -> int | None:
    """Relative 'som' as the object of a stranded preposition ('som man ikke
    skal lade sig narre af'): returns the id of 'som'."""
    for k in s.children(i, "nobj"):
        if k < i and s[k]["cpos"] == "U" and lower(s[k]) == "som":
            return k
    return None


def restructure_genitives(toks: list[dict]) -> list[dict]:
    """DDT attaches the possessed noun (possd) to the head of the genitive
    phrase, e.g. a determiner/numeral ('15 timers votering': possd on '15');
    move it to the genitive word itself so that the swap works."""
    kids = collections.defaultdict(list)
    for t in toks:
        kids[t["head"]].append(t)
    changed = None
    for t in toks:
        ks = kids.get(t["id"], [])
        nob = [k for k in ks if k["rel"] == "nobj"]
        pos = [k for k in ks if k["rel"] == "possd"]
        if nob and pos and t["f"].get("case") != "gen":
            g = nob[0]
            guard = 0
            while g["f"].get("case") != "gen" and guard < 5:
                nx = [k for k in kids.get(g["id"], []) if k["rel"] == "nobj"]
                if not nx:
                    break
                g = nx[0]
                guard += 1
            if g["f"].get("case") != "gen":
                continue
            if changed is None:
                changed = {x["id"]: dict(x) for x in toks}
            for p in pos:
                changed[p["id"]]["head"] = g["id"]
    if changed is None:
        return toks
    return [changed[t["id"]] for t in toks]


def subtree_max(s: Sent, i: int) -> int:
    """Rightmost token id in the DDT subtree of i."""
    m, stack, seen = i, [i], set()
    while stack:
        k = stack.pop()
        if k in seen:
            continue
        seen.add(k)
        m = max(m, k)
        stack.extend(s.children(k))
    return m


def pred_is_nominal(s: Sent, k: int) -> bool:
    t = s[k]
    cp = t["cpos"]
    return cp not in ("SP", "VA", "VE", "U", "CS")


def ud_convert_sentence(toks: list[dict]) -> list[dict]:
    """Convert one DDT sentence; returns list of UD token dicts
    (id, form, lemma, upos, feats(dict), head, deprel, plus 'src')."""
    toks = restructure_genitives(toks)
    s = Sent(toks)
    n = s.n
    comp = {}
    for i in range(1, n + 1):
        c = complement(s, i)
        if c:
            comp[i] = c

    lex_cache: dict[int, int] = {}
    s.lexf = lambda i: lex(i)
    s.is_func = lambda i: i in comp and comp[i][1] == "det"
    s.kind = lambda i: comp[i][1] if i in comp else None
    s.comp_of = lambda i: comp[i][0] if i in comp else None

    def lex(i: int) -> int:
        if i == 0:
            return 0
        if i in lex_cache:
            return lex_cache[i]
        seen = set()
        j = i
        while j in comp and j not in seen:
            seen.add(j)
            j = comp[j][0]
        lex_cache[i] = j
        return j

    def h_gen(i: int) -> int:
        """lex(i), but stopping at a genitive possessor."""
        j, seen = i, set()
        while j in comp and comp[j][1] != "poss" and j not in seen:
            seen.add(j)
            j = comp[j][0]
        return j if j in comp else lex(i)

    # DDT (this CoNLL release) leaves some dependents unattached (head 0):
    # mostly directional adverbs / locative objects of the preceding verb.
    eff_head = {i: s[i]["head"] for i in range(1, n + 1)}
    eff_rel = {i: s[i]["rel"] for i in range(1, n + 1)}
    roots = [i for i in range(1, n + 1) if s[i]["head"] == 0]
    main_root = None
    if roots:
        vroots = [i for i in roots if is_verb(s[lex(i)]) or s[i]["cpos"] == "CC"]
        main_root = (vroots or roots)[0]
        for i in roots:
            if i == main_root:
                continue
            if s[i]["cpos"] == "XP":
                eff_head[i], eff_rel[i] = main_root, "pnct"
                continue
            # a bare measure/time NP right before an adverb ('ugen efter',
            # '14 dage senere', 'en smule tidligere') modifies that adverb
            j = subtree_max(s, i) + 1
            if (
                j <= n
                and s[lex(i)]["cpos"] in ("NC", "AC")
                and not s.children(j)
                and (s[j]["cpos"] == "RG" or (s[j]["cpos"] == "AN" and s[j]["f"].get("degree") == "comp"))
            ):
                eff_head[i], eff_rel[i] = j, "tmod"
                continue
            # nearest verb to the left (not inside i's own group)
            tgt = None
            for j in range(i - 1, 0, -1):
                if is_verb(s[j]) and lex(j) != lex(i):
                    tgt = j
                    break
            if tgt is None:
                tgt = main_root
            eff_head[i], eff_rel[i] = tgt, "orphan"
    for i in range(1, n + 1):
        k = stranded_som(s, i) if s[i]["cpos"] == "SP" else None
        if k and eff_head[i]:
            # UD-DDT: the stranded 'som' is compound:prt of the verb, the
            # preposition stays with its own head as case
            eff_head[k], eff_rel[k] = eff_head[i], "strand"
            eff_rel[i] = "stranded"
    s.eff_head, s.eff_rel = eff_head, eff_rel

    s.has_aux = collections.Counter()
    for i, (_k, kind) in comp.items():
        if kind in ("aux", "cop"):
            s.has_aux[lex(i)] += 1

    # top of each group: token whose DDT head is not in the same group
    upos = [None] * (n + 1)
    for i in range(1, n + 1):
        upos[i] = base_upos(s, i, comp)

    heads = [0] * (n + 1)
    rels = [""] * (n + 1)
    topinfo = {}

    # coordination bookkeeping
    for i in range(1, n + 1):
        t = s[i]
        h = eff_head[i]
        # is i the complement of its head?  then i is not attached here
        if h and h in comp and comp[h][0] == i:
            # attach the function word h to lex(i) (done below), and i's
            # attachment comes from the group top.
            continue
        L = lex(i)
        H = lex(h) if h else 0
        if h and eff_rel[i] == "mod" and i < h_gen(h) and upos[L] in ("ADJ", "VERB"):
            # 'Den jyske Operas chef': an adjective that DDT hangs on the
            # genitive phrase stays with the genitive in UD-DDT
            H = h_gen(h)
        heads[L] = H
        rels[L] = map_rel(s, i, L, h, H, upos, comp)
        topinfo[L] = "{}/{}".format(eff_rel[i], s[i]["cpos"])
    # function words attach to their lexical head
    for i, (k, kind) in comp.items():
        L = lex(i)
        if kind == "det":
            # determiners/numerals of a genitive possessor stay with it
            j, seen = k, set()
            while j in comp and comp[j][1] != "poss" and j not in seen:
                seen.add(j)
                j = comp[j][0]
            L = j
        if kind == "case" and i > 1 and s[i - 1]["head"] == i and s[i - 1]["rel"] == "mod" and s[i - 1]["cpos"] in ("RG", "AN"):
            # 'allerede i august', 'kun til den første': UD-DDT hangs the
            # preposition on the adverb that modifies the PP
            L = i - 1
        heads[i] = L
        rels[i] = func_rel(s, i, kind, upos)
    # non-top, non-function tokens that were skipped? all covered.
    # coordination: conj dependents of a coordinator
    fix_coordination(s, heads, rels, upos, lex)
    fix_names(s, heads, rels)
    invert_aux_clauses(s, heads, rels)
    out = []
    for i in range(1, n + 1):
        t = s[i]
        u = upos[i]
        out.append(
            {
                "id": i,
                "form": t["form"],
                "lemma": ud_lemma(t, u),
                "upos": u,
                "feats": token_feats(t, u),
                "head": heads[i],
                "deprel": rels[i] or "dep",
                "src": t,
                "top": topinfo.get(i, "func"),
            }
        )
    return out


def invert_aux_clauses(s: Sent, heads, rels):
    """UD-DDT artefact, reproduced because the parser is scored against it:
    when a verb with an auxiliary ('kunne se', 'har ment') is followed by a
    subordinate clause that has an auxiliary of its own ('at han havde været',
    'efter at de havde indgået'), UD-DDT makes the subordinate verb the head:
    it takes over the main verb's attachment and the main verb becomes its
    xcomp (consecutive 'så' clauses excepted)."""
    n = s.n
    kids = collections.defaultdict(list)
    for i in range(1, n + 1):
        kids[heads[i]].append(i)
    for m in range(1, n + 1):
        if rels[m] == "xcomp" or not any(rels[k] in ("aux", "cop") for k in kids[m]):
            continue
        for c in sorted(kids[m]):
            if c < m or rels[c] not in ("ccomp", "advcl"):
                continue
            if not any(rels[k] in ("aux", "cop") for k in kids[c]):
                continue
            marks = [k for k in kids[c] if rels[k] in ("mark", "case") and k < c]
            if not marks or any(lower(s[k]) == "så" for k in marks):
                continue
            heads[c], rels[c] = heads[m], rels[m]
            heads[m], rels[m] = c, "xcomp"
            break


NAME_RELS = ("namef", "name", "namel")


def fix_names(s: Sent, heads, rels):
    """DDT: name parts depend on the last name; UD: first part is head,
    the others are flat dependents of it."""
    n = s.n
    for i in range(1, n + 1):
        parts = [k for k in s.children(i) if s[k]["rel"] in NAME_RELS]
        if not parts:
            continue
        grp = sorted([*parts, i])
        f = grp[0]
        if f != i:
            heads[f], rels[f] = heads[i], rels[i]
            for k in range(1, n + 1):
                if heads[k] == i and k not in grp:
                    heads[k] = f
        for o in grp[1:]:
            heads[o], rels[o] = f, "flat"


DIR_ADV_NOT = {"ikke", "så", "også", "måske", "kun", "lige", "selvfølgelig", "stadig", "sådan", "vidt", "længe", "brutto"}


def base_upos(s: Sent, i: int, comp) -> str:
    t = s[i]
    cp = t["cpos"]
    lf = lower(t)
    if cp == "NC":
        return "NOUN"
    if cp == "NP":
        return "PROPN"
    if cp == "AN":
        if t["f"].get("transcat") == "adverbial":
            return "ADV"
        return "ADJ"
    if cp == "AO":
        return "ADJ"
    if cp == "AC":
        return "NUM"
    if cp in ("VA", "VE"):
        if i in comp and comp[i][1] in ("aux", "cop"):
            return "AUX"
        return "VERB"
    if cp == "RG":
        return "ADV"
    if cp == "SP":
        return "ADP"
    if cp == "CC":
        return "CCONJ"
    if cp == "CS":
        if lf == "end":
            return "ADP"  # UD-DDT: comparative 'end' is always ADP
        return "SCONJ"
    if cp == "U":
        if lf == "at":
            return "PART"
        if lf == "som":
            h = t["head"]
            if t["rel"] == "coord":
                return "ADP"  # 'såvel X som Y
            return "ADP" if (i in comp or (h > i and s[h]["cpos"] == "SP" and stranded_som(s, h) == i)) else "PRON"
        return "PRON"  # der
    if cp in ("PP", "PC"):
        return "PRON"
    if cp in ("PD", "PI", "PT"):
        return "DET" if (i in comp and comp[i][1] == "det") else "PRON"
    if cp == "PO":
        return "DET"
    if cp == "I":
        return "INTJ"
    if cp == "XP":
        return "PUNCT"
    if cp == "XS":
        return "SYM"
    return "X"


def ud_lemma(t: dict, upos: str) -> str:
    lem = t["lemma"]
    if upos == "ADV" and t["cpos"] == "AN":
        return t["form"].lower()
    if upos == "PROPN":
        return t["form"] if lem == "" else lem
    return lem


CLAUSAL = ("VERB", "AUX")


def is_nominal_upos(u):
    return u in ("NOUN", "PROPN", "PRON", "NUM", "X", "SYM", "DET")


def map_rel(s: Sent, top: int, L: int, h: int, H: int, upos, comp) -> str:
    """UD relation of lexical head L whose group top is `top`, attached to
    DDT head h (lexical head H)."""
    r = s.eff_rel[top]
    uL = upos[L]
    uH = upos[H] if H else "ROOT"
    topkind = comp[top][1] if top in comp else None
    s[top]
    (uL in CLAUSAL and s[L]["cpos"] in ("VA", "VE")) or topkind == "mark" or (topkind == "cop" and False)
    if h == 0 or r == "ROOT":
        return "root"
    if r == "orphan":
        if uL == "ADV":
            return "advmod" if lower(s[L]) in DIR_ADV_NOT else "advmod:lmod"
        if topkind == "case" or uL in ("NOUN", "PROPN", "PRON", "NUM"):
            return "obl"
        if uL in CLAUSAL:
            return "advcl" if topkind == "mark" else "conj"
        if uL == "CCONJ":
            return "cc"
        if uL == "ADJ":
            return "advmod"
        return "dep"
    if r == "pnct":
        return "punct"
    if r == "tmod":
        return "obl:tmod"
    if r == "strand":
        return "compound:prt"
    if r == "stranded":
        return "case"
    if r == "subj":
        return "nsubj"
    if r == "expl":
        return "expl"
    if r == "iobj":
        return "iobj"
    if r in ("dobj",):
        if topkind == "mark" or uL in CLAUSAL:
            # UD-DDT: finite clauses with an auxiliary/copula are ccomp,
            # other clausal objects obj; adjectival predicates amod
            if s.has_aux.get(L):
                if uL == "ADJ":
                    return "amod"
                return "ccomp"
            return "obj"
        return "obj"
    if r == "vobj":
        if uL == "ADJ":
            return "amod"
        if uL in CLAUSAL:
            if uH in ("ADV", "CCONJ", "SCONJ", "ADP"):
                return "advcl"
            if uH in ("PRON", "NOUN", "PROPN"):
                return "acl:relcl"
            if s[L]["f"].get("mood") == "indic" or s.has_aux.get(L):
                return "ccomp"
        return "xcomp"
    if r == "pred":
        if topkind == "case":
            if is_clausal_chain(s, top):
                return "advcl"  # 'er ved at kede sig'
            return "obl" if uH not in ("NOUN", "PROPN", "PRON") else "nmod"
        if uL in ("ADV", "ADP") and topkind is None:
            return "compound:prt"  # 'suge den væk', 'slippe løs', 'gå galt'
        if topkind == "mark" and s[top]["cpos"] == "CS" and uL in CLAUSAL:
            return "ccomp"  # 'Målet er, at ...'

        if uL == "ADJ" and H and s[H]["lemma"] != "blive":
            return "amod"  # UD-DDT: object predicatives ('erklære ham uegnet')
        return "xcomp"
    if r == "part" or (r == "pobj" and s[L]["cpos"] == "RG" and topkind is None):
        return "compound:prt"
    if r == "aobj" and uL in ("ADJ", "ADV") and s[L]["cpos"] == "AN":
        return "amod"
    if r in ("namef", "namel", "name"):
        return "flat"
    if s[L]["cpos"] == "NP" and s[h]["cpos"] == "NP" and r in ("nobj", "mod", "appr", "appa") and topkind is None:
        return "flat"
    if uL == "NOUN" and uH == "PROPN" and L > H and topkind is None and r in ("nobj", "title", "mod", "pred"):
        return "flat"  # 'Århus Universitet', 'Stefan Fryland, formand for ...'
    if r == "title":
        return "nmod"
    if r == "appa" and uL == "NOUN":
        return "nmod"
    if r in ("appr", "appa"):
        return "appos"
    if r == "rel":
        return "acl:relcl"
    if r == "voc":
        return "vocative"
    if r in ("numm", "numa"):
        return "nummod"
    if r == "conj":
        return "conj"
    if r == "coord":
        return "cc"
    if r == "qobj":
        if uL == "INTJ":
            return "discourse"
        return "amod" if uL == "ADJ" else "ccomp"
    if r in ("mod", "pobj", "avobj", "aobj", "modp", "nobj", "possd", "xtop", "title", "xpl"):
        head_nominal = uH in ("NOUN", "PROPN", "PRON", "NUM", "DET", "X", "SYM")
        if uL == "VERB" and top == L and s[L]["f"].get("mood") == "partic" and r == "mod":
            # UD-DDT: participles modify nouns as amod, pronouns/names as
            # acl:relcl, verbs as xcomp (depictives: 'fortsatte han spørgende')
            if uH == "NOUN" or uH in ("NUM", "X", "SYM"):
                return "amod"
            if uH in ("PRON", "PROPN", "DET", "ADJ"):
                return "acl:relcl"
            if uH == "VERB" and not s.has_aux.get(L):
                return "xcomp"
        if uL in CLAUSAL and (topkind in ("mark", "case") or s[L]["cpos"] in ("VA", "VE")):
            if uH in ("PRON", "ADJ"):
                return "acl:relcl"
            if topkind == "case":
                return "advcl"
            if r == "mod" and topkind in (None, "aux", "cop") and L < H and s[top]["f"].get("mood") == "indic" and uH in CLAUSAL:
                # verb-first conditional ('Kører man mange ture, bør man ...')
                return "ccomp"
            return "acl" if head_nominal else "advcl"
        if topkind == "case":
            if not head_nominal and is_clausal_chain(s, top):
                return "advcl"  # 'berømmer sig af at være et informationssamfund'
            if uL == "NUM":
                return "nummod"
            return "nmod" if head_nominal else "obl"
        if uL == "ADV":
            # correlative 'såvel (... som)' is cc in UD-DDT, unlike både/hverken
            return "cc" if lower(s[L]) == "såvel" else "advmod"
        if uL == "ADJ":
            # adverbially used adjectives are ADV already (transcat); the
            # rest are amod in UD-DDT even under verbs
            return "amod" if (head_nominal or uH in ("VERB", "AUX", "ADJ")) else "advmod"
        if uL == "NUM":
            if r == "nobj" and uH == "NOUN":
                return "nmod"  # 'august 1991', 'kl. 20.00'
            return "nummod" if head_nominal else "obl"
        if uL in ("NOUN", "PROPN", "PRON", "DET"):
            return "nmod" if head_nominal else "obl"
        if uL == "SCONJ":
            return "mark"
        if uL == "ADP":
            # a preposition without complement: before a nominal ('over
            # tyve år', 'omkring de 250 kg.') or stranded after a noun/
            # adjective ('reklamer for', 'vant til') UD-DDT has case
            if (head_nominal and L < H) or (r == "pobj" and uH in ("NOUN", "ADJ")):
                return "case"
            return "advmod"
        if uL == "PART":
            return "mark"
        if uL == "INTJ":
            return "discourse"
        return "dep"
    return "dep"


def is_clausal_chain(s: Sent, i: int) -> bool:
    """Does the complement chain below function word i contain a clause
    marker, a wh-word or a copula?"""
    j, guard = s.comp_of(i), 0
    while j and guard < 10:
        if s.kind(j) in ("mark", "wh", "cop"):
            return True
        j, guard = s.comp_of(j), guard + 1
    return False


def func_rel(s: Sent, i: int, kind: str, upos) -> str:
    u = upos[i]
    if kind == "case":
        L = s.lexf(i)
        if upos[L] in CLAUSAL or s[L]["cpos"] in ("VA", "VE"):
            return "mark"
        # a preposition before a clause with a non-verbal predicate
        # ('om, at klokken var mange') is mark as well
        return "mark" if is_clausal_chain(s, i) else "case"
    if kind == "mark":
        return "mark"
    if kind == "wh":
        if s[i]["cpos"] == "RG":
            return "mark"
        L = s.lexf(i)
        j, subj = L, False
        while j and not subj:
            subj = any(s[k]["rel"] == "subj" for k in s.children(j))
            j = s[j]["head"] if s[j]["rel"] == "vobj" else 0
        return "obj" if subj else "nsubj"
    if kind == "aux":
        return "aux"
    if kind == "cop":
        return "cop"
    if kind == "poss":
        if s[i]["cpos"] == "PO":
            return "det"
        return "nmod:poss"
    if kind == "det":
        if u == "NUM":
            return "nummod"
        if u == "ADJ":
            return "amod"
        return "det"
    return "dep"


def fix_coordination(s: Sent, heads, rels, upos, lex):
    """DDT: first conjunct -coord-> coordinator -conj-> next conjunct.
    UD: next conjunct -conj-> first conjunct, coordinator -cc-> next conj."""
    n = s.n
    for c in range(1, n + 1):
        t = s[c]
        conj_kids = [k for k in s.children(c) if s[k]["rel"] == "conj"]
        if not conj_kids:
            continue
        first = lex(c)
        if t["cpos"] == "CC" or (t["rel"] == "coord"):
            # c is the coordinator; its head is the first conjunct
            anchor = heads[c] if t["rel"] == "coord" else None
            if t["rel"] == "coord" and t["head"]:
                anchor = lex(t["head"])
            ks = sorted(lex(k) for k in conj_kids)
            if anchor is None or anchor == 0:
                # coordinator at root / elsewhere: first conjunct takes over
                a = ks[0]
                heads[a], rels[a] = heads[c], rels[c] if rels[c] != "cc" else "conj"
                if t["head"] == 0:
                    rels[a] = "root"
                elif t["rel"] == "qobj":
                    # '"Og så har vi ...", siger X': UD-DDT treats the quote-
                    # initial conjunction as coordinating the quote with the
                    # reporting verb: the quote takes over, the verb is conj
                    H = lex(t["head"])
                    heads[a], rels[a] = heads[H], rels[H]
                    heads[H], rels[H] = a, "conj"
                for k in ks[1:]:
                    heads[k], rels[k] = a, "conj"
                heads[c], rels[c] = a, "cc"
                # other dependents of c move to a
                for k in range(1, n + 1):
                    if heads[k] == c and k != c:
                        heads[k] = a
                continue
            if s[anchor]["lemma"] == "blive" and upos[anchor] == "VERB":
                # 'blev gravid og rejste hjem': UD-DDT coordinates with the
                # adjectival predicate of 'blive'
                preds = [k for k in s.children(anchor, "pred") if upos[k] == "ADJ" and k < c]
                if preds:
                    anchor = preds[0]
            for k in ks:
                heads[k], rels[k] = anchor, "conj"
            # coordinator attaches to the next conjunct after it
            after = [k for k in ks if k > c]
            tgt = after[0] if after else ks[-1]
            heads[c], rels[c] = tgt, "case" if (t["cpos"] == "U" and lower(t) == "som") else "cc"
            if anchor != t["head"] and s[t["head"]]["cpos"] == "SP" and s.kind(t["head"]) == "case" and all(s[k]["cpos"] == "SP" for k in conj_kids):
                # UD-DDT artefact for coordinated PPs ('i september og i
                # oktober'): the coordinator stays on the first preposition,
                # the second noun is nmod of the first
                heads[c], rels[c] = t["head"], "cc"
                for k in ks:
                    rels[k] = "nmod"
            elif anchor != t["head"] and s.is_func(t["head"]):
                # UD-DDT artefact: coordination hanging off a demoted
                # function word (e.g. a determiner) keeps the coordinator
                # on the lexical head as 'dep'
                heads[c], rels[c] = anchor, "dep"
            for k in range(1, n + 1):
                if heads[k] == c and k != c and rels[k] != "fixed":
                    # correlatives (både/enten/hverken ...) precede the
                    # first conjunct and attach to it
                    heads[k] = anchor if k < c and k < anchor else tgt
        else:
            for k in conj_kids:
                heads[lex(k)], rels[lex(k)] = first, "conj"


def convert_standalone(toks: list[dict], lexicon=None) -> list[dict]:
    """Convert one DDT sentence on its own (no re-segmentation), including
    multiword splitting, root fixing and punctuation attachment."""
    u = ud_convert_sentence(toks)
    u = split_multiwords(u, lexicon or {})
    fix_roots(u)
    fix_dateline(u)
    fix_punct(u)
    return u


# ---------------------------------------------------------------------------
# multiword tokens
# ---------------------------------------------------------------------------


def split_multiwords(sent: list[dict], lexicon) -> list[dict]:
    """Split DDT tokens like 'i_dag' into UD tokens joined by 'fixed'."""
    if not any("_" in t["form"] and len(t["form"]) > 1 for t in sent):
        return sent
    newid = {}
    out = []
    j = 0
    for t in sent:
        parts = [p for p in t["form"].split("_") if p] if len(t["form"]) > 1 else [t["form"]]
        if len(parts) < 2:
            j += 1
            newid[t["id"]] = j
            out.append(dict(t))
            continue
        lparts = [p for p in t["lemma"].split("_") if p]
        if len(lparts) != len(parts):
            lparts = [p.lower() for p in parts]
        j += 1
        newid[t["id"]] = j
        first_id = j
        for pi, (p, lp) in enumerate(zip(parts, lparts, strict=False)):
            if pi > 0:
                j += 1
            up, ft, _lm = lexicon.get(p.lower(), ("X", {}, lp))
            if pi > 0 and t["src"]["cpos"] == "RG" and out[first_id - 1]["upos"] == "ADP" and up in ("VERB", "X", "ADJ"):
                # adverbial PP idioms ('i går', 'i aftes', 'til rette'): the
                # fixed part is a noun in UD-DDT
                up, ft = "NOUN", {"Definite": "Ind", "Number": "Sing"}
            d = dict(t)
            d["form"] = p
            d["lemma"] = p.lower()
            d["mw"] = (pi, len(parts))
            if pi == 0:
                d["upos"] = up
                d["feats"] = ft
                out.append(d)
            else:
                d.update({"upos": up, "feats": ft, "head": -first_id, "deprel": "fixed"})
                out.append(d)
    for d in out:
        h = d["head"]
        if h < 0:
            d["head"] = -h
        elif h > 0:
            d["head"] = newid[h]
    for k, d in enumerate(out, 1):
        d["id"] = k
    return out


def build_lexicon(ddt_sents: list[list[dict]]):
    """form -> most frequent (upos, feats, lemma) over single-word tokens."""
    cnt = collections.defaultdict(collections.Counter)
    for s in ddt_sents:
        conv = ud_convert_sentence(s)
        for t in conv:
            if "_" in t["form"]:
                continue
            cnt[t["form"].lower()][(t["upos"], feats_str(t["feats"]), t["lemma"])] += 1
    lex = {}
    for f, c in cnt.items():
        (u, fs, lm), _ = c.most_common(1)[0]
        fd = dict(kv.split("=", 1) for kv in fs.split("|")) if fs != "_" else {}
        lex[f] = (u, fd, lm)
    return lex


# ---------------------------------------------------------------------------
# corpus-level: load, align, resegment
# ---------------------------------------------------------------------------


def load_docs(data: str):
    docs = []
    for p in sorted(glob.glob(os.path.join(data, "cdt_ddt", "conll", "*-da.conll"))):
        doc = os.path.basename(p).split("-")[0]
        docs.append((doc, read_ddt(p)))
    return docs


def load_metadata(data: str) -> dict[str, dict]:
    p = os.path.join(data, "cdt_ddt", "metadata.tsv")
    out = {}
    if os.path.exists(p):
        with open(p, encoding="utf-8") as fh:
            hdr = fh.readline().rstrip("\n").split("\t")
            for line in fh:
                c = line.rstrip("\n").split("\t")
                d = dict(zip(hdr, c, strict=False))
                out[d["id"]] = d
    return out


def convert_corpus(docs, lexicon=None):
    """Return list of converted sentences (lists of UD tokens) with doc ids,
    and the global stream of tokens with char offsets."""
    if lexicon is None:
        lexicon = build_lexicon([s for _, ss in docs for s in ss])
    conv = []
    for doc, sents in docs:
        for si, s in enumerate(sents):
            u = ud_convert_sentence(s)
            u = split_multiwords(u, lexicon)
            conv.append({"doc": doc, "idx": si, "toks": u})
    return conv


def build_stream(conv):
    stream = []
    chars = []
    pos = 0
    for ci, cs in enumerate(conv):
        for t in cs["toks"]:
            nf = norm_form(t["form"])
            stream.append({"c": ci, "tok": t, "start": pos, "end": pos + len(nf)})
            chars.append(nf)
            pos += len(nf)
    return stream, "".join(chars)


def locate(sent_forms_list, stream, text, order_hint=True):
    """Locate token sequences in the stream; returns list of (i0, i1) token
    index spans or None. Requires token boundaries to coincide."""
    start_idx = {st["start"]: k for k, st in enumerate(stream)}
    end_idx = {st["end"]: k for k, st in enumerate(stream)}
    used = set()
    res = []
    last = 0
    for forms in sent_forms_list:
        key = "".join(norm_form(f) for f in forms)
        cands = []
        p = text.find(key)
        while p != -1:
            e = p + len(key)
            if p in start_idx and e in end_idx:
                i0, i1 = start_idx[p], end_idx[e] + 1
                # token boundaries inside must coincide as well
                pos = p
                ok = True
                for f in forms:
                    pos += len(norm_form(f))
                    if pos not in end_idx:
                        ok = False
                        break
                if ok and (i0, i1) not in used:
                    cands.append((i0, i1))
            p = text.find(key, p + 1)
        if not cands:
            res.append(None)
            continue
        after = [c for c in cands if c[0] >= last]
        pick = after[0] if (after and order_hint) else cands[0]
        used.add(pick)
        last = pick[1]
        res.append(pick)
    return res


def locate_fuzzy(sent_forms_list, found, stream, min_ratio=0.6):
    """Approximate location for sentences that `locate` missed (UD fixed
    typos and re-tokenised a few words).  Returns spans or None."""
    import difflib

    norm = [norm_form(st["tok"]["form"]).lower() for st in stream]
    pos_of = collections.defaultdict(list)
    for k, f in enumerate(norm):
        pos_of[f].append(k)
    taken = set()
    for sp in found:
        if sp:
            taken.update(range(sp[0], sp[1]))
    res = []
    for forms, sp in zip(sent_forms_list, found, strict=False):
        if sp is not None:
            res.append(None)
            continue
        g = [norm_form(f).lower() for f in forms]
        # anchor on the rarest tokens of the sentence
        order = sorted(range(len(g)), key=lambda i: (len(pos_of.get(g[i], [])) or 10**9, -len(g[i])))
        cands = set()
        for i in order[:3]:
            for p in pos_of.get(g[i], [])[:50]:
                cands.add(max(0, p - i))
        best = None
        for c in cands:
            lo = max(0, c - 3)
            win = norm[lo : c + len(g) + 6]
            sm = difflib.SequenceMatcher(None, g, win, autojunk=False)
            blocks = [b for b in sm.get_matching_blocks() if b.size]
            if not blocks:
                continue
            ratio = sum(b.size for b in blocks) / float(len(g))
            b0 = lo + blocks[0].b - blocks[0].a
            b1 = lo + blocks[-1].b + blocks[-1].size + (len(g) - blocks[-1].a - blocks[-1].size)
            b0 = max(b0, 0)
            b1 = min(b1, len(norm))
            if best is None or ratio > best[0]:
                best = (ratio, b0, b1)
        if best and best[0] >= min_ratio and not any(k in taken for k in range(best[1], best[2])):
            res.append((best[1], best[2]))
            taken.update(range(best[1], best[2]))
        else:
            res.append(None)
    return res


def text_spacing(data, docs, conv, stream):
    """SpaceAfter from raw text: walk the raw document text."""
    txtdir = os.path.join(data, "cdt_ddt", "txt")
    by_doc = collections.defaultdict(list)
    for st in stream:
        by_doc[conv[st["c"]]["doc"]].append(st)
    for doc, sts in by_doc.items():
        p = os.path.join(txtdir, f"{doc}-da.txt")
        raw = None
        if os.path.exists(p):
            with open(p, encoding="utf-8") as fh:
                raw = fh.read()
        pos = 0
        for st in sts:
            t = st["tok"]
            f = t["form"]
            t["space_after"] = None
            if raw is None:
                continue
            # find the form in the raw text (skip whitespace)
            q = raw.find(f, pos)
            if q == -1 or q - pos > 40:
                # try without underscores already split; fall back
                continue
            end = q + len(f)
            pos = end
            t["space_after"] = (end < len(raw) and raw[end].isspace()) or end >= len(raw)


def heuristic_space(toks):
    """Fallback SpaceAfter heuristic for tokens with unknown spacing."""
    quote_open = False
    res = []
    for k, t in enumerate(toks):
        f = t["form"]
        nxt = toks[k + 1]["form"] if k + 1 < len(toks) else None
        sa = True
        if nxt is None:
            sa = True
        elif nxt in (",", ".", ":", ";", "!", "?", ")", "%") or nxt == "..." or f in ("(",):
            sa = False
        if f == '"':
            if not quote_open:
                sa = False
            quote_open = not quote_open
        elif nxt == '"' and quote_open:
            sa = False
        res.append(sa)
    return res


def make_sentences(conv, stream, spans_by_split, meta):
    """Resegment: gold/DaNE spans where located, else DDT sentences
    restricted to uncovered tokens.  Returns list of dicts with tokens (as
    stream indices), split, doc."""
    owner = [None] * len(stream)
    sents = []
    for split in ("test", "dev", "train"):
        for gi, sp in enumerate(spans_by_split.get(split, [])):
            if sp is None:
                continue
            i0, i1 = sp
            if any(owner[k] is not None for k in range(i0, i1)):
                continue
            sid = len(sents)
            for k in range(i0, i1):
                owner[k] = sid
            sents.append({"idx": list(range(i0, i1)), "split": split, "gold": gi})
    # uncovered tokens: group by DDT sentence, contiguous runs
    run = []
    prev_c = None
    for k in range(len(stream) + 1):
        if k < len(stream) and owner[k] is None and (prev_c is None or stream[k]["c"] == prev_c):
            run.append(k)
            prev_c = stream[k]["c"]
            continue
        if run:
            sid = len(sents)
            for r in run:
                owner[r] = sid
            sents.append({"idx": run, "split": "unknown", "gold": None})
            run = []
            prev_c = None
        if k < len(stream) and owner[k] is None:
            run = [k]
            prev_c = stream[k]["c"]
    for s in sents:
        s["doc"] = conv[stream[s["idx"][0]]["c"]]["doc"]
        s["c"] = sorted({stream[k]["c"] for k in s["idx"]})
    sents.sort(key=lambda s: s["idx"][0])
    return sents


def realize(sent, conv, stream) -> list[dict]:
    """Build a UD sentence (renumbered) from stream indices; fix roots."""
    idx = sent["idx"]
    gpos = {}  # (c, local id) -> new id
    for n, k in enumerate(idx, 1):
        st = stream[k]
        gpos[(st["c"], st["tok"]["id"])] = n
    out = []
    for n, k in enumerate(idx, 1):
        st = stream[k]
        t = st["tok"]
        h = t["head"]
        nh = gpos.get((st["c"], h)) if h else 0
        d = dict(t)
        d["id"] = n
        d["head"] = nh if nh is not None else None
        out.append(d)
    fix_roots(out)
    return out


def fix_roots(toks: list[dict]):
    """Ensure a single root; attach orphans (head None/0) sensibly."""
    roots = [t for t in toks if not t["head"]]
    if not roots:
        # cycle or everything inside points out: pick the first verb
        roots = [toks[0]]

    # choose main root: prefer token labelled root that is a verb
    def score(t):
        s = 0
        if t["deprel"] == "root":
            s += 4
        if t["upos"] in ("VERB", "AUX"):
            s += 2
        if t["upos"] == "PUNCT":
            s -= 10
        return s

    main = max(roots, key=lambda t: (score(t), -t["id"]))
    for t in roots:
        if t is main:
            t["head"] = 0
            t["deprel"] = "root"
        else:
            t["head"] = main["id"]
            if t["deprel"] in ("root", "dep") or t["head"] is None:
                t["deprel"] = "punct" if t["upos"] == "PUNCT" else orphan_rel(t, main)
    # break cycles (should not happen)
    for t in toks:
        seen = set()
        h = t
        while h["head"]:
            if h["id"] in seen:
                h["head"] = main["id"] if h is not main else 0
                break
            seen.add(h["id"])
            h = toks[h["head"] - 1]


SEG_PUNCT = {",", ";", ":", "-", "(", ")", '"'}


def fix_dateline(toks: list[dict]):
    """News datelines ('AALBORG: Et yngre ægtepar ... har erkendt'): UD-DDT
    makes the place name the root and the sentence a `list` dependent."""
    if len(toks) < 4 or toks[1]["form"] != ":":
        return
    t0 = toks[0]
    if t0["upos"] not in ("PROPN", "NOUN") or not (t0["form"].isupper() and len(t0["form"]) > 1):
        return
    root = next((t for t in toks if t["head"] == 0), None)
    if root is None or root is t0:
        return
    for t in toks[1:]:
        if t["head"] == 1 and t["upos"] != "PUNCT":
            t["head"] = root["id"]
    t0["head"], t0["deprel"] = 0, "root"
    root["head"], root["deprel"] = 1, "list"


def fix_punct(toks: list[dict]):
    """Reattach punctuation UD-style.  The right candidate is the highest
    constituent starting right after the mark; the left candidate is the
    highest constituent ending right before it (UAS-style "does not cross"),
    but for commas the left climb stays inside the comma-delimited segment
    (UD-DDT attaches a comma closing a relative clause / apposition to that
    clause, not to the noun it modifies).  When the full left constituent
    is a dependent of the right one (or vice versa) the mark goes right
    (resp. left).  A sentence-initial dash goes to the top of the first
    segment."""
    n = len(toks)
    isp = [False] + [t["upos"] == "PUNCT" for t in toks]
    head = [0] + [t["head"] for t in toks]
    # non-punct tokens attached to punctuation: move them up
    for i in range(1, n + 1):
        guard = 0
        while not isp[i] and head[i] and isp[head[i]] and guard < n:
            head[i] = head[head[i]]
            guard += 1
    lo = list(range(n + 1))
    hi = list(range(n + 1))
    for i in range(1, n + 1):
        if isp[i]:
            continue
        j, guard = i, 0
        while head[j] and guard <= n:
            j = head[j]
            guard += 1
            if isp[j]:
                break
            lo[j] = min(lo[j], i)
            hi[j] = max(hi[j], i)

    def ancestors(i):
        out, guard = [], 0
        while i and guard <= n:
            out.append(i)
            i = head[i]
            guard += 1
        return out

    seg = [k for k in range(1, n + 1) if isp[k] and toks[k - 1]["form"] in SEG_PUNCT]
    allp = [k for k in range(1, n + 1) if isp[k]]
    for p in range(1, n + 1):
        if not isp[p]:
            continue
        prevp = max([k for k in seg if k < p], default=0)
        nextany = min([k for k in allp if k > p], default=n + 1)
        lc = next((k for k in range(p - 1, 0, -1) if not isp[k]), None)
        r = next((k for k in range(p + 1, n + 1) if not isp[k]), None)
        lcf = lc
        if lc is not None:
            while head[lcf] and head[lcf] < p and hi[lcf] < p:
                lcf = head[lcf]
            bounded = toks[p - 1]["form"] == ","
            chain = [lc]
            while head[lc] and head[lc] < p and hi[lc] < p and (not bounded or head[lc] > prevp):
                lc = head[lc]
                chain.append(lc)
            if bounded:
                # prefer the highest clause (verb) on the way up: a comma
                # closes a clause rather than a phrase inside it
                clausal = [k for k in chain if toks[k - 1]["upos"] in ("VERB", "AUX")]
                if clausal:
                    lc = clausal[-1]
                else:
                    k = lc
                    while k != lcf and head[k]:
                        k = head[k]
                        if toks[k - 1]["upos"] in ("VERB", "AUX"):
                            lc = k
                            break
        initial_dash = p == 1 and toks[0]["form"] in ("-", "–")
        if r is not None:
            while head[r] and head[r] > p and lo[r] > p and (not initial_dash or head[r] < nextany):
                r = head[r]
        if lc is None and r is None:
            continue
        if lc is None:
            par = r
        elif r is None:
            par = lc
        elif lcf in ancestors(r):
            par = r
        else:
            par = lc
        if par == p:
            continue
        toks[p - 1]["head"] = par
        toks[p - 1]["deprel"] = "punct"
    for i in range(1, n + 1):
        if not isp[i]:
            toks[i - 1]["head"] = head[i]
    # paired punctuation: both members to the head of the enclosed span
    for a, b in punct_pairs(toks):
        inner = [k for k in range(a + 1, b) if not isp[k]]
        if not inner:
            continue
        tops = [k for k in inner if not (a < head[k] < b)]
        if len(tops) == 1:
            toks[a - 1]["head"] = tops[0]
            toks[b - 1]["head"] = tops[0]


def punct_pairs(toks):
    pairs = []
    forms = [t["form"] for t in toks]
    q = [i for i, f in enumerate(forms, 1) if f in ('"', "'")]
    for k in range(0, len(q) - 1, 2):
        pairs.append((q[k], q[k + 1]))
    stack = []
    for i, f in enumerate(forms, 1):
        if f == "(":
            stack.append(i)
        elif f == ")" and stack:
            pairs.append((stack.pop(), i))
    d = [i for i, f in enumerate(forms, 1) if f in ("-", "--", "–")]
    if len(d) == 2:
        pairs.append((d[0], d[1]))
    return pairs


def orphan_rel(t, main):
    u = t["upos"]
    if u == "PUNCT":
        return "punct"
    if u in ("VERB", "AUX"):
        return "parataxis"
    if u == "ADV":
        return "advmod"
    if u == "CCONJ":
        return "cc"
    return "dep"


# ---------------------------------------------------------------------------
# main pipeline
# ---------------------------------------------------------------------------


def load_all(data: str):
    docs = load_docs(data)
    conv = convert_corpus(docs)
    stream, text = build_stream(conv)
    text_spacing(data, docs, conv, stream)
    gold = {}
    spans = {}
    for split in ("dev", "test"):
        p = os.path.join(data, "ud_danish_ddt", f"da_ddt-ud-{split}.conllu")
        gold[split] = read_conllu(p) if os.path.exists(p) else []
        forms = [[r[1] for r in g] for _, g in gold[split]]
        spans[split] = locate(forms, stream, text)
        fz = locate_fuzzy(forms, spans[split], stream)
        spans[split + "_fuzzy"] = fz
        for gi, sp in enumerate(fz):
            if sp is not None:
                spans[split][gi] = sp
    dane = []
    p = os.path.join(data, "dane", "derived", "dane_train.jsonl")
    if os.path.exists(p):
        with open(p, encoding="utf-8") as fh:
            dane = [json.loads(line) for line in fh if line.strip()]
    spans["train"] = locate([d["tokens"] for d in dane], stream, text)
    meta = load_metadata(data)
    sents = make_sentences(conv, stream, spans, meta)
    gold_spans = {sp: {gi: s for gi, s in enumerate(spans[sp]) if s} for sp in spans}
    return {
        "docs": docs,
        "conv": conv,
        "stream": stream,
        "text": text,
        "gold": gold,
        "spans": spans,
        "gold_spans": gold_spans,
        "dane": dane,
        "meta": meta,
        "sents": sents,
    }


def sentence_text(toks):
    parts = []
    for t in toks:
        parts.append(t["form"])
        if t.get("space_after", True):
            parts.append(" ")
    return "".join(parts).strip()


def finalize(sent, data_all):
    toks = realize(sent, data_all["conv"], data_all["stream"])
    fix_dateline(toks)
    fix_punct(toks)
    hs = heuristic_space(toks)
    for t, h in zip(toks, hs, strict=False):
        if t.get("space_after") is None:
            t["space_after"] = h
    if toks:
        toks[-1]["space_after"] = True
        if toks[0]["form"] in ("-", "–") and len(toks) > 1:
            toks[0]["space_after"] = True  # dialogue dash: UD writes "- Hvad"
    return toks


def to_conllu(toks, comments, ner=None) -> str:
    lines = [f"# {k} = {v}" for k, v in comments]
    for k, t in enumerate(toks):
        misc = []
        if ner is not None:
            misc.append(f"name={ner[k]}")
        if not t.get("space_after", True):
            misc.append("SpaceAfter=No")
        lines.append(
            "\t".join(
                [
                    str(t["id"]),
                    t["form"],
                    t["lemma"] or "_",
                    t["upos"],
                    t["src"]["pos"] if t.get("src") else "_",
                    feats_str(t["feats"]),
                    str(t["head"]),
                    t["deprel"],
                    "_",
                    "|".join(misc) if misc else "_",
                ]
            )
        )
    return "\n".join(lines) + "\n\n"


def is_near_dup(forms, index):
    key = " ".join(forms).lower()
    return key in index


def write_corpus(data_all, out_dir: str):
    os.makedirs(out_dir, exist_ok=True)
    meta = data_all["meta"]
    test_only = {d for d, m in meta.items() if m.get("ud_split_status") == "test-only"}
    # forms of dev/test gold sentences, for an extra safety filter
    heldout_keys = set()
    for sp in ("dev", "test"):
        for _, g in data_all["gold"][sp]:
            heldout_keys.add("".join(norm_form(r[1]) for r in g))
    files = {
        sp: open(os.path.join(out_dir, f"ddt-ud-{sp}.conllu"), "w", encoding="utf-8")  # noqa: SIM115 (closed below)
        for sp in ("train", "dev", "test")
    }
    stats = collections.Counter()
    dane = data_all["dane"]
    for si, sent in enumerate(data_all["sents"]):
        toks = finalize(sent, data_all)
        split = sent["split"]
        doc = sent["doc"]
        key = "".join(norm_form(t["form"]) for t in toks)
        ner = None
        if split == "train":
            d = dane[sent["gold"]]
            if [norm_form(x) for x in d["tokens"]] == [norm_form(t["form"]) for t in toks]:
                ner = d["ner_tags"]
        if split in ("dev", "test"):
            gid = data_all["gold"][split][sent["gold"]][0].get("sent_id", "")
            comments = [("sent_id", f"ddt-{doc}-{gid}"), ("text", sentence_text(toks)), ("doc_id", doc), ("split", split), ("gold_sent_id", gid)]
            files[split].write(to_conllu(toks, comments))
            stats[split + "_sents"] += 1
            stats[split + "_toks"] += len(toks)
            continue
        if doc in test_only or key in heldout_keys:
            stats["excluded_sents"] += 1
            continue
        comments = [("sent_id", f"ddt-{doc}-{si:04d}"), ("text", sentence_text(toks)), ("doc_id", doc), ("split", split)]
        files["train"].write(to_conllu(toks, comments, ner))
        stats["train_sents"] += 1
        stats["train_toks"] += len(toks)
        stats[f"train_{split}_sents"] += 1
        if ner:
            stats["train_with_ner"] += 1
    for f in files.values():
        f.close()
    return stats


# ---------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------


def evaluate(data_all, split="dev", show=0, out=sys.stdout, diag_n=0):
    gold = data_all["gold"][split]
    by_gold = {s["gold"]: s for s in data_all["sents"] if s["split"] == split}
    tot = collections.Counter()
    conf = collections.Counter()
    gold_lab = collections.Counter()
    shown = 0
    diag = collections.Counter()
    pdiag = collections.Counter()
    fdiag = collections.Counter()
    ldiag = collections.Counter()
    for gi, (meta, g) in enumerate(gold):
        s = by_gold.get(gi)
        if s is None:
            tot["unmatched"] += 1
            continue
        toks = finalize(s, data_all)
        if len(toks) != len(g):
            tot["fuzzy_skipped"] += 1
            continue
        tot["sents"] += 1
        bad = False
        for t, r in zip(toks, g, strict=False):
            tot["toks"] += 1
            tot["upos"] += t["upos"] == r[3]
            tot["feats"] += feats_str(t["feats"]) == r[5]
            tot["lemma"] += t["lemma"] == r[2]
            hok = str(t["head"]) == r[6]
            tot["uas"] += hok
            gl = r[7]
            ok = hok and t["deprel"] == gl
            tot["las"] += ok
            tot["label"] += t["deprel"] == gl
            gold_lab[gl] += 1
            if not ok:
                conf[(gl, t["deprel"] if t["deprel"] != gl else "(head)")] += 1
                bad = True
                t.get("src") or {}
                diag[(t.get("top", "-"), t["upos"], t["deprel"], gl, "H" if hok else "h")] += 1
            if t["upos"] != r[3]:
                closed = ("DET", "PRON", "ADV", "ADP", "SCONJ", "PART", "AUX", "CCONJ")
                pdiag[(t["src"]["cpos"] if t.get("src") else "-", t["form"].lower() if r[3] in closed else "", t["upos"], r[3])] += 1
            if feats_str(t["feats"]) != r[5]:
                fdiag[(t["upos"], feats_str(t["feats"]), r[5])] += 1
            if t["lemma"] != r[2]:
                ldiag[(t["upos"], t["form"], t["lemma"], r[2])] += 1
        if bad and shown < show:
            shown += 1
            print("# {} {}".format(meta.get("sent_id"), meta.get("text")), file=out)
            for t, r in zip(toks, g, strict=False):
                flag = "" if (str(t["head"]) == r[6] and t["deprel"] == r[7]) else "  <<<"
                srel = t["src"]["rel"] if t.get("src") else ""
                posflag = "" if t["upos"] == r[3] else "POS!"
                print(
                    f"{t['id']:3d} {t['form']:<16} {srel:<6} {t['upos']:<6} {t['head']!s:<4} {t['deprel']:<12}| {r[3]:<6} {r[6]:<4} {r[7]:<12} {posflag}{flag}",
                    file=out,
                )
            print(file=out)
    n = max(tot["toks"], 1)
    print(
        f"split={split} evaluated sents={tot['sents']} (located but token count differs: {tot['fuzzy_skipped']}; "
        f"not located: {tot['unmatched']}) tokens={tot['toks']}",
        file=out,
    )
    for k in ("upos", "feats", "lemma", "uas", "las", "label"):
        print(f"  {k.upper():<6} {100.0 * tot[k] / n:.2f}", file=out)
    print("worst (gold, predicted) pairs:", file=out)
    for (g, p), c in conf.most_common(30):
        print(f"  {g:<14} -> {p:<14} {c:5d}", file=out)
    if diag_n:
        for name, dd in (("deprel (ddt rel, upos, pred, gold, H=head ok)", diag), ("upos", pdiag), ("feats", fdiag), ("lemma", ldiag)):
            print(f"--- {name}", file=out)
            for k, c in dd.most_common(diag_n):
                print(f"  {c:5d}  " + "  ".join(k), file=out)
    return tot


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", nargs="?", default="convert", choices=["convert", "evaluate"])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--data", default="/work/shared/data")
    ap.add_argument("--out", default=os.path.join(here, "corpus"))
    ap.add_argument("--split", default="dev", choices=["dev", "test"])
    ap.add_argument("--show", type=int, default=0, help="print N erroneous sentences")
    ap.add_argument("--diag", type=int, default=0, help="print N most frequent error types per category")
    a = ap.parse_args(argv)
    d = load_all(a.data)
    if a.mode == "evaluate":
        evaluate(d, a.split, a.show, diag_n=a.diag)
    else:
        st = write_corpus(d, a.out)
        for k in sorted(st):
            print(f"{k}\t{st[k]}")


if __name__ == "__main__":
    main()
