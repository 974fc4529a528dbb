"""The rate.* rules: printed percentages against the amounts they are computed from.

* operands.py — rate.recompute, rate.change, rate.rounding, rate.over_under (each rate recomputed
  from its printed operands);
* execution.py — rate.same_metric (the copies of a report's execution rate agree).
"""
