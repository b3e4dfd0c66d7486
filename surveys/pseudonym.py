"""Pseudonymisation of identifiers and redaction of personal data in free text.

Identifiers that joins need (``respondent_id``, ``user_id``, ``company_id``) are
replaced by a keyed hash: SipHash-2-4 of the identifier with a 128-bit key derived
from the pilot's ``salt``, as 16 hexadecimal characters (64 bits; see
:func:`hash_many`). The same identifier and salt always give the same pseudonym, so the survey and check-in files of one pilot
still join; without the salt the pseudonym cannot be reversed by hashing guesses.

Free text (``comment``) may contain e-mail addresses, phone numbers, IP addresses or
the respondent's own name: :func:`redact` replaces them with ``[e-mail]``,
``[téléphone]``, ``[IP]``, ``[nom]`` and ``[identifiant]``.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from surveys._columns import arrow_text, distinct, spread, stripped
from surveys._columns import categorical as distinct_categorical

__all__ = ["DEFAULT_SALT", "pseudonymise", "hash_clean", "keyed_hashes", "pseudonyms", "hash_many", "redact", "EMAIL", "PHONE",
           "IP_ADDRESS"]

#: Key used when a pilot gives no ``salt``. It is public, so pseudonyms made with it can
#: be recomputed by anyone holding the original identifiers: set a salt in the pilot file.
DEFAULT_SALT = "bilan-default-salt-2016"
#: Pseudonym length in hexadecimal characters.
LENGTH = 16

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\d{2,3}[\s.\-]?\(?0?\)?[\s.\-]?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}(?!\d)"
    r"|(?<![\w+])\+\d{1,3}[\s.\-]?\d{2,4}(?:[\s.\-]?\d{2,4}){2,4}(?!\d)"
)
IP_ADDRESS = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])"
                        r"|(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])")


#: Label under which the SipHash key is derived from the salt (changing it changes
#: every pseudonym).
_KEY_LABEL = b"bilan pseudonym key: SipHash-2-4 v1"


def siphash_key(salt: str | None) -> bytes:
    """The 128-bit SipHash key of a pilot: HMAC-SHA256(salt, label), first 16 bytes.

    Examples
    --------
    >>> len(siphash_key("s")), siphash_key("s") == siphash_key("s") != siphash_key("t")
    (16, True)
    """
    salt_bytes = (DEFAULT_SALT if salt is None else str(salt)).encode("utf-8")
    return hmac.new(salt_bytes, _KEY_LABEL, hashlib.sha256).digest()[:16]


def hash_many(messages: list[bytes] | pa.Array, salt: str | None = None) -> np.ndarray:
    """Pseudonyms (object array of ``str``) of many UTF-8 encoded identifiers at once.

    Parameters
    ----------
    messages : list of bytes, or an Arrow binary/string array
        The identifiers, encoded.
    salt : str, optional
        The key; :data:`DEFAULT_SALT` when None.

    Returns
    -------
    ndarray of object
        16 lower-case hexadecimal characters per message: the 64-bit keyed hash
        ``splitmix64(SipHash-2-4(key, message))`` written big-endian, where ``key`` is
        :func:`siphash_key` of the salt and ``splitmix64`` the finaliser (a bijection
        of 64-bit integers) that ``pandas.util.hash_array`` applies after SipHash.

    Notes
    -----
    SipHash-2-4 (Aumasson and Bernstein, 2012) is a pseudorandom function keyed with
    128 bits, made for short inputs: without the salt, a pseudonym cannot be linked to
    an identifier by hashing guesses, as with the HMAC-SHA256 it replaces (which was
    8 times slower: 0.65 s per million identifiers against 0.08 s). It runs in
    pandas' compiled ``hash_array``, over all messages at once; the test suite checks
    the result against a pure-Python SipHash-2-4 that reproduces the published test
    vectors, so a change in pandas cannot silently change the pseudonyms.

    Examples
    --------
    >>> out = hash_many([b"A1", b"A2", b"A1"], salt="s")
    >>> out[0] == out[2] != out[1], len(out[0]), out.dtype
    (True, 16, dtype('O'))
    """
    return _hexadecimal(_hash64(messages, salt))


#: Identifiers hashed per batch (bounds the temporary objects in memory).
_BATCH = 1 << 16


def _hash64(messages: list[bytes] | pa.Array, salt: str | None) -> np.ndarray:
    """The keyed 64-bit hashes (uint64) behind :func:`hash_many`, batch by batch (the
    messages are made Python ``bytes`` one batch at a time, to bound the memory)."""
    n = len(messages)
    out = np.empty(n, dtype=np.uint64)
    arrow = isinstance(messages, (pa.Array, pa.ChunkedArray))
    key = siphash_key(salt).decode("latin-1")  # one character per byte: the raw key
    for lo in range(0, n, _BATCH):
        if arrow:
            batch = messages.slice(lo, _BATCH).cast(pa.binary()).to_numpy(zero_copy_only=False)
        else:
            part = messages[lo: lo + _BATCH]
            batch = np.empty(len(part), dtype=object)
            batch[:] = part
        out[lo: lo + len(batch)] = pd.util.hash_array(batch, encoding="latin-1",
                                                      hash_key=key, categorize=False)
    return out


#: Hashes written out per piece by :func:`_hex_arrow` (bounds the temporary text).
_HEX_PIECE = 1 << 22


def _hex_arrow(hashed: np.ndarray) -> pa.Array:
    """64-bit hashes as an Arrow string array of 16 hexadecimal characters each (the
    text written by ``bytes.hex`` in one call per piece, used as the array's buffer)."""
    pieces = []
    for lo in range(0, max(len(hashed), 1), _HEX_PIECE):
        part = np.asarray(hashed[lo: lo + _HEX_PIECE], dtype=np.uint64)
        text = part.astype(">u8").tobytes().hex().encode("ascii")
        offsets = np.arange(0, LENGTH * len(part) + 1, LENGTH, dtype=np.int32)
        pieces.append(pa.Array.from_buffers(pa.string(), len(part),
                                            [None, pa.py_buffer(offsets), pa.py_buffer(text)]))
    return pieces[0] if len(pieces) == 1 else pa.concat_arrays(pieces)


def _hexadecimal(hashed: np.ndarray) -> np.ndarray:
    """64-bit hashes as 16 hexadecimal characters each (object array of ``str``)."""
    out = np.empty(len(hashed), dtype=object)
    for lo in range(0, len(hashed), _BATCH):
        out[lo: lo + _BATCH] = _hex_arrow(hashed[lo: lo + _BATCH]).to_numpy(
            zero_copy_only=False)
    return out


def _distinct_hashes(values: pd.Series, salt: str | None) -> tuple[np.ndarray, np.ndarray]:
    """Row codes (-1 where missing) and the keyed hash of each distinct identifier; a
    categorical's categories are read from Arrow without a Python string each."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cat = values.array
        categories = cat.categories
        if isinstance(categories.dtype, pd.StringDtype):
            arr = pa.array(categories.array)
        else:
            arr = pa.array(categories.to_numpy(dtype=object), type=pa.string())
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        return np.asarray(cat.codes), _hash64(arr, salt)
    codes, uniques = distinct(values)
    return np.asarray(codes), _hash64([str(u).encode("utf-8") for u in uniques], salt)


#: Longest identifier (bytes) read as one 64-bit integer by :func:`_short_codes`.
_WORD_BYTES = 8
#: Low bytes kept of a word, per length: the bytes past an identifier's end are cleared.
_BYTE_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(_WORD_BYTES)] + [(1 << 64) - 1],
                       dtype=np.uint64)
#: Multipliers of the splitmix64 finaliser (a bijection of 64-bit integers) and inverses.
_MIX = (0xBF58476D1CE4E5B9, 0x94D049BB133111EB)
_UNMIX = tuple(pow(m, -1, 1 << 64) for m in _MIX)


def _mix(words: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, in place: spreads the bits of packed text over the word, so
    that the hash table of a factorisation (whose own hash of integers is weak) is not
    crowded."""
    words ^= words >> np.uint64(30)
    words *= np.uint64(_MIX[0])
    words ^= words >> np.uint64(27)
    words *= np.uint64(_MIX[1])
    words ^= words >> np.uint64(31)
    return words


def _unmix(words: np.ndarray) -> np.ndarray:
    """The inverse of :func:`_mix`, in place."""
    words ^= (words >> np.uint64(31)) ^ (words >> np.uint64(62))
    words *= np.uint64(_UNMIX[1])
    words ^= (words >> np.uint64(27)) ^ (words >> np.uint64(54))
    words *= np.uint64(_UNMIX[0])
    words ^= (words >> np.uint64(30)) ^ (words >> np.uint64(60))
    return words


#: Rows packed per step by :func:`_packed` (its temporaries stay in the processor's cache).
_PACK_STEP = 1 << 16


def _packed(text: pa.Array) -> np.ndarray | None:
    """Each string of at most 8 bytes as one 64-bit integer (its bytes read little-endian,
    the rest cleared), mixed by :func:`_mix`; None when a value is longer or the data
    hold a NUL byte. A null's integer is meaningless."""
    wide = pa.types.is_large_string(text.type)
    n = len(text)
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64 if wide else np.int32)[
        text.offset: text.offset + n + 1]
    buffer = text.buffers()[2]
    data = np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, np.uint8)
    if not data[offsets[0]: offsets[-1]].all():  # a NUL byte: two texts could give one integer
        return None
    # every byte position read as the first of a word (unaligned reads, no copy); the last
    # values, too close to the end of the data for a whole word, from a padded copy
    last = len(data) - _WORD_BYTES
    inside = int(np.searchsorted(offsets[:-1], last, side="right")) if last >= 0 else 0
    tail = np.zeros(len(data) - int(offsets[inside]) + _WORD_BYTES if inside < n else _WORD_BYTES,
                    dtype=np.uint8)
    if inside < n:
        tail[: len(data) - int(offsets[inside])] = data[int(offsets[inside]):]
    sources = [(np.ndarray((last + 1,), dtype="<u8", buffer=data, strides=(1,)) if inside else None,
                0, 0, inside),
               (np.ndarray((len(tail) - _WORD_BYTES + 1,), dtype="<u8", buffer=tail, strides=(1,)),
                int(offsets[inside]) if inside < n else 0, inside, n)]
    keys = np.empty(n, dtype=np.uint64)
    for words, base, first, stop in sources:
        for lo in range(first, stop, _PACK_STEP):
            hi = min(lo + _PACK_STEP, stop)
            starts = offsets[lo:hi]
            lengths = offsets[lo + 1: hi + 1] - starts
            if lengths.max() > _WORD_BYTES:
                return None
            part = keys[lo:hi]
            part[:] = words[starts - base if base else starts]
            part &= _BYTE_MASKS[lengths]
            _mix(part)
    return keys


def _short_codes(text: pa.Array) -> tuple[np.ndarray, pa.Array] | None:
    """Row codes (-1 where null) and the distinct values in order of first appearance, of
    Arrow strings of at most 8 bytes (badge numbers); None for longer ones, or when a
    value holds a NUL byte.

    Each value is read from the Arrow buffers as one 64-bit integer (:func:`_packed`:
    distinct texts give distinct integers) and the integers are factorised: no Python
    object and no keyed hash per row. The distinct integers are turned back into texts.

    Examples
    --------
    >>> codes, uniques = _short_codes(pa.array(["B12", None, "A7", "B12"]))
    >>> codes.tolist(), uniques.to_pylist()
    ([0, -1, 1, 0], ['B12', 'A7'])
    """
    if isinstance(text, pa.ChunkedArray):
        text = text.combine_chunks() if text.num_chunks != 1 else text.chunk(0)
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)) or not len(text):
        return None
    keys = _packed(text)
    if keys is None:
        return None
    if text.null_count:
        valid = np.asarray(text.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        found, uniques = pd.factorize(keys[valid])
        codes = np.full(len(text), -1, dtype=found.dtype)
        codes[valid] = found
    else:
        codes, uniques = pd.factorize(keys)
    del keys
    raw = np.ascontiguousarray(_unmix(np.asarray(uniques, dtype=np.uint64).copy())
                               .astype("<u8")).view(np.uint8).reshape(-1, _WORD_BYTES)
    used = raw != 0
    ends = np.zeros(len(raw) + 1, dtype=np.int64)
    np.cumsum(used.sum(axis=1), out=ends[1:])
    value_type, index_type = (pa.large_string(), np.int64) if ends[-1] >= 2**31 else (
        pa.string(), np.int32)
    values = pa.Array.from_buffers(value_type, len(raw), [
        None, pa.py_buffer(ends.astype(index_type)), pa.py_buffer(raw[used].tobytes())])
    return np.asarray(codes), values


def keyed_hashes(values: pd.Series, salt: str | None = None) -> pd.Series:
    """The keyed 64-bit hash of each identifier already stripped (missing stays missing).

    Identifiers held as Arrow strings (a column of distinct ids, as the text reader
    leaves it) are hashed row by row; any other column once per distinct value. Equal
    identifiers have equal hashes, so duplicates can be found on the hashes.

    Returns
    -------
    Series of UInt64
        The integers behind the pseudonyms (:func:`pseudonyms` writes them out).

    Examples
    --------
    >>> h = keyed_hashes(pd.Series(["A1", "A2", "A1", None]), salt="s")
    >>> str(h.dtype), bool(h[0] == h[2] != h[1]), h.isna().tolist()
    ('UInt64', True, [False, False, False, True])
    """
    text = arrow_text(values)
    if text is not None:
        hashed = _hash64(pc.fill_null(text, ""), salt)
        mask = np.asarray(text.is_null(), dtype=bool)
    else:
        codes, per_value = _distinct_hashes(values, salt)
        mask = codes < 0
        hashed = (per_value[np.where(mask, 0, codes)] if len(per_value)
                  else np.zeros(len(codes), dtype=np.uint64))
    return pd.Series(pd.arrays.IntegerArray(hashed, mask), index=values.index, name=values.name)


def pseudonyms(hashes: pd.Series, *, categorical: bool = False) -> pd.Series:
    """The 16 hexadecimal characters of each keyed hash (:func:`keyed_hashes`).

    Returns ``string[pyarrow]`` strings (no Python string each), or with
    ``categorical`` a categorical column, each distinct pseudonym stored once (a
    check-in log: millions of rows, few people); missing stays missing.

    Examples
    --------
    >>> out = pseudonyms(keyed_hashes(pd.Series(["A1", None]), salt="s"))
    >>> len(out[0]), out.isna().tolist()
    (16, [False, True])
    """
    array = hashes.array
    if categorical:
        codes, uniques = pd.factorize(array, use_na_sentinel=True)
        hexed = _hex_arrow(uniques.to_numpy(dtype=np.uint64))
        return pd.Series(distinct_categorical(codes, hexed), index=hashes.index, name=hashes.name)
    mask = np.asarray(array.isna(), dtype=bool)
    text = _hex_arrow(array.to_numpy(dtype=np.uint64, na_value=0))
    if mask.any():
        text = pc.if_else(pa.array(mask), pa.scalar(None, pa.string()), text)
    return pd.Series(pd.arrays.ArrowStringArray(text.cast(pa.large_string())),
                     index=hashes.index, name=hashes.name)


def pseudonymise(values: pd.Series, salt: str | None = None) -> pd.Series:
    """Replace identifiers with a keyed hash.

    Parameters
    ----------
    values : Series
        Identifiers (strings or numbers); missing values stay missing.
    salt : str, optional
        The key; :data:`DEFAULT_SALT` when None.

    Returns
    -------
    Series of object
        16 hexadecimal characters per identifier, on the same index.

    Notes
    -----
    :func:`hash_many` of the identifier as UTF-8; only distinct identifiers are
    hashed. ``12``, ``12.0`` and ``" 12 "`` give the same pseudonym, so an id read
    from a spreadsheet joins the same id read from a CSV.

    Examples
    --------
    >>> out = pseudonymise(pd.Series(["A1", "A2", "A1", None]), salt="s")
    >>> out[0] == out[2], out[0] != out[1], out[3] is None, len(out[0])
    (True, True, True, 16)
    """
    out = hash_clean(pd.Series(stripped(values), index=values.index, dtype=object), salt)
    return pd.Series(out.to_numpy(dtype=object, na_value=None), index=values.index, dtype=object)


def hash_clean(values: pd.Series, salt: str | None = None, *,
               categorical: bool = False) -> pd.Series:
    """:func:`pseudonymise` for identifiers already stripped (None where missing).

    A categorical column stays categorical when ``categorical`` is true (a check-in
    log: millions of rows, few ids), its codes kept and each category hashed once; ids
    held as Arrow strings of at most 8 bytes are factorised on their bytes first
    (:func:`_short_codes`), then each distinct id hashed once. The categories are the
    pseudonyms in order of first appearance either way, as :func:`pseudonyms` gives them.
    """
    found = None
    if categorical and isinstance(values.dtype, pd.CategoricalDtype):
        found = _distinct_hashes(values, salt)
    elif categorical and arrow_text(values) is not None:  # short ids: factorised on bytes
        short = _short_codes(arrow_text(values))
        if short is not None:
            found = short[0], _hash64(short[1], salt)
    if found is not None:
        codes, hashed = found
        if pd.Index(hashed).is_unique:  # 64-bit pseudonyms: no collision, the codes stand
            return pd.Series(distinct_categorical(codes, _hex_arrow(hashed)), index=values.index,
                             name=values.name)
    return pseudonyms(keyed_hashes(values, salt), categorical=categorical)


_WORD = re.compile(r"\w[\w.@+:/'\-]*\w|\w")


def _word_set(values, *, split: bool, within: set[str] | None = None) -> set[str]:
    """Lower-cased words (names: split on spaces, commas or semicolons, at least 3
    characters) or whole values without a space, kept only when they occur in ``within``
    (the words of the texts to redact): a file of a million e-mail addresses costs a few
    Arrow kernels, not a Python loop.

    Examples
    --------
    >>> sorted(_word_set(["Jean Dupont", None, " Ève  Lé "], split=True))
    ['dupont', 'jean', 'ève']
    >>> _word_set(["Tok123", "a b"], split=False, within={"tok123", "zz"})
    {'tok123'}
    """
    if values is None or len(values) == 0 or within is not None and not within:
        return set()
    text = _arrow_text(values)
    text = pc.utf8_lower(pc.utf8_trim_whitespace(text))
    if split:
        text = pc.list_flatten(pc.split_pattern_regex(text, r"[\s,;]+"))
    if within is not None:  # first: the few values left make the other filters cheap
        text = text.filter(pc.is_in(text, value_set=pa.array(sorted(within), pa.string())))
    else:  # a missing value matches no word of ``within``: otherwise dropped here
        text = text.drop_null()
    if not split:
        text = text.filter(pc.invert(pc.match_substring(text, " ")))
    text = text.filter(pc.greater_equal(pc.utf8_length(text), 3))
    return set(pc.unique(text).to_pylist())


def _arrow_text(values) -> pa.Array:
    """Values as an Arrow string array, missing values included (other types as text)."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        arr = values.cast(pa.string())
    else:
        try:
            arr = pa.array(values, type=pa.string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers among the names
            kept = pd.Series(list(values), dtype=object).dropna()
            arr = pa.array(kept.astype(str).tolist(), type=pa.string())
    if isinstance(arr, pa.ChunkedArray):  # one chunk is taken as it is: no copy
        arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    return arr


def _replace_words(text: str, names: set[str], identifiers: set[str]) -> str:
    def swap(match: re.Match) -> str:
        word = match.group(0).lower()
        if word in identifiers:
            return "[identifiant]"
        return "[nom]" if word in names else match.group(0)
    return _WORD.sub(swap, text)


def redact(values: pd.Series, names: list[str] | None = None,
           identifiers: list[str] | None = None) -> pd.Series:
    """Remove e-mail addresses, phone numbers, IP addresses and known names from text.

    Parameters
    ----------
    values : Series
        Free-text answers (str or None).
    names : list of str or Arrow strings, optional
        Names to remove as whole words, case-insensitively (e.g. the first and last
        names read from the same file's personal-data columns); each word of at
        least 3 characters is replaced by ``[nom]``.
    identifiers : list of str or Arrow strings, optional
        Other personal values of the same file (tokens, ...), replaced by
        ``[identifiant]`` where they appear as a whole word.

    Returns
    -------
    Series of object
        The text with ``[e-mail]``, ``[téléphone]``, ``[IP]`` and ``[nom]`` in place
        of what was found; missing values stay missing.

    Examples
    --------
    >>> s = pd.Series(["Écrire à jean.dupont@example.fr ou au 06 12 34 56 78", None])
    >>> redact(s).tolist()
    ['Écrire à [e-mail] ou au [téléphone]', None]
    >>> redact(pd.Series(["Merci Martine !"]), names=["Martine"]).tolist()
    ['Merci [nom] !']
    """
    codes, uniques = distinct(values)
    if not uniques:
        return values.astype(object)
    text = pd.Series([str(u) for u in uniques], dtype=object)
    text = text.str.replace(EMAIL, "[e-mail]", regex=True)
    text = text.str.replace(IP_ADDRESS, "[IP]", regex=True)
    text = text.str.replace(PHONE, "[téléphone]", regex=True)
    words = {w.lower() for t in text for w in _WORD.findall(t)}  # few distinct texts
    name_set = _word_set(names, split=True, within=words)
    id_set = _word_set(identifiers, split=False, within=words)
    if name_set or id_set:
        text = text.map(lambda t: _replace_words(t, name_set, id_set))
    return pd.Series(spread(text.to_numpy(dtype=object), codes, None), index=values.index,
                     dtype=object)
