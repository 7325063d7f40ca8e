"""The Amazon RDS CA bundle's sha256, read at deploy time when no pin is configured.

AWS tells DocumentDB clients to download this bundle from its truststore ("Connecting programmatically
to Amazon DocumentDB", Connecting with TLS enabled), and says the certificates "are only available for
download using SSL/TLS connections" ("Using SSL/TLS to encrypt a connection to a DB instance or cluster",
Amazon RDS User Guide). So the file is fetched over HTTPS with the default SSL context (the system's
CAs, certificate chain and host name both verified) and nothing else is accepted.

Standard library only: the Pulumi program imports it, and so does the test suite's offline stand-in.
"""

import hashlib
import ssl
import urllib.request
from urllib.parse import urlsplit

RDS_CA_BUNDLE_URL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"
#: The global bundle is ~150 KB; anything past this is not it.
MAX_BYTES = 4 * 1024 * 1024
_PEM = b"-----BEGIN CERTIFICATE-----"


def fetch_sha256(url: str = RDS_CA_BUNDLE_URL, *, timeout: float = 30.0) -> str:
    """Download the bundle over verified HTTPS and return its sha256 (hex).

    Raises:
        ValueError: `url` is not https, a redirect left https, or the body is not a PEM bundle.
        urllib.error.URLError: the download failed, including a certificate that does not verify.
    """
    if urlsplit(url).scheme != "https":
        raise ValueError(f"`rds_ca_bundle_url` must be an https:// URL, got {url!r}")
    context = ssl.create_default_context()
    with urllib.request.urlopen(url, timeout=timeout, context=context) as response:  # noqa: S310 (https)
        final_url = response.geturl()
        body = response.read(MAX_BYTES + 1)
    # urllib follows redirects, to http:// too: a bundle that crossed plain HTTP is not trusted.
    if urlsplit(final_url).scheme != "https":
        raise ValueError(f"`rds_ca_bundle_url` redirected to {final_url!r}, which is not https")
    if len(body) > MAX_BYTES or _PEM not in body:
        raise ValueError(f"{url} did not return a PEM certificate bundle")
    return hashlib.sha256(body).hexdigest()
