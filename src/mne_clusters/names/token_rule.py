"""The token rule: a subsidiary named by its group's brand plus descriptors.

3. **Token** rule (:class:`TokenIndex`) for the keys left over: subsidiaries
   are named by the group's brand plus descriptors, a plant's town and a
   legal form (``Ниссан Мэнуфэкчуринг Рус``, ``Ford Sollers Elabuga``). Each
   word of a name is a descriptor (weight 0.2), a generic dictionary word of
   business or industry (0.2: ``Technologies``, ``Завод``, and their Russian
   transcriptions, :func:`generic_of`), a place (0.1), a joining word (0) or a
   distinctive word, weighted by its rarity among the registry's groups (IDF);
   the word lists are ``data/name_words.yaml``. A registry name of generic
   words only (``General Motors``) needs every one of them. A name's word
   stands for a registry word when equal, when their consonant skeletons are
   (``Майкрософт``/``Microsoft``) or as a typo. A group is accepted when every
   distinctive word of one of its names or aliases is found and the weighted
   overlap reaches ``token_threshold``; a group's name found beside another
   distinctive word (``Toyota Tsusho``) goes to review (``extra_words``), and
   so does a name whose words two groups share (``ambiguous``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from mne_clusters.names import normalise as _words
from mne_clusters.names.normalise import (
    _CLASS_WEIGHT,
    _is_typo,
    _max_edits,
    industry_fits,
    skeleton,
    transcription_key,
    word_class,
)


@dataclass(frozen=True)
class _Alias:
    group: int
    tokens: tuple[str, ...]
    classes: tuple[str, ...]
    weights: tuple[float, ...]


@dataclass
class TokenIndex:
    """The registry's names and aliases as weighted words (the ``token`` rule).

    Attributes
    ----------
    aliases
        Every name or alias that holds at least one distinctive word.
    groups
        ``mne_id`` of each group position used in ``aliases``.
    idf
        Weight of every distinctive registry word (see :data:`DESCRIPTOR_WEIGHT`).
    unknown_weight
        Weight of a word no registry name holds: the rarest there is.
    by_word
        Distinctive word → positions in ``aliases`` of the names holding it.
    by_skeleton
        :func:`skeleton` (four consonants or more) → the words that have it.
    by_length
        Word length → the distinctive words of that length (typo look-up).
    by_required
        :func:`transcription_key` of a dictionary word → positions in
        ``aliases`` of the names made of dictionary words only (``General
        Motors``), which need every one of their words, each found as itself
        or its transcription (``Дженерал``).
    """

    aliases: list[_Alias]
    groups: list[str]
    idf: dict[str, float]
    unknown_weight: float
    by_word: dict[str, list[int]]
    by_skeleton: dict[str, list[str]]
    by_length: dict[int, list[str]]
    by_required: dict[str, list[int]]
    group_words: list[frozenset[str]]
    group_industry: list[str]
    _word_cache: dict[str, tuple[tuple[str, str], ...]]
    _class_cache: dict[str, str]

    @classmethod
    def build(
        cls, mne_ids: list[str], keys: list[str], industry: Mapping[str, str] | None = None
    ) -> TokenIndex:
        """Index ``(mne_id, key)`` pairs of :func:`registry_names`.

        ``industry`` (``mne_id`` → the registry's industry) lets an industry
        descriptor that contradicts a group's industry count against it.
        """
        groups = sorted(set(mne_ids))
        pos = {g: i for i, g in enumerate(groups)}
        class_cache: dict[str, str] = {}

        def klass(t: str) -> str:
            if t not in class_cache:
                class_cache[t] = word_class(t)
            return class_cache[t]

        users: dict[str, set[int]] = {}
        parsed: list[tuple[int, list[str], list[str]]] = []
        for mne_id, key in zip(mne_ids, keys, strict=True):
            toks = [t for t in key.split() if klass(t) != "stop"]
            classes = [klass(t) for t in toks]
            if "word" not in classes:
                if "generic" not in classes:
                    continue
                # a name made of dictionary words only (``General Motors``):
                # every one of them is required, and found only as itself
                classes = ["required" if c in ("generic", "descriptor") else c for c in classes]
            parsed.append((pos[mne_id], toks, classes))
            for t, c in zip(toks, classes, strict=True):
                if c == "word":
                    users.setdefault(t, set()).add(pos[mne_id])
        n = len(groups)
        idf = {t: 1.0 + float(np.log((n + 1) / (len(g) + 1))) for t, g in users.items()}
        aliases: list[_Alias] = []
        seen: set[tuple[int, tuple[str, ...]]] = set()
        for group, toks, classes in parsed:
            if (group, tuple(toks)) in seen:
                continue
            seen.add((group, tuple(toks)))
            weights = tuple(
                idf[t] if c == "word" else _CLASS_WEIGHT[c]
                for t, c in zip(toks, classes, strict=True)
            )
            aliases.append(_Alias(group, tuple(toks), tuple(classes), weights))
        by_word: dict[str, list[int]] = {}
        for i, a in enumerate(aliases):
            for t in dict.fromkeys(
                t for t, c in zip(a.tokens, a.classes, strict=True) if c == "word"
            ):
                by_word.setdefault(t, []).append(i)
        by_required: dict[str, list[int]] = {}
        for i, a in enumerate(aliases):
            for t in dict.fromkeys(
                t for t, c in zip(a.tokens, a.classes, strict=True) if c == "required"
            ):
                by_required.setdefault(transcription_key(t), []).append(i)
        by_skeleton: dict[str, list[str]] = {}
        by_length: dict[int, list[str]] = {}
        for t in sorted(users):
            for sk in dict.fromkeys((skeleton(t), transcription_key(t))):
                if len(sk) >= 4:
                    by_skeleton.setdefault(sk, []).append(t)
            by_length.setdefault(len(t), []).append(t)
        return cls(
            aliases=aliases,
            groups=groups,
            idf=idf,
            unknown_weight=1.0 + float(np.log(n + 1)),
            by_word=by_word,
            by_skeleton=by_skeleton,
            by_length=by_length,
            by_required=by_required,
            group_words=[
                frozenset(t for t, u in users.items() if g in u) for g in range(len(groups))
            ],
            group_industry=[str((industry or {}).get(g, "")) for g in groups],
            _word_cache={},
            _class_cache=class_cache,
        )

    def word_class(self, token: str) -> str:
        """:func:`word_class`, except that a registry word is always a ``word``."""
        if token in self.idf:
            return "word"
        if token not in self._class_cache:
            klass = word_class(token)
            if klass == "generic" and token not in _words._GENERIC_KEYS and self.words_like(token):
                # a derived generic word that also spells a registry brand is
                # the brand: the registry's own words come first
                klass = "word"
            self._class_cache[token] = klass
        return self._class_cache[token]

    def words_like(self, token: str) -> tuple[tuple[str, str], ...]:
        """Registry words a query word stands for, each with how: ``exact``,
        ``phonetic`` (same :func:`skeleton`, four consonants or more, lengths
        within three letters) or ``typo`` (:func:`_is_typo`)."""
        hit = self._word_cache.get(token)
        if hit is not None:
            return hit
        if token in self.idf:
            found: tuple[tuple[str, str], ...] = ((token, "exact"),)
        else:
            out: dict[str, str] = {}
            for w in self.by_skeleton.get(skeleton(token), ()):
                if abs(len(w) - len(token)) <= 3:
                    out[w] = "phonetic"
            tk = transcription_key(token)
            for w in self.by_skeleton.get(tk, ()) if len(tk) >= 4 else ():
                # the same consonants once -tion/-шн and soft g/дж are joined
                # (``spedition``/``Шпедицион``); the skeleton index holds these too
                if abs(len(w) - len(token)) <= 3:
                    out[w] = "phonetic"
            edits = _max_edits(len(token))
            if edits:
                for length in range(len(token) - edits, len(token) + edits + 1):
                    pool = self.by_length.get(length)
                    if not pool:
                        continue
                    for w, _dist, _ in process.extract(
                        token, pool, scorer=OSA.distance, score_cutoff=edits, limit=None
                    ):
                        if _is_typo(token, w):
                            out.setdefault(w, "typo")
            if len(out) > 1:
                # a word stands for its nearest registry spellings only
                # (``jonson`` is ``johnson``, one letter off, not ``jansen``)
                dist = {w: OSA.distance(token, w) for w in out}
                out = {w: k for w, k in out.items() if dist[w] == min(dist.values())}
            found = tuple(sorted(out.items()))
        self._word_cache[token] = found
        return found

    def score(self, key: str) -> list[tuple[int, float, bool, frozenset[str], str]]:
        """Score every registry name that shares a distinctive word with ``key``.

        The score of a name is its *weighted overlap* with the query: the
        weight of the name's words found in the query, divided by the weight
        of the name's words plus that of the query's words left over. A
        descriptor or town left over costs little, an unknown distinctive
        word (``Tsusho`` in ``Toyota Tsusho``) as much as the group's own.

        Returns
        -------
        list
            One entry per candidate name: (alias position, weighted overlap
            0-1, whether every distinctive word of the name was found, the
            registry words found, the most lenient way a word was found:
            ``exact`` < ``phonetic`` < ``typo``).
        """
        toks = [t for t in key.split() if self.word_class(t) != "stop"]
        classes = [self.word_class(t) for t in toks]
        likes = [
            self.words_like(t) if c == "word" else () for t, c in zip(toks, classes, strict=True)
        ]
        weights = []
        for c, like in zip(classes, likes, strict=True):
            if c != "word":
                weights.append(_CLASS_WEIGHT[c])
            elif like:
                weights.append(max(self.idf[w] for w, _ in like))
            else:
                weights.append(self.unknown_weight)
        candidates = sorted(
            {i for like in likes for w, _ in like for i in self.by_word.get(w, ())}
            | {
                i
                for t, c in zip(toks, classes, strict=True)
                if c in ("generic", "descriptor")
                for i in self.by_required.get(transcription_key(t), ())
            }
        )
        rank = {"exact": 0, "phonetic": 1, "typo": 2}
        out = []
        for i in candidates:
            a = self.aliases[i]
            used: set[int] = set()
            matched = 0.0
            complete = True
            found: set[str] = set()
            how = "exact"
            for t, c, w in zip(a.tokens, a.classes, a.weights, strict=True):
                j_hit = None
                for j, q in enumerate(toks):
                    if j in used:
                        continue
                    if c == "word":
                        kind = next((k for r, k in likes[j] if r == t), None)
                        if kind is not None:
                            j_hit = j
                            if rank[kind] > rank[how]:
                                how = kind
                            break
                    elif q == t or (
                        c == "required" and transcription_key(q) == transcription_key(t)
                    ):
                        j_hit = j
                        break
                if j_hit is None:
                    if c in ("word", "required"):
                        complete = False
                    continue
                used.add(j_hit)
                matched += w
                found.add(t)
            extra = 0.0
            own = self.group_words[a.group]
            industry = self.group_industry[a.group]
            for j, w in enumerate(weights):
                if j in used:
                    continue
                if classes[j] == "word" and any(r in own for r, _ in likes[j]):
                    # another word of the same group (``Peugeot Citroen``): support
                    matched += w
                elif industry and industry not in (industry_fits(toks[j]) or (industry,)):
                    w = self.unknown_weight  # an industry this group is not in
                extra += w
            union = sum(a.weights) + extra
            out.append((i, matched / union if union else 0.0, complete, frozenset(found), how))
        return out

    def decide(
        self, key: str, threshold: float
    ) -> tuple[str | None, float, str | None, list[tuple[str, float]], str]:
        """The token rule's verdict on one key.

        Returns
        -------
        (mne_id, score, review_reason, candidates, how)
            ``mne_id`` when one group's name is wholly found in ``key`` with
            a weighted overlap ≥ ``threshold`` (0-1) and no other group's name
            holds every word that was found (``Mitsubishi`` alone is both
            ``Mitsubishi Motors`` and Daimler's ``Mitsubishi Fuso``: review).
            Otherwise ``None`` and a reason: ``ambiguous`` (two groups), or
            ``extra_words`` (a group's name is found but the key holds other
            distinctive words: ``Toyota Tsusho``); the reason is ``None`` when
            no group's name is wholly found (the fuzzy rule may still
            decide). ``candidates``: (mne_id, score 0-100) best first.
        """
        entries = self.score(key)
        best: dict[int, float] = {}
        full: dict[int, tuple[float, int, frozenset[str], str]] = {}
        strict: dict[int, tuple[float, int, frozenset[str], str]] = {}
        for i, sc, complete, found, how in entries:
            g = self.aliases[i].group
            best[g] = max(best.get(g, 0.0), sc)
            if complete and (g not in full or sc > full[g][0]):
                full[g] = (sc, i, found, how)
            if complete and how != "typo" and (g not in strict or sc > strict[g][0]):
                strict[g] = (sc, i, found, how)
        cands = sorted(best.items(), key=lambda x: (-x[1], x[0]))
        candidates = [(self.groups[g], round(100.0 * sc, 4)) for g, sc in cands]
        if not full:
            return None, float("nan"), None, candidates, ""
        ok = sorted((g for g, v in full.items() if v[0] >= threshold), key=lambda g: -full[g][0])
        if not ok:
            return None, float("nan"), "extra_words", candidates, ""
        if len(ok) > 1:
            return None, float("nan"), "ambiguous", candidates, ""
        g = ok[0]
        sc, i, found, how = full[g]
        own = set(self.aliases[i].tokens)
        if how == "typo" and any(
            self.word_class(t) == "generic" and t not in own for t in key.split()
        ):
            # a word one letter off a brand beside ordinary business words is
            # how a domestic firm is named (Данфор Инжиниринг): not the token
            # rule's to decide unless another name of the group is found
            # without a typo; else the fuzzy score may
            if g not in strict or strict[g][0] < threshold:
                return None, float("nan"), None, candidates, ""
            sc, i, found, how = strict[g]
        words = {w for w in found if w in self.idf}
        bare = any(
            self.aliases[j].group == g and set(self.aliases[j].tokens) == words
            for w in words
            for j in self.by_word.get(w, ())
        )
        # the registry lists the words found as a name of this group by
        # themselves (``АвтоВАЗ``): its own decision, whoever else uses them
        rivals = set() if bare else {j for w in words for j in self.by_word.get(w, ())}
        for j in rivals:
            other = self.aliases[j]
            if other.group != g and found <= set(other.tokens):
                return None, float("nan"), "ambiguous", candidates, ""
        return self.groups[g], round(100.0 * sc, 4), None, candidates, how
