"""Is a PDF page's extracted text layer usable text, or garbage that should go to OCR?

pypdf returns *something* for almost every page, but a text layer can be present and still
useless for search: a font without a ToUnicode map yields glyph names (``/g18/g152``),
control characters or symbol soup; a damaged map yields U+FFFD; text placed glyph by
glyph yields words glued together (``Suratpermohonanaudiensi...``). Such a page is as
unfindable as a scan, so it should be OCRed like one.

The costs are lopsided: a false "unusable" costs one OCR run, a false "usable" makes a
letter unfindable. Every threshold below therefore sits well below the garbage samples it
was tuned on, yet clear of the ordinary pages it was checked against (Debian Reference in
Indonesian and English, other PDFs under /usr/share/doc, Indonesian official letters,
budget tables, English prose; see ``documents/tests/test_text_quality.py``).

Pure Python and Django-free: it runs on every page of 2,000-page files (``documents.text``),
so every measure is a compiled-regex pass, a ``str``/``bytes`` method or a pass over the
tokens in C (no per-character Python loops): a 3,000-character page takes about 0.3 ms.
"""

import re
import string
from dataclasses import dataclass
from itertools import compress

OK = "ok"
EMPTY = "empty"
GLYPH_NAMES = "glyph_names"
GARBAGE_SYMBOLS = "garbage_symbols"
REPLACEMENT_CHARACTERS = "replacement_characters"
RUN_TOGETHER = "run_together"
NO_WORDS = "no_words"

# A stray page number or scanner mark is not a text layer.
MIN_VISIBLE_CHARS = 3

# Glyph names per character the page really shows (each glyph name stands for one). A
# font without a ToUnicode map gives 100 % (pypdf's output for such a font, in the tests);
# clean pages give 0. Once a tenth of the characters is lost, most words of any length
# contain one and the page cannot be searched.
MAX_GLYPH_NAME_SHARE = 0.10

# U+FFFD among the visible characters: characters pypdf could not map. No sample page
# had any, so the threshold is reasoned, not measured: at 2 % about one word in eight of
# average Indonesian length (7 letters) is broken, while a stray unmapped bullet or
# symbol on a page stays far below.
MAX_REPLACEMENT_SHARE = 0.02

# Control characters, private-use code points and box/shape glyphs inside words (standing
# alone they are bullets and check boxes and are not counted). An Identity-H font without
# a ToUnicode map gives 15 % (its space glyph comes out as U+0003); the clean pages seen
# give at most 0.2 %.
MAX_ODD_CHARACTER_SHARE = 0.05

# Letters and digits among the visible characters (dot leaders and glyph names removed).
# A Type3 font decoded through the standard encoding comes out as ASCII punctuation soup,
# 20 % letters or digits; the most symbol-heavy clean pages seen, shell sessions in the
# Debian Reference, stay above 84 %.
MIN_ALPHANUMERIC_SHARE = 0.60

# Changes of script inside a word, per letter. Glyph ids of a large font read as code
# points give Latin, IPA, Greek and Cyrillic letters side by side: 33 % in the sample.
# Clean text changes script inside a word almost never ("10μm"): 0 on every page seen.
MAX_SCRIPT_CHANGE_SHARE = 0.05

# Letter runs longer than this cannot be one word: among the longest Indonesian words,
# "ketidakbertanggungjawaban" has 25 letters and "dipertanggungjawabkannya" 24; English
# "internationalization" has 20. Letter runs stop at digits and punctuation, so numbers
# like NIP.198001012005011001 and IDs like 005/77/SPG never count; URLs and e-mail
# addresses are left out before measuring.
MAX_WORD_LETTERS = 25

# Letters in over-long runs, per letter. Clean pages seen give 0 % (Debian Reference and
# /usr/share/doc PDFs through pdftotext, the fixture letters); a letterhead glued into one
# word on an otherwise clean letter 4 %. Words placed without a space pypdf can see give
# 85 %; pypdf's output for the Debian Reference, which glues words on most pages, gives
# 20-90 % (median 38 %). One glued paragraph on a page already makes that paragraph
# unfindable, hence a threshold far below the fully glued case.
MAX_RUN_TOGETHER_SHARE = 0.20

# Vowels among the Latin letters, on pages with enough letters to tell. A TrueType font
# embedded without a ToUnicode map yields glyph ids read as characters: for Arial that is
# the text shifted by 29 code points ("Dengan hormat" comes out as "'HQJDQ KRUPDW"),
# capital consonants with 10 % vowels. Clean pages seen have 29 % (a Debian Reference page
# of shell commands) to 42 %; the budget table in the tests 39 %. A page of nothing but
# abbreviations (DPRD, SKPD, Yth) falls below too, which costs only an OCR run.
MIN_VOWEL_SHARE = 0.18
MIN_LETTERS_FOR_VOWEL_SHARE = 40

# Plausible words among the tokens. A token is implausible when it is a single letter on
# its own, as in text extracted letter by letter ("D E W A N"), or holds a glued run of
# words. Letter-by-letter text scores 0.01; clean pages seen score 0.85 or more (English
# loses a little to "a").
MIN_PLAUSIBLE_WORD_SHARE = 0.40

# Dot leaders of tables of contents, fill-in lines of forms ("Nama : ..........") and
# rules of dashes or underscores: punctuation that is layout, not text.
_LEADERS = re.compile(r"([.\-_=·…*~])(?:[ \t]?\1){2,}")

# Glyph names as extractors emit them for fonts without a usable ToUnicode map: pypdf
# writes the font's glyph names (/g18, /uni0041, /glyph12, /C0_0, /.notdef), pdfminer
# writes (cid:12), some tools drop the slash (g18g152). Without a slash the name must not
# follow a letter, so "kg2" or "Sg3" in ordinary text is no glyph name.
_GLYPH_NAMES = re.compile(
    r"/(?:(?:cid|g|G|glyph|index|a|C\d+_)\d+|uni[0-9A-Fa-f]{4,6}|u[0-9A-Fa-f]{5,6}|\.notdef)"
    r"|\(cid:\d+\)"
    r"|cid:?(?<![^\W\d_]cid)(?<![^\W\d_]cid:)\d+"
    r"|glyph(?<![^\W\d_]glyph)\d+"
    r"|g(?<![^\W\d_]g)\d+"
)

_REPLACEMENT_CHARACTER = "\ufffd"

# Characters no clean Indonesian or English text has: control characters (tab, line and
# page breaks aside), private-use code points, box drawing, block elements and geometric
# shapes, the increment sign and the object replacement character. Standing alone they
# are bullets and check boxes, and are not counted.
_ODD_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\u2500-\u25ff\u2206\ufffc]+")

# Letters of the scripts Indonesian and English text is written in: ASCII, Latin-1,
# Latin Extended-A (names with Polish or Turkish letters), Latin Extended Additional
# (Vietnamese) and the Latin ligatures ﬁ ﬂ. Any other letter is of another script.
_LATIN = "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u1e00-\u1eff\ufb00-\ufb06"
_OTHER_SCRIPT_LETTER = re.compile(rf"[^\W\d_{_LATIN}]")
_SCRIPT_CHANGES = re.compile(
    rf"[{_LATIN}](?={_OTHER_SCRIPT_LETTER.pattern})|{_OTHER_SCRIPT_LETTER.pattern}(?=[{_LATIN}])"
)

_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_NOT_LATIN_1_LETTERS = re.compile(r"[^\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]+")
_NOT_LATIN_1_VOWELS = re.compile(
    r"[^\u00c0-\u00c6\u00c8-\u00cf\u00d2-\u00d6\u00d9-\u00dc\u00e0-\u00e6\u00e8-\u00ef\u00f2-\u00f6\u00f9-\u00fc]+"
)
_ASCII_LETTERS = string.ascii_letters.encode()
_ASCII_VOWELS = b"AEIOUaeiou"
_ASCII_DIGITS = string.digits.encode()
# The ASCII characters str.split() splits on.
_ASCII_WHITESPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"

_URLS_AND_EMAILS = re.compile(r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

_OVERLONG_LETTER_RUNS = re.compile(rf"[^\W\d_]{{{MAX_WORD_LETTERS + 1},}}")


@dataclass(frozen=True)
class Assessment:
    """The verdict on one page's text layer.

    ``reason`` is ``"ok"`` for usable text, otherwise the first rule the text failed;
    ``score`` is the share of plausible words among its tokens (0 to 1), kept for the
    record even when another rule decided.
    """

    usable: bool
    reason: str
    score: float


def assess(text):
    """Decide whether ``text`` (one page, as extracted) is usable or should be OCRed.

    The rules run from the most specific diagnosis to the most general, so ``reason``
    names the actual fault: glyph names and replacement characters also make a page look
    like symbol soup, and symbol soup has no words either.
    """
    text = text or ""
    visible_chars = _visible_chars(text)
    if visible_chars < MIN_VISIBLE_CHARS:
        return Assessment(usable=False, reason=EMPTY, score=0.0)

    content, glyph_names = _GLYPH_NAMES.subn(" ", _LEADERS.sub(" ", text))
    tokens = content.split()
    token_lengths = list(map(len, tokens))
    lone_chars = "".join(compress(tokens, map((1).__eq__, token_lengths)))
    # Tokens long enough to hold an over-long letter run; few on a clean page.
    long_tokens = " ".join(compress(tokens, map(MAX_WORD_LETTERS.__lt__, token_lengths)))
    counts = _CharacterCounts.of(content)
    lone_counts = _CharacterCounts.of(lone_chars)
    glued_letters = _glued_letters(long_tokens)
    score = _plausible_word_share(words=len(tokens), lone_letters=lone_counts.letters, glued_words=glued_letters.words)

    alphanumerics = counts.letters + counts.digits
    if glyph_names and glyph_names >= MAX_GLYPH_NAME_SHARE * (glyph_names + alphanumerics):
        return _unusable(GLYPH_NAMES, score)

    if text.count(_REPLACEMENT_CHARACTER) >= MAX_REPLACEMENT_SHARE * visible_chars:
        return _unusable(REPLACEMENT_CHARACTERS, score)

    odd_chars = counts.odd - lone_counts.odd
    if counts.visible and (
        odd_chars > MAX_ODD_CHARACTER_SHARE * counts.visible or alphanumerics < MIN_ALPHANUMERIC_SHARE * counts.visible
    ):
        return _unusable(GARBAGE_SYMBOLS, score)
    if counts.other_script_letters and len(_SCRIPT_CHANGES.findall(content)) > MAX_SCRIPT_CHANGE_SHARE * counts.letters:
        return _unusable(GARBAGE_SYMBOLS, score)

    if glued_letters.letters > MAX_RUN_TOGETHER_SHARE * counts.letters:
        return _unusable(RUN_TOGETHER, score)

    if score < MIN_PLAUSIBLE_WORD_SHARE:
        return _unusable(NO_WORDS, score)
    if (
        counts.latin_1_letters >= MIN_LETTERS_FOR_VOWEL_SHARE
        and counts.latin_1_vowels < MIN_VOWEL_SHARE * counts.latin_1_letters
    ):
        return _unusable(NO_WORDS, score)
    return Assessment(usable=True, reason=OK, score=score)


def _unusable(reason, score):
    return Assessment(usable=False, reason=reason, score=score)


@dataclass(frozen=True)
class _CharacterCounts:
    """Character classes of a text, counted at C speed.

    Unicode-aware regexes cost a quarter of a microsecond per match, and a page has a
    match per word; so the ASCII bulk of a page is counted with ``bytes.translate`` and
    only its non-ASCII characters (quotes, bullets, accented letters: a few per page) go
    through the regexes.
    """

    visible: int
    letters: int
    digits: int
    latin_1_letters: int
    latin_1_vowels: int
    other_script_letters: bool
    odd: int

    @classmethod
    def of(cls, text):
        ascii_text = text.encode("ascii", "ignore")
        non_ascii = _ASCII_RUNS.sub("", text)
        ascii_letters = _count_bytes(ascii_text, _ASCII_LETTERS)
        return cls(
            visible=_visible_in(ascii_text, non_ascii),
            letters=ascii_letters + len(_NOT_LETTERS.sub("", non_ascii)),
            digits=_count_bytes(ascii_text, _ASCII_DIGITS),
            latin_1_letters=ascii_letters + len(_NOT_LATIN_1_LETTERS.sub("", non_ascii)),
            latin_1_vowels=_count_bytes(ascii_text, _ASCII_VOWELS) + len(_NOT_LATIN_1_VOWELS.sub("", non_ascii)),
            other_script_letters=bool(_OTHER_SCRIPT_LETTER.search(non_ascii)),
            odd=sum(map(len, _ODD_CHARACTERS.findall(text))),
        )


def _visible_chars(text):
    return _visible_in(text.encode("ascii", "ignore"), _ASCII_RUNS.sub("", text))


def _visible_in(ascii_text, non_ascii):
    """Characters that are not whitespace, from a text split into its ASCII and non-ASCII characters."""
    return len(ascii_text) - _count_bytes(ascii_text, _ASCII_WHITESPACE) + len("".join(non_ascii.split()))


def _count_bytes(data, members):
    return len(data) - len(data.translate(None, members))


@dataclass(frozen=True)
class _GluedLetters:
    words: int
    letters: int


def _glued_letters(long_tokens):
    """The over-long letter runs in ``long_tokens``: how many, and how many letters they hold.

    URLs and e-mail addresses are long without being glued words, so they are left out.
    """
    runs = _OVERLONG_LETTER_RUNS.findall(_URLS_AND_EMAILS.sub(" ", long_tokens))
    return _GluedLetters(words=len(runs), letters=sum(map(len, runs)))


def _plausible_word_share(words, lone_letters, glued_words):
    if words <= 0:
        return 0.0
    return max(0.0, 1.0 - (lone_letters + glued_words) / words)
