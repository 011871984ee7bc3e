"""Does the Pinterest client trust what the system trusts? A self-contained TLS check for ``pinviewer --smoke``.

A frozen Linux bundle carries Debian's OpenSSL, which looks for certificates only under ``/usr/lib/ssl``; the
client therefore verifies through ``truststore`` (the system's store). This check proves it end to end, on the
machine it runs on and without touching it: it makes a throwaway certificate authority and a server certificate
for ``localhost`` (with the ``cryptography`` package when it is installed, as keyring's SecretStorage brings it
on Linux, else with the ``openssl`` command), starts an HTTPS server on 127.0.0.1 with them, and makes the
client's own connection pool shake hands with it while the system's certificate store is a folder laid out like

* Debian and Ubuntu: ``/etc/ssl/certs/ca-certificates.crt``;
* Fedora and RHEL: ``/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem``, reached as
  ``/etc/pki/tls/certs/ca-bundle.crt`` and ``/etc/pki/tls/cert.pem``;

holding only the throwaway authority (OpenSSL's own default paths are pointed at nothing meanwhile). The
handshake must succeed on both layouts and fail on an empty one: the certificate is trusted only through the
store. On macOS and Windows truststore asks the operating system, which cannot be given a throwaway authority
without an administrator; there only the refusal of an unknown authority is checked.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LAYOUTS: dict[str, dict[str, str | None]] = {
    "Debian/Ubuntu": {"etc/ssl/certs/ca-certificates.crt": None},
    "Fedora/RHEL": {"etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem": None,
                    "etc/pki/tls/certs/ca-bundle.crt": "../../ca-trust/extracted/pem/tls-ca-bundle.pem",
                    "etc/pki/tls/cert.pem": "../ca-trust/extracted/pem/tls-ca-bundle.pem"},
}


class Skipped(Exception):
    """The check cannot run here (no way to make a certificate); said in one line, not a failure."""


class CheckFailed(Exception):
    pass


# ------------------------------------------------------------------------------------------------ certificates
def make_certificates(folder: Path, how: str = "auto") -> tuple[Path, Path, Path, str]:
    """(ca.pem, server.pem, server.key, tool): a throwaway authority and a certificate for localhost/127.0.0.1.
    ``how``: "auto" (cryptography, else openssl), "cryptography" or "openssl"."""
    folder.mkdir(parents=True, exist_ok=True)
    if how in ("auto", "cryptography"):
        try:
            return (*_with_cryptography(folder), "cryptography")
        except ImportError:
            if how == "cryptography":
                raise Skipped("the cryptography package is not installed") from None
    if shutil.which("openssl") is None:
        raise Skipped("neither the cryptography package nor the openssl command is here to make a test "
                      "certificate")
    return (*_with_openssl(folder), "openssl")


def _with_cryptography(folder: Path) -> tuple[Path, Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PinViewer smoke test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    server = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
              .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=2))
              .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                          x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                             critical=False)
              .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
              .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
              .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
              .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                             critical=False)
              .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


def _with_openssl(folder: Path) -> tuple[Path, Path, Path]:
    ca, ca_key = folder / "ca.pem", folder / "ca.key"
    server, key, request, extensions = (folder / "server.pem", folder / "server.key", folder / "server.csr",
                                        folder / "server.ext")
    extensions.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=critical,CA:FALSE\n"
                          "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\n"
                          "authorityKeyIdentifier=keyid\n", encoding="ascii")
    curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    steps = [
        ["openssl", "req", "-x509", *curve, "-keyout", str(ca_key), "-out", str(ca), "-days", "2",
         "-subj", "/CN=PinViewer smoke test CA", "-addext", "basicConstraints=critical,CA:TRUE,pathlen:0",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-addext", "subjectKeyIdentifier=hash"],
        ["openssl", "req", "-new", *curve, "-keyout", str(key), "-out", str(request), "-subj", "/CN=localhost"],
        ["openssl", "x509", "-req", "-in", str(request), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
         "-out", str(server), "-days", "2", "-sha256", "-extfile", str(extensions)],
    ]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            raise CheckFailed(f"openssl could not make a test certificate: {done.stderr.strip()[-200:]}")
    return ca, server, key


# ------------------------------------------------------------------------------------------------ server
class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server hook
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # quiet
        pass


@contextlib.contextmanager
def https_server(certificate: Path, key: Path) -> Iterator[int]:
    """An HTTPS server on 127.0.0.1 (a free port) for the duration of the ``with``; yields the port."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate), str(key))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    httpd.daemon_threads = True
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


# ------------------------------------------------------------------------------------------------ the store
def lay_out(root: Path, layout: str, ca_pem: bytes | None) -> Path:
    """``root`` laid out like ``layout``'s /etc, its CA bundle holding ``ca_pem`` (None: an empty store)."""
    for relative, target in LAYOUTS[layout].items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if target is None:
            if ca_pem is not None:
                path.write_bytes(ca_pem)
        elif ca_pem is not None:
            path.symlink_to(target)
    return root


@contextlib.contextmanager
def system_store_at(root: Path) -> Iterator[None]:
    """For the duration of the ``with``, truststore's Linux search for the system's CA bundle looks under
    ``root`` instead of ``/``, and OpenSSL's own default paths (SSL_CERT_FILE, SSL_CERT_DIR) lead nowhere, as
    in a frozen bundle on a system that does not keep certificates where its OpenSSL was built to look."""
    import truststore._openssl as linux  # the candidate list truststore walks on Linux

    candidates = getattr(linux, "_CA_FILE_CANDIDATES", None)
    if not isinstance(candidates, list):
        raise CheckFailed("this truststore does not list where Linux keeps certificates (_CA_FILE_CANDIDATES); "
                          "update the TLS check with truststore")
    saved_env = {name: os.environ.get(name) for name in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
    os.environ["SSL_CERT_FILE"] = str(root / "no-such-file.pem")
    os.environ["SSL_CERT_DIR"] = str(root / "no-such-folder")
    # truststore has no public hook for where it looks: its module-level list is replaced for the check
    linux._CA_FILE_CANDIDATES = [str(root / path.lstrip("/")) for path in candidates]  # noqa: SLF001
    try:
        yield
    finally:
        linux._CA_FILE_CANDIDATES = candidates  # noqa: SLF001
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def handshake(port: int) -> None:
    """GET https://localhost:PORT/ through the Pinterest client's own pool and TLS context (a fresh one:
    truststore loads the store into a context when it first connects)."""
    from pinviewer.core.api.transport import make_pool, tls_context

    pool = make_pool("https", "localhost", port, maxsize=1, ssl_context=tls_context(), use_proxy=False)
    try:
        response = pool.urlopen("GET", "/", retries=False, redirect=False, timeout=10.0)
        if response.status != 200:
            raise CheckFailed(f"the local HTTPS server answered {response.status}")
    finally:
        pool.close()


def is_certificate_refusal(error: BaseException) -> bool:
    from pinviewer.core.api.transport import chain

    return any(isinstance(e, (ssl.SSLCertVerificationError, ssl.CertificateError)) for e in chain(error))


def check(folder: Path, how: str = "auto") -> str:
    """The whole check; returns one line saying what was shown. Raises Skipped or CheckFailed."""
    ca, server, key, tool = make_certificates(folder / "certs", how)
    ca_pem = ca.read_bytes()
    linux = sys.platform.startswith("linux")
    with https_server(server, key) as port:
        shown = []
        if linux:
            for layout in LAYOUTS:
                with system_store_at(lay_out(folder / layout.replace("/", "-"), layout, ca_pem)):
                    try:
                        handshake(port)
                    except CheckFailed:
                        raise
                    except Exception as error:
                        raise CheckFailed(f"no TLS handshake with a certificate trusted through a {layout} "
                                          f"certificate store: {type(error).__name__}: {error}") from None
                shown.append(layout)
        with contextlib.ExitStack() as stack:  # the same authority, unknown to the store: must be refused
            if linux:
                stack.enter_context(system_store_at(lay_out(folder / "empty", "Debian/Ubuntu", None)))
            try:
                handshake(port)
            except Exception as error:
                if not is_certificate_refusal(error):
                    raise CheckFailed(f"an unknown authority failed otherwise than by refusal: "
                                      f"{type(error).__name__}: {error}") from None
            else:
                raise CheckFailed("a certificate from an authority the store does not hold was accepted")
    if linux:
        return (f"TLS handshake trusted through a {' and a '.join(shown)} certificate store only, refused "
                f"without it (test certificate made with {tool})")
    return (f"an unknown certificate authority is refused (test certificate made with {tool}); this system's "
            "own store is asked through truststore")
