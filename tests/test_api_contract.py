"""Contract: every request the client makes fits Pinterest's OpenAPI description (path, method, security,
parameters: required ones present, no unknown ones, enums, ranges, patterns, dates). Skips without the file."""
from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
import urllib.parse
import urllib.request

import pytest

from conftest import DATA
from fake_pinterest import FakePinterest, Logged
from pinviewer.core.api import credentials
from pinviewer.core.api import sync as S
from pinviewer.core.api.client import RetryPolicy
from pinviewer.core.store import Store

SPEC_PATH = DATA / "reference" / "pinterest-api-v5-openapi.json"


@pytest.fixture(scope="module")
def spec():
    if not SPEC_PATH.exists():
        pytest.skip("the OpenAPI description is not in tests/data/reference")
    return json.loads(SPEC_PATH.read_text())


def node_ref(ref: str) -> list[str]:
    return [urllib.parse.unquote(p).replace("~1", "/").replace("~0", "~") for p in ref.lstrip("#/").split("/")]


def resolve(spec: dict, node):
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node_ref(node["$ref"]):
            target = target[part]
        node = target
        seen += 1
        assert seen < 20
    return node


def find_operation(spec: dict, method: str, path: str):
    candidates = []
    for template, item in spec["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "([^/]+)", re.escape(template)) + "$"
        match = re.match(pattern, path)
        if match:
            names = re.findall(r"\{([^/]+?)\}", template)
            candidates.append((len(names), template, item, dict(zip(names, match.groups()))))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0])  # literal segments win over {pin_id}
    _, template, item, path_params = candidates[0]
    operation = item.get(method.lower())
    if operation is None:
        return template, None, path_params, []
    parameters = [resolve(spec, p) for p in item.get("parameters", []) + operation.get("parameters", [])]
    return template, operation, path_params, parameters


def _enums(spec: dict, schema: dict) -> set | None:
    schema = resolve(spec, schema)
    if "enum" in schema:
        return set(schema["enum"])
    for key in ("oneOf", "anyOf"):
        if key in schema:
            values = set()
            for part in schema[key]:
                values |= _enums(spec, part) or set()
            return values or None
    return None


def check_value(spec: dict, name: str, schema: dict, value: str) -> list[str]:
    schema = resolve(spec, schema)
    problems = []
    kind = schema.get("type")
    if kind == "array":
        items = value.split(",")
        if "maxItems" in schema and len(items) > schema["maxItems"]:
            problems.append(f"{name}: {len(items)} items > {schema['maxItems']}")
        for item in items:
            problems += check_value(spec, name, schema.get("items", {}), item)
        return problems
    allowed = _enums(spec, schema)
    if allowed is not None and value not in {str(v) for v in allowed}:
        problems.append(f"{name}={value!r} not in {sorted(map(str, allowed))}")
    if kind == "integer":
        try:
            number = int(value)
        except ValueError:
            return [f"{name}={value!r} is not an integer"]
        if "minimum" in schema and number < schema["minimum"]:
            problems.append(f"{name}={number} < {schema['minimum']}")
        if "maximum" in schema and number > schema["maximum"]:
            problems.append(f"{name}={number} > {schema['maximum']}")
    if kind == "boolean" and value not in ("true", "false"):
        problems.append(f"{name}={value!r} is not a boolean")
    if schema.get("format") == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            problems.append(f"{name}={value!r} is not YYYY-MM-DD")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(f"{name}={value!r} does not match {schema['pattern']}")
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        problems.append(f"{name} longer than {schema['maxLength']}")
    return problems


def _form_schema_fields(spec: dict, schema: dict, grant: str | None) -> tuple[set, set]:
    """(known fields, required fields) of a form body, following the grant_type discriminator."""
    schema = resolve(spec, schema)
    mapping = schema.get("discriminator", {}).get("mapping", {})
    if grant in mapping:
        schema = resolve(spec, {"$ref": mapping[grant]})
    known, required = set(schema.get("properties", {})), set(schema.get("required", []))
    for part in schema.get("allOf", []):
        k, r = _form_schema_fields(spec, part, None)
        known |= k
        required |= r
    return known, required


def check_request(spec: dict, request: Logged) -> list[str]:
    found = find_operation(spec, request.method, request.path)
    if found is None:
        return [f"{request.method} {request.path}: no such path in the OpenAPI description"]
    template, operation, path_params, parameters = found
    where = f"{request.method} {template}"
    if operation is None:
        return [f"{where}: method not described"]
    problems = []
    query_params = {p["name"]: p for p in parameters if p.get("in") == "query"}
    for name, param in query_params.items():
        if param.get("required") and name not in request.query:
            problems.append(f"{where}: required parameter {name} missing")
    for name, value in request.query.items():
        if name not in query_params:
            problems.append(f"{where}: unknown parameter {name}")
        else:
            problems += [f"{where}: {p}" for p in check_value(spec, name, query_params[name].get("schema", {}),
                                                              value)]
    for param in parameters:
        if param.get("in") == "path":
            problems += [f"{where}: {p}" for p in check_value(spec, param["name"], param.get("schema", {}),
                                                              path_params.get(param["name"], ""))]
    schemes = {name for requirement in operation.get("security", []) for name in requirement}
    auth = request.headers.get("authorization", "")
    if auth.startswith("Bearer "):
        if not schemes & {"pinterest_oauth2", "client_credentials"}:
            problems.append(f"{where}: Bearer token where the description wants {sorted(schemes)}")
    elif auth.startswith("Basic "):
        if "basic" not in schemes:
            problems.append(f"{where}: Basic auth where the description wants {sorted(schemes)}")
    else:
        problems.append(f"{where}: no credentials")
    body = operation.get("requestBody")
    if request.form or body:
        if not body:
            problems.append(f"{where}: a body the description does not take")
        else:
            content_type = request.headers.get("content-type", "")
            content = body.get("content", {})
            if content_type not in content:
                problems.append(f"{where}: body as {content_type!r}, described as {sorted(content)}")
            else:
                known, required = _form_schema_fields(spec, content[content_type]["schema"],
                                                      request.form.get("grant_type"))
                known.add("grant_type")
                for name in required - set(request.form):
                    problems.append(f"{where}: required field {name} missing")
                grant_enum = _enums(spec, resolve(spec, content[content_type]["schema"])
                                    .get("properties", {}).get("grant_type", {}))
                if grant_enum and request.form.get("grant_type") not in grant_enum:
                    problems.append(f"{where}: grant_type {request.form.get('grant_type')!r} not allowed")
                description = operation.get("description", "")
                for name in set(request.form) - known:
                    if name not in description:  # continuous_refresh is described in words only
                        problems.append(f"{where}: unknown field {name}")
    return problems


# ------------------------------------------------------------------------------------------------ tests
def test_the_checker_catches_violations(spec):
    bearer = {"authorization": "Bearer x"}
    bad = [
        Logged("GET", "/user_account/analytics/top_pins", {"start_date": "2026-01-01", "end_date": "2026-01-02",
                                                           "sort_by": "BOGUS", "num_of_pins": "51"}, bearer, {}),
        Logged("GET", "/user_account/analytics", {"end_date": "2026-01-02", "colour": "red"}, bearer, {}),
        Logged("GET", "/pins/123/analytics", {"start_date": "2026-01-01", "end_date": "2026-1-2",
                                              "metric_types": "IMPRESSION,NOPE"}, bearer, {}),
        Logged("GET", "/pins", {"page_size": "251", "pin_metrics": "yes"}, bearer, {}),
        Logged("GET", "/no/such/thing", {}, bearer, {}),
        Logged("DELETE", "/user_account", {}, bearer, {}),
        Logged("POST", "/oauth/token", {}, {**bearer, "content-type": "application/x-www-form-urlencoded"},
               {"grant_type": "refresh_token", "colour": "red"}),
    ]
    found = [check_request(spec, request) for request in bad]
    assert any("sort_by='BOGUS'" in p for p in found[0]) and any("51 > 50" in p for p in found[0])
    assert any("start_date missing" in p for p in found[1]) and any("unknown parameter colour" in p for p in found[1])
    assert any("NOPE" in p for p in found[2]) and any("2026-1-2" in p for p in found[2])
    assert any("251 > 250" in p for p in found[3]) and any("not a boolean" in p for p in found[3])
    assert found[4] and found[5]
    assert any("refresh_token missing" in p for p in found[6]) and any("Bearer" in p for p in found[6])
    assert any("unknown field colour" in p for p in found[6])
    good = Logged("GET", "/pins/123/analytics", {"start_date": "2026-01-01", "end_date": "2026-01-02",
                                                 "metric_types": "IMPRESSION,VIDEO_MRC_VIEW"}, bearer, {})
    assert check_request(spec, good) == []


def test_every_request_fits_the_openapi_description(spec, pinviewer_home, memory_keyring):
    fast = RetryPolicy(base_delay=0.005)
    with FakePinterest(n_pins=40) as server:
        # connect with a token, then the OAuth code flow, a refresh, and a full sync with every kind of Pin
        credentials.connect(server.token, base_url=server.base_url, retry=fast)

        def browser(url):
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
            target = query["redirect_uri"] + "?" + urllib.parse.urlencode(
                {"code": server.state.oauth_code, "state": query["state"]})
            threading.Thread(target=lambda: urllib.request.urlopen(target, timeout=5).read(), daemon=True).start()

        tokens = credentials.oauth_authorize(server.state.app_id, server.state.app_secret, port=0,
                                             open_browser=browser, timeout=10, base_url=server.base_url, retry=fast)
        credentials.connect(tokens, base_url=server.base_url, retry=fast)
        tokens.expires_at = time.time()
        credentials.store_tokens(tokens)
        client = credentials.client_from_keyring(base_url=server.base_url, retry=fast)
        with Store.open() as store:
            S.sync(store, client, top_n=40)
            S.sync(store, client, top_n=40)
        used = {(r.method, find_operation(spec, r.method, r.path)[0]) for r in server.log}
        assert used == {("GET", "/user_account"), ("GET", "/user_account/analytics"),
                        ("GET", "/user_account/analytics/top_pins"), ("GET", "/pins"), ("GET", "/boards"),
                        ("GET", "/pins/{pin_id}/analytics"), ("POST", "/oauth/token")}
        problems = [p for request in server.log for p in check_request(spec, request)]
        assert problems == []
        assert any(r.query.get("bookmark") for r in server.requests_to("/pins")) is False  # 40 Pins: one page
        assert any("VIDEO_MRC_VIEW" in r.query.get("metric_types", "") for r in server.log)
