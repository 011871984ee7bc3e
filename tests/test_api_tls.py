"""TLS through the system's certificate store: the client's pool and context against a real local HTTPS server
with a throwaway certificate authority, on a Debian and a Fedora store layout; and the smoke's step for it."""
from __future__ import annotations

import shutil
import sys

import pytest

from pinviewer.core.api import client as api
from pinviewer.core.api import tlscheck
from pinviewer.core.api.transport import make_pool

LINUX = sys.platform.startswith("linux")


def tools():
    found = []
    try:
        import cryptography  # noqa: F401

        found.append("cryptography")
    except ImportError:
        pass
    if shutil.which("openssl"):
        found.append("openssl")
    return found or ["none"]


@pytest.mark.parametrize("how", tools())
def test_a_certificate_trusted_only_through_the_store_passes_on_debian_and_fedora_layouts(tmp_path, how):
    if how == "none":
        pytest.skip("neither cryptography nor openssl here")
    line = tlscheck.check(tmp_path, how)
    if LINUX:
        assert line.startswith("TLS handshake trusted through a Debian/Ubuntu and a Fedora/RHEL certificate store "
                               "only, refused without it")
    assert f"made with {how}" in line


@pytest.mark.skipif(not LINUX, reason="the store layouts are Linux's")
@pytest.mark.parametrize("layout", list(tlscheck.LAYOUTS))
def test_each_layout_alone_is_enough_and_an_empty_store_is_refused(tmp_path, layout):
    ca, server, key, _ = tlscheck.make_certificates(tmp_path / "certs")
    with tlscheck.https_server(server, key) as port:
        root = tlscheck.lay_out(tmp_path / "store", layout, ca.read_bytes())
        with tlscheck.system_store_at(root):
            tlscheck.handshake(port)
        assert (root / "etc/pki/tls/certs/ca-bundle.crt").exists() == (layout == "Fedora/RHEL")
        with tlscheck.system_store_at(tlscheck.lay_out(tmp_path / "empty", layout, None)):
            with pytest.raises(Exception) as info:
                tlscheck.handshake(port)
        assert tlscheck.is_certificate_refusal(info.value)


def test_an_unknown_certificate_is_a_sentence_and_is_not_retried(tmp_path, monkeypatch):
    ca, server, key, _ = tlscheck.make_certificates(tmp_path / "certs")
    with tlscheck.https_server(server, key) as port:
        client = api.PinterestClient("pina_x", retry=api.RetryPolicy(base_delay=0.001))
        pool = make_pool("https", "localhost", port, ssl_context=client.wire.ssl_context, use_proxy=False)
        monkeypatch.setattr(client.wire, "connection_pool", lambda: pool)  # the real host, here on loopback
        with pytest.raises(api.CertificateError) as info:
            client.user_account()
        assert "could not verify that it is really talking to Pinterest" in str(info.value)
        assert client.requests == 1


def test_without_a_way_to_make_a_certificate_the_smoke_says_skipped(tmp_path, monkeypatch):
    from pinviewer import smoke

    monkeypatch.setitem(sys.modules, "cryptography", None)  # import cryptography now fails
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(smoke.StepSkipped, match="neither the cryptography package nor the openssl command"):
        smoke._tls(tmp_path)
    out = []

    class Out:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    steps = smoke._Steps(Out())
    steps.run("tls", smoke._tls, tmp_path)
    assert "".join(out).startswith("smoke: tls        skipped no TLS handshake check: neither") and not steps.failures


def test_the_smoke_step_passes_here(tmp_path):
    from pinviewer import smoke

    if tools() == ["none"]:
        pytest.skip("neither cryptography nor openssl here")
    assert "refused" in smoke._tls(tmp_path)
    assert "system certificates in" in smoke._https() or not LINUX
