"""The grammar of the offline understanding: patterns built from the vocabulary's word lists."""

# Every pattern runs on text already passed through `fold()` with apostrophes removed
# ("what's" → "whats") and punctuation reduced to spaced "," and ";" separators. The words
# live in vocabulary/{es,en}.yaml; this module only says how they combine. The named groups
# (verb, clit, rest, prod, qty, art, mark, word, num, suf, q, max, min, amt, amt2, x, n) are
# what offline/ reads back, so they are spelled here and nowhere in the data.

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from whsp_ai.nlu import vocabulary as vocab


def alt(words: Iterable[str]) -> str:
    """A regex alternation that tries longer phrases first, so 'me lo llevo' beats 'me'."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def any_of(*concepts: str) -> str:
    """A group matching any entry of the concepts, in every language: patterns first, then
    plain phrases longest first, so the order of a data file never matters."""
    patterns: list[str] = []
    phrases: list[str] = []
    for name in concepts:
        entries = vocab.concept(name)
        patterns += entries.patterns
        phrases += entries.words
    body = "|".join([*(f"(?:{p})" for p in dict.fromkeys(patterns)), alt(phrases)]).strip("|")
    return f"(?:{body})" if body else "(?!)"  # an empty concept matches nothing


def words(text: str) -> frozenset[str]:
    """A small word set written inline: `words("one ones uno una")`."""
    return frozenset(text.split())


def _full(body: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{body})")


def _signs(signs: Iterable[str]) -> str:
    return "|".join(re.escape(s) for s in signs)


END = r"(?=\s|$)"
# Emoji are the same in every language, so they live here rather than in a language's file.
YES_SIGNS = ("👍", "✅", "👌")
NO_SIGNS = ("👎",)

# --- edges of a message -----------------------------------------------------------------------

GREET_RE = re.compile(rf"^{any_of('greeting')}(?: {any_of('greeting_addressee')})?{END}\s*[,;]?\s*")
LEAD_FILLER_RE = re.compile(rf"^{any_of('lead_filler')}{END}\s*[,;]?\s*")
LEAD_NO_RE = re.compile(rf"^{any_of('lead_no')} [,;] ")
TRAIL_FILLER_RE = re.compile(rf"\s*[,;]?\s*{any_of('please', 'closing')}$")
SEPARATORS_RE = re.compile(r"\s*(?:;|(?<!\d),|,(?!\d))\s*")  # '1,000' is a number

# --- whole-message phrases ----------------------------------------------------------------------

_YES = rf"(?:{any_of('yes')}|{_signs(YES_SIGNS)})"
_YES_EXPECTING = rf"(?:{any_of('yes', 'yes_at_confirmation')}|{_signs(YES_SIGNS)})"
_NO = rf"(?:{any_of('no', 'wait')}|{_signs(NO_SIGNS)})"
YES_RE = _full(rf"{_YES}(?: {_YES})*")
YES_EXPECTING_RE = _full(rf"{_YES_EXPECTING}(?: {_YES_EXPECTING})*")
NO_RE = _full(rf"{_NO}(?: {_NO})*")


@cache
def whole_phrase(concept: str) -> re.Pattern[str]:
    """A concept's phrases, any of them, to be matched against a whole (plain) message."""
    return _full(any_of(concept))


CHECKOUT_RE = whole_phrase("checkout")
CHECKOUT_TAIL_RE = re.compile(rf" {any_of('pay_by')} [a-z ]{{2,30}}$")
THANKS_RE = _full(any_of("thanks"))

# --- cart verbs --------------------------------------------------------------------------------

MODAL = rf"(?:{any_of('modal')} )?"
_CLITIC = rf"{any_of('clitic')}?(?P<clit>{any_of('clitic_object')})?"
# 'necesito focos' is a search; with a quantity or a pointer it is an add.
SOFT_ADD = vocab.words("need")
# Before a Spanish infinitive these wish to do something ('quiero ver…'), not to buy it.
ADD_SPANISH_WANT = vocab.words("want", ("es",)) | vocab.words("need", ("es",))
ADD_RE = re.compile(
    rf"^{MODAL}(?P<verb>{any_of('add', 'want', 'need')}|{any_of('add_stem')}{_CLITIC}){END}"
    r"\s*(?P<rest>.*)$"
)
REMOVE_RE = re.compile(
    rf"^{MODAL}(?P<verb>{any_of('remove')}|{any_of('remove_stem')}{_CLITIC}){END}\s*(?P<rest>.*)$"
)
# English's separable verb: 'take the whisk out'.
TAKE_OUT_RE = re.compile(r"^(?:take|get) (?P<rest>.+) (?:out|off)(?: of (?:my |the )?\w+)?$")
# 'quiero cambiar…', 'i want to remove…': the wish wraps another cart verb.
WANT_WRAPPER_RE = re.compile(rf"^{any_of('wish_to')} (?={any_of('cart_verb')}\b)")
SPANISH_INFINITIVE_RE = re.compile(r"^[a-z]+(?:ar|er|ir)(?:lo|la|los|las|me|le|se)?(?=\s|$)")
# 'quisiera información sobre…', 'dame el precio de…': asking about it, not buying it.
_INFO = rf"(?:{any_of('info_article')} )?{any_of('info')}"
WANT_INFO_RE = re.compile(
    rf"^(?:{any_of('info_article', 'info_article_plural')} )?{any_of('info', 'not_a_product')}"
    r"(?=\s|$)"
)

# Greedy product, short quantity: the last 'a N' / 'to N' is the target.
SET_TARGET_RE = re.compile(
    rf"^{MODAL}{any_of('set_stem')}{_CLITIC}(?: (?P<prod>.+))? {any_of('set_to')}"
    rf" (?P<qty>[a-z0-9]+(?: [a-z0-9]+){{0,3}}?)(?: {any_of('unit')})?$"
)
VAGUE_RE = re.compile(rf"^{any_of('vague_amount')}{END}\s*")
SET_LEAD_RE = re.compile(rf"^(?:{any_of('set_hedge')} )?{any_of('set_lead')} (?P<rest>.+)$")
_ONLY = any_of("only")
SET_ONLY_RE = re.compile(
    rf"^(?:{any_of('rather')} )?(?:{any_of('only_subject')} )?{_ONLY}"
    rf"(?: {any_of('only_then')})? (?P<rest>.+)$"
)
SET_WANT_ONLY_RE = re.compile(rf"^{any_of('want_only')} {_ONLY} (?P<rest>.+)$")
SET_INSTEAD_RE = re.compile(rf"^(?P<rest>.+?) {any_of('instead')}$")

# --- clause splitting and product words -------------------------------------------------------

_AND = any_of("and")
SPLIT_RE = re.compile(rf"\s*(;|(?<!\d),|,(?!\d)|\b{_AND}\b|&)\s*")
CONNECTOR_RE = re.compile(rf"^(?:{any_of('and', 'connector')}{END}\s*[,;]?\s*)+")
ARTICLE_RE = re.compile(rf"^{any_of('article', 'vague_amount')}{END}\s*")
DEMONSTRATIVE_RE = re.compile(rf"^{any_of('demonstrative')}{END}\s*(?=\S)")
_UNIT = any_of("unit")
AFTER_QTY_RE = re.compile(
    rf"^(?:{any_of('more')}{END}\s*)?(?:{_UNIT}{END}\s*)?(?:{any_of('of')}{END}\s*)?"
)
_CURRENCY = any_of("currency")
# 'gyokuro at $1 each', 'martillo a $1': a price the customer names is never the price.
PRICE_TAIL_RE = re.compile(
    rf"\s+(?:{any_of('at_price')}|@)\s*(?:\$\s*\d[\d,]*(?:\.\d{{1,2}})?|\d[\d,]*(?:\.\d{{1,2}})?"
    rf"\s*(?={_CURRENCY}))(?:\s*{_CURRENCY})?(?:\s*{any_of('each')})?\s*$"
)
CART_PLACE_RE = re.compile(
    rf"\s*\b{any_of('cart_preposition')} {any_of('cart_noun')}\b|\s*\b{any_of('please')}\b"
)
TRAIL_WORDS_RE = re.compile(rf"(?:\s+{any_of('trailing')})+$")
TRAIL_QTY_RE = re.compile(rf"^(?P<rest>.+?) (?:x(?P<x>\d{{1,4}})|(?P<n>\d{{1,4}}) {_UNIT})$")
# 'otras 2 pinzas', 'otro martillo', 'another whisk': more of a product, named after it.
ANOTHER_RE = re.compile(rf"^{any_of('another')}(?= \S)(?! {any_of('another_not')}\b)\s*")
# 'and a whisk', 'y una cinta': a message that goes on with what came before it.
CONTINUE_RE = re.compile(rf"^{_AND}\s+(?=\S)")
_OF = any_of("of_word")
LAST_RE = _full(rf"(?:{_OF} )?{any_of('that_one')}")
ORDINAL_WORDS: dict[str, int] = vocab.numbers("ordinal")
_ORDINAL_SUFFIX = rf"(?:{any_of('ordinal_suffix')}|°)"
INDEX_RE = _full(
    rf"(?P<art>{any_of('index_article')} )?(?P<mark>(?:{any_of('index_mark')}|#) ?)?"
    rf"(?:(?P<word>{alt(ORDINAL_WORDS)})|(?P<num>\d{{1,3}})(?P<suf>{_ORDINAL_SUFFIX})?)"
    rf"(?: {any_of('index_tail')})?"
)

# --- search -------------------------------------------------------------------------------------

SEARCH_LEAD_RE = re.compile(
    rf"^{MODAL}(?:{any_of('search_lead')}|{any_of('ask_for')}(?= {_INFO}))"
    rf"{END}(?: {any_of('search_lead_of')})?{END}\s*"
)
_QUESTION_AND = rf"(?:{any_of('question_and')} )?"
_KIND = any_of("kind")
SEARCH_WH_RE = re.compile(
    rf"^{_QUESTION_AND}{any_of('what', 'which')}(?: {_KIND} {_OF})?(?: (?P<q>.+?))??"
    rf" {any_of('have_end')}$"
)
# 'qué tienen de plomería', 'what do you have in herbal': the category, or the kind, asked for.
SEARCH_HAVE_OF_RE = re.compile(
    rf"^{_QUESTION_AND}{any_of('what')}(?: {any_of('else')})? {any_of('have_lead')}"
    rf"(?: {any_of('in_category')})? (?P<q>.+)$"
)
SEARCH_TRAIL_RE = re.compile(rf"(?:\s+{any_of('search_trail')})+$")
QUESTION_PREFIX_RE = re.compile(
    rf"^{_QUESTION_AND}{any_of('question_word')}(?: {any_of('is_are')})?(?:\s+|$)"
)
KIND_OF_RE = re.compile(rf"^{_KIND} {_OF} ")

_AMOUNT = r"\$?\s*(?P<amt>\d{1,7}(?:,\d{3})*(?:\.\d{1,2})?)"
CURRENCY_RE = re.compile(rf"^\s*(?:\$|{_CURRENCY})(?=\s|$)")
MEASURE_RE = re.compile(rf"^\s*{any_of('measure')}(?=\s|$)")
PRICE_OP_RE = re.compile(
    rf"(?<![a-z0-9])(?:(?P<max>{any_of('price_max')}|<)|(?P<min>{any_of('price_min')}|>))"
    r"(?=\s|\$|\d)\s*"
)
BETWEEN_RE = re.compile(
    rf"\b{any_of('between')} {_AMOUNT}(?: {_CURRENCY})? (?:{any_of('between_and')}|-) "
    rf"\$?\s*(?P<amt2>\d{{1,7}}(?:,\d{{3}})*(?:\.\d{{1,2}})?)(?: {_CURRENCY})?"
)
_DEFINITE = rf"(?:{any_of('definite')} )?"
CHEAP_RE = re.compile(rf"\b{_DEFINITE}{any_of('cheap')}\b")
PRICEY_RE = re.compile(rf"\b{_DEFINITE}{any_of('pricey')}\b")
IN_STOCK_RE = re.compile(rf"\b(?:{any_of('in_stock_lead')} )?{any_of('in_stock')}\b")
EDGE_STOP = vocab.words("edge_stop")
GENERIC_WORDS = vocab.words("generic")
# Alone they name nothing: 'algo de menos de 100', 'recomiéndame algo'.
VAGUE_QUERY = vocab.words("vague_query")
# Words a product name almost never has: their presence makes a bare phrase small talk.
NON_PRODUCT = vocab.words("non_product")

# --- read by offline/ directly -----------------------------------------------------------------

ARTICLE_BEFORE_NUMBER_RE = re.compile(rf"^{any_of('article_before_number')} ")
INDEFINITE_RE = re.compile(rf"^{any_of('indefinite')} (?=\S)")
INDEFINITE = vocab.words("indefinite")
RATHER_RE = re.compile(rf"^{any_of('rather')} ")
JUST_RE = re.compile(rf"^{any_of('just')} ")
REMOVE_FROM_RE = re.compile(rf"^{any_of('remove_from')} ")
CANCEL_STEMS = tuple(sorted(vocab.words("cancel_stem")))
LIST_AND = vocab.words("list_and") | {"&"}
INFINITIVE_MARKS = tuple(sorted(f"{w} " for w in vocab.words("infinitive_mark")))

# --- language -----------------------------------------------------------------------------------

SPANISH_WORDS = vocab.words("language_marker", ("es",))
ENGLISH_WORDS = vocab.words("language_marker", ("en",))

# --- checkout answers -------------------------------------------------------------------------

# A business's method matches when its own name or any word of its family is mentioned.
PAYMENT_FAMILIES: tuple[frozenset[str], ...] = tuple(vocab.groups("payment_family").values())
PAY_FILLER_RE = re.compile(rf"\b{any_of('pay_filler')}\b")
# At the payment step, 'con bitcoin' or 'with venmo' is an answer (one we must ask again
# about), not a product search.
PAY_ATTEMPT_RE = re.compile(
    rf"^(?:{any_of('pay_wish')} )?{any_of('pay_verb')}?\s*{any_of('pay_by')} [a-z ]{{2,24}}$"
    rf"|^{any_of('unlisted_payment')}$"
)
PAY_NEGATION = vocab.words("pay_negation")
PAY_ORDINAL_RE = re.compile(
    rf"^(?:(?:{any_of('pay_option_mark')}|#) ?)?(?P<n>\d{{1,2}}|{alt(ORDINAL_WORDS)})"
    rf"(?:{any_of('pay_ordinal_suffix')}|°)?(?: {any_of('pay_option_tail')})?$"
)

# Applied to the original text, so accents and case survive in the address itself.
ADDRESS_STRONG_RE = re.compile(rf"\b{any_of('address_intro')}\s*", re.IGNORECASE)
ADDRESS_WEAK_RE = re.compile(rf"^\s*{any_of('address_lead')}", re.IGNORECASE)

# --- needs, browsing and picking from a list ------------------------------------------------------

# Searched anywhere in the plain message: "algo para colgar cuadros", "something for a cold".
NEED_MARKER_RE = re.compile(rf"(?<![a-z0-9]){any_of('need_marker')}(?![a-z0-9])")
NEED_FILLER = vocab.words("need_filler")
NEED_OWNED = vocab.words("need_owned")
BROWSE_RE = re.compile(rf"(?:^|[,;] ){any_of('browse')}(?: (?:{any_of('and')}) .*)?$")
BIGGEST_RE = re.compile(rf"\b{_DEFINITE}{any_of('biggest')}\b")
SMALLEST_RE = re.compile(rf"\b{_DEFINITE}{any_of('smallest')}\b")
PICK_FILLER = vocab.words("pick_filler")
CHEAPER_RE = re.compile(rf"\b{any_of('cheaper')}\b")
