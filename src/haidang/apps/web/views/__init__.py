"""Views of the web UI, one module per area. Each parses input and calls one service or selector."""
