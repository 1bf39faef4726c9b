"""Vulnerability intelligence, framework-free: feed parsers (NVD, KEV, OSV, RSS/Atom), CPE names and
NVD applicability, version comparison beyond SemVer, and matching a unit inventory against the feeds.

Import the modules directly (``from haidang.engines.intel import cpe, versions``): the package itself
imports nothing, so a caller that only compares versions does not load the streaming JSON parser.
"""
