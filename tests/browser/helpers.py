"""What the browser tests check on a page: axe-core, headings, landmarks, overflow; screenshots."""

import re
from pathlib import Path

import axe_playwright_python

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# axe-core (4.12) as shipped inside the axe-playwright-python package. Evaluated through the
# DevTools protocol, so the site's rule against inline scripts does not get in the way.
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def path_of(page):
    return re.sub(r"^https?://[^/]+", "", page.url)


def axe_violations(page):
    """axe-core's WCAG 2.1 A/AA violations on the page, one readable line per rule."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags},
            resultTypes: ["violations"],
        })""",
        WCAG_TAGS,
    )
    return [
        f"{path_of(page)}: {rule['id']} ({rule['impact']}) {rule['help']}: "
        + "; ".join(
            " ".join(node["target"]) + " - " + node["failureSummary"].replace("\n", " ")
            for node in rule["nodes"][:5]
        )
        for rule in results["violations"]
    ]


def heading_problems(page):
    """Headings in order: one h1, first; no level skipped on the way down."""
    levels = page.eval_on_selector_all(
        "h1, h2, h3, h4, h5, h6",
        """headings => headings
            .filter(h => h.getClientRects().length || h.closest('.visually-hidden'))
            .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 40)])""",
    )
    problems = []
    if not levels or levels[0][0] != 1:
        problems.append(f"{path_of(page)}: the first heading is not an h1: {levels[:1]}")
    if [level for level, _ in levels].count(1) != 1:
        problems.append(f"{path_of(page)}: not exactly one h1")
    for (before, _), (level, text) in zip(levels, levels[1:], strict=False):
        if level > before + 1:
            problems.append(f"{path_of(page)}: h{before} is followed by h{level} '{text}'")
    return problems


def landmark_problems(page):
    """One banner, main and contentinfo; every navigation, region, search and aside named."""
    report = page.evaluate(
        """() => {
            const name = el => {
                const ids = el.getAttribute('aria-labelledby');
                if (ids) {
                    return ids.split(/\\s+/).map(id => {
                        const target = document.getElementById(id);
                        return target ? target.textContent.trim() : '';
                    }).join(' ').trim();
                }
                return (el.getAttribute('aria-label') || '').trim();
            };
            const top = sel => [...document.querySelectorAll(sel)]
                .filter(el => !el.parentElement.closest('main, article, aside, nav, section'));
            const named = [...document.querySelectorAll(
                'nav, aside, [role=search], [role=region], section[aria-label], '
                + 'section[aria-labelledby], form[aria-label], form[aria-labelledby]'
            )].map(el => [el.getAttribute('role') || el.tagName.toLowerCase(), name(el)]);
            return {
                banner: top('header').length,
                main: document.querySelectorAll('main').length,
                contentinfo: top('footer').length,
                named: named,
            };
        }"""
    )
    where = path_of(page)
    problems = [
        f"{where}: {report[landmark]} {landmark} landmarks"
        for landmark in ("banner", "main", "contentinfo")
        if report[landmark] != 1
    ]
    seen = set()
    for role, name in report["named"]:
        if not name:
            problems.append(f"{where}: a {role} landmark without a name")
        elif (role, name) in seen and role in {"nav", "aside", "search"}:
            problems.append(f"{where}: two {role} landmarks named '{name}'")
        seen.add((role, name))
    return problems


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def screenshot(page, name, *, full_page=True):
    """Save a screenshot for reviewers: test-artifacts/screenshots/<name>-<w>x<h>.png.

    full_page=False keeps to the window: a full-page screenshot resets Chromium's font size
    settings (the text-zoom test's), and a very long page makes a very large file.
    """
    size = page.viewport_size
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(
        path=SCREENSHOTS / f"{name}-{size['width']}x{size['height']}.png", full_page=full_page
    )


def link_in_mail(outbox, path_fragment):
    """The one link containing path_fragment in the last email sent, as a path on the server."""
    body = outbox[-1].body
    links = re.findall(r"https?://[^\s>]+", body)
    matching = [link for link in links if path_fragment in link]
    assert len(matching) == 1, body
    return re.sub(r"^https?://[^/]+", "", matching[0])


def current_totp_code(user):
    """The code an authenticator app shows the user right now."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    counters = list(yield_hotp_counters_from_time())
    now = counters[len(counters) // 2]
    return format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), now))


PASSWORD = "een-lang-wachtwoord"  # tests.factories.UserFactory's


def log_in(page, email, password=PASSWORD):
    """Log in through the site's login page, as a person does."""
    page.goto("/account/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form[action='/account/login/'] button[type=submit]").click()
    page.wait_for_load_state()
