"""OAuth 1.0a user-context signing for the X API (HMAC-SHA1, RFC 5849).

Townhall uses OAuth 1.0a rather than OAuth 2.0 user tokens because its tokens do not
expire: an OAuth 2.0 token lasts two hours and its refresh token rotates on every use,
which a council's channel would have to store back after each refresh. The consumer
secret is needed anyway for the webhook CRC check.
"""

import base64
import hashlib
import hmac
import secrets
import time
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

import requests


def _enc(value: str) -> str:
    return quote(value, safe="~-._")


def signature(*, method: str, url: str, params: list[tuple[str, str]], consumer_secret: str,
              token_secret: str) -> str:
    """The oauth_signature for a request; `params` are query, form and oauth_* parameters."""
    parts = urlsplit(url)
    base_url = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, "", ""))
    pairs = sorted((_enc(k), _enc(v)) for k, v in params)
    normalised = "&".join(f"{k}={v}" for k, v in pairs)
    base = "&".join([method.upper(), _enc(base_url), _enc(normalised)])
    key = f"{_enc(consumer_secret)}&{_enc(token_secret)}"
    digest = hmac.new(key.encode(), base.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class OAuth1(requests.auth.AuthBase):
    """Signs each request with the consumer key and the account's access token.

    JSON bodies are not part of the signature (RFC 5849 signs only form-encoded
    bodies), so only the query string and the oauth_* parameters are signed.
    """

    def __init__(self, *, consumer_key: str, consumer_secret: str, token: str,
                 token_secret: str) -> None:
        self.consumer_key, self.consumer_secret = consumer_key, consumer_secret
        self.token, self.token_secret = token, token_secret

    def __repr__(self) -> str:
        return "OAuth1(...)"

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        oauth = {
            "oauth_consumer_key": self.consumer_key,
            "oauth_nonce": secrets.token_hex(16),
            "oauth_signature_method": "HMAC-SHA1",
            "oauth_timestamp": str(int(time.time())),
            "oauth_token": self.token,
            "oauth_version": "1.0",
        }
        url = str(request.url)
        query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
        oauth["oauth_signature"] = signature(
            method=str(request.method), url=url, params=query + list(oauth.items()),
            consumer_secret=self.consumer_secret, token_secret=self.token_secret)
        header = ", ".join(f'{_enc(k)}="{_enc(v)}"' for k, v in sorted(oauth.items()))
        request.headers["Authorization"] = f"OAuth {header}"
        return request
