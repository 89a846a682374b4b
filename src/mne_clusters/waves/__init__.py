"""Stage 6 - waves: consecutive waves compared (:mod:`.changes`, :mod:`.step`)
and every wave stacked into long-format panel files (:mod:`.panel`).
"""
