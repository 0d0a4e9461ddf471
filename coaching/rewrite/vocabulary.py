"""Words a reader of drafts sorts by: verbs, determiners, clause starts; word-set keys."""

from __future__ import annotations

from coaching import lexicon as lx
from coaching.textutil import stem, word_set

DETERMINERS = word_set("the a an this these those that our my your their its his her")
PRONOUN_SUBJECTS = word_set("we i you they")
# Once the object has a word, these end it: prepositions, conjunctions, clauses, verbs.
CLAUSE_STARTS = word_set(
    "to on for with by in at from within or and before after if so that when until across "
    "into via during which who whom whose where while because unless than as per without "
    "through over under between among against along beyond toward towards including like "
    "up out down off every each is are was were be been being has have had ran runs run get "
    "gets got can could will would should must shall may might do does did not we i you he "
    "she it they them us me there here then also both either vs versus once twice whether "
    "using what how why work works pass passes fail fails exist exists happen happens needs"
)
# Common verbs of work the classifier's lexicons do not need but a reader of drafts does.
_EXTRA_VERBS = frozenset(
    stem(w)
    for w in word_set(
        "be take give water restock bake patch choose address count chase refresh delight "
        "hire interview recruit welcome watch clean tidy declutter sort reply serve land "
        "acquire sign have allow figure revise assess revamp craft draft"
    )
)
_VERBS = (
    lx.CHORE_VERBS | lx.CHANGE_VERBS | lx.BUILD_VERBS | lx.BINARY_VERBS | lx.UPKEEP_VERBS
) | _EXTRA_VERBS


def is_verb(tok: str) -> bool:
    """A verb of work, in any form the stemmer folds: "send", "Sends", "onboarded"."""
    low = tok.lower()
    return low.isascii() and (stem(low) in _VERBS or low in ("on-board", "onboard"))


def lower_without_possessive(word: str) -> str:
    """ "Customer's" -> "customer": lower case, a possessive (straight or curly) dropped."""
    return word.lower().removesuffix("'s").removesuffix("\u2019s")


def noun_key(word: str) -> str:
    """A noun's lookup key, its singular: "check-ins" and "check-in", "Tickets" and "ticket".

    Not the stem: stems collide across parts of speech ("meeting" and "Meet").
    """
    w = lower_without_possessive(word)
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def noun_keys(words: str) -> frozenset[str]:
    """The lookup keys of whitespace-separated nouns."""
    return frozenset(noun_key(w) for w in word_set(words))


def word_stems(words: str) -> frozenset[str]:
    """The stems of whitespace-separated words (``textutil.stem_set`` takes commas)."""
    return frozenset(stem(w) for w in word_set(words))
