"""The presence model: Firth's penalised logistic regression of MNE presence.

Only clusters of known presence enter the model (unknown is not no).

* **Presence model.** ``has_mne ~ status + founding_period + innovation_top +
  investment_top`` with treatment dummies; ``unknown`` is its own level (a gap
  is not read as a low rank). Reference levels: status ``none``, founding
  period ``old``, top-15 flags ``no`` (the first level present in
  :data:`MODEL_LEVELS`). Fitted by Firth's penalised likelihood
  (:func:`firth_logit`), with profile penalised-likelihood confidence intervals
  and penalised likelihood-ratio p-values, as R's ``logistf`` does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import optimize, stats

from mne_clusters.analysis.association import DEFAULT_MIN_KNOWN, UNKNOWN
from mne_clusters.classify.presence import presence_flag
from mne_clusters.core import vocabulary as vocab

#: Level order of the model's factors; the first level present is the reference.
MODEL_LEVELS: dict[str, list[str]] = {
    "status": [vocab.NO_STATUS, *vocab.STATUSES, UNKNOWN],
    "founding_period": ["old", "new", UNKNOWN],
    "innovation_top": ["no", "yes", UNKNOWN],
    "investment_top": ["no", "yes", UNKNOWN],
}


#: Profile intervals are searched this many log-odds units from the estimate.
PROFILE_LIMIT = 40.0


#: Events per parameter below which a logistic model cannot support conclusions.
MIN_EVENTS_PER_PARAMETER = 10


MODEL_COLUMNS = [
    "term",
    "log_odds",
    "se",
    "odds_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "n",
    "n_events",
    "method",
    "note",
]


# ---------------------------------------------------------------------------
# Firth's penalised-likelihood logistic regression
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FirthResult:
    """A Firth logistic fit: estimates, Wald SEs, profile CIs and LR tests."""

    coef: np.ndarray
    se: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    chi2: np.ndarray
    p_value: np.ndarray
    loglik: float
    n_iter: int
    converged: bool
    profile_converged: bool = True


def _sigmoid(eta: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.exp(-np.logaddexp(0.0, -eta))


def _penalised(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, beta: np.ndarray
) -> tuple[float, np.ndarray, np.ndarray]:
    """Penalised log-likelihood, its gradient (Firth's modified score) and Fisher information."""
    eta = X @ beta
    pi = _sigmoid(eta)
    # log pi = -log(1+e^-eta), log(1-pi) = -log(1+e^eta): stable for large |eta|
    loglik = float(np.sum(w * (y * -np.logaddexp(0.0, -eta) + (1 - y) * -np.logaddexp(0.0, eta))))
    v = w * pi * (1 - pi)
    info = X.T @ (X * v[:, None])
    sign, logdet = np.linalg.slogdet(info)
    if sign <= 0:
        return -math.inf, np.zeros_like(beta), info
    cov = np.linalg.inv(info)
    h = v * np.einsum("ij,jk,ik->i", X, cov, X)
    score = X.T @ (w * (y - pi) + h * (0.5 - pi))
    return loglik + 0.5 * logdet, score, info


def _firth_newton(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    beta0: np.ndarray,
    free: np.ndarray,
    *,
    max_iter: int = 100,
    max_halfstep: int = 30,
    max_step: float = 5.0,
    tol: float = 1e-6,
    gtol: float = 1e-7,
) -> tuple[np.ndarray, float, int, bool]:
    """Maximise the penalised likelihood over the ``free`` coefficients (others fixed)."""
    beta = beta0.astype(float).copy()
    ll, score, info = _penalised(X, y, w, beta)
    for it in range(1, max_iter + 1):
        idx = np.flatnonzero(free)
        step = np.zeros_like(beta)
        step[idx] = np.linalg.solve(info[np.ix_(idx, idx)], score[idx])
        biggest = np.max(np.abs(step)) if len(idx) else 0.0
        if biggest > max_step:
            step *= max_step / biggest
        new = beta + step
        new_ll, new_score, new_info = _penalised(X, y, w, new)
        # Halve the step while the penalised likelihood falls (logistf) and,
        # beyond that, while a half step does better: Fisher scoring is not the
        # penalised Hessian, and along a direction the penalty alone decides
        # (a level with no events) the full step overshoots to a mirror point.
        for _ in range(max_halfstep):
            half = step / 2
            half_ll, half_score, half_info = _penalised(X, y, w, beta + half)
            if np.isfinite(new_ll) and new_ll >= ll - 1e-12 and not half_ll > new_ll:
                break
            step, new, new_ll, new_score, new_info = (
                half,
                beta + half,
                half_ll,
                half_score,
                half_info,
            )
        beta, ll, score, info = new, new_ll, new_score, new_info
        if np.max(np.abs(step)) < tol and np.max(np.abs(score[free])) < gtol:
            return beta, ll, it, True
    return beta, ll, max_iter, False


def firth_logit(
    X: np.ndarray,
    y: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    alpha: float = 0.05,
    profile: bool = True,
) -> FirthResult:
    """Logistic regression by Firth's penalised likelihood (Jeffreys prior).

    Maximises ``l(b) + 0.5 log det I(b)`` by Newton–Raphson on Firth's modified
    score ``X'(y - pi + h (1/2 - pi))`` (``h``: diagonal of the weighted hat
    matrix), with steps capped at 5 and halved while the penalised likelihood
    falls (Heinze & Schemper 2002; the algorithm of R's ``logistf``).

    Parameters
    ----------
    X
        Design matrix, ``n x p``, including the intercept column.
    y
        0/1 outcomes.
    weights
        Frequency weights (a row standing for ``w`` identical observations).
    alpha
        Confidence intervals are ``1 - alpha``.
    profile
        Compute profile penalised-likelihood intervals and penalised
        likelihood-ratio tests (one constrained fit per coefficient and bound).

    Returns
    -------
    FirthResult
        Coefficients (log odds), Wald standard errors (from the inverse Fisher
        information at the estimate), profile-likelihood interval bounds
        (``nan`` if ``profile`` is false; ``±inf`` if a bound is not reached
        within :data:`PROFILE_LIMIT` log-odds units), the penalised LR chi-square of ``b_j = 0`` and
        its p-value (1 df), the maximised penalised log-likelihood, iterations,
        and whether the fit and every constrained (profile) fit converged.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    p = X.shape[1]
    all_free = np.ones(p, dtype=bool)
    beta, ll, n_iter, converged = _firth_newton(
        X, y, w, np.zeros(p), all_free, max_iter=200, tol=1e-8, gtol=1e-10
    )
    _, _, info = _penalised(X, y, w, beta)
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    nan = np.full(p, np.nan)
    if not profile:
        return FirthResult(beta, se, nan, nan.copy(), nan.copy(), nan.copy(), ll, n_iter, converged)
    crit = float(stats.chi2.ppf(1 - alpha, 1))

    # Warm starts: each constrained fit begins at the nearest solution found so far.
    solved: dict[int, list[tuple[float, np.ndarray]]] = {j: [(beta[j], beta)] for j in range(p)}
    profile_ok = [True]

    def profile_ll(j: int, value: float) -> float:
        free = all_free.copy()
        free[j] = False
        start = min(solved[j], key=lambda item: abs(item[0] - value))[1].copy()
        start[j] = value
        b, ll_j, _, ok = _firth_newton(X, y, w, start, free)
        solved[j].append((value, b))
        profile_ok[0] = profile_ok[0] and ok
        return ll_j

    lows, highs, chi2s = nan.copy(), nan.copy(), nan.copy()
    for j in range(p):
        chi2s[j] = max(0.0, 2 * (ll - profile_ll(j, 0.0)))

        def excess(value: float, j: int = j) -> float:
            return 2 * (ll - profile_ll(j, value)) - crit

        for sign, target in ((-1, lows), (1, highs)):
            width = max(se[j], 0.1)
            bound = beta[j] + sign * width
            while excess(bound) < 0 and abs(bound - beta[j]) < PROFILE_LIMIT:
                width *= 2
                bound = beta[j] + sign * width
            if excess(bound) < 0:
                target[j] = sign * math.inf
                continue
            lo, hi = sorted((beta[j], bound))
            target[j] = optimize.brentq(excess, lo, hi, xtol=1e-9)
    p_values = stats.chi2.sf(chi2s, 1)
    return FirthResult(beta, se, lows, highs, chi2s, p_values, ll, n_iter, converged, profile_ok[0])


def _model_design(clusters: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Treatment-coded design of the presence model, and notes on dropped terms."""
    notes: list[str] = []
    cols: dict[str, np.ndarray] = {"(Intercept)": np.ones(len(clusters))}
    for factor, order in MODEL_LEVELS.items():
        values = clusters[factor].astype("string").fillna(UNKNOWN).astype(str)
        present = [lvl for lvl in order if lvl in set(values)]
        extra = sorted(set(values) - set(order))
        levels = present + extra
        if len(levels) < 2:
            notes.append(
                f"{factor} left out: every cluster has the same value ({levels[0] if levels else 'none'})"
            )
            continue
        ref = levels[0]
        for lvl in levels[1:]:
            cols[f"{factor}={lvl} (vs {ref})"] = (values == lvl).to_numpy(dtype=float)
    design = pd.DataFrame(cols, index=clusters.index)
    # Drop columns that add nothing (collinear with earlier ones), in order.
    kept: list[str] = []
    for col in design.columns:
        trial = design[[*kept, col]].to_numpy()
        if np.linalg.matrix_rank(trial) == len(kept) + 1:
            kept.append(col)
        else:
            notes.append(f"{col} left out: collinear with other terms")
    return design[kept], notes


def _unknown_term(term: str) -> bool:
    """Whether a model term is the dummy of an ``unknown`` level."""
    return f"={UNKNOWN} (vs " in term or term.endswith(f"(vs {UNKNOWN})")


def presence_model(
    clusters: pd.DataFrame, *, alpha: float = 0.05, min_known: int = DEFAULT_MIN_KNOWN
) -> pd.DataFrame:
    """Firth logistic model of MNE presence on status, founding period and region flags.

    ``has_mne ~ status + founding_period + innovation_top + investment_top``,
    treatment-coded (references: the first level present in
    :data:`MODEL_LEVELS`; ``unknown`` is a level of its own), fitted with
    :func:`firth_logit`. Clusters whose MNE presence is unknown are left out
    and counted in the note; with fewer than ``min_known`` clusters with, or
    without, an MNE the model is not fitted ("not enough data"). A term of an
    ``unknown`` level is a missing-data indicator, not a comparison of known
    values: its estimate is shown, its p-value is not.

    Parameters
    ----------
    clusters
        Classified clusters.
    alpha
        Intervals are ``1 - alpha`` profile penalised-likelihood intervals.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`MODEL_COLUMNS`: one row per term (odds ratios; the
        intercept's is the odds at the reference levels), then a ``(model)``
        row whose note says whether the data can support conclusions (fewer than
        :data:`MIN_EVENTS_PER_PARAMETER` events per parameter, or no events, cannot).
    """
    has = presence_flag(clusters)
    n_missing = int(has.isna().sum())
    data = clusters.loc[has.notna()]
    y = has[has.notna()].astype(bool).to_numpy(dtype=float)
    n, n_events = len(y), int(y.sum())
    method = (
        "Firth penalised-likelihood logistic regression (Jeffreys prior); "
        f"profile penalised-likelihood {100 * (1 - alpha):g}% CI and penalised "
        "likelihood-ratio test, as R logistf"
    )
    design, notes = _model_design(data)
    if n_missing:
        notes.append(f"{n_missing} clusters left out: MNE presence unknown (members not listed)")
    n_par = design.shape[1]
    minority = min(n_events, n - n_events)
    if minority < min_known:
        which = "with" if n_events < min_known else "without"
        verdict = (
            f"not enough data: not fitted: {minority} known clusters {which} an MNE "
            f"({n_events} of {n} with), fewer than stats.min_known ({min_known}); the data "
            "cannot support any conclusion"
        )
        return (
            pd.DataFrame(
                [
                    {
                        "term": "(model)",
                        "n": n,
                        "n_events": n_events,
                        "method": method,
                        "note": "; ".join([verdict, *notes]),
                    }
                ]
            )
            .reindex(columns=MODEL_COLUMNS)
            .astype({"n": "int64", "n_events": "int64"})
        )
    epp = minority / n_par
    if epp < MIN_EVENTS_PER_PARAMETER:
        verdict = (
            f"thin data: {minority} events for {n_par} parameters ({epp:.1f} per parameter, "
            f"fewer than {MIN_EVENTS_PER_PARAMETER}); the model cannot support conclusions, "
            "read it as description only"
        )
    else:
        verdict = f"{minority} events for {n_par} parameters ({epp:.1f} per parameter)"
    fit = firth_logit(design.to_numpy(), y, alpha=alpha)
    if not fit.converged:
        notes.append("the penalised Newton-Raphson did not converge: estimates unreliable")
    if not fit.profile_converged:
        notes.append(
            "some profile-likelihood fits did not converge: intervals and p-values approximate"
        )
    term_note = "thin data: description only" if epp < MIN_EVENTS_PER_PARAMETER else ""
    rows = [
        {
            "term": term,
            "log_odds": fit.coef[j],
            "se": fit.se[j],
            "odds_ratio": math.exp(fit.coef[j]),
            "ci_low": math.exp(fit.ci_low[j])
            if np.isfinite(fit.ci_low[j])
            else (0.0 if fit.ci_low[j] < 0 else math.inf),
            "ci_high": math.exp(fit.ci_high[j]) if np.isfinite(fit.ci_high[j]) else math.inf,
            "p_value": math.nan if _unknown_term(term) else fit.p_value[j],
            "n": n,
            "n_events": n_events,
            "method": method,
            "note": ("odds at the reference levels; " + term_note).rstrip("; ")
            if term == "(Intercept)"
            else (
                "; ".join(
                    [
                        "unknown level: a missing-data indicator, not a comparison of known "
                        "values; no p-value",
                        term_note,
                    ]
                ).rstrip("; ")
                if _unknown_term(term)
                else term_note
            ),
        }
        for j, term in enumerate(design.columns)
    ]
    rows.append(
        {
            "term": "(model)",
            "n": n,
            "n_events": n_events,
            "method": method,
            "note": "; ".join([verdict, *notes]),
        }
    )
    out = pd.DataFrame(rows).reindex(columns=MODEL_COLUMNS)
    return out.astype({"n": "int64", "n_events": "int64"})


__all__ = [
    "firth_logit",
    "presence_model",
]
