"""Rule suites: rule `x.y` lives in `checks/x.py`, or in a module of the package `checks/x/` when
the family is large. Importing a module registers its rules with the engine; modules whose
name starts with `_` are shared helpers and register none."""
