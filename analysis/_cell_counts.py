"""How many people a published share rests on, where the same people are a profile's
cell: for the report's suppression rule.

A profile publishes each category's count and hides those under ``min_cell``
(:mod:`reports.suppression`). A comparison with a reference publishes the share of a
category of the same variable: 6 % of 46 agents shows the 3 the profile hides, and
94 % of 46 the same 3 (those not in the category). So a comparison's share rests on
the fewer of its two groups (unweighted answers); a mean on all its answers. A count
of 0 hides nothing: an empty group singles out no one. (A share that stands alone,
such as the satisfied among a group's answers, rests on the group: its ``n``.)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CELL_COUNT", "comparison_cells"]

#: The column the suppression rule reads (the fewer people on either side of a share).
CELL_COUNT = "cell_count"


def comparison_cells(table: pd.DataFrame, places: set) -> np.ndarray:
    """The cell count of each baseline comparison row.

    A share of people: the fewer of those in its category (``count``) and those not; a
    mean, its ``n``; a share of places (not people), its ``n``. The categories of a
    distribution (adding up to ``n``, with one goodness-of-fit statistic for all) all
    rest on the smallest: a hidden category could be worked out from the others, or
    from the statistic.

    Examples
    --------
    >>> t = pd.DataFrame({"source_id": "bva-2015", "source": "agents", "unit": "share",
    ...                   "distribution": None,
    ...                   "n": [46, 46], "count": [43, 27]})
    >>> comparison_cells(t, set()).tolist()
    [3, 19]
    """
    n, count = table["n"].to_numpy(), table["count"].to_numpy()
    share = (table["unit"] == "share").to_numpy() & ~table["source"].isin(places).to_numpy()
    cells = np.where(share, np.minimum(count, n - count), n)
    parts = table[share & table["distribution"].notna().to_numpy()]
    for _, group in parts.groupby(["source_id", "source", "distribution"], sort=False):
        at = table.index.get_indexer(group.index)
        used = group["count"][group["count"] > 0]  # an empty category rests on nobody
        if len(used):
            cells[at] = min(int(used.min()), int(cells[at].min()))
    return cells

