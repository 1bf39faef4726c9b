"""Labelled corpus of simulated Vietnamese government portals for testing the website-integrity scanner.

    corpus = build_corpus(seed=7)
    with CorpusServer(corpus) as server:
        server.set_run(0)
        url = server.url_for(corpus.sites[0].site_id)

Labels live only in the corpus objects and the manifest, never in what is served. See README.md.
"""

from __future__ import annotations

from .catalogue import TECHNIQUES
from .corpus import Corpus, build_corpus
from .hardneg import HARD_NEGATIVES
from .model import CLEAN, COMPROMISED, DOWN, PROBES, Probe, Run, Site
from .server import CA_FILE, CorpusServer
from .timeline import BENIGN_CHANGES

__all__ = [
    "BENIGN_CHANGES",
    "CA_FILE",
    "CLEAN",
    "COMPROMISED",
    "DOWN",
    "HARD_NEGATIVES",
    "PROBES",
    "TECHNIQUES",
    "Corpus",
    "CorpusServer",
    "Probe",
    "Run",
    "Site",
    "build_corpus",
]
