"""Stage 7 - the report: the findings page of each wave (:mod:`.findings`) and
the report's front page (:mod:`.front`).
"""
