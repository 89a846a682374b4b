"""Stage 4 - the analysis of one wave, computation only (no plotting import):
exhibit tables (:mod:`.exhibits`, :mod:`.context`), replication of the 2019
slides (:mod:`.replication`), statistics (:mod:`.exact`, :mod:`.association`,
:mod:`.model`, :mod:`.chicken_egg`) and plain-language findings
(:mod:`.findings`).
"""
