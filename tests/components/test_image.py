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

import pulumi
import pytest

from components.image import Image, ImageArgs, _ecr
from components.image._build_context import (
    CONTENT_TAG_PREFIX,
    admitted_files,
    content_tag,
    is_excluded,
    read_patterns,
)
from components.image._rds_ca import fetch_sha256
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
    # And it has a lifecycle policy: the one that keeps the newest content-tagged images (tested below)
    lifecycle = graph.one("aws:ecr/lifecyclePolicy:LifecyclePolicy")
    assert lifecycle.inputs["repository"] == repo.outputs["name"]
    assert json.loads(lifecycle.inputs["policy"]) == json.loads(_ecr.lifecycle_policy(10))
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


# --- Content tags and what the repository keeps -------------------------------------------------------


@pytest.fixture
def context(tmp_path: Path) -> Path:
    """A small build context with the project's real .dockerignore: two admitted files, two ignored."""
    (tmp_path / ".dockerignore").write_bytes((ROOT / ".dockerignore").read_bytes())
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    (tmp_path / "handler" / "__pycache__").mkdir(parents=True)
    (tmp_path / "handler" / "app.py").write_text("print('v1')\n")
    (tmp_path / "handler" / "__pycache__" / "app.cpython-313.pyc").write_bytes(b"\0")
    (tmp_path / "README.md").write_text("docs\n")
    return tmp_path


def _tag(context: Path, args: dict[str, str] | None = None, platform: str = "linux/arm64") -> str:
    return content_tag(context, context / "Dockerfile", args or {"A": "1"}, platform)


def test_content_tag_is_stable_and_follows_exactly_what_the_build_sees(context):
    # Given a context; Then it sees exactly the files .dockerignore lets through
    assert list(admitted_files(context, read_patterns((context / ".dockerignore").read_text()))) == [
        "pyproject.toml",
        "handler/app.py",
    ]
    # And the same content gives the same tag, every time
    tag = _tag(context)
    assert tag == _tag(context) and tag.startswith(CONTENT_TAG_PREFIX)
    # When only files the build never sees change, Then the tag stays
    (context / "README.md").write_text("other docs\n")
    (context / "handler" / "__pycache__" / "app.cpython-313.pyc").write_bytes(b"\1")
    assert _tag(context) == tag
    # When anything the build sees changes, Then the tag changes
    changed = {_tag(context, {"A": "2"}), _tag(context, platform="linux/amd64")}
    (context / "handler" / "app.py").write_text("print('v2')\n")
    changed.add(_tag(context))
    (context / "Dockerfile").write_text("FROM scratch\nUSER 1\n")
    changed.add(_tag(context))
    assert tag not in changed and len(changed) == 4


def test_dockerignore_is_read_as_docker_reads_it():
    patterns = read_patterns("# comment\n*\n!handler/\n**/__pycache__\n**/*.py[co]\n!/keep.txt\n")
    assert not is_excluded("handler/store/mongo.py", patterns)
    assert is_excluded("handler/store/__pycache__/mongo.cpython-313.pyc", patterns)
    assert is_excluded("handler/x.pyo", patterns) and is_excluded(".venv/bin/python", patterns)
    assert not is_excluded("keep.txt", patterns) and is_excluded("docs/keep.txt", patterns)


def _expired(policy: dict, images: list[dict]) -> set[str]:
    """ECR's lifecycle evaluation (ECR User Guide, lifecycle policy evaluation rules), conservatively: a rule
    expires what its selection matches past its count or age, unless a higher-priority rule matched it."""
    expired, claimed = set(), set()
    for rule in sorted(policy["rules"], key=lambda r: r["rulePriority"]):
        selection = rule["selection"]

        def selects(image: dict, selection: dict = selection) -> bool:
            if selection["tagStatus"] == "untagged":
                return not image["tags"]
            if selection["tagStatus"] == "any":
                return True
            return all(any(t.startswith(p) for t in image["tags"]) for p in selection["tagPrefixList"])

        matched = sorted((i for i in images if selects(i)), key=lambda i: i["age_days"])  # newest first
        if selection["countType"] == "imageCountMoreThan":
            past = matched[selection["countNumber"] :]
        else:
            past = [i for i in matched if i["age_days"] > selection["countNumber"]]
        expired |= {i["digest"] for i in past} - claimed
        claimed |= {i["digest"] for i in matched}
    return expired


def _history(tags: list[list[str]]) -> list[dict]:
    """Images pushed a day apart, the newest first."""
    return [{"digest": f"sha256:{n}", "tags": t, "age_days": n} for n, t in enumerate(tags)]


@pytest.mark.parametrize("keep", [2, 10])
def test_lifecycle_never_expires_the_running_image_or_the_one_before(keep):
    # Given 15 deploys, each its own content tag; the newest running, the one before it the rollback
    # target; and an older image whose tag a rebuild of the same content moved (so untagged), plus one
    # pushed under awsx's old fixed tag
    history = _history([[f"{CONTENT_TAG_PREFIX}{n:040x}"] for n in range(15)] + [[], ["0a1b2c-container"]])
    # When the repository's policy is evaluated
    gone = _expired(json.loads(_ecr.lifecycle_policy(keep)), history)
    # Then the running image and the one before it stay, and so does every untagged or other-tagged image
    assert {"sha256:0", "sha256:1"}.isdisjoint(gone)
    assert {"sha256:15", "sha256:16"}.isdisjoint(gone)
    # And old content-tagged images do go: exactly those past the newest `keep`
    assert gone == {f"sha256:{n}" for n in range(keep, 15)}


def test_the_evaluation_catches_what_the_old_policy_did():
    # Given awsx's fixed tag: every push moved it, so the image before the running one was untagged
    old_policy = {"rules": [
        {"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
                                          "countUnit": "days", "countNumber": 1}},
        {"rulePriority": 2, "selection": {"tagStatus": "any", "countType": "imageCountMoreThan",
                                          "countNumber": 10}},
    ]}  # fmt: skip
    history = [
        {"digest": "sha256:running", "tags": ["abc-container"], "age_days": 2},
        {"digest": "sha256:previous", "tags": [], "age_days": 3},
    ]
    # Then two days after the last deploy, the rollback target had expired
    assert "sha256:previous" in _expired(old_policy, history)


def test_lifecycle_keeps_a_rollback_target_at_least():
    with pytest.raises(ValueError, match="`keep_images`"):
        Image("img", ImageArgs(context=str(ROOT), rds_ca_bundle_sha256=PIN, keep_images=1))


def test_pushed_images_are_never_deleted_by_pulumi_only_by_the_policy():
    # Given awsx's docker-build child (replaced whenever the content tag changes) and some other child
    def transform(type_: str) -> pulumi.ResourceTransformResult | None:
        opts = pulumi.ResourceOptions(protect=False)
        args = pulumi.ResourceTransformArgs(True, type_, "img", {"tags": ["repo:content-1"]}, opts)
        return _ecr.keep_pushed_images(args)

    # Then the image is retained on delete, its inputs untouched, and nothing else is changed
    kept = transform("docker-build:index:Image")
    assert kept.opts.retain_on_delete is True and kept.props == {"tags": ["repo:content-1"]}
    assert transform("aws:ecr/repository:Repository") is None


def test_the_image_is_pushed_under_its_content_tag():
    args = ImageArgs(context=str(ROOT), rds_ca_bundle_sha256=PIN)
    built = run(lambda: {"uri": Image("img", args).image_uri}).one("awsx:ecr:Image").inputs
    assert built["imageTag"] == content_tag(ROOT, ROOT / "Dockerfile", built["args"], built["platform"])
