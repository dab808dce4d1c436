from __future__ import annotations

import pytest

from kilde.stories.duplicates import DEFAULT_THRESHOLD, DuplicateFinder, find_duplicates, normalised_words, shingle_hashes, shingles

# Our own short Danish news texts.
FERRY = (
    "Færgen mellem Ystad og Rønne sejler ikke i dag på grund af kraftig storm, oplyser rederiet Bornholmslinjen. "
    "Passagerer med billetter kan få pengene tilbage eller flytte rejsen til en senere afgang. "
    "Rederiet venter at sejle igen i morgen tidlig, hvis vinden løjer af som ventet. "
    "»Vi beklager over for alle, der skulle have været af sted i dag,« siger pressechef Lis Dam."
)
FERRY_EDITED = (  # a sentence dropped, one reordered, two words changed, a line added
    "Færgen mellem Ystad og Rønne sejler ikke i dag på grund af voldsom storm, meddeler rederiet Bornholmslinjen. "
    "»Vi beklager over for alle, der skulle have været af sted i dag,« siger pressechef Lis Dam. "
    "Passagerer med billetter kan få pengene tilbage eller flytte rejsen til en senere afgang. "
    "Sagen bliver opdateret."
)
FERRY_FOLLOW_UP = (  # same story, same names, new text: not a copy
    "Færgerne mellem Ystad og Rønne sejler igen efter stormen, oplyser Bornholmslinjen. "
    "Der er lange køer ved havnen i Ystad, hvor flere hundrede biler venter på at komme med. "
    "»Vi sætter en ekstra afgang ind i aften,« siger pressechef Lis Dam."
)
ACCIDENT_A = (
    "En 47-årig mand omkom natten til lørdag, da hans bil kørte af vejen og ramte et træ ved Herning. "
    "Ifølge politiet var der ingen andre biler involveret. Vejen var spærret i flere timer."
)
ACCIDENT_B = (  # a formulaic report of another event
    "En 62-årig kvinde omkom lørdag morgen, da hendes bil stødte sammen med en lastbil ved Viborg. "
    "Ifølge politiet ved man endnu ikke hvorfor. Vejen var spærret i begge retninger."
)


def groups_of(*articles: tuple[str, str | None, str, str | None]) -> list[tuple[str, ...]]:
    return [g.members for g in find_duplicates(articles)]


def test_words_are_normalised_for_case_and_punctuation() -> None:
    assert normalised_words("»Vi BEKLAGER,« siger Lis Dam – i dag.") == ["vi", "beklager", "siger", "lis", "dam", "i", "dag"]
    assert shingles(["a", "b", "c", "d"]) == ["a b c", "b c d"]
    assert shingles(["a", "b"]) == ["a b"] and shingles([]) == []


def test_shingle_hashes_are_deterministic_32_bit_and_order_sensitive() -> None:
    words = normalised_words(FERRY)
    first, again = shingle_hashes(words), shingle_hashes(list(words))
    assert (first == again).all() and len(first) == len(words) - 2
    assert int(first.max()) < 2**32
    assert len(set(first.tolist())) == len(set(shingles(words)))  # distinct shingles, distinct hashes here
    assert shingle_hashes(["rønne", "ystad", "storm"])[0] != shingle_hashes(["ystad", "rønne", "storm"])[0]


def test_exact_wire_and_edited_copies_are_one_group_with_the_earliest_as_original() -> None:
    groups = groups_of(
        ("edit", "2024-03-01T12:00", "Storm: ingen færger\n\n" + FERRY_EDITED, "Storm: ingen færger"),
        ("wire", "2024-03-01T09:15", "Bornholm afskåret\n\n" + FERRY + "\n\n/ritzau/", "Bornholm afskåret"),
        ("base", "2024-03-01T08:00", "Storm lukker færgerne\n\n" + FERRY, "Storm lukker færgerne"),
        ("copy", "2024-03-01T10:00", "Storm lukker færgerne\n\n" + FERRY, "Storm lukker færgerne"),
    )
    assert groups == [("base", "wire", "copy", "edit")]


def test_follow_ups_and_formulaic_reports_are_not_copies() -> None:
    groups = groups_of(
        ("ferry", "2024-03-01", FERRY, None),
        ("later", "2024-03-02", FERRY_FOLLOW_UP, None),
        ("herning", "2024-03-02", ACCIDENT_A, None),
        ("viborg", "2024-03-02", ACCIDENT_B, None),
    )
    assert groups == []


def test_ties_go_to_the_smallest_id_and_undated_articles_are_never_the_original() -> None:
    assert groups_of(("b", "2024-03-01", FERRY, None), ("a", "2024-03-01", FERRY, None)) == [("a", "b")]
    assert groups_of(("a", None, FERRY, None), ("z", "2024-03-05", FERRY, None)) == [("z", "a")]


def test_short_texts_are_grouped_only_when_word_for_word_the_same() -> None:
    finder = DuplicateFinder()
    finder.add("one", published="2024-03-01", text="Færgerne sejler ikke i dag.")
    finder.add("two", published="2024-03-02", text="FÆRGERNE sejler ikke i dag!")
    finder.add("three", published="2024-03-02", text="Færgerne sejler igen i dag.")
    finder.add("long", published="2024-03-02", text=FERRY)
    [group] = finder.groups()
    assert group.members == ("one", "two") and group.similarity == 1.0
    assert finder.similarity("one", "three") == 0.0 and finder.similarity("one", "long") == 0.0


def test_the_group_reports_its_lowest_similarity_to_the_original() -> None:
    finder = DuplicateFinder()
    finder.add("base", published="2024-03-01", text=FERRY)
    finder.add("copy", published="2024-03-02", text=FERRY)
    finder.add("edit", published="2024-03-03", text=FERRY_EDITED)
    [group] = finder.groups()
    assert finder.similarity("base", "copy") == 1.0
    assert DEFAULT_THRESHOLD <= finder.similarity("base", "edit") < 1.0
    assert group.similarity == round(finder.similarity("base", "edit"), 4)


def test_the_estimate_is_close_to_the_true_jaccard_similarity() -> None:
    a, b = set(shingles(normalised_words(FERRY))), set(shingles(normalised_words(FERRY_EDITED)))
    finder = DuplicateFinder()
    finder.add("a", published=None, text=FERRY)
    finder.add("b", published=None, text=FERRY_EDITED)
    assert finder.similarity("a", "b") == pytest.approx(len(a & b) / len(a | b), abs=0.13)  # 3 standard errors at 128 permutations


def test_groups_are_the_same_every_time() -> None:
    articles = [("x", "2024-03-01", FERRY, None), ("y", "2024-03-02", FERRY_EDITED, None), ("z", "2024-03-02", ACCIDENT_A, None)]
    first, second = find_duplicates(articles), find_duplicates(list(reversed(articles)))
    assert first == second and len(first) == 1 and first[0].id.startswith("d")


def test_bad_settings_and_repeated_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        DuplicateFinder(threshold=0.0)
    finder = DuplicateFinder()
    finder.add("a", published=None, text=FERRY)
    with pytest.raises(ValueError, match="added twice"):
        finder.add("a", published=None, text=FERRY)
