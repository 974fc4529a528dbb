"""The narrative.* rules: the 情况说明 prose against the tables and against itself.

* quotes.py — narrative.amount, narrative.label, narrative.parts (prose quotes of table amounts);
* arithmetic.py — narrative.arithmetic (sums and differences the prose states in words).
"""
