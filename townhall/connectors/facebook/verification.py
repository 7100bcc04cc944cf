"""Meta's webhook checks, shared by every connector that Meta's apps deliver to.

Facebook Pages, Messenger and Instagram all verify a subscription with `hub.mode`,
`hub.verify_token` and `hub.challenge`, and sign each event POST in
`X-Hub-Signature-256` with the app secret. A Meta connector lists this first among
its bases and keeps its `app_secret` and `verify_token` secrets under those names.
"""

import hmac
from collections.abc import Mapping

from django.utils.translation import gettext_lazy

from townhall.connectors.base import Connector
from townhall.connectors.errors import NotConfigured


class MetaWebhookVerification(Connector):
    signature_header = "X-Hub-Signature-256"
    # Townhall makes up the verify token for the administrator to copy to Meta.
    generated_secrets = (("verify_token", gettext_lazy("Verify token")),)

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        return self._webhook_signed(headers, body, secret="app_secret", label="app secret")

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

