"""What the fixture generators share: JSON-safe values and one call's outcome (value or error, plus warnings)."""
import math
import warnings

import numpy as np


def plain(x):
    """numpy scalars/arrays -> JSON-safe Python values; NaN and infinities as the strings "NaN", "Infinity", "-Infinity"."""
    if isinstance(x, np.ndarray):
        return [plain(v) for v in x.tolist()]
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float):
        if math.isnan(x):
            return "NaN"
        if math.isinf(x):
            return "Infinity" if x > 0 else "-Infinity"
    return x


def attempt(fn, keep=lambda w: True):
    """{"value", "warnings"} of fn(), the warnings `keep` accepts in order without repeats; or {"error", "message"}."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = {"value": plain(fn())}
        except Exception as e:  # the TS side must throw too
            return {"error": type(e).__name__, "message": str(e)}
    seen = []
    for w in caught:
        if keep(w) and str(w.message) not in seen:
            seen.append(str(w.message))
    out["warnings"] = seen
    return out


def write_fixture(name, generator, versions, cases):
    """Writes packages/metrics/test/fixtures/<name>.json: generator, library versions, cases (no NaN literals)."""
    import json
    import os

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "packages", "metrics", "test", "fixtures", f"{name}.json")
    doc = {"generator": f"tools/metrics-fixtures/{generator}", **versions, "cases": cases}
    with open(out, "w") as f:
        json.dump(doc, f, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(out)}")
