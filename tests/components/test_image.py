"""Image: scanned, encrypted repository with a lifecycle policy; image built for the task's platform."""

import contextlib
import datetime as dt
import hashlib
import http.server
import ipaddress
import json
import ssl
import threading
import urllib.error
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from components._rds_ca import fetch_sha256
from components.image import Image, ImageArgs
from tests.components.harness import ROOT, run, run_main
from tests.conftest import OFFLINE_RDS_CA_SHA256

PIN = "ab" * 32


@pytest.mark.parametrize(("arch", "platform"), [("ARM64", "linux/arm64"), ("X86_64", "linux/amd64")])
def test_repository_is_hardened_and_image_matches_the_architecture(arch, platform):
    # Given an image for one task architecture
    def program():
        image = Image(
            "img",
            ImageArgs(context=str(ROOT), cpu_architecture=arch, rds_ca_bundle_sha256=PIN),
        )
        return {"uri": image.image_uri, "url": image.repository_url}

    # When it is registered
    graph = run(program)

    # Then the repository scans on push and is encrypted
    repo = graph.one("aws:ecr/repository:Repository")
    assert repo.inputs["imageScanningConfiguration"] == {"scanOnPush": True}
    assert repo.inputs["encryptionConfigurations"][0]["encryptionType"] == "AES256"
    # And it has a lifecycle policy that expires untagged and old images
    lifecycle = graph.one("aws:ecr/lifecyclePolicy:LifecyclePolicy")
    assert lifecycle.inputs["repository"] == repo.outputs["name"]
    rules = json.loads(lifecycle.inputs["policy"])["rules"]
    assert [r["action"]["type"] for r in rules] == ["expire", "expire"]
    # And the image is built from the repo's Dockerfile for the same platform, pushed to that repository
    built = graph.one("awsx:ecr:Image").inputs
    assert built["platform"] == platform
    assert built["dockerfile"] == f"{ROOT}/Dockerfile" and built["context"] == str(ROOT)
    assert built["args"]["RDS_CA_BUNDLE_SHA256"] == PIN
    assert built["repositoryUrl"] == graph.values["url"]
    # And the service gets it by digest
    assert graph.values["uri"].startswith(graph.values["url"] + "@sha256:")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ({"cpu_architecture": "ppc64le"}, "cpu_architecture"),
        ({"rds_ca_bundle_sha256": "ab"}, "rds_ca_bundle_sha256"),
        ({"rds_ca_bundle_sha256": "AB" * 32}, "rds_ca_bundle_sha256"),
        ({"build_args": {"RDS_CA_BUNDLE_SHA256": PIN}}, "build_args"),
    ],
)
def test_rejects_bad_args_naming_the_field(args, field):
    with pytest.raises(ValueError, match=f"`{field}`"):
        Image("img", ImageArgs(context="/repo", **{"rds_ca_bundle_sha256": PIN, **args}))


# --- The RDS CA bundle's checksum, resolved at deploy time --------------------------------------------


@dataclass
class Tls:
    """A throwaway CA (as a file a client can trust) and a server certificate for 127.0.0.1 it signed."""

    ca_file: Path
    server: ssl.SSLContext


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    now, oid = dt.datetime.now(dt.UTC), x509.NameOID.COMMON_NAME
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(oid, "order-events test CA")])

    def cert(subject, public_key, extensions):
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(ca_name)
            .public_key(public_key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=1))
            .not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), False)
        )
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical)
        return builder.sign(ca_key, hashes.SHA256())

    usage = dict.fromkeys(("content_commitment", "data_encipherment", "key_agreement", "encipher_only",
                           "decipher_only", "crl_sign"), False)  # fmt: skip
    ca = cert(ca_name, ca_key.public_key(), [
        (x509.BasicConstraints(ca=True, path_length=0), True),
        (x509.KeyUsage(digital_signature=False, key_encipherment=False, key_cert_sign=True, **usage), True),
    ])  # fmt: skip
    server = cert(x509.Name([x509.NameAttribute(oid, "127.0.0.1")]), key.public_key(), [
        (x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False),
        (x509.ExtendedKeyUsage([x509.ExtendedKeyUsageOID.SERVER_AUTH]), False),
        (x509.KeyUsage(digital_signature=True, key_encipherment=False, key_cert_sign=False, **usage), True),
    ])  # fmt: skip
    pem = serialization.Encoding.PEM
    here = tmp_path_factory.mktemp("tls")
    (here / "ca.pem").write_bytes(ca.public_bytes(pem))
    (here / "server.pem").write_bytes(server.public_bytes(pem))
    (here / "server.key").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(here / "server.pem", here / "server.key")
    return Tls(here / "ca.pem", context)


@contextlib.contextmanager
def https(tls: Tls, files: dict[str, bytes]) -> Iterator[str]:
    """Serve `files` over HTTPS on loopback; yields the base URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(self.path.lstrip("/"))
            self.send_response(200 if body is not None else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler) as server:
        server.socket = tls.server.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"https://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()


BUNDLE = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"


def test_bundle_checksum_is_fetched_over_verified_https(tls, monkeypatch):
    # Given the bundle served over HTTPS by a server whose CA the default SSL context trusts
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file))
    with https(tls, {"global-bundle.pem": BUNDLE, "page.html": b"<html>"}) as base:
        # When its checksum is fetched, Then it is the sha256 of exactly those bytes
        assert fetch_sha256(f"{base}/global-bundle.pem") == hashlib.sha256(BUNDLE).hexdigest()
        # And a body that is not a PEM bundle (an error page, say) is refused
        with pytest.raises(ValueError, match="PEM"):
            fetch_sha256(f"{base}/page.html")
        # And a server the default context does not trust is refused
        monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file.with_name("server.pem")))
        with pytest.raises(urllib.error.URLError, match="CERTIFICATE_VERIFY_FAILED"):
            fetch_sha256(f"{base}/global-bundle.pem")


def test_bundle_url_must_be_https():
    with pytest.raises(ValueError, match="`rds_ca_bundle_url`"):
        fetch_sha256("http://truststore.pki.rds.amazonaws.com/global/global-bundle.pem")


def test_without_a_pin_the_image_is_built_with_the_fetched_checksum_and_exposes_it(tls, monkeypatch):
    # Given no pin, and the bundle at an HTTPS URL the default context trusts
    monkeypatch.setenv("SSL_CERT_FILE", str(tls.ca_file))
    with https(tls, {"global-bundle.pem": BUNDLE}) as base:
        url = f"{base}/global-bundle.pem"
        # When the image is registered
        args = ImageArgs(context=str(ROOT), rds_ca_bundle_url=url)
        graph = run(lambda: {"sha": Image("img", args).rds_ca_bundle_sha256})
    # Then the build fetches that URL, checks it against the checksum resolved now, and records it
    built = graph.one("awsx:ecr:Image").inputs["args"]
    sha = hashlib.sha256(BUNDLE).hexdigest()
    assert built["RDS_CA_BUNDLE"] == url and built["RDS_CA_BUNDLE_SHA256"] == sha
    assert graph.values["sha"] == sha


def test_a_pin_is_used_as_is_and_nothing_is_fetched():
    # Given a pin and a URL where nothing answers (a fetch would fail)
    pin = "a" * 64
    args = ImageArgs(context=str(ROOT), rds_ca_bundle_sha256=pin, rds_ca_bundle_url="https://127.0.0.1:9/x")
    graph = run(lambda: {"sha": Image("img", args).rds_ca_bundle_sha256})
    # Then the build is held to the pin, and the output is the pin
    assert graph.one("awsx:ecr:Image").inputs["args"]["RDS_CA_BUNDLE_SHA256"] == pin
    assert graph.values["sha"] == pin


def test_the_program_builds_with_the_resolved_checksum_and_exports_it():
    # Given a stack with no pin (the default): the tests' stand-in for AWS's truststore answers
    graph = run_main("dev")
    # Then the image is built against that checksum and the stack exports it, to be pinned later
    assert graph.one("awsx:ecr:Image").inputs["args"]["RDS_CA_BUNDLE_SHA256"] == OFFLINE_RDS_CA_SHA256
    assert graph.values["rds_ca_bundle_sha256"] == OFFLINE_RDS_CA_SHA256
