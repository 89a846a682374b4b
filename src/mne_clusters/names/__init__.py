"""Stage 2 - resolving organisation names to MNE groups: normalisation across
scripts (:mod:`.normalise`), the exact, token and fuzzy rules
(:mod:`.matching`, :mod:`.token_rule`), large waves in chunks
(:mod:`.chunking`) and a person's review decisions (:mod:`.review`).
"""
