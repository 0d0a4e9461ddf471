"""A key result's baseline → target read as people write it, and written back the same way.

Pure: text in, a typed ``Range`` out; no Slack, no database. The add form reads its range
fields here, its prefill guesses them from a draft's key result here, and App Home writes
stored numbers back here, so what is prefilled parses back to the same numbers and what App
Home shows reads like what was typed ("$40k → $90k", "5 days → 1 day", "30 → 10 a week").

A unit is kept as one short string (the ``key_result.unit`` column): an optional currency
written before the number, then a suffix ("%", "ms") or a noun ("days", "signups"), then an
optional rate ("per week"): "$", "%", "days", "tickets per week", "per week".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

UNIT_LIMIT = 32
CURRENCIES = "$€£¥₹"
PERCENT = "%"
MAX_UNIT_WORDS = 3
MAX_LABEL_WORDS = 4

# Short units written against the number ("200ms", "4h", "3x"); shown that way too.
ATTACHED_SUFFIXES = frozenset({"%", "ms", "s", "h", "min", "d", "w", "x", "pp"})
_SUFFIX_ALIASES = {"sec": "s", "secs": "s", "hr": "h", "hrs": "h", "mins": "min", "wk": "w"}
_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}
PERIODS = {
    "hour": "hour",
    "hours": "hour",
    "hr": "hour",
    "day": "day",
    "days": "day",
    "week": "week",
    "weeks": "week",
    "wk": "week",
    "month": "month",
    "months": "month",
    "mo": "month",
    "quarter": "quarter",
    "quarters": "quarter",
    "qtr": "quarter",
    "year": "year",
    "years": "year",
    "yr": "year",
    "sprint": "sprint",
    "sprints": "sprint",
}
RATE_ADVERBS = {
    "hourly": "hour",
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "yearly": "year",
    "annually": "year",
}
# Words that end a unit: what follows them is context, a deadline or the next number.
_STOP_WORDS = frozenset(
    # A word list reads better as lines of words than as sixty quoted strings.
    """a an the to from by in within during before until till at on of for per each every
    and or but vs versus than with without across among over under after through via into
    this next end so that which who while when because as is are was be will we our it its
    more less fewer about around roughly approximately""".split()  # noqa: SIM905
)
_LEADING_WORDS = frozenset({"from", "to", "by"})

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_PERIOD_NAME = r"(?:week|month|quarter|year|cycle|sprint|half)"
# Deadlines that read as such on their own ("end of Q3", "EOY", "next quarter").
_BARE_WHEN = rf"""
    (?:the\s+)?(?:end|close)\s+of\s+(?:the\s+)?
        (?:{_MONTH}|q[1-4]|h[12]|(?:19|20)\d\d|{_PERIOD_NAME}|fy\s?\d{{2,4}}|fiscal\s+year)
        (?:\s+(?:19|20)\d\d)?
  | eo[ywqm]
  | (?:year|quarter|month)[-\s]end
  | (?:this|next)\s+{_PERIOD_NAME}
"""
# Deadlines that need a preposition in front ("by June", "in Q4", "before 2027-03-31").
_WHEN = rf"""
    {_BARE_WHEN}
  | (?:the\s+)?(?:start|beginning|middle)\s+of\s+(?:the\s+)?(?:{_MONTH}|q[1-4]|{_PERIOD_NAME})
  | {_MONTH}\.?(?:\s+{_DAY})?(?:,?\s+(?:19|20)\d\d)?
  | {_DAY}\s+(?:of\s+)?{_MONTH}\.?(?:,?\s+(?:19|20)\d\d)?
  | (?:19|20)\d\d\s*-\s*q[1-4]
  | q[1-4](?:\s*[-/']?\s*(?:19|20)?\d\d)?
  | h[12](?:\s+(?:19|20)\d\d)?
  | fy\s?\d{{2,4}}
  | (?:19|20)\d\d-\d\d-\d\d
  | \d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?
  | (?:mon|tues|wednes|thurs|fri|satur|sun)day
  | (?:19|20)\d\d(?=\s*(?:$|[.,;:!?)]))
"""
_DEADLINE = re.compile(
    rf"""
    \b(?:by|before|until|till|through|in|during|for|at|ahead\s+of|no\s+later\s+than)
        \s+(?P<when>{_WHEN})(?![\w%])
  | \b(?:in|within|over)\s+(?:the\s+next\s+)?
        (?P<span>\d+\s+(?:days?|weeks?|months?|quarters?|years?|sprints?))\b
  | \b(?P<bare>{_BARE_WHEN})(?![\w%])
    """,
    re.IGNORECASE | re.VERBOSE,
)
_QUANTITY = re.compile(
    r"""
    (?<![\w.,])
    (?P<sign>[-+\u2212])?
    (?:(?P<currency>[$€£¥₹])\s?)?
    (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    (?:\s?(?P<scale>thousand|million|billion|mn|bn|k|m|b)(?![a-z]))?
    (?P<suffix>ms|secs?|s|hrs?|h|mins?|d|wk|w|x|pp)?
    (?![a-z\d])
    (?P<percent>\s?(?:%|percent\b|per\s?cent\b))?
    """,
    re.IGNORECASE | re.VERBOSE,
)
_TOKEN = re.compile(
    r"""
    (?P<arrow>→|⟶|➔|➝|⇒|=>|-+>|\u2013|\u2014|--|-(?=\s*[-+\u2212$€£¥₹.\d]))
  | (?P<word>[^\W\d_][\w'\u2019&-]*)
  | (?P<slash>/)
  | (?P<other>\S)
    """,
    re.VERBOSE,
)
_CUT = "\x00"  # where a deadline was cut out: a unit never runs across it


@dataclass(frozen=True)
class Range:
    """What a key result moves: from ``baseline`` (None when unknown) to ``target``.

    ``relative`` ranges were written as a change ("by 20%"): the target is the amount to
    move by, counted from wherever the key result starts.
    """

    baseline: float | None
    target: float
    unit: str | None
    deadline: str | None = None
    relative: bool = False


@dataclass(frozen=True)
class Unit:
    currency: str = ""
    suffix: str = ""  # "%", "ms", …: written against the number
    noun: str = ""  # "days", "paying teams": plural, after the number
    per: str = ""  # "week" in "10 a week"

    def __str__(self) -> str:
        middle = self.suffix or self.noun
        parts = [self.currency, middle, f"per {self.per}" if self.per else ""]
        return " ".join(p for p in parts if p)[:UNIT_LIMIT]

    @classmethod
    def parse(cls, text: str | None) -> Unit:
        """A stored unit string back into its parts (older free-text units become nouns)."""
        rest = (text or "").strip()
        currency = ""
        if rest[:1] and rest[0] in CURRENCIES:
            currency, rest = rest[0], rest[1:].strip()
        per = ""
        head, sep, tail = rest.rpartition("per ")
        if sep and (not head or head.endswith(" ")) and tail and " " not in tail:
            rest, per = head.strip(), tail
        if rest.lower() in ATTACHED_SUFFIXES:
            return cls(currency=currency, suffix=rest.lower(), per=per)
        return cls(currency=currency, noun=rest, per=per)


@dataclass(frozen=True)
class _Quantity:
    value: float
    currency: str
    suffix: str
    plus: bool


@dataclass(frozen=True)
class _Token:
    kind: str  # quantity, arrow, word, slash, cut, other
    text: str
    quantity: _Quantity | None = None

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and (not words or self.text.lower() in words)


@dataclass(frozen=True)
class _Measure:
    quantity: _Quantity
    noun: str
    per: str


# ---- reading ---------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ").strip()


def _cut_deadlines(text: str) -> tuple[str | None, str]:
    deadline: str | None = None
    pieces: list[str] = []
    last = 0
    for match in _DEADLINE.finditer(text):
        found = match.group("when") or match.group("span") or match.group("bare")
        if deadline is None:
            deadline = " ".join(found.split())
        pieces.append(text[last : match.start()])
        pieces.append(f" {_CUT} ")
        last = match.end()
    pieces.append(text[last:])
    return deadline, "".join(pieces)


def _quantity(match: re.Match[str]) -> _Quantity:
    value = float(match.group("number").replace(",", ""))
    scale = (match.group("scale") or "").lower()
    value *= _SCALES.get(scale, 1.0)
    sign = match.group("sign") or ""
    if sign in {"-", "\u2212"}:
        value = -value
    suffix = (match.group("suffix") or "").lower()
    suffix = _SUFFIX_ALIASES.get(suffix, suffix)
    if match.group("percent"):
        suffix = PERCENT
    return _Quantity(value, match.group("currency") or "", suffix, plus=sign == "+")


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    position = 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        if text[position] == _CUT:
            found.append(_Token("cut", _CUT))
            position += 1
            continue
        number = _QUANTITY.match(text, position)
        if number:
            found.append(_Token("quantity", number.group(0), _quantity(number)))
            position = number.end()
            continue
        token = _TOKEN.match(text, position)
        assert token is not None  # "other" matches any non-space character
        kind = token.lastgroup or "other"
        found.append(_Token(kind, token.group(0)))
        position = token.end()
    return found


def _prepare(text: str) -> tuple[str | None, list[_Token]]:
    deadline, rest = _cut_deadlines(_normalise(text))
    return deadline, _tokens(rest)


def _is_unit_word(token: _Token) -> bool:
    if token.kind != "word":
        return False
    word = token.text.lower()
    return word not in _STOP_WORDS and re.fullmatch(_MONTH + r"|q[1-4]|h[12]", word) is None


def _is_verb_form(token: _Token) -> bool:
    return token.text.lower().endswith("ing")


def _unit_words(tokens: Sequence[_Token], index: int) -> list[str]:
    """Up to three unit words; an -ing word only in front of a noun ("paying teams"), never
    after one ("teams using the app")."""
    words: list[str] = []
    while index < len(tokens) and len(words) < MAX_UNIT_WORDS and _is_unit_word(tokens[index]):
        token = tokens[index]
        if _is_verb_form(token):
            following = tokens[index + 1] if index + 1 < len(tokens) else None
            if words or following is None or not _is_unit_word(following):
                break
            if _is_verb_form(following):
                break
        words.append(token.text)
        index += 1
    return words


def _rate(tokens: Sequence[_Token], index: int) -> tuple[str, int]:
    """ "a week", "per user", "/month", "weekly" at ``index``: the rate's noun, next index."""
    if index >= len(tokens):
        return "", index
    token = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if token.is_word(*RATE_ADVERBS):
        return RATE_ADVERBS[token.text.lower()], index + 1
    if following is None or following.kind != "word":
        return "", index
    word = following.text.lower()
    if token.is_word("per") or token.kind == "slash":
        return PERIODS.get(word, singular(word)), index + 2
    if token.is_word("a", "an", "each", "every") and word in PERIODS:
        return PERIODS[word], index + 2
    return "", index


def _measure(tokens: Sequence[_Token], index: int) -> tuple[_Measure, int] | None:
    """A quantity at ``index`` with the unit words and rate after it."""
    if index >= len(tokens) or tokens[index].quantity is None:
        return None
    quantity = tokens[index].quantity
    assert quantity is not None
    words = _unit_words(tokens, index + 1)
    index += 1 + len(words)
    per, index = _rate(tokens, index)
    if not per and words and words[-1].lower() in RATE_ADVERBS:
        per = RATE_ADVERBS[words.pop().lower()]
    return _Measure(quantity, " ".join(words), per), index


def _is_arrow(token: _Token) -> bool:
    return token.kind == "arrow" or token.is_word("to")


def _same_noun(first: str, second: str) -> bool:
    return singular(first).lower() == singular(second).lower()


def _noun(first: _Measure | None, second: _Measure) -> str | None:
    """The noun both sides share, in its plural form; None when they disagree."""
    if first is None or not first.noun:
        written = [(second.noun, second.quantity.value)]
    elif not second.noun:
        written = [(first.noun, first.quantity.value)]
    elif _same_noun(first.noun, second.noun):
        written = [(first.noun, first.quantity.value), (second.noun, second.quantity.value)]
    else:
        return None
    for noun, value in written:
        if abs(value) != 1:
            return noun
    return plural(written[0][0])


def _agree(values: Sequence[str]) -> str | None:
    """The one value the sides share ("" when none is written); None when they disagree."""
    written = {v for v in values if v}
    return None if len(written) > 1 else next(iter(written), "")


def _combine(
    first: _Measure | None, second: _Measure, deadline: str | None, relative: bool
) -> Range | None:
    measures = [m for m in (first, second) if m is not None]
    currency = _agree([m.quantity.currency for m in measures])
    suffix = _agree([m.quantity.suffix for m in measures])
    per = _agree([m.per for m in measures])
    if currency is None or suffix is None or per is None:
        return None
    if currency or suffix:
        # "40% → 55 stars": a noun on a side without the other side's symbol is another unit.
        if any(m.noun and not (m.quantity.currency or m.quantity.suffix) for m in measures):
            return None
        noun: str | None = ""
    else:
        noun = _noun(first, second)
    if noun is None:
        return None
    unit = str(Unit(currency=currency, suffix=suffix, noun=noun, per=per))
    return Range(
        baseline=first.quantity.value if first else None,
        target=second.quantity.value,
        unit=unit or None,
        deadline=deadline,
        relative=relative,
    )


def _is_label(token: _Token) -> bool:
    if token.kind == "other":
        return token.text in {":", ","}
    return token.kind == "word" and token.text.lower() not in _LEADING_WORDS


def parse_range(text: str) -> Range | None:
    """The whole of a range field: "120 → 300 teams", "from 8% to 4%", "$40k → $90k",
    "from 30 to 10 a week by June", a bare target "300", or a change "by 20%".

    None when no range is written there: no number, two numbers without an arrow between
    them, units that disagree ("5 days → 3 hours"), or more numbers than a range has.
    """
    deadline, tokens = _prepare(text)
    index = 0
    while index < len(tokens) and index < MAX_LABEL_WORDS and _is_label(tokens[index]):
        index += 1  # a label in front, as in "NPS 30 → 45" or "Active teams: 120 → 300"
    if index >= len(tokens):
        return None
    first: _Measure | None = None
    relative = False
    lead = tokens[index]
    if lead.is_word("from"):
        read = _measure(tokens, index + 1)
        if read is None or read[1] >= len(tokens) or not _is_arrow(tokens[read[1]]):
            return None
        first, index = read[0], read[1] + 1
    elif lead.is_word("by"):
        relative, index = True, index + 1
    elif _is_arrow(lead):
        index += 1
    elif lead.quantity is not None:
        read = _measure(tokens, index)
        assert read is not None
        if read[1] < len(tokens) and _is_arrow(tokens[read[1]]):
            first, index = read[0], read[1] + 1
    read = _measure(tokens, index)
    if read is None:
        return None
    second, index = read
    if first is None and second.quantity.plus:
        relative = True
    if any(t.kind in {"quantity", "arrow"} for t in tokens[index:]):
        return None
    return _combine(first, second, deadline, relative)


def find_range(text: str) -> Range | None:
    """A range inside a key result's sentence, for prefilling its range field.

    "Raise weekly active teams from 120 to 300 by June", "Cut churn 8% → 4%", "Increase
    retention by 20%", "Bring response time down to 2 hours". Bare numbers ("Hire 3
    engineers") are never guessed, nor placeholders ("from X% to Y%").
    """
    deadline, tokens = _prepare(text)
    for index, token in enumerate(tokens):
        start = index + 1 if token.is_word("from") else index
        first = _measure(tokens, start)
        if first is None or (start == index and _preceded_by_from(tokens, index)):
            continue
        after = first[1]
        if after < len(tokens) and _is_arrow(tokens[after]):
            second = _measure(tokens, after + 1)
            found = _combine(first[0], second[0], deadline, relative=False) if second else None
            if found:
                return found
    for index, token in enumerate(tokens):
        if token.is_word("by", "to"):
            target = _measure(tokens, index + 1)
            found = _combine(None, target[0], deadline, token.is_word("by")) if target else None
            if found:
                return found
    return None


def _preceded_by_from(tokens: Sequence[_Token], index: int) -> bool:
    return index > 0 and tokens[index - 1].is_word("from")


# ---- writing ---------------------------------------------------------------------------------


def singular(noun: str) -> str:
    """ "days" → "day", "replies" → "reply"; abbreviations and short words stay as they are."""
    head, _, last = noun.rpartition(" ")
    if not (last.isalpha() and last.islower() and len(last) > 3):
        return noun
    if last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith(("sses", "xes", "ches", "shes")):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")):
        last = last[:-1]
    return f"{head} {last}" if head else last


def plural(noun: str) -> str:
    """ "day" → "days", "reply" → "replies"; abbreviations and plurals stay as they are."""
    head, _, last = noun.rpartition(" ")
    if not (last.isalpha() and last.islower() and len(last) > 2) or last.endswith("s"):
        return noun
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    elif last.endswith(("x", "ch", "sh")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


@dataclass(frozen=True)
class _Scale:
    factor: float = 1.0
    letter: str = ""


def _whole(value: float, step: float) -> bool:
    return float(value).is_integer() and int(value) % int(step) == 0


def _scale_for(values: Sequence[float | None], currency: str) -> _Scale:
    """Thousands as "k" and millions as "m" when every number reads whole that way."""
    sizes = [abs(v) for v in values if v]
    if not sizes:
        return _Scale()
    top = max(sizes)
    if top >= 1e6 and all(_whole(v, 100_000) for v in sizes):
        return _Scale(1e6, "m")
    if (top >= 1e4 or (currency and top >= 1e3)) and all(_whole(v, 1_000) for v in sizes):
        return _Scale(1e3, "k")
    return _Scale()


def _number(value: float, scale: _Scale) -> str:
    scaled = value / scale.factor
    if float(scaled).is_integer():
        text = f"{int(scaled):,}"
    else:
        text = f"{scaled:,.4f}".rstrip("0").rstrip(".")
    return text + scale.letter


def _rate_text(per: str) -> str:
    if not per:
        return ""
    if per in PERIODS.values():
        return f" {'an' if per == 'hour' else 'a'} {per}"
    return f" per {per}"


def _amount(value: float, unit: Unit, scale: _Scale, *, noun: bool = True) -> str:
    text = f"{unit.currency}{_number(value, scale)}"
    if unit.suffix:
        text += unit.suffix
    elif unit.noun and noun:
        text += " " + (singular(unit.noun) if abs(value) == 1 else unit.noun)
    return text


def format_amount(value: float, unit: str | None, *, others: Sequence[float | None] = ()) -> str:
    """One value with its unit ("$55k", "3 days", "20 a week"), scaled like ``others``."""
    parsed = Unit.parse(unit)
    scale = _scale_for([value, *others], parsed.currency)
    return _amount(value, parsed, scale) + _rate_text(parsed.per)


def format_pair(
    baseline: float, target: float, unit: str | None, *, others: Sequence[float | None] = ()
) -> str:
    """ "120 → 300 teams", "5 days → 1 day", "$40k → $90k", "40% → 55%", "30 → 10 a week"."""
    parsed = Unit.parse(unit)
    scale = _scale_for([baseline, target, *others], parsed.currency)
    both = bool(parsed.noun) and (abs(baseline) == 1) != (abs(target) == 1)
    left = _amount(baseline, parsed, scale, noun=both)
    return f"{left} → {_amount(target, parsed, scale)}{_rate_text(parsed.per)}"


def format_range(found: Range) -> str:
    """The text a range field is prefilled with; ``parse_range`` reads it back unchanged."""
    if found.baseline is not None:
        return format_pair(found.baseline, found.target, found.unit)
    amount = format_amount(found.target, found.unit)
    return f"by {amount}" if found.relative else f"→ {amount}"
