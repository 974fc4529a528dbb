"""The score.* rules: score sheets and self-evaluation tables that contradict themselves.

* sheet.py — score.target_missed_full_marks, score.target_met_deducted, score.partial_credit,
  score.missing_reason, score.over_weight, score.sum, score.grade_band, score.claim;
* execution.py — score.execution_points (the budget-execution points follow the execution rate).
"""
