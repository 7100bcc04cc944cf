"""Connecting an Instagram professional account: Meta's login dialog, as for Facebook,
choosing the Page the account is linked to (facebook/login.py)."""

from townhall.connectors.facebook.login import MetaLogin

LOGIN = MetaLogin(instagram=True)
