"""Tests of the labelled scanner corpus itself: coverage, determinism, honest labels, and the server's behaviour."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import socket
import ssl
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.engines.scanner.corpus import (
    BENIGN_CHANGES,
    CLEAN,
    COMPROMISED,
    DOWN,
    HARD_NEGATIVES,
    PROBES,
    TECHNIQUES,
    Corpus,
    CorpusServer,
    Run,
    Site,
    build_corpus,
)
from tests.engines.scanner.corpus.state import Route, select

SEED = 7
# every technique the scanner issue (#3) names, written out here so the corpus cannot drop one silently
ISSUE_TECHNIQUES = (
    "deface.replaced",
    "deface.hacked_by_block",
    "deface.taunt_block",
    "deface.identity_gone",
    "deface.structure_collapsed",
    "spam.gambling",
    "spam.adult",
    "spam.pharma",
    "spam.crypto",
    "spam.english",
    "spam.chinese",
    "spam.visible",
    "spam.title_meta",
    "spam.offsite_links",
    "hide.display_none",
    "hide.visibility_hidden",
    "hide.offscreen",
    "hide.zero_size",
    "hide.font_size_zero",
    "hide.text_indent",
    "hide.color_match",
    "hide.style_rule",
    "hide.hidden_attr",
    "hide.opacity_zero",
    "hide.clip_rect",
    "obfuscation.no_diacritics",
    "obfuscation.spaced_letters",
    "obfuscation.mixed_case",
    "obfuscation.zero_width",
    "obfuscation.html_entities",
    "redirect.http_301",
    "redirect.http_302",
    "redirect.meta_refresh",
    "redirect.js_location",
    "redirect.js_location_href",
    "redirect.js_location_replace",
    "redirect.js_atob",
    "redirect.js_fromcharcode",
    "redirect.js_unescape_eval",
    "redirect.js_hex_escape",
    "redirect.js_split_reverse",
    "redirect.loopback_target",
    "cloaking.googlebot",
    "cloaking.bingbot",
    "cloaking.crawlers",
    "cloaking.search_referer",
    "cloaking.mobile",
    "inject.script_src",
    "inject.hidden_iframe",
    "inject.cryptominer",
    "inject.phishing_form",
    "inject.document_write_atob",
    "inject.document_write_unescape",
    "inject.own_js_modified",
    "tamper.phone",
    "tamper.bank_account",
    "tamper.email",
    "scope.inner_page",
    "down.http_5xx",
    "down.hang",
    "down.refused",
)
LABEL_WORDS = (b"compromised", b"hardneg", b"cloaking.", b"benign.", b"technique")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return build_corpus(SEED)


@pytest.fixture(scope="module")
def server(corpus: Corpus) -> Iterator[CorpusServer]:
    with CorpusServer(corpus, hang_seconds=5.0) as srv:
        yield srv


def site_runs(corpus: Corpus) -> Iterator[tuple[Site, Run]]:
    for site in corpus.sites:
        for run in site.runs:
            yield site, run


def served(route: Route, probe: str) -> bytes:
    """Body and headers one probe gets from a rendered route, with attacker origins filled in."""
    p = PROBES[probe]
    response = select(route, p.user_agent, p.referer or "")
    blob = response.body + repr(response.headers).encode()
    return re.sub(rb"@@ATTACKER(\d)@@", lambda m: b"http://127.0.0.25" + m.group(1) + b":0", blob)


def fetch(
    url: str, probe: str = "desktop", *, timeout: float = 3.0, context: ssl.SSLContext | None = None
) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.hostname.startswith("127.0.0.")
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout, context=context)
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    headers = {"User-Agent": PROBES[probe].user_agent, "Accept-Encoding": "gzip"}
    if PROBES[probe].referer:
        headers["Referer"] = str(PROBES[probe].referer)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        head = {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()
    if head.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return resp.status, head, body


def text_of(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return unicodedata.normalize("NFC", body.decode("cp1258", "replace"))


def path_url(server: CorpusServer, site: Site, path: str) -> str:
    return server.origin(site.site_id) + path


# --- coverage -------------------------------------------------------------------------------------


def test_it_is_deterministic_for_a_seed(corpus: Corpus) -> None:
    again = build_corpus(SEED)
    assert json.dumps(corpus.manifest()) == json.dumps(again.manifest())
    for site in corpus.sites[::20]:
        for run in range(len(site.runs)):
            ours, theirs = corpus.render(site.site_id, run), again.render(site.site_id, run)
            assert ours == theirs, (site.site_id, run)
    assert build_corpus(SEED + 1, 20).manifest()["sites"] != corpus.manifest()["sites"][:20]


def test_it_has_about_120_sites_with_3_to_5_runs(corpus: Corpus) -> None:
    assert 120 <= len(corpus.sites) <= 248
    assert {len(site.runs) for site in corpus.sites} == {3, 4, 5}
    assert len({site.host for site in corpus.sites}) == len(corpus.sites)
    assert len({site.template for site in corpus.sites}) == 6
    assert len({site.kind for site in corpus.sites}) == 8


def test_it_covers_every_technique_the_issue_names_in_three_site_runs(corpus: Corpus) -> None:
    counts = Counter(t for _site, run in site_runs(corpus) for t in run.techniques)
    assert set(ISSUE_TECHNIQUES) <= set(TECHNIQUES)
    missing = {t: counts[t] for t in TECHNIQUES if counts[t] < 3}
    assert not missing


def test_it_covers_every_hard_negative_on_sites_clean_in_every_run(corpus: Corpus) -> None:
    always_clean = [site for site in corpus.sites if all(run.label == CLEAN for run in site.runs)]
    for code in HARD_NEGATIVES:
        assert sum(code in site.hard_negatives for site in always_clean) >= 2, code


def test_it_covers_every_benign_change_in_clean_runs(corpus: Corpus) -> None:
    counts = Counter(c for _site, run in site_runs(corpus) if run.label == CLEAN for c in run.benign_changes)
    assert {c: counts[c] for c in BENIGN_CHANGES if counts[c] < 3} == {}


def test_it_compromises_enough_sites_from_the_first_run(corpus: Corpus) -> None:
    attacked = [site for site in corpus.sites if any(run.label == COMPROMISED for run in site.runs)]
    from_start = [site for site in attacked if site.compromised_from_start]
    assert len(from_start) >= 0.15 * len(attacked)
    repaired = [s for s in attacked if s.runs[-1].label == CLEAN and any(r.label == COMPROMISED for r in s.runs)]
    later = [s for s in attacked if s.runs[0].label == CLEAN]
    assert repaired
    assert later


def test_it_tampers_only_after_the_original_was_seen(corpus: Corpus) -> None:
    for site, run in site_runs(corpus):
        if any(t.startswith("tamper.") for t in run.techniques):
            assert run.index > 0
            assert site.runs[0].label == CLEAN
            original = corpus.render(site.site_id, 0).routes
            for path in run.affected_paths:
                assert all(e.encode() not in served(original[path], "desktop") for e in run.evidence)


def test_it_puts_hostile_encodings_and_shapes_in_the_corpus(corpus: Corpus) -> None:
    traits = Counter(t for site in corpus.sites for t in site.traits)
    for trait in ("windows_1258", "invalid_utf8", "huge_dom", "malformed_html", "gzip", "session_ids"):
        assert traits[trait] >= 2, trait


# --- honest labels --------------------------------------------------------------------------------


def test_it_serves_attack_evidence_exactly_to_the_labelled_probes(corpus: Corpus) -> None:
    for site, run in site_runs(corpus):
        if run.label != COMPROMISED:
            continue
        state = corpus.render(site.site_id, run.index)
        for path in run.affected_paths:
            for probe in PROBES:
                blob = served(state.routes[path], probe)
                seen = any(e.encode() in blob for e in run.evidence)
                assert seen == (probe in run.visible_to), (site.site_id, run.index, path, probe)


def test_it_serves_no_attack_in_clean_runs(corpus: Corpus) -> None:
    for site in corpus.sites:
        evidence = {e.encode() for run in site.runs for e in run.evidence}
        paths = {p for run in site.runs for p in run.affected_paths}
        for run in site.runs:
            if run.label != CLEAN:
                continue
            state = corpus.render(site.site_id, run.index)
            assert all(len(route.variants) == 1 for route in state.routes.values()), site.site_id
            for path in paths & set(state.routes):
                blob = served(state.routes[path], "desktop")
                assert not any(e in blob for e in evidence), (site.site_id, run.index, path)


def _same_site_links(html: bytes, origin: str) -> list[str]:
    links: list[str] = []
    for href in re.findall(rb'<a [^>]*href="([^"]+)"', html):
        text = href.decode("utf-8", "replace").replace("@@SELF@@", origin)
        text = re.sub(r"^/\(S\(@@SID@@\)\)", "", text)
        text = re.sub(r"[?&]PHPSESSID=@@SID@@", "", text)
        if text.startswith(origin):
            text = text[len(origin) :]
        if text.startswith("/") and text not in links:
            links.append(text)
    return links


def test_it_links_compromised_inner_pages_within_ten_links_of_home(corpus: Corpus) -> None:
    checked = 0
    for site, run in site_runs(corpus):
        if "scope.inner_page" not in run.techniques:
            continue
        state = corpus.render(site.site_id, run.index)
        home = state.routes["/"].variants[-1][1]
        if home.status in (301, 302):
            home = state.routes[urlsplit(dict(home.headers)["Location"].replace("@@SELF@@", "")).path].variants[-1][1]
        links = _same_site_links(home.body, "@@SELF@@")
        for path in run.affected_paths:
            assert path in links[:10], (site.site_id, run.index, path, links[:10])
            checked += 1
    assert checked >= 10


def test_it_keeps_labels_out_of_what_is_served(corpus: Corpus) -> None:
    for site in corpus.sites:
        for run in site.runs:
            state = corpus.render(site.site_id, run.index)
            for route in state.routes.values():
                for _cond, response in route.variants:
                    data = response.body + repr(response.headers).encode()
                    assert site.site_id.encode() not in data
                    assert not any(word in data for word in LABEL_WORDS), site.site_id


# --- the server -----------------------------------------------------------------------------------


def test_it_cloaks_spam_for_googlebot_only(corpus: Corpus, server: CorpusServer) -> None:
    site, run = next(
        (s, r)
        for s, r in site_runs(corpus)
        if r.visible_to == ("googlebot",) and "redirect.http_302" not in r.techniques
    )
    server.set_run(run.index)
    url = path_url(server, site, run.affected_paths[0])
    _status, _h, bot = fetch(url, "googlebot")
    _status, _h, human = fetch(url, "desktop")
    assert any(e.encode() in bot for e in run.evidence)
    assert not any(e.encode() in human for e in run.evidence)
    assert site.identity.org_name in text_of(human)  # the visitor sees the real portal


def test_it_redirects_only_visitors_from_google_search(corpus: Corpus, server: CorpusServer) -> None:
    site, run = next(
        (s, r)
        for s, r in site_runs(corpus)
        if "redirect.http_302" in r.techniques and "cloaking.search_referer" in r.techniques
    )
    server.set_run(run.index)
    url = path_url(server, site, run.affected_paths[0])
    status, headers, _body = fetch(url, "referer_google_vn")
    assert status == 302
    assert headers["location"].startswith("https://") or "127.0.0.25" in headers["location"]
    assert fetch(url, "referer_google")[0] == 302
    for probe in ("desktop", "googlebot", "mobile"):
        assert fetch(url, probe)[0] == 200


def test_it_redirects_only_mobile_visitors(corpus: Corpus, server: CorpusServer) -> None:
    site, run = next(
        (s, r)
        for s, r in site_runs(corpus)
        if "redirect.http_301" in r.techniques and "cloaking.mobile" in r.techniques
    )
    server.set_run(run.index)
    url = path_url(server, site, run.affected_paths[0])
    status, headers, _ = fetch(url, "mobile")
    assert status == 301
    target = headers["location"]
    assert urlsplit(target).hostname != site.host
    landing = fetch(target, "mobile")  # a loopback attacker origin: followable, and clearly spam
    assert landing[0] == 200
    assert "nhà cái".encode() in landing[2]
    assert fetch(url, "desktop")[0] == 200


def test_it_serves_down_states(corpus: Corpus, server: CorpusServer) -> None:
    by_kind: dict[str, tuple[Site, Run]] = {}
    for site, run in site_runs(corpus):
        if run.label == DOWN:
            by_kind.setdefault(run.techniques[0], (site, run))
    assert set(by_kind) == {"down.http_5xx", "down.hang", "down.refused"}
    site, run = by_kind["down.http_5xx"]
    server.set_run(run.index)
    assert 500 <= fetch(server.url_for(site.site_id))[0] <= 504
    site, run = by_kind["down.refused"]
    server.set_run(run.index)
    with pytest.raises(ConnectionRefusedError):
        fetch(server.url_for(site.site_id))
    site, run = by_kind["down.hang"]
    server.set_run(run.index)
    started = time.monotonic()
    with pytest.raises((TimeoutError, socket.timeout)):
        fetch(server.url_for(site.site_id), timeout=0.3)
    assert time.monotonic() - started < 2.0


def test_it_brings_a_refused_site_back_in_the_next_clean_run(corpus: Corpus, server: CorpusServer) -> None:
    site, _run = next(
        (s, r)
        for s, r in site_runs(corpus)
        if r.techniques == ("down.refused",) and any(x.label == CLEAN for x in s.runs)
    )
    clean = next(r for r in site.runs if r.label == CLEAN)
    server.set_run(clean.index)
    status, _h, body = fetch(server.url_for(site.site_id))
    assert status in (200, 302)
    assert body


def test_it_redirects_http_to_https_on_the_same_host(corpus: Corpus, server: CorpusServer) -> None:
    site, run = next(
        (s, r) for s, r in site_runs(corpus) if "benign.https_redirect" in r.benign_changes and r.label == CLEAN
    )
    server.set_run(run.index)
    status, headers, _ = fetch(server.url_for(site.site_id))
    assert status == 301
    target = headers["location"]
    assert urlsplit(target).scheme == "https"
    assert urlsplit(target).hostname == site.host
    context = ssl.create_default_context(cafile=str(server.ca_file))
    status, _h, _body = fetch(target, context=context)
    assert status in (200, 302)


def test_it_fills_tokens_per_request_and_leaks_no_placeholder(corpus: Corpus, server: CorpusServer) -> None:
    server.set_run(0)
    site = next(s for s in corpus.sites if s.template == "dnn" and s.runs[0].label == CLEAN)
    one, two = fetch(server.url_for(site.site_id))[2], fetch(server.url_for(site.site_id))[2]
    assert b"__VIEWSTATE" in one
    assert one != two
    for s in corpus.sites[::7]:
        if s.runs[0].label != DOWN:
            _status, _h, body = fetch(server.url_for(s.site_id), "googlebot")
            assert b"@@" not in body, s.site_id


def test_it_changes_the_sites_own_javascript_at_the_same_url(corpus: Corpus, server: CorpusServer) -> None:
    site, run, clean = next(
        (s, r, c)
        for s, r in site_runs(corpus)
        if "inject.own_js_modified" in r.techniques
        for c in s.runs
        if c.label == CLEAN and r.affected_paths[0] in corpus.render(s.site_id, c.index).routes
    )
    path = run.affected_paths[0]
    server.set_run(run.index)
    status, headers, bad = fetch(path_url(server, site, path))
    assert status == 200
    assert "javascript" in headers["content-type"]
    server.set_run(clean.index)
    status, _headers, good = fetch(path_url(server, site, path))
    assert status == 200
    assert any(e.encode() in bad for e in run.evidence)
    assert not any(e.encode() in good for e in run.evidence)
    assert bad.startswith(good[:40])  # the same file, with something appended


def test_it_serves_windows_1258_and_broken_utf8(corpus: Corpus, server: CorpusServer) -> None:
    server.set_run(0)
    cp = next(s for s in corpus.sites if "windows_1258" in s.traits and s.runs[0].label == CLEAN)
    status, _h, body = fetch(server.url_for(cp.site_id))
    if status == 302:
        status, _h, body = fetch(server.origin(cp.site_id) + urlsplit(_h["location"]).path)
    text = unicodedata.normalize("NFC", body.decode("cp1258"))
    assert cp.identity.org_name in text
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    bad = next(s for s in corpus.sites if "invalid_utf8" in s.traits and s.runs[0].label == CLEAN)
    state = corpus.render(bad.site_id, 0)
    with pytest.raises(UnicodeDecodeError):
        next(iter(state.routes.values())).variants[-1][1].body.decode("utf-8")


def test_it_writes_a_manifest(corpus: Corpus, tmp_path: Path) -> None:
    path = tmp_path / "manifest.json"
    corpus.write_manifest(path, {s.site_id: f"http://{s.host}:1/" for s in corpus.sites})
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["seed"] == SEED
    assert len(data["sites"]) == len(corpus.sites)
    entry = data["sites"][0]
    assert {"site_id", "url", "template", "kind", "runs"} <= set(entry)
    assert {"label", "techniques", "affected_paths", "visible_to", "evidence"} <= set(entry["runs"][0])
