"""auditor: consistency auditor for published government budget and performance disclosures."""

__version__ = "0.1.0"
