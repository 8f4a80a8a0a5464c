"""SIAP's one analysis chain for Indonesian text, run in Python for both search engines.

Both engines receive terms already analysed here: the embedded engine
stores them in its ``stems`` column, Elasticsearch in a field split on
whitespace only. So the same words are dropped, the same words joined and
the same abbreviations expanded whichever engine runs — and a production
Elasticsearch cluster needs no plugin.

The chain, per word (``tokens`` → ``root``):

1. lower-case, accents off, split into letters and digits (``search.stemmer.tokens``);
2. SIAP's stop words out (``STOP_WORDS``);
3. the root from Sastrawi (PySastrawi, the Nazief–Adriani algorithm with
   Arifin's enhanced confix stripping over a dictionary of about 30,000
   root words), which joins derivations a light stemmer leaves apart
   (*perbaikan* / *memperbaiki* → *baik*, *penanganan* / *menangani* →
   *tangan*);
4. where that root over-joins, the lighter form instead (``root`` says
   which classes: a root that is a function word, a root shorter than
   the light stemmer's dictionary word, and ``ROOT_OVERRIDES``).

Abbreviations of local government (``Thesaurus``) are expanded at query
time, so an archivist's new entry applies to the next search with no
reindex on either engine.
"""

import functools

from .stemmer import STOP_WORDS, stem as light_stem, tokens

# Words whose dictionary root would join them with another meaning, and the root they keep instead.
ROOT_OVERRIDES = {
    # the government, not an order (perintah)
    "pemerintah": "pemerintah", "pemerintahan": "pemerintah", "pemerintahannya": "pemerintah",
    # the stemmer's dictionary has other words that win: paja, eru, rang, kam, pejal (solid), nila (indigo), kesiap
    "perpajakan": "pajak", "pengerukan": "keruk", "menerangi": "terang", "diterangi": "terang",
    "pengaman": "aman", "pejalan": "jalan", "senilai": "nilai", "kesiapan": "siap",
    # a place (Penajam Paser Utara), not a derivation
    "penajam": "penajam",
    # agreeing (setuju), not a goal or heading somewhere (tujuan, menuju)
    "setuju": "setuju", "persetujuan": "setuju", "menyetujui": "setuju", "disetujui": "setuju",
    "penyetujuan": "setuju",
    # agreed (sepakat, as kesepakatan already gives), not "pakat"
    "disepakati": "sepakat", "menyepakati": "sepakat",
}


@functools.cache
def _sastrawi():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    stemmer = StemmerFactory().create_stemmer()
    return stemmer.delegatedStemmer, stemmer.delegatedStemmer.dictionary


@functools.lru_cache(maxsize=200_000)
def root(word):
    """The term indexed and searched for ``word`` (lower-case, as ``tokens`` gives it).

    Sastrawi's root, unless it over-joins:

    - a root that is a stop word means a content word became a function
      word (*pengadaan* → *ada*, *pendapatan* → *dapat*, *peserta* →
      *serta*): the word stays itself;
    - the light stemmer found a longer dictionary word that contains
      Sastrawi's (*peternakan*: *ternak*, not *terna*): the light
      stemmer's word;
    - ``ROOT_OVERRIDES`` for the few the two rules do not catch.
    """
    if word in ROOT_OVERRIDES:
        return ROOT_OVERRIDES[word]
    if word.isdigit() or len(word) < 4:
        return word
    stemmer, dictionary = _sastrawi()
    full = stemmer.stem(word)
    if full in STOP_WORDS:
        return word
    light = light_stem(word)
    if len(light) > len(full) and light != word and dictionary.contains(light) and full in light:
        return light
    return full


def analyse(text):
    """The terms the index stores for ``text``: stop words out, each word reduced to its root."""
    return [root(word) for word, _start, _end in tokens(text) if word not in STOP_WORDS]


def indexed(text):
    """What both engines index for ``text``: its analysed terms and its words as written, each space-separated."""
    words = [word for word, _start, _end in tokens(text)]
    return " ".join(terms_of(words)), " ".join(words)


def terms_of(words):
    """The analysed terms of words already split (a query's words), stop words out."""
    return [root(word) for word in words if word not in STOP_WORDS]


class Thesaurus:
    """Abbreviations and what they stand for, as groups of analysed term sequences.

    ``pairs`` are ``(abbreviation, expansion)`` as an archivist writes them
    (*"PJU"*, *"penerangan jalan umum"*). Any form of a group found in a
    query (as consecutive analysed terms) stands for all the group's forms.
    """

    def __init__(self, pairs=()):
        self.groups = {}  # form (tuple of terms) -> set of forms
        for abbreviation, expansion in pairs:
            forms = {tuple(analyse(abbreviation)), tuple(analyse(expansion))} - {()}
            group = set(forms)
            for form in forms:
                group |= self.groups.get(form, set())
            for form in group:
                self.groups[form] = group
        self.longest = max((len(form) for form in self.groups), default=0)

    def units(self, terms):
        """``terms`` (a query's analysed words) as units, each a list of alternative term sequences.

        A unit must match for an item to hold all the query's words; a unit
        made of a thesaurus form matches by any form of its group.
        """
        units, position = [], 0
        while position < len(terms):
            for length in range(min(self.longest, len(terms) - position), 0, -1):
                form = tuple(terms[position:position + length])
                if form in self.groups:
                    units.append(sorted(self.groups[form], key=lambda alternative: (len(alternative), alternative)))
                    position += length
                    break
            else:
                units.append([(terms[position],)])
                position += 1
        return units


NO_THESAURUS = Thesaurus()
