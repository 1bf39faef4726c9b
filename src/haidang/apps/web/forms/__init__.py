"""Forms of the web UI. They parse and check input; services do the writing."""
