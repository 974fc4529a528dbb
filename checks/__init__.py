"""Rule suites, one module per family. Importing a module registers its rules with the engine."""
