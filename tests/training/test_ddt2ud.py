"""Unit tests for the DDT -> UD converter (training/ddt2ud.py).

The sentences below are small hand-written examples in the DDT CoNLL-X
format (not taken from the treebank); no data files are needed.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "training" / "ddt2ud.py"
_spec = importlib.util.spec_from_file_location("ddt2ud", _PATH)
assert _spec and _spec.loader
ddt2ud = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("ddt2ud", ddt2ud)
_spec.loader.exec_module(ddt2ud)

# feature strings used below
NC_DEF = "gender=common|number=sing|case=unmarked|def=def"
NC_IND = "gender=neuter|number=sing|case=unmarked|def=indef"
V_PRES = "mood=indic|tense=present|voice=active"
V_INF = "mood=infin|voice=active"


def _ddt(rows: list[tuple]) -> list[dict]:
    """rows: (form, lemma, cpos, feats, head, rel); ids are implicit."""
    lines = []
    for i, (form, lemma, cpos, feats, head, rel) in enumerate(rows, 1):
        feats = (feats + "|" if feats else "") + f"id={100 + i}"
        lines.append("\t".join([str(i), form, lemma, cpos, cpos, feats, str(head), rel, "_", "_"]))
    return ddt2ud.parse_ddt_lines(lines)[0]


def _conv(rows):
    out = ddt2ud.convert_standalone(_ddt(rows))
    return {t["form"]: t for t in out}, out


def _arc(toks, form):
    t = toks[form]
    return t["head"], t["deprel"]


def test_aux_determiner_and_object():
    # "Hunden har spist et stort ben ." (aux heads main verb, det heads noun in DDT)
    toks, _out = _conv(
        [
            ("Hunden", "hund", "NC", NC_DEF, 2, "subj"),
            ("har", "have", "VA", V_PRES, 0, "ROOT"),
            ("spist", "spise", "VA", "mood=partic|tense=past|voice=active", 2, "vobj"),
            ("et", "en", "PI", "gender=neuter|number=sing|case=unmarked", 3, "dobj"),
            ("stort", "stor", "AN", "degree=pos|gender=neuter|number=sing|case=unmarked|def=indef|transcat=unmarked", 4, "mod"),
            ("ben", "ben", "NC", NC_IND, 4, "nobj"),
            (".", ".", "XP", "", 2, "pnct"),
        ]
    )
    assert _arc(toks, "spist") == (0, "root")
    assert _arc(toks, "har") == (3, "aux")
    assert toks["har"]["upos"] == "AUX"
    assert _arc(toks, "Hunden") == (3, "nsubj")
    assert _arc(toks, "ben") == (3, "obj")
    assert _arc(toks, "et") == (6, "det")
    assert toks["et"]["upos"] == "DET"
    assert _arc(toks, "stort") == (6, "amod")
    assert _arc(toks, ".") == (3, "punct")
    assert ddt2ud.feats_str(toks["Hunden"]["feats"]) == "Definite=Def|Gender=Com|Number=Sing"
    assert ddt2ud.feats_str(toks["har"]["feats"]) == "Mood=Ind|Tense=Pres|VerbForm=Fin|Voice=Act"


def test_names_preposition_and_genitive():
    # "Peter Hansen bor i Danmarks hovedstad ."
    toks, _ = _conv(
        [
            ("Peter", "Peter", "NP", "case=unmarked", 2, "namef"),
            ("Hansen", "Hansen", "NP", "case=unmarked", 3, "subj"),
            ("bor", "bo", "VA", V_PRES, 0, "ROOT"),
            ("i", "i", "SP", "", 3, "mod"),
            ("Danmarks", "Danmark", "NP", "case=gen", 4, "nobj"),
            ("hovedstad", "hovedstad", "NC", "gender=common|number=sing|case=unmarked|def=indef", 5, "possd"),
            (".", ".", "XP", "", 3, "pnct"),
        ]
    )
    assert _arc(toks, "Peter") == (3, "nsubj")  # first name part heads the name
    assert _arc(toks, "Hansen") == (1, "flat")
    assert _arc(toks, "hovedstad") == (3, "obl")  # PP on a verb
    assert _arc(toks, "i") == (6, "case")
    assert _arc(toks, "Danmarks") == (6, "nmod:poss")
    assert toks["Danmarks"]["feats"] == {"Case": "Gen"}


def test_coordination_infinitive_and_subordinate_clause():
    # "Hun lover at komme og synge , når det regner ."
    toks, _ = _conv(
        [
            ("Hun", "hun", "PP", "person=3|gender=common|number=sing|case=nom|reflexive=no|register=unmarked", 2, "subj"),
            ("lover", "love", "VA", V_PRES, 0, "ROOT"),
            ("at", "at", "U", "", 2, "dobj"),
            ("komme", "komme", "VA", V_INF, 3, "vobj"),
            ("og", "og", "CC", "", 4, "coord"),
            ("synge", "synge", "VA", V_INF, 5, "conj"),
            (",", ",", "XP", "", 2, "pnct"),
            ("når", "når", "CS", "", 2, "mod"),
            ("det", "det", "PP", "person=3|gender=neuter|number=sing|case=unmarked|reflexive=no|register=unmarked", 10, "subj"),
            ("regner", "regne", "VA", V_PRES, 8, "vobj"),
            (".", ".", "XP", "", 2, "pnct"),
        ]
    )
    assert toks["at"]["upos"] == "PART"
    assert _arc(toks, "at") == (4, "mark")
    assert _arc(toks, "komme") == (2, "obj")  # UD-DDT: infinitival object = obj
    assert _arc(toks, "synge") == (4, "conj")  # conjunct -> first conjunct
    assert _arc(toks, "og") == (6, "cc")  # coordinator -> following conjunct
    assert _arc(toks, "når") == (10, "mark")
    assert _arc(toks, "regner") == (2, "advcl")
    assert _arc(toks, ",") == (10, "punct")  # comma goes with the following clause
    assert _arc(toks, ".") == (2, "punct")
    assert toks["Hun"]["feats"]["Case"] == "Nom"
    assert toks["det"]["feats"]["Case"] == "Acc"  # unmarked personal pronoun


def test_copula_only_with_nominal_predicate():
    # "Bogen er god ."  -> copula construction
    toks, _ = _conv(
        [
            ("Bogen", "bog", "NC", NC_DEF, 2, "subj"),
            ("er", "være", "VA", V_PRES, 0, "ROOT"),
            ("god", "god", "AN", "degree=pos|gender=common|number=sing|case=unmarked|def=indef|transcat=unmarked", 2, "pred"),
            (".", ".", "XP", "", 2, "pnct"),
        ]
    )
    assert _arc(toks, "god") == (0, "root")
    assert _arc(toks, "er") == (3, "cop")
    assert toks["er"]["upos"] == "AUX"
    assert _arc(toks, "Bogen") == (3, "nsubj")
    # "Han er i Paris ." -> 'være' stays the head, the PP is obl
    toks, _ = _conv(
        [
            ("Han", "han", "PP", "person=3|gender=common|number=sing|case=nom|reflexive=no|register=unmarked", 2, "subj"),
            ("er", "være", "VA", V_PRES, 0, "ROOT"),
            ("i", "i", "SP", "", 2, "pred"),
            ("Paris", "Paris", "NP", "case=unmarked", 3, "nobj"),
            (".", ".", "XP", "", 2, "pnct"),
        ]
    )
    assert _arc(toks, "er") == (0, "root")
    assert toks["er"]["upos"] == "VERB"
    assert _arc(toks, "Paris") == (2, "obl")
    assert _arc(toks, "i") == (4, "case")


def test_relative_clause_and_unattached_adverb():
    # "Manden , som kom , gik ud ."  ('ud' is left unattached in the DDT release)
    toks, _ = _conv(
        [
            ("Manden", "mand", "NC", NC_DEF, 6, "subj"),
            (",", ",", "XP", "", 1, "pnct"),
            ("som", "som", "U", "", 4, "subj"),
            ("kom", "komme", "VA", "mood=indic|tense=past|voice=active", 1, "rel"),
            (",", ",", "XP", "", 4, "pnct"),
            ("gik", "gå", "VA", "mood=indic|tense=past|voice=active", 0, "ROOT"),
            ("ud", "ud", "RG", "degree=unmarked", 0, "ROOT"),
            (".", ".", "XP", "", 6, "pnct"),
        ]
    )
    assert _arc(toks, "kom") == (1, "acl:relcl")
    assert _arc(toks, "som") == (4, "nsubj")
    assert toks["som"]["upos"] == "PRON"
    assert _arc(toks, "gik") == (0, "root")
    assert _arc(toks, "ud") == (6, "advmod:lmod")
    assert [
        t["head"]
        for t in ddt2ud.convert_standalone(
            _ddt(
                [
                    ("Manden", "mand", "NC", NC_DEF, 2, "subj"),
                    ("gik", "gå", "VA", V_PRES, 0, "ROOT"),
                ]
            )
        )
    ] == [2, 0]


def test_multiword_token_is_split_with_fixed():
    # "Han kom i_går ."
    _, out = _conv(
        [
            ("Han", "han", "PP", "person=3|gender=common|number=sing|case=nom|reflexive=no|register=unmarked", 2, "subj"),
            ("kom", "komme", "VA", "mood=indic|tense=past|voice=active", 0, "ROOT"),
            ("i_går", "i_går", "RG", "degree=unmarked", 2, "mod"),
            (".", ".", "XP", "", 2, "pnct"),
        ]
    )
    assert [t["form"] for t in out] == ["Han", "kom", "i", "går", "."]
    assert (out[2]["head"], out[2]["deprel"]) == (2, "advmod")
    assert (out[3]["head"], out[3]["deprel"]) == (3, "fixed")
    assert (out[4]["head"], out[4]["deprel"]) == (2, "punct")


@pytest.mark.parametrize(
    "forms,expected",
    [
        (["Det", "er", "godt", "."], [True, True, False, True]),
        (["Han", "sagde", ":", '"', "Nej", '"', "."], [True, False, True, False, False, False, True]),
    ],
)
def test_space_after_heuristic(forms, expected):
    assert ddt2ud.heuristic_space([{"form": f} for f in forms]) == expected


def test_single_root_and_valid_heads():
    out = ddt2ud.convert_standalone(
        _ddt(
            [
                ("Ja", "ja", "I", "", 0, "ROOT"),
                (",", ",", "XP", "", 1, "pnct"),
                ("tak", "tak", "I", "", 0, "ROOT"),
                ("!", "!", "XP", "", 3, "pnct"),
            ]
        )
    )
    assert sum(1 for t in out if t["head"] == 0) == 1
    assert all(0 <= t["head"] <= len(out) for t in out)


PP_NOM = "person=1|gender=common|number=sing|case=nom|reflexive=no|register=unmarked"
PP3_NOM = "person=3|gender=common|number=sing|case=nom|reflexive=no|register=unmarked"


def test_wh_clause_verb_heads_its_clause():
    # "Jeg ved , hvad han gør ."  (DDT: hvad heads the clause via 'rel')
    toks, _ = _conv(
        [
            ("Jeg", "jeg", "PP", PP_NOM, 2, "subj"),
            ("ved", "vide", "VA", V_PRES, 0, "ROOT"),
            (",", ",", "XP", "", 2, "pnct"),
            ("hvad", "hvad", "PT", "number=sing|case=unmarked", 2, "dobj"),
            ("han", "han", "PP", PP3_NOM, 6, "subj"),
            ("gør", "gøre", "VA", V_PRES, 4, "rel"),
            (".", ".", "XP", "", 2, "pnct"),
        ]
    )
    assert _arc(toks, "gør") == (2, "obj")
    assert _arc(toks, "hvad") == (6, "obj")
    assert toks["hvad"]["upos"] == "PRON"
    assert _arc(toks, ",") == (6, "punct")


def test_clause_with_auxiliary_after_auxiliated_verb_is_inverted():
    # "Jeg kunne se , at han havde sovet ."  UD-DDT makes 'sovet' the root
    toks, _ = _conv(
        [
            ("Jeg", "jeg", "PP", PP_NOM, 2, "subj"),
            ("kunne", "kunne", "VA", "mood=indic|tense=past|voice=active", 0, "ROOT"),
            ("se", "se", "VA", V_INF, 2, "vobj"),
            (",", ",", "XP", "", 3, "pnct"),
            ("at", "at", "CS", "", 3, "dobj"),
            ("han", "han", "PP", PP3_NOM, 7, "subj"),
            ("havde", "have", "VA", "mood=indic|tense=past|voice=active", 5, "vobj"),
            ("sovet", "sove", "VA", "mood=partic|tense=past|voice=active", 7, "vobj"),
            (".", ".", "XP", "", 2, "pnct"),
        ]
    )
    assert _arc(toks, "sovet") == (0, "root")
    assert _arc(toks, "se") == (8, "xcomp")
    assert _arc(toks, "kunne") == (3, "aux")
    assert _arc(toks, "havde") == (8, "aux")
    assert _arc(toks, "at") == (8, "mark")
    assert _arc(toks, "Jeg") == (3, "nsubj")


def test_comparative_end_is_adp():
    # "Han er større end mig ."
    toks, _ = _conv(
        [
            ("Han", "han", "PP", PP3_NOM, 2, "subj"),
            ("er", "være", "VA", V_PRES, 0, "ROOT"),
            ("større", "stor", "AN", "degree=comp|gender=common|number=sing|case=unmarked|def=indef|transcat=unmarked", 2, "pred"),
            ("end", "end", "CS", "", 3, "pobj"),
            ("mig", "jeg", "PP", "person=1|gender=common|number=sing|case=acc|reflexive=no|register=unmarked", 4, "nobj"),
            (".", ".", "XP", "", 2, "pnct"),
        ]
    )
    assert toks["end"]["upos"] == "ADP"
    assert toks["end"]["feats"] == {}
    assert _arc(toks, "end") == (5, "case")
    assert _arc(toks, "mig") == (3, "obl")


def _ud(rows):
    return [{"id": i, "form": f, "upos": u, "head": h, "deprel": d} for i, (f, u, h, d) in enumerate(rows, 1)]


def test_comma_closing_relative_clause_goes_to_the_clause():
    # "Manden , som kom hjem , gik ."
    toks = _ud(
        [
            ("Manden", "NOUN", 7, "nsubj"),
            (",", "PUNCT", 1, "punct"),
            ("som", "PRON", 4, "nsubj"),
            ("kom", "VERB", 1, "acl:relcl"),
            ("hjem", "ADV", 4, "advmod"),
            (",", "PUNCT", 1, "punct"),
            ("gik", "VERB", 0, "root"),
            (".", "PUNCT", 7, "punct"),
        ]
    )
    ddt2ud.fix_punct(toks)
    assert [t["head"] for t in toks if t["upos"] == "PUNCT"] == [4, 4, 7]


def test_dateline_place_name_becomes_root():
    # "AALBORG : Han kom ."
    toks = _ud(
        [
            ("AALBORG", "PROPN", 4, "obl"),
            (":", "PUNCT", 1, "punct"),
            ("Han", "PRON", 4, "nsubj"),
            ("kom", "VERB", 0, "root"),
            (".", "PUNCT", 4, "punct"),
        ]
    )
    ddt2ud.fix_dateline(toks)
    ddt2ud.fix_punct(toks)
    assert (toks[0]["head"], toks[0]["deprel"]) == (0, "root")
    assert (toks[3]["head"], toks[3]["deprel"]) == (1, "list")
    assert toks[1]["head"] == 4
