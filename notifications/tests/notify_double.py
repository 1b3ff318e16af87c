"""A small HTTP server that speaks GOV.UK Notify's send-a-text API, for the real client.

`POST /v2/notifications/sms` as Notify documents it: the Authorization header must carry a
JWT signed (HS256) with the secret half of the API key, `iss` the service id and `iat`
within 30 seconds of now, or the answer is a 403 (checked with PyJWT, as Notify does). The
body must name the expected template and a personalisation. What to answer next can be set
(`answers`: 500s, 403s, 400s), and numbers in `bad_numbers` get Notify's 400. Every request
is recorded, refused or not.
"""

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt

TOKEN_LEEWAY_SECONDS = 30


@dataclass
class Request:
    path: str
    status: int
    body: dict
    claims: dict | None
    refusal: str = ""


@dataclass
class NotifyDouble:
    service_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    secret: str = field(default_factory=lambda: str(uuid.uuid4()))
    template_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    answers: list[int] = field(default_factory=list)
    bad_numbers: set[str] = field(default_factory=set)
    requests: list[Request] = field(default_factory=list)
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def api_key(self) -> str:
        return f"involvement_test-{self.service_id}-{self.secret}"

    @property
    def accepted(self) -> list[Request]:
        return [request for request in self.requests if request.status == 201]

    def check_token(self, header: str) -> tuple[dict | None, str]:
        if not header.startswith("Bearer "):
            return None, "Unauthorized: authentication token must be provided"
        token = header.removeprefix("Bearer ")
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                options={"require": ["iss", "iat"], "verify_iat": False},
            )
        except jwt.InvalidTokenError as error:
            return None, f"Invalid token: {type(error).__name__}"
        if claims["iss"] != self.service_id:
            return None, "Invalid token: service not found"
        if abs(time.time() - int(claims["iat"])) > TOKEN_LEEWAY_SECONDS:
            return None, "Invalid token: expired, check that your system clock is accurate"
        return claims, ""

    def answer(self, headers, body: dict) -> tuple[int, dict, dict | None, str]:
        claims, refusal = self.check_token(headers.get("Authorization", ""))
        if refusal:
            return (
                403,
                {"errors": [{"error": "AuthError", "message": refusal}], "status_code": 403},
                None,
                refusal,
            )
        with self.lock:
            forced = self.answers.pop(0) if self.answers else None
        if forced == 500:
            errors = [{"error": "Exception", "message": "Internal server error"}]
            return 500, {"errors": errors, "status_code": 500}, claims, ""
        if forced == 403:
            errors = [{"error": "AuthError", "message": "Invalid token"}]
            return 403, {"errors": errors, "status_code": 403}, claims, "forced"
        number = body.get("phone_number", "")
        if forced == 400 or number in self.bad_numbers:
            errors = [{"error": "ValidationError", "message": "phone_number Not a UK mobile number"}]
            return 400, {"errors": errors, "status_code": 400}, claims, ""
        if body.get("template_id") != self.template_id:
            errors = [{"error": "BadRequestError", "message": "Template not found"}]
            return 400, {"errors": errors, "status_code": 400}, claims, ""
        personalisation = body.get("personalisation") or {}
        if "body" not in personalisation:
            errors = [{"error": "BadRequestError", "message": "Missing personalisation: body"}]
            return 400, {"errors": errors, "status_code": 400}, claims, ""
        notification_id = str(uuid.uuid4())
        return (
            201,
            {
                "id": notification_id,
                "reference": body.get("reference"),
                "content": {"body": personalisation["body"], "from_number": "GOVUK"},
                "uri": f"{self.url}/v2/notifications/{notification_id}",
                "template": {"id": self.template_id, "version": 1, "uri": f"{self.url}/v2/template/x"},
            },
            claims,
            "",
        )


def _handler_for(double: NotifyDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = {}
            if self.path != "/v2/notifications/sms":
                status, answer, claims, refusal = 404, {"errors": [{"error": "NotFound"}]}, None, ""
            else:
                status, answer, claims, refusal = double.answer(self.headers, body)
            double.requests.append(Request(self.path, status, body, claims, refusal))
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format, *args) -> None:  # quiet in the test output
            pass

    return Handler


@contextmanager
def notify_server(double: NotifyDouble | None = None) -> Iterator[NotifyDouble]:
    double = double or NotifyDouble()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(double))
    double.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield double
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
