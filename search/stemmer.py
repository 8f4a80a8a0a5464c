"""Words, stop words and the light Indonesian stemmer.

``tokens`` splits text as both engines' analysis does (``search.analysis``);
``STOP_WORDS`` is SIAP's short list of function words. ``stem`` implements
the published rules of Lucene's Indonesian light stemmer (Tala's algorithm,
derivational stemming on): "pembangunan", "membangun" and "bangunan" → "bangun",
"bangun" and "banjir" apart. The analysis chain uses Sastrawi's dictionary
stemmer and falls back on these lighter forms where that one over-joins.
"""

import re
import unicodedata

TOKEN_RE = re.compile(r"[0-9a-z]+", re.UNICODE)

STOP_WORDS = frozenset(
    """
    ada adalah agar akan akan aku anda antara apa apabila atas atau bagai bagaimana bagi bahkan bahwa
    banyak beberapa begitu belum bila boleh bukan dalam dan dapat dari daripada demikian dengan di dia
    dulu hal hanya harus hingga ia ialah ini itu jadi jika juga kami kamu karena ke kepada ketika kini
    lagi lain maka mana masih mereka namun oleh pada para saat sangat saja sampai sebagai sebelum sedang
    sehingga sejak semua sendiri seperti serta sesudah setelah suatu sudah supaya tanpa telah tentang
    tetapi tidak untuk yaitu yakni yang
    """.split()
)

VOWELS = frozenset("aeiou")

REMOVED_KE, REMOVED_PENG, REMOVED_DI, REMOVED_MENG, REMOVED_TER, REMOVED_BER, REMOVED_PE = (1, 2, 4, 8, 16, 32, 64)


def _syllables(word):
    return sum(1 for char in word if char in VOWELS)


class _Stem:
    """One word being stemmed: the word, its syllable count and which affixes came off."""

    def __init__(self, word):
        self.word = word
        self.syllables = _syllables(word)
        self.flags = 0

    def cut_end(self, suffix):
        self.word = self.word[: -len(suffix)]
        self.syllables -= 1

    def cut_start(self, count, flag, replace_first=None):
        rest = self.word[count:]
        self.word = (replace_first + rest[1:]) if replace_first else rest
        self.flags |= flag
        self.syllables -= 1

    def remove_particle(self):
        for particle in ("kah", "lah", "pun"):
            if self.word.endswith(particle):
                self.cut_end(particle)
                return

    def remove_possessive_pronoun(self):
        for pronoun in ("ku", "mu", "nya"):
            if self.word.endswith(pronoun):
                self.cut_end(pronoun)
                return

    def remove_first_order_prefix(self):
        word = self.word
        if word.startswith("meng"):
            self.cut_start(4, REMOVED_MENG)
        elif word.startswith("meny") and len(word) > 4 and word[4] in VOWELS:
            self.cut_start(3, REMOVED_MENG, replace_first="s")
        elif word.startswith("men") or word.startswith("mem"):
            self.cut_start(3, REMOVED_MENG)
        elif word.startswith("me"):
            self.cut_start(2, REMOVED_MENG)
        elif word.startswith("peng"):
            self.cut_start(4, REMOVED_PENG)
        elif word.startswith("peny") and len(word) > 4 and word[4] in VOWELS:
            self.cut_start(3, REMOVED_PENG, replace_first="s")
        elif word.startswith("peny"):
            self.cut_start(4, REMOVED_PENG)
        elif word.startswith("pen") and len(word) > 3 and word[3] in VOWELS:
            self.cut_start(2, REMOVED_PENG, replace_first="t")
        elif word.startswith("pen") or word.startswith("pem"):
            self.cut_start(3, REMOVED_PENG)
        elif word.startswith("di"):
            self.cut_start(2, REMOVED_DI)
        elif word.startswith("ter"):
            self.cut_start(3, REMOVED_TER)
        elif word.startswith("ke"):
            self.cut_start(2, REMOVED_KE)

    def remove_second_order_prefix(self):
        word = self.word
        if word.startswith("ber"):
            self.cut_start(3, REMOVED_BER)
        elif word == "belajar":
            self.cut_start(3, REMOVED_BER)
        elif word.startswith("be") and len(word) > 4 and word[2] not in VOWELS and word[3:5] == "er":
            self.cut_start(2, REMOVED_BER)
        elif word.startswith("per"):
            self.cut_start(3, 0)
        elif word == "pelajar":
            self.cut_start(3, 0)
        elif word.startswith("pe"):
            self.cut_start(2, REMOVED_PE)

    def remove_suffix(self):
        word, flags = self.word, self.flags
        if word.endswith("kan") and not flags & (REMOVED_KE | REMOVED_PENG | REMOVED_PE):
            self.cut_end("kan")
        elif word.endswith("an") and not flags & (REMOVED_DI | REMOVED_MENG | REMOVED_TER):
            self.cut_end("an")
        elif word.endswith("i") and not word.endswith("si") and not flags & (REMOVED_BER | REMOVED_KE | REMOVED_PENG):
            self.cut_end("i")

    def when_long(self, step):
        if self.syllables > 2:
            step()

    def stem(self):
        self.when_long(self.remove_particle)
        self.when_long(self.remove_possessive_pronoun)
        before = self.word
        self.when_long(self.remove_first_order_prefix)
        if self.word != before:
            before = self.word
            self.when_long(self.remove_suffix)
            if self.word != before:
                self.when_long(self.remove_second_order_prefix)
        else:
            self.when_long(self.remove_second_order_prefix)
            self.when_long(self.remove_suffix)
        return self.word


def stem(word):
    return _Stem(word).stem()


def fold(text):
    """Lower-case and strip accents, as the analyzers see text."""
    if text.isascii():  # most text: nothing to strip, and the character loop below is most of indexing's Python time
        return text.lower()
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in text if not unicodedata.combining(char))


def tokens(text):
    """Lower-cased words of ``text`` with their character spans in the original."""
    folded = fold(text)
    return [(match.group(), match.start(), match.end()) for match in TOKEN_RE.finditer(folded)]

