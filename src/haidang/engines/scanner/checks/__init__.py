"""One module per check; each exposes ``evaluate(view, baseline) -> list[Finding]`` (pure)."""
