"""The crosstable.* rules: copies of one amount or code in different tables must agree.

* codes.py — crosstable.classification, crosstable.code_name, crosstable.cross_link (economic and
  function codes, their columns and names);
* same_quantity.py — crosstable.same_quantity (one concept printed in several tables).
"""
