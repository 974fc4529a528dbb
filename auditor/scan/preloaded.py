"""Imported by the scan's forkserver before it forks the workers (document.PRELOAD): the rule
modules and the packaged catalog are loaded once there, and every worker starts with them
instead of loading them for its first document."""

from auditor.audit import prepare

prepare()
