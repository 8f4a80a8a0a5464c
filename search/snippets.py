"""The excerpt a hit shows, with the words that matched in <mark>: the same for both engines.

Elasticsearch's highlighter would analyse the text with its own analyzer,
not SIAP's chain (``search.analysis``), and mark other words than the ones
that matched; so both engines return the item's text and this module marks it.
"""

import html

from .analysis import root
from .stemmer import STOP_WORDS, tokens

SNIPPET_CHARS = 220


def snippet(text, plan, width=SNIPPET_CHARS):
    """An escaped excerpt of ``text`` around the first match, with matches in <mark>.

    Words are analysed only up to the end of the excerpt (each distinct word
    once per process, ``root`` is cached): a scan's text runs to pages, the
    excerpt to a few lines.
    """
    wanted = plan.highlighted_terms()

    def matches(word):
        return (word not in STOP_WORDS and root(word) in wanted) or any(word.startswith(p) for p in plan.prefixes)

    words = tokens(text)
    first = next((index for index, (word, _s, _e) in enumerate(words) if matches(word)), len(words))
    begin = max(0, words[first][1] - width // 3) if first < len(words) else 0
    finish = min(len(text), begin + width)
    spans = []
    for word, start, end in words[first:]:
        if end > finish:
            break
        if matches(word):
            spans.append((start, end))
    pieces, cursor = [], begin
    for start, end in spans:
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(html.escape(text[cursor:finish]))
    prefix = "… " if begin > 0 else ""
    suffix = " …" if finish < len(text) else ""
    return prefix + "".join(pieces).replace("\n", " ") + suffix
