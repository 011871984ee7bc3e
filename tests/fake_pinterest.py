"""A local stand-in for the Pinterest API v5, for tests and benchmarks.

A real HTTP server (stdlib ``http.server``, one thread per request) on 127.0.0.1 answering in the shapes of
the OpenAPI description: bookmark-paginated lists, the 90-day windows (start no more than 90 days back,
end no more than 90 days after start), ``data_status`` per day, Bearer and Basic auth, the OAuth token
endpoint with rotating refresh tokens. Faults are queued with ``add_fault`` (status codes with or without
Retry-After, slow answers, cut-off or malformed JSON, dropped connections, an answer trickled a byte at a
time, a huge answer, garbage); ``latency`` delays every answer; ``endless_pages`` makes the Pin and board
lists hand out a new bookmark (and new items) on every page. Every request lands in ``log`` (method, path,
query, headers, form, status).

It stops by itself: after ``max_requests`` requests it answers 503 and closes, and ``lifetime`` seconds after
it started it shuts down; every loop that writes (trickle, huge) is bounded in bytes and stops on a closed
connection.

    with FakePinterest(n_pins=30) as server:
        client = PinterestClient(server.token, base_url=server.base_url)
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VIDEO_EVERY = 5
INACTIVE_EVERY = 10  # every 10th Pin (index 9, 19, ...) had no activity in 90 days


@dataclass
class Logged:
    method: str
    path: str  # without the /v5 prefix
    query: dict  # name -> value (last one wins)
    headers: dict  # lower-case names
    form: dict
    status: int = 0
    at: float = 0.0


@dataclass
class Fault:
    path: str  # exact path (without /v5) or a prefix ending in '*'
    kind: str  # status | slow | truncated | badjson | close | trickle | trickle_head | huge | garbage | body
    times: int | None = 1  # None: every time
    status: int = 500
    retry_after: str | None = None
    delay: float = 0.0
    body: dict | None = None
    method: str | None = None
    size: int = 0  # huge: bytes to send; trickle: bytes of the body
    data: bytes | None = None  # body: these exact bytes with status 200
    declare_length: bool = True  # huge: send a Content-Length (False: the body ends when the connection closes)

    def matches(self, method: str, path: str) -> bool:
        if self.method and self.method != method:
            return False
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path


@dataclass
class FakeState:
    token: str = "pina_TESTTOKEN1234567890abcdefXYZ"
    account_type: str = "BUSINESS"
    username: str = "exampleblog"
    account_id: str = "2783136121146311751"
    n_pins: int = 30
    n_boards: int = 3
    latency: float = 0.0
    processing_days: int = 2  # the last N days (up to yesterday) are PROCESSING
    inactive_every: int = INACTIVE_EVERY  # 0: every Pin had activity
    today: dt.date | None = None
    app_id: str = "1234567"
    app_secret: str = "appsecret_TOPSECRET_987"
    oauth_code: str = "code_FROM_PINTEREST_42"
    refresh_token: str = "pinr_REFRESH_000"
    valid_tokens: set = field(default_factory=set)
    issued: int = 0
    endless_pages: bool = False  # every list page has a new bookmark and new items, for ever


class FakePinterest:
    def __init__(self, max_requests: int = 5000, lifetime: float = 300.0, **options) -> None:
        self.state = FakeState(**options)
        self.max_requests = max_requests
        self.state.valid_tokens.add(self.state.token)
        self.log: list[Logged] = []
        self.faults: list[Fault] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.keep_alive = True  # HTTP/1.1 persistent connections, as the real API keeps them
        # benchmarks: keep each encoded GET answer, so the fake's own JSON work does not eat the machine's CPU
        # (its cost is not the client's; Pinterest's own work is part of the latency)
        self.cache_answers = False
        self._answers: dict = {}
        handler = _make_handler(self)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.httpd.request_queue_size = 64
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()
        self._closed = threading.Event()
        self._timer = threading.Timer(lifetime, self.close)
        self._timer.daemon = True
        self._timer.start()

    # ---------------------------------------------------------------- control
    @property
    def port(self) -> int:
        return self.httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v5"

    @property
    def token(self) -> str:
        return self.state.token

    def today(self) -> dt.date:
        return self.state.today or dt.datetime.now(dt.UTC).date()

    def add_fault(self, path: str, kind: str = "status", **options) -> Fault:
        fault = Fault(path=path, kind=kind, **options)
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self.lock:
            self.log.clear()
            self.faults.clear()
            self.max_in_flight = 0

    def requests_to(self, path: str) -> list[Logged]:
        if path.endswith("*"):
            return [r for r in self.log if r.path.startswith(path[:-1])]
        return [r for r in self.log if r.path == path]

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._closed.set()
        self._timer.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()
        if threading.current_thread() is not self.thread:
            self.thread.join(5)

    def __enter__(self) -> FakePinterest:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- data
    def pin_id(self, i: int) -> str:
        return str(1012345678900000000 + i)

    def pin_index(self, pin_id: str) -> int | None:
        try:
            i = int(pin_id) - 1012345678900000000
        except ValueError:
            return None
        return i if 0 <= i < self.state.n_pins else None

    def board_id(self, j: int) -> str:
        return str(549755885000 + j)

    def pin_created(self, i: int) -> dt.date:
        return self.today() - dt.timedelta(days=5 + (i * 37) % 400)

    def is_video(self, i: int) -> bool:
        return i % VIDEO_EVERY == VIDEO_EVERY - 1

    def is_inactive(self, i: int) -> bool:
        every = self.state.inactive_every
        return bool(every) and i % every == every - 1

    def pin(self, i: int) -> dict:
        n = self.state.n_pins
        weight = n - i
        if self.is_inactive(i):
            counters = {"pin_click": 0, "impression": 0, "clickthrough": 0}
        else:
            counters = {"pin_click": weight * 5, "impression": weight * 1000, "clickthrough": weight * 3 + i % 7}
        media = ({"media_type": "video", "cover_image_url": f"https://i.pinimg.com/videos/{i}.jpg", "duration": 31200}
                 if self.is_video(i) else
                 {"media_type": "image", "images": {"600x": {"url": f"https://i.pinimg.com/600x/{i}.jpg",
                                                             "width": 600, "height": 900}}})
        return {
            "id": self.pin_id(i), "created_at": self.pin_created(i).isoformat() + "T10:00:00",
            "link": f"https://example-blog.com/post-{i}/", "title": f"Post number {i}",
            "description": f"About post {i}", "board_id": self.board_id(i % self.state.n_boards),
            "board_owner": {"username": self.state.username},
            "creative_type": "VIDEO" if self.is_video(i) else "REGULAR", "is_owner": True, "is_standard": True,
            "media": media,
            "pin_metrics": None if i == 1 else {"90d": counters, "lifetime_metrics": {**counters, "reaction": 1}},
        }

    def board(self, j: int) -> dict:
        return {"id": self.board_id(j), "name": f"Board {j}", "description": f"Ideas {j}",
                "owner": {"username": self.state.username}, "privacy": "PUBLIC", "pin_count": 10}

    def status(self, day: dt.date) -> str:
        if day >= self.today() - dt.timedelta(days=self.state.processing_days):
            return "PROCESSING"
        return "READY"

    def account_metrics(self, day: dt.date) -> dict:
        k = day.toordinal()
        impressions = 1000 + (k % 97) * 10
        outbound = 10 + k % 13
        saves = 20 + k % 11
        pin_clicks = 30 + k % 7
        engagement = outbound + saves + pin_clicks
        values = {"IMPRESSION": impressions, "OUTBOUND_CLICK": outbound, "SAVE": saves, "PIN_CLICK": pin_clicks,
                  "ENGAGEMENT": engagement, "CLOSEUP": pin_clicks, "CLOSEUP_RATE": pin_clicks / impressions}
        if self.status(day) != "READY":  # still being counted: half of the final figures
            values = {key: value // 2 for key, value in values.items() if isinstance(value, int)}
        for rate, count in (("OUTBOUND_CLICK_RATE", "OUTBOUND_CLICK"), ("SAVE_RATE", "SAVE"),
                            ("PIN_CLICK_RATE", "PIN_CLICK"), ("ENGAGEMENT_RATE", "ENGAGEMENT")):
            values[rate] = values[count] / values["IMPRESSION"]
        return values

    def pin_metrics_for(self, i: int, day: dt.date, wanted: list[str]) -> dict:
        k = day.toordinal()
        base = {"IMPRESSION": (i + 1) * 10 + k % 5, "OUTBOUND_CLICK": (i + k) % 3, "PIN_CLICK": (i + k) % 4,
                "SAVE": (i + 2 * k) % 5, "USER_FOLLOW": 0, "PROFILE_VISIT": k % 2, "VIDEO_MRC_VIEW": 7,
                "VIDEO_10S_VIEW": 3, "QUARTILE_95_PERCENT_VIEW": 1, "VIDEO_V50_WATCH_TIME": 5000, "VIDEO_START": 9,
                "VIDEO_AVG_WATCH_TIME": 1200.5}
        if self.status(day) != "READY":
            base = {key: value // 2 if isinstance(value, int) else value for key, value in base.items()}
        base["SAVE_RATE"] = base["SAVE"] / base["IMPRESSION"]
        return {key: base[key] for key in wanted if key in base}


# ------------------------------------------------------------------------------------------------ handler
def _error(code: int, message: str) -> dict:
    return {"code": code, "message": message}


def _make_handler(server: FakePinterest):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # as real servers do: no 40 ms delayed-ACK stalls on kept-alive connections

        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):  # noqa: N802
            self._handle("GET")

        def do_POST(self):  # noqa: N802
            self._handle("POST")

        # ------------------------------------------------------------ plumbing
        def _handle(self, method: str) -> None:
            with server.lock:
                server.in_flight += 1
                server.max_in_flight = max(server.max_in_flight, server.in_flight)
            self._counted = True
            try:
                self._serve(method)
            finally:
                self._release()
            if not server.keep_alive:
                self.close_connection = True

        def _release(self) -> None:
            """The request stops counting as in flight before its answer leaves (the client may send the
            next one as soon as it has read this answer)."""
            if getattr(self, "_counted", False):
                self._counted = False
                with server.lock:
                    server.in_flight -= 1

        def send_response(self, *args, **kwargs):
            self._release()
            super().send_response(*args, **kwargs)

        def _serve(self, method: str) -> None:
            parts = urllib.parse.urlsplit(self.path)
            path = parts.path
            if path.startswith("/v5"):
                path = path[3:]
            query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            form = dict(urllib.parse.parse_qsl(raw.decode())) if raw else {}
            entry = Logged(method, path, query, {k.lower(): v for k, v in self.headers.items()}, form,
                           at=time.monotonic())
            with server.lock:
                server.log.append(entry)
                over = len(server.log) > server.max_requests
                fault = next((f for f in server.faults if f.matches(method, path)), None)
                if fault is not None and fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        server.faults.remove(fault)
            if over:  # a runaway client: refuse and hang up
                self.close_connection = True
                self._send(entry, 503, _error(503, "The fake server's request limit was reached."))
                return
            if server.state.latency:
                time.sleep(server.state.latency)
            if fault is not None and fault.kind in ("trickle", "trickle_head", "huge", "garbage", "body"):
                self._special(entry, fault)
                return
            if fault is not None:
                if fault.kind == "slow":
                    time.sleep(fault.delay)
                elif fault.kind == "status":
                    time.sleep(fault.delay)
                    headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                    body = fault.body or _error(fault.status, f"Fault {fault.status}")
                    self._send(entry, fault.status, body, headers)
                    return
                elif fault.kind == "truncated":
                    self.close_connection = True
                    status, body = self._route(method, path, query, form)
                    data = json.dumps(body).encode()
                    entry.status = status
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[: max(1, len(data) // 2)])
                    self.wfile.flush()
                    return
                elif fault.kind == "badjson":
                    data = b'{"items": [{"id": "1"'
                    entry.status = 200
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                elif fault.kind == "close":
                    entry.status = -1
                    self.close_connection = True
                    return
            key = (method, path, tuple(sorted(query.items())), self.headers.get("Authorization"))
            if server.cache_answers and key in server._answers:
                status, data = server._answers[key]
                self._send(entry, status, None, data=data)
                return
            status, body = self._route(method, path, query, form)
            data = json.dumps(body).encode()
            if server.cache_answers and method == "GET":
                server._answers[key] = (status, data)
            self._send(entry, status, body, data=data)

        def _special(self, entry: Logged, fault: Fault) -> None:
            """Answers no real server should give; every loop is bounded and stops on a closed connection."""
            self.close_connection = True
            entry.status = 200
            try:
                if fault.kind == "trickle_head":  # the status line and headers, one byte per ``delay``
                    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + b"X-Pad: a\r\n" * 40
                    for byte in head[:400]:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(fault.delay)
                    return
                if fault.kind == "trickle":  # a valid head, then the body one byte per ``delay``
                    body = b'{"items": [], "bookmark": null, "pad": "' + b"x" * max(0, fault.size) + b'"}'
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.flush()
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(fault.delay)
                    return
                if fault.kind == "huge":  # ``size`` bytes of a JSON string, with or without a Content-Length
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    if fault.declare_length:
                        self.send_header("Content-Length", str(fault.size + 12))
                    self.end_headers()
                    self.wfile.write(b'{"items": ["')
                    chunk = b"y" * 65536
                    sent = 0
                    while sent < fault.size:
                        piece = chunk[: min(len(chunk), fault.size - sent)]
                        self.wfile.write(piece)
                        sent += len(piece)
                    self.wfile.write(b'"]}')
                    return
                data = fault.data if fault.kind == "body" and fault.data is not None else bytes(range(256)) * 4
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Connection", "close")  # it closes after this answer: said, as a server does
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass  # the client hung up: stop writing

        def _send(self, entry: Logged, status: int, body: dict | None, headers: dict | None = None,
                  data: bytes | None = None) -> None:
            if data is None:
                data = json.dumps(body).encode()
            entry.status = status
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-pinterest-rid", "1234567890")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            try:
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        # ------------------------------------------------------------ the API
        def _bearer_ok(self) -> bool:
            header = self.headers.get("Authorization") or ""
            return header.startswith("Bearer ") and header[7:] in server.state.valid_tokens

        def _route(self, method: str, path: str, query: dict, form: dict) -> tuple[int, dict]:
            st = server.state
            if method == "POST" and path == "/oauth/token":
                return self._oauth(form)
            if method != "GET":
                return 405, _error(405, "Method not allowed")
            if not self._bearer_ok():
                return 401, _error(2, "Authentication failed.")
            if path == "/user_account":
                return 200, {"account_type": st.account_type, "id": st.account_id, "username": st.username,
                             "business_name": "Example Blog" if st.account_type == "BUSINESS" else None,
                             "board_count": st.n_boards, "pin_count": st.n_pins, "follower_count": 5,
                             "following_count": 1, "monthly_views": 100}
            if path.startswith("/user_account/analytics") or path.endswith("/analytics"):
                if st.account_type != "BUSINESS":
                    return 403, _error(403, "Not authorized to access the user account analytics.")
                problem, start, end = self._dates(query)
                if problem:
                    return 400, _error(400, problem)
                if path == "/user_account/analytics":
                    return 200, self._analytics(start, end, lambda d: server.account_metrics(d))
                if path == "/user_account/analytics/top_pins":
                    return self._top_pins(query)
                if path.startswith("/pins/") and path.count("/") == 3:
                    return self._pin_analytics(path.split("/")[2], query, start, end)
                return 404, _error(404, "Not found.")
            if path == "/pins":
                if st.endless_pages:
                    return self._endless(query, lambda i: {**server.pin(i % st.n_pins), "id": server.pin_id(i)})
                pins = [server.pin(i) for i in range(st.n_pins)]
                if query.get("pin_metrics") != "true":
                    for pin in pins:
                        pin.pop("pin_metrics", None)
                return self._page(pins, query)
            if path == "/boards":
                if st.endless_pages:
                    return self._endless(query, lambda j: {**server.board(j % st.n_boards),
                                                           "id": server.board_id(j)})
                return self._page([server.board(j) for j in range(st.n_boards)], query)
            return 404, _error(404, "Not found.")

        def _dates(self, query: dict):
            try:
                start = dt.date.fromisoformat(query["start_date"])
                end = dt.date.fromisoformat(query["end_date"])
            except (KeyError, ValueError):
                return "start_date and end_date are required (YYYY-MM-DD).", None, None
            today = server.today()
            if start < today - dt.timedelta(days=90):
                return "start_date cannot be more than 90 days back from today.", None, None
            if end < start or (end - start).days > 90:
                return "end_date cannot be more than 90 days past start_date.", None, None
            return None, start, end

        def _analytics(self, start: dt.date, end: dt.date, values, created: dt.date | None = None) -> dict:
            days = []
            day = start
            while day <= end:
                if day >= server.today():
                    break
                if created is not None and day < created:
                    days.append({"date": day.isoformat(), "data_status": "BEFORE_PIN_CREATED", "metrics": {}})
                else:
                    days.append({"date": day.isoformat(), "data_status": server.status(day), "metrics": values(day)})
                day += dt.timedelta(days=1)
            summary: dict = {}
            for item in days:
                for key, value in item["metrics"].items():
                    summary[key] = summary.get(key, 0) + value
            return {"all": {"daily_metrics": days, "summary_metrics": summary}}

        def _top_pins(self, query: dict) -> tuple[int, dict]:
            sort_by = query.get("sort_by")
            if sort_by not in ("ENGAGEMENT", "IMPRESSION", "OUTBOUND_CLICK", "PIN_CLICK", "SAVE"):
                return 400, _error(400, "sort_by is required.")
            n = int(query.get("num_of_pins", 10))
            if not 1 <= n <= 50:
                return 400, _error(400, "num_of_pins must be between 1 and 50.")
            active = [i for i in range(server.state.n_pins) if not server.is_inactive(i)]
            key = {"OUTBOUND_CLICK": lambda i: -(i % 4), "SAVE": lambda i: i % 3}.get(sort_by, lambda i: i)
            ranked = sorted(active, key=lambda i: (key(i), i))[:n]
            pins = []
            for i in ranked:
                w = server.state.n_pins - i
                metrics = {"IMPRESSION": w * 1000, "SAVE": w * 2, "OUTBOUND_CLICK": w * 3, "PIN_CLICK": w * 5,
                           "ENGAGEMENT": w * 10, "SAVE_RATE": 0.002}
                pins.append({"pin_id": server.pin_id(i), "metrics": metrics,
                             "data_status": {k: "READY" for k in metrics}})
            return 200, {"date_availability": {"is_realtime": False, "latest_available_timestamp": 0},
                         "pins": pins, "sort_by": sort_by}

        def _pin_analytics(self, pin_id: str, query: dict, start, end) -> tuple[int, dict]:
            i = server.pin_index(pin_id)
            if i is None:
                return 404, _error(404, "Pin not found.")
            wanted = [m for m in (query.get("metric_types") or "").split(",") if m]
            if not wanted:
                return 400, _error(400, "metric_types is required.")
            return 200, self._analytics(start, end, lambda d: server.pin_metrics_for(i, d, wanted),
                                        created=server.pin_created(i))

        def _page(self, items: list, query: dict) -> tuple[int, dict]:
            size = int(query.get("page_size", 25))
            if not 1 <= size <= 250:
                return 400, _error(400, "page_size must be between 1 and 250.")
            offset = 0
            if query.get("bookmark"):
                offset = int(base64.b64decode(query["bookmark"]).decode().split(":")[1])
            page = items[offset: offset + size]
            nxt = offset + size
            bookmark = base64.b64encode(f"offset:{nxt}".encode()).decode() if nxt < len(items) else None
            return 200, {"items": page, "bookmark": bookmark}

        def _endless(self, query: dict, make) -> tuple[int, dict]:
            """A list that never ends: every page has new items and a new bookmark."""
            size = int(query.get("page_size", 25))
            offset = int(base64.b64decode(query["bookmark"]).decode().split(":")[1]) if query.get("bookmark") else 0
            page = [make(offset + k) for k in range(size)]
            return 200, {"items": page, "bookmark": base64.b64encode(f"offset:{offset + size}".encode()).decode()}

        def _oauth(self, form: dict) -> tuple[int, dict]:
            st = server.state
            expected = "Basic " + base64.b64encode(f"{st.app_id}:{st.app_secret}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                return 401, _error(401, "Authentication failed.")
            grant = form.get("grant_type")
            if grant == "authorization_code":
                if form.get("code") != st.oauth_code or not form.get("redirect_uri"):
                    return 400, _error(400, "Invalid authorization code.")
            elif grant == "refresh_token":
                if form.get("refresh_token") != st.refresh_token:
                    return 400, _error(400, "Invalid refresh token.")
            else:
                return 400, _error(400, "Invalid grant_type.")
            with server.lock:
                st.issued += 1
                access = f"pina_ISSUED_{st.issued}_abcdefghijkl"
                st.refresh_token = f"pinr_ROTATED_{st.issued}_mnopqrstu"
                st.valid_tokens.add(access)
            return 200, {"access_token": access, "refresh_token": st.refresh_token, "response_type": grant,
                         "token_type": "bearer", "expires_in": 2592000, "refresh_token_expires_in": 5184000,
                         "refresh_token_expires_at": int(time.time()) + 5184000,
                         "scope": "boards:read,pins:read,user_accounts:read"}

    return Handler
