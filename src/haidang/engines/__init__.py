"""Framework-free engines: no Django, no Celery, no app imports (enforced by import-linter)."""
