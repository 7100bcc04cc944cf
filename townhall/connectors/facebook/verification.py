"""Meta's webhook checks, shared by every connector that Meta's apps deliver to.

Facebook Pages, Messenger and Instagram all verify a subscription with `hub.mode`,
`hub.verify_token` and `hub.challenge`, and sign each event POST in
`X-Hub-Signature-256` with the app secret. A connector mixes this in before
`Connector` and keeps its `app_secret` and `verify_token` secrets under those names.
"""

import hmac
from collections.abc import Mapping

from townhall.connectors.credentials import ConnectorConfig
from townhall.connectors.errors import NotConfigured
from townhall.core.lib.signatures import signature_valid


class MetaWebhookVerification:
    config: ConnectorConfig
    signature_header = "X-Hub-Signature-256"

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        lower = {k.lower(): v for k, v in headers.items()}
        try:
            secret = self.config.secret("app_secret", "app secret")
        except NotConfigured:
            return False
        return signature_valid(secret, body, lower.get("x-hub-signature-256"))

    def handshake(self, query: Mapping[str, str]) -> str | None:
        if query.get("hub.mode") != "subscribe":
            return None
        try:
            expected = self.config.secret("verify_token", "verify token")
        except NotConfigured:
            return None
        given = query.get("hub.verify_token", "")
        if not hmac.compare_digest(expected.encode(), given.encode()):
            return None
        return query.get("hub.challenge") or None
