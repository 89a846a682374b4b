"""Stage 1 - reading and checking inputs: CSV/xlsx files read as text
(:mod:`.readers`, :mod:`.xlsx`), every cell checked against the data contract
(:mod:`.schemas`, :mod:`.cells`, :mod:`.check`) and written typed (:mod:`.step`).
"""
