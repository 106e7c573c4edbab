"""The numpy/scipy side of bench/stats.bench.ts: the same metric set on the same data.

Usage: stats_numpy.py KS_REF KS_PROD REF PROD RUNS  (files of little-endian float64, NaN = missing)
Prints one JSON object with median times in milliseconds and the values, for cross-checking.
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy import stats


def full_metric_set(reference, production, buckets=10):
    ref = reference[~np.isnan(reference)]
    prod = production[~np.isnan(production)]
    cuts = np.unique(np.quantile(ref, np.arange(1, buckets) / buckets))
    ref_counts = np.bincount(np.searchsorted(cuts, ref, side="right"), minlength=len(cuts) + 1)
    prod_counts = np.bincount(np.searchsorted(cuts, prod, side="right"), minlength=len(cuts) + 1)
    ref_counts = np.append(ref_counts, len(reference) - len(ref))
    prod_counts = np.append(prod_counts, len(production) - len(prod))
    e = ref_counts / len(reference)
    a = prod_counts / len(production)
    e_floor = np.where(e == 0, 1e-4, e)
    a_floor = np.where(a == 0, 1e-4, a)
    psi = float(np.sum((a_floor - e_floor) * np.log(a_floor / e_floor)))
    kl = float(np.sum(a_floor * np.log(a_floor / e_floor)))
    js = float(scipy.spatial.distance.jensenshannon(e, a, base=2))
    ks = stats.ks_2samp(ref, prod, method="auto")
    k = int(np.sum((ref_counts + prod_counts) > 0))
    psi_critical = float(stats.chi2.ppf(0.95, k - 1) * (1 / len(reference) + 1 / len(production)))
    described = [
        (len(side), float(np.mean(side)), float(np.std(side, ddof=1)), float(np.min(side)),
         np.quantile(side, [0.05, 0.25, 0.5, 0.75, 0.95]), float(np.max(side)))
        for side in (ref, prod)
    ]
    return psi, kl, js, ks.statistic, ks.pvalue, psi_critical, described


def median_ms(runs, work):
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return sorted(times)[len(times) // 2], result


def main():
    ks_ref, ks_prod, ref, prod = (np.fromfile(name, dtype="<f8") for name in sys.argv[1:5])
    runs = int(sys.argv[5])
    ks_ms, ks = median_ms(max(runs, 31), lambda: stats.ks_2samp(ks_ref, ks_prod, method="auto"))
    full_ms, full = median_ms(runs, lambda: full_metric_set(ref, prod))
    print(json.dumps({
        "ks_exact_ms": ks_ms,
        "full_set_ms": full_ms,
        "psi": full[0],
        "ks_pvalue_exact": float(ks.pvalue),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
    }))


if __name__ == "__main__":
    main()
