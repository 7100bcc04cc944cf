"""Meta's webhook checks, shared by every connector that Meta's apps deliver to.

Facebook Pages, Messenger and Instagram all verify a subscription with `hub.mode`,
`hub.verify_token` and `hub.challenge`, and sign each event POST in
`X-Hub-Signature-256` with the app secret. A connector mixes this in before
`Connector` and keeps its `app_secret` and `verify_token` secrets under those names.
"""

import hmac
from collections.abc import Mapping
from typing import Any

from townhall.connectors.credentials import ConnectorConfig
from townhall.connectors.errors import NotConfigured
from townhall.connectors.http import HttpClient
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


class MetaGraphApi:
    """Calls to Meta's Graph API with the Page token, shared by Facebook and Instagram.

    Subclasses set `name` (for error messages) and have `config` as every connector does.
    """

    graph_url = "https://graph.facebook.com/v21.0"
    name = "Meta"
    config: Any

    def _client(self) -> HttpClient:
        return HttpClient(base_url=str(self.config.get("graph_url") or self.graph_url),
                          name=self.name, timeout=float(self.config.get("timeout") or 10))

    def _token(self) -> dict[str, str]:
        return {"access_token": self.config.secret("page_access_token", "Page access token")}

    def _get(self, path: str, **params: Any) -> Any:
        return self._client().request("GET", path, params={**params, **self._token()})
