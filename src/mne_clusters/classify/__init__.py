"""Stage 3 - classifying clusters: status, founding period, ranks
(:mod:`.attributes`), MNE presence (:mod:`.presence`), every input row
accounted for (:mod:`.reconcile`), and the step that writes them (:mod:`.step`).
"""
