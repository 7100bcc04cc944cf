"""A channel's settings and secrets, as a connector sees them.

A secret comes from the environment variable the channel's settings name (for example
`"app_secret_env": "TOWNHALL_FACEBOOK_APP_SECRET"`) or, failing that, from the channel's
encrypted store. Secret values never go into logs, errors or audit data: only their names.
"""

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from townhall.connectors.errors import NotConfigured
from townhall.core.lib.crypto import decrypt, encrypt


@dataclass(frozen=True)
class ConnectorConfig:
    settings: dict[str, Any] = field(default_factory=dict)
    stored_secrets: dict[str, str] = field(default_factory=dict, repr=False)
    # For a connector whose platform rotates tokens (X's OAuth 2.0 refresh tokens):
    # `reload` reads the channel's stored secrets afresh, `save` merges new ones in.
    # Connectors built outside a channel (tests, the bench) have neither.
    reload: Callable[[], dict[str, str]] | None = field(default=None, repr=False,
                                                        compare=False)
    save: Callable[[dict[str, str]], None] | None = field(default=None, repr=False,
                                                          compare=False)

    def get(self, name: str, default: Any = None) -> Any:
        return self.settings.get(name, default)

    def require(self, name: str, what: str) -> Any:
        value = self.settings.get(name)
        if value in (None, ""):
            raise NotConfigured(f"The channel has no {what}. Add '{name}' to its settings.")
        return value

    def secret(self, name: str, what: str) -> str:
        env_name = self.settings.get(f"{name}_env")
        if env_name:
            value = os.environ.get(str(env_name), "")
            if value:
                return value
            raise NotConfigured(f"The {what} is missing: set the environment variable "
                                f"{env_name}.")
        value = self.stored_secrets.get(name, "")
        if value:
            return value
        raise NotConfigured(f"The {what} is missing. Name an environment variable in the "
                            f"channel's '{name}_env' setting, or store it encrypted.")

    def has_secret(self, name: str) -> bool:
        try:
            self.secret(name, name)
        except NotConfigured:
            return False
        return True


def secrets_encrypt(values: dict[str, str]) -> str:
    return encrypt(json.dumps(values)) if values else ""


def secrets_decrypt(token: str) -> dict[str, str]:
    if not token:
        return {}
    data = json.loads(decrypt(token))
    return {str(k): str(v) for k, v in data.items()}
