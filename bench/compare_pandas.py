"""What `drift-server compare` computes, in pandas + numpy + scipy: the other side of bench/compare.bench.ts.

Usage: compare_pandas.py REFERENCE.csv PRODUCTION.csv [BUCKETS]
Reads both files with pandas (the same missing-value spellings as compare), takes a column as
numeric when pandas reads it as numbers on both sides, and prints one JSON object per column with
compare's figures: bin counts over compare's frozen edges (quantile cut points, the reference
minimum and the double above its maximum, or one bin per value when the reference has at most
2 x BUCKETS distinct values; missing values in a last bin), PSI, KL, Jensen-Shannon distance,
psi_critical and the descriptive statistics; Kolmogorov-Smirnov for numeric columns; for
categorical ones the sorted categories (missing first) and Pearson's chi-square without continuity
correction (docs/STATISTICS.md).
"""
import json
import sys

import numpy as np
import pandas as pd
import scipy.spatial.distance
from scipy import stats

MISSING_TEXT = ["", "NA", "NaN", "nan", "null", "NULL"]
EMPTY_SHARE = 1e-4
VALUES_PER_BUCKET = 2


def count_drift(reference_counts, production_counts):
    e = reference_counts / reference_counts.sum()
    a = production_counts / production_counts.sum()
    e_floor = np.where(e == 0, EMPTY_SHARE, e)
    a_floor = np.where(a == 0, EMPTY_SHARE, a)
    occupied = int(np.sum((reference_counts + production_counts) > 0))
    critical = 0.0
    if occupied >= 2:
        critical = float(stats.chi2.ppf(0.95, occupied - 1) * (1 / reference_counts.sum() + 1 / production_counts.sum()))
    return {
        "reference_counts": reference_counts.tolist(),
        "production_counts": production_counts.tolist(),
        "psi": float(np.sum((a_floor - e_floor) * np.log(a_floor / e_floor))),
        "kl": float(np.sum(a_floor * np.log(a_floor / e_floor))),
        "js": float(scipy.spatial.distance.jensenshannon(e, a, base=2)),
        "psi_critical": critical,
    }


def frozen_cuts(reference, buckets):
    quantile_cuts = np.unique(np.quantile(reference, np.arange(1, buckets) / buckets))
    values = np.unique(reference)
    if len(values) <= VALUES_PER_BUCKET * buckets:
        cuts = values
    else:
        cuts = np.concatenate([[reference.min()], quantile_cuts[quantile_cuts > reference.min()]])
    above_max = np.nextafter(reference.max(), np.inf)
    return np.append(cuts, above_max) if np.isfinite(above_max) else cuts


def describe(values, missing):
    quantiles = np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95])
    return {
        "count": int(len(values)), "missing": int(missing), "mean": float(values.mean()),
        "std": float(values.std(ddof=1)), "min": float(values.min()),
        **{name: float(q) for name, q in zip(["q05", "q25", "q50", "q75", "q95"], quantiles)},
        "max": float(values.max()),
    }


def compare_numeric(reference_column, production_column, buckets):
    reference = reference_column.to_numpy(dtype=np.float64)
    production = production_column.to_numpy(dtype=np.float64)
    ref = reference[~np.isnan(reference)]
    prod = production[~np.isnan(production)]
    cuts = frozen_cuts(ref, buckets)
    counts = [np.bincount(np.searchsorted(cuts, side, side="right"), minlength=len(cuts) + 1) for side in (ref, prod)]
    missing = [len(reference) - len(ref), len(production) - len(prod)]
    if missing[0] + missing[1] > 0:
        counts = [np.append(side_counts, side_missing) for side_counts, side_missing in zip(counts, missing)]
    ks = stats.ks_2samp(ref, prod, method="auto")
    return {
        "kind": "numeric", "cuts": cuts.tolist(), **count_drift(*counts),
        "ks_statistic": float(ks.statistic), "ks_pvalue": float(ks.pvalue),
        "reference_stats": describe(ref, missing[0]), "production_stats": describe(prod, missing[1]),
    }


def compare_categorical(reference_column, production_column):
    reference_counts = reference_column.value_counts(dropna=False)
    production_counts = production_column.value_counts(dropna=False)
    categories = sorted(set(reference_counts.index.dropna()) | set(production_counts.index.dropna()))
    has_missing = reference_column.isna().any() or production_column.isna().any()
    index = ([np.nan] if has_missing else []) + categories
    counts = [side.reindex(index, fill_value=0).to_numpy(dtype=np.int64) for side in (reference_counts, production_counts)]
    table = np.vstack(counts)
    occupied = table[:, table.sum(axis=0) > 0]
    chi2, pvalue, dof = (0.0, 1.0, 0)
    if occupied.shape[1] >= 2:
        chi2, pvalue, dof, _ = stats.chi2_contingency(occupied, correction=False)
    return {
        "kind": "categorical", "categories": ([None] if has_missing else []) + categories, **count_drift(*counts),
        "chi2_statistic": float(chi2), "chi2_pvalue": float(pvalue), "chi2_dof": int(dof),
    }


def main():
    buckets = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    frames = [pd.read_csv(name, keep_default_na=False, na_values=MISSING_TEXT) for name in sys.argv[1:3]]
    features = {}
    for name in [column for column in frames[0].columns if column in frames[1].columns]:
        reference, production = frames[0][name], frames[1][name]
        numeric = all(pd.api.types.is_numeric_dtype(side) for side in (reference, production))
        features[name] = compare_numeric(reference, production, buckets) if numeric else compare_categorical(reference, production)
    print(json.dumps({"features": features}))


if __name__ == "__main__":
    main()
