"""Independent byte-level BPE (GPT-2 style) for the reference tools: trainer, encoder, decoder and the
Hugging Face tokenizer.json writer/reader.

Encoding: special (added) tokens are matched first, longest first at the leftmost position; the text
between them is split by the pre-tokenizer regex (Split, behavior Isolated: every match is a piece and
so is every gap between matches), each piece's UTF-8 bytes are mapped through bytes_to_unicode, and
merges are applied by rank (always the lowest-rank adjacent pair, all its non-overlapping occurrences
left to right) until none applies; each resulting symbol is looked up in the vocab.
"""
import json

import _env  # noqa: F401
import regex

# cl100k-style pre-tokenizer pattern used by the MiniMax tokenizer.json
PRETOKENIZE_PATTERN = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_PRE = regex.compile(PRETOKENIZE_PATTERN)

SPECIAL_TOKENS = [
    "<beginning_of_sentence>",
    "<end_of_sentence>",
    "<end_of_document>",
    "<begin_of_document>",
    "<think>",
    "</think>",
]


def bytes_to_unicode():
    """GPT-2's byte -> printable unicode map, as an ordered dict in GPT-2 order: the printable bytes
    '!'..'~', '\xa1'..'\xac', '\xae'..'\xff' map to themselves, then the other 68 bytes in increasing
    order map to U+0100, U+0101, ... . The dict's iteration order is the byte-token id order
    (id 0 = '!' (byte 0x21), id 188 = 'Ā' (byte 0x00), id 220 = 'Ġ' (byte 0x20))."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + list(range(0xAE, 0xFF + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


BYTE_TO_UNICODE = bytes_to_unicode()
UNICODE_TO_BYTE = {u: b for b, u in BYTE_TO_UNICODE.items()}


def pretokenize(text):
    """Split (Isolated): matches and the gaps between them, in order, none empty."""
    pieces = []
    pos = 0
    for m in _PRE.finditer(text):
        if m.start() > pos:
            pieces.append(text[pos:m.start()])
        if m.end() > m.start():
            pieces.append(m.group())
        pos = m.end()
    if pos < len(text):
        pieces.append(text[pos:])
    return pieces


def to_byte_symbols(piece):
    return [BYTE_TO_UNICODE[b] for b in piece.encode("utf-8")]


def apply_merges(symbols, ranks):
    """symbols: list of str; ranks: dict (a, b) -> rank. Lowest rank first."""
    symbols = list(symbols)
    while len(symbols) > 1:
        best = None
        for i in range(len(symbols) - 1):
            r = ranks.get((symbols[i], symbols[i + 1]))
            if r is not None and (best is None or r < best):
                best = r
        if best is None:
            break
        out = []
        i = 0
        while i < len(symbols):
            if i + 1 < len(symbols) and ranks.get((symbols[i], symbols[i + 1])) == best:
                out.append(symbols[i] + symbols[i + 1])
                i += 2
            else:
                out.append(symbols[i])
                i += 1
        symbols = out
    return symbols


class Tokenizer:
    def __init__(self, vocab, merges, added_tokens):
        """vocab: dict token string -> id; merges: list of (a, b) by rank; added_tokens: dict
        content -> id (matched in the raw text before BPE)."""
        self.vocab = dict(vocab)
        self.merges = [tuple(m) for m in merges]
        self.ranks = {m: r for r, m in enumerate(self.merges)}
        self.added = dict(added_tokens)
        self.id_to_token = {i: t for t, i in self.vocab.items()}
        for t, i in self.added.items():
            self.id_to_token[i] = t
        if self.added:
            alts = sorted(self.added, key=lambda s: (-len(s), s))
            self._special_re = regex.compile("|".join(regex.escape(s) for s in alts))
        else:
            self._special_re = None
        self._cache = {}

    @staticmethod
    def from_tokenizer_json(path):
        with open(path, encoding="utf-8") as f:
            tj = json.load(f)
        model = tj["model"]
        assert model["type"] == "BPE"
        merges = [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in model["merges"]]
        added = {t["content"]: t["id"] for t in tj.get("added_tokens", [])}
        return Tokenizer(model["vocab"], merges, added)

    def _bpe_piece(self, piece):
        ids = self._cache.get(piece)
        if ids is None:
            syms = apply_merges(to_byte_symbols(piece), self.ranks)
            ids = [self.vocab[s] for s in syms]
            self._cache[piece] = ids
        return ids

    def encode_ordinary(self, text):
        ids = []
        for piece in pretokenize(text):
            ids.extend(self._bpe_piece(piece))
        return ids

    def encode(self, text):
        if self._special_re is None:
            return self.encode_ordinary(text)
        ids = []
        pos = 0
        for m in self._special_re.finditer(text):
            ids.extend(self.encode_ordinary(text[pos:m.start()]))
            ids.append(self.added[m.group()])
            pos = m.end()
        ids.extend(self.encode_ordinary(text[pos:]))
        return ids

    def decode(self, ids):
        out = bytearray()
        for i in ids:
            tok = self.id_to_token[i]
            if tok in self.added:
                out += tok.encode("utf-8")
            else:
                out += bytes(UNICODE_TO_BYTE[c] for c in tok)
        return out.decode("utf-8", errors="replace")


def byte_vocab():
    """The 256 byte tokens, ids 0..255 in bytes_to_unicode order."""
    return {u: i for i, u in enumerate(BYTE_TO_UNICODE.values())}


def vocab_from_merges(merges):
    """ids 0..255 = byte tokens; id 256 + r = the concatenation of merge r (first occurrence wins)."""
    vocab = byte_vocab()
    for r, (a, b) in enumerate(merges):
        vocab.setdefault(a + b, 256 + r)
    return vocab


def read_merges_txt(path):
    """merges.txt: optional '#version' first line, then 'a b' per line."""
    merges = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f.read().split("\n")):
            if not line or (n == 0 and line.startswith("#version")):
                continue
            a, b = line.split(" ")
            merges.append((a, b))
    return merges


def train(text, num_merges):
    """Tiny deterministic byte-level BPE trainer: count pre-tokenized words, repeatedly merge the most
    frequent adjacent pair (ties: the lexicographically smallest pair). -> list of (a, b)."""
    counts = {}
    for piece in pretokenize(text):
        key = tuple(to_byte_symbols(piece))
        counts[key] = counts.get(key, 0) + 1
    words = [[list(w), c] for w, c in sorted(counts.items())]
    merges = []
    while len(merges) < num_merges:
        pairs = {}
        for syms, c in words:
            for i in range(len(syms) - 1):
                p = (syms[i], syms[i + 1])
                pairs[p] = pairs.get(p, 0) + c
        if not pairs:
            break
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        merges.append(best)
        for w in words:
            syms = w[0]
            out = []
            i = 0
            while i < len(syms):
                if i + 1 < len(syms) and (syms[i], syms[i + 1]) == best:
                    out.append(syms[i] + syms[i + 1])
                    i += 2
                else:
                    out.append(syms[i])
                    i += 1
            w[0] = out
    return merges


def tokenizer_json(vocab, merges, special_ids, merges_as_pairs=True, specials_in_vocab=False):
    """A Hugging Face tokenizer.json dict (byte-level BPE, MiniMax-style pre-tokenizer)."""
    model_vocab = dict(vocab)
    if specials_in_vocab:
        for t, i in special_ids.items():
            model_vocab[t] = i
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for t, i in sorted(special_ids.items(), key=lambda kv: kv[1])
        ],
        "normalizer": None,
        "pre_tokenizer": {
            "type": "Sequence",
            "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": PRETOKENIZE_PATTERN}, "behavior": "Isolated",
                 "invert": False},
                {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False},
            ],
        },
        "post_processor": None,
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": model_vocab,
            "merges": [list(m) if merges_as_pairs else "%s %s" % m for m in merges],
        },
    }
