"""Stage 5 - plotting: house style (:mod:`.style`), the study's charts
(:mod:`.charts`), the map (:mod:`.maps`), the chicken-or-egg timeline
(:mod:`.timeline`) and the comparison charts (:mod:`.comparison`). Every
function here takes finished frames; the only modules that import matplotlib.
"""
