"""Our CSPMiddleware (config/middleware.py) sends what django-csp's sends, built once."""

import csp.middleware
import csp.utils
import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, NONE, SELF
from csp.decorators import csp as csp_config
from csp.decorators import csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError
from django.http import HttpResponse, HttpResponseNotFound

from config.middleware import CSPMiddleware


def page(request):
    return HttpResponse("<p>Pagina</p>")


def missing(request):
    return HttpResponseNotFound("<p>Niet gevonden</p>")


def page_with_its_own_header(request):
    response = page(request)
    response[HEADER] = "default-src 'none'"
    return response


def page_with_a_nonce_when_asked(request):
    if "nonce" not in request.GET:
        return page(request)
    return HttpResponse(f'<script nonce="{request.csp_nonce}" src="/static/js/a.js"></script>')


VIEWS = {
    "settings alone": page,
    "not found": missing,
    "csp_update": csp_update({"img-src": ["https://beelden.example"]})(page),
    "csp_replace": csp_replace({"script-src": None, "img-src": [SELF]})(page),
    "csp": csp_config({"default-src": [NONE]})(page),
    "csp_exempt": csp_exempt()(page),
    "csp_update report-only": csp_update({"img-src": ["https://a.example"]}, REPORT_ONLY=True)(
        page
    ),
    "csp_exempt report-only": csp_exempt(REPORT_ONLY=True)(page),
    "own header": page_with_its_own_header,
}

REPORT_ONLY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/beheer/"],
    "DIRECTIVES": {"default-src": [SELF], "report-uri": "/csp-rapport/"},
}


def headers(middleware, request):
    response = middleware(request)
    return {name: response.get(name) for name in (HEADER, HEADER_REPORT_ONLY)}


@pytest.fixture(params=["project settings", "with report-only and exclusions", "debug"])
def csp_settings(request, settings):
    if request.param != "project settings":
        settings.CONTENT_SECURITY_POLICY = {
            **settings.CONTENT_SECURITY_POLICY,
            "EXCLUDE_URL_PREFIXES": ["/beheer/"],
        }
        settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = REPORT_ONLY_POLICY
    settings.DEBUG = request.param == "debug"
    return settings


@pytest.mark.parametrize("view", VIEWS.values(), ids=VIEWS.keys())
@pytest.mark.parametrize("path", ["/programma/", "/beheer/programme/session/"])
def test_every_response_gets_the_headers_django_csp_gives_it(rf, csp_settings, view, path):
    ours = CSPMiddleware(view)

    # Twice: the first builds the policy, the second takes what the first kept.
    first, second = (headers(ours, rf.get(path)) for _ in range(2))

    assert first == second == headers(csp.middleware.CSPMiddleware(view), rf.get(path))


def test_pages_get_the_policy_django_csp_builds_from_settings(client, congress):
    responses = [client.get(path) for path in ("/", "/programma/", "/programma/", "/niets/")]

    assert [response.status_code for response in responses] == [200, 200, 200, 404]
    assert [response[HEADER] for response in responses] == [csp.utils.build_policy()] * 4
    assert [HEADER_REPORT_ONLY in response for response in responses] == [False] * 4


def test_the_policy_is_built_once_not_for_every_response(client, congress, monkeypatch):
    built = []
    build_policy = csp.utils.build_policy

    def counted_build_policy(*args, **kwargs):
        built.append(kwargs.get("report_only", False))
        return build_policy(*args, **kwargs)

    monkeypatch.setattr(csp.utils, "build_policy", counted_build_policy)
    monkeypatch.setattr(csp.middleware, "build_policy", counted_build_policy)

    first = client.get("/programma/")
    after_first = list(built)
    others = [client.get(path) for path in ("/programma/", "/", "/sprekers/")]

    assert after_first == [False, True]
    assert built == after_first
    assert [response[HEADER] for response in others] == [first[HEADER]] * 3


def test_a_changed_setting_changes_the_headers(client, congress, settings):
    before = client.get("/programma/")
    settings.CONTENT_SECURITY_POLICY = {
        "EXCLUDE_URL_PREFIXES": ["/sprekers/"],
        "DIRECTIVES": {"default-src": [NONE], "img-src": [SELF]},
    }
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = REPORT_ONLY_POLICY

    after = client.get("/programma/")
    excluded = client.get("/sprekers/")

    assert "script-src 'self'" in before[HEADER]
    assert sorted(after[HEADER].split("; ")) == ["default-src 'none'", "img-src 'self'"]
    assert sorted(after[HEADER_REPORT_ONLY].split("; ")) == [
        "default-src 'self'",
        "report-uri /csp-rapport/",
    ]
    assert (HEADER in excluded, excluded[HEADER_REPORT_ONLY]) == (
        False,
        after[HEADER_REPORT_ONLY],
    )


def test_a_request_that_made_a_nonce_gets_it_in_its_policy(rf, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}
    middleware = CSPMiddleware(page_with_a_nonce_when_asked)
    without_nonce = middleware(rf.get("/"))
    request = rf.get("/", {"nonce": "1"})

    response = middleware(request)

    assert without_nonce[HEADER] == csp.utils.build_policy()
    assert "nonce" not in without_nonce[HEADER]
    assert request._csp_nonce in response.content.decode()
    assert response[HEADER] == csp.utils.build_policy(nonce=request._csp_nonce)
    assert f"'nonce-{request._csp_nonce}'" in response[HEADER]


def test_asking_for_a_nonce_after_the_header_was_sent_is_an_error(rf):
    request = rf.get("/")
    CSPMiddleware(page)(request)

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)
