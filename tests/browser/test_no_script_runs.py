"""No payload an editor writes runs in a real browser (Chromium), with or without the site's CSP.

The payloads of tests/test_safe_rendering.py, each in every text field of its own set of records,
are loaded page by page. A script that ran would set `window.__xss`; none may, no dialog may open,
no link may lead to javascript:, and the injected style must not hide the page. The site's CSP
forbids inline script anyway, so the pages are loaded a second time with the CSP switched off: what
is tested then is the escaping and sanitising itself.
"""

import pytest

from tests.test_safe_rendering import LANGUAGES, PAYLOADS, plant, public_pages

pytestmark = pytest.mark.browser

RAN_SCRIPT = "() => typeof window.__xss !== 'undefined'"
SCRIPT_LINKS = "() => Array.from(document.querySelectorAll('a[href]')).filter(a => a.protocol === 'javascript:').length"
PAGE_HIDDEN = "() => getComputedStyle(document.body).display === 'none'"


@pytest.fixture
def planted_site(live_server, transactional_db):
    worlds = [plant(payload, n) for n, payload in enumerate(PAYLOADS)]
    urls = list(dict.fromkeys(url for world in worlds for url in public_pages(world)))
    return live_server.url, urls


@pytest.mark.parametrize(("policy", "languages"), [("site CSP", ["en"]), ("no CSP", LANGUAGES)])
def test_no_payload_runs_a_script_in_the_browser(planted_site, page, settings, policy, languages):
    site, urls = planted_site
    if policy == "no CSP":
        settings.CONTENT_SECURITY_POLICY = None  # read on every response by django-csp
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    problems = {}
    for language in languages:
        page.set_extra_http_headers({"Accept-Language": language})
        for url in urls:
            response = page.goto(site + url, wait_until="load")
            assert response.status == 200, (url, language)
            if policy == "no CSP":
                assert "content-security-policy" not in response.headers
            found = [
                check
                for check, script in [("script ran", RAN_SCRIPT), ("javascript: link", SCRIPT_LINKS)]
                if page.evaluate(script)
            ]
            if page.evaluate(PAGE_HIDDEN):
                found.append("page hidden by an injected style")
            if found:
                problems[(url, language)] = found
    assert problems == {}
    assert dialogs == []


def test_the_checks_see_a_script_that_runs(page):
    # The control: the same checks on live markup do find it, so the test above cannot pass blind.
    page.set_content('<body><img src=x onerror="window.__xss=1"><a href="javascript:void(0)">x</a></body>')
    page.wait_for_function(RAN_SCRIPT)
    assert page.evaluate(SCRIPT_LINKS) == 1
    page.set_content("<style>body{display:none}</style><body>x</body>")
    assert page.evaluate(PAGE_HIDDEN)
