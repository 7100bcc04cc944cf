"""Connecting a Facebook Page (or its Instagram account) through Meta's login dialog.

The installation's Meta app comes from the environment: TOWNHALL_META_APP_ID and
TOWNHALL_META_APP_SECRET, and, for tests or a proxy, TOWNHALL_META_GRAPH_URL and
TOWNHALL_META_DIALOG_URL. The dialog sends back a code; Townhall swaps it for a user
token, then for a long-lived one (whose Page tokens do not expire), lists the Pages the
person manages (GET /me/accounts) and lets them choose one. The channel keeps the Page
token, encrypted; the app secret stays in the environment and is named in the channel's
settings (`app_secret_env`), since it also checks every webhook's signature.
"""

import os
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from townhall.connectors.errors import ConnectorError
from townhall.connectors.http import HttpClient
from townhall.connectors.login import (
    Choice,
    Credentials,
    LoginFlow,
    LoginRefused,
    Option,
    PendingLogin,
    refusal_from_query,
    with_query,
)
from townhall.connectors.meta import GRAPH_URL

APP_ID_ENV = "TOWNHALL_META_APP_ID"
APP_SECRET_ENV = "TOWNHALL_META_APP_SECRET"
GRAPH_URL_ENV = "TOWNHALL_META_GRAPH_URL"
DIALOG_URL_ENV = "TOWNHALL_META_DIALOG_URL"
DIALOG_URL = "https://www.facebook.com/v21.0/dialog/oauth"
PAGE_SCOPES = ["pages_show_list", "pages_read_engagement", "pages_read_user_content",
               "pages_manage_metadata", "pages_manage_engagement", "pages_messaging"]
INSTAGRAM_SCOPES = ["instagram_basic", "instagram_manage_comments",
                    "instagram_manage_messages"]
# What the chosen Page is subscribed to, so its events reach the app's webhook.
SUBSCRIBED_FIELDS = "feed,messages,message_echoes"
MAX_PAGES = 10


def graph_url() -> str:
    return (os.environ.get(GRAPH_URL_ENV) or GRAPH_URL).rstrip("/")


class MetaLogin(LoginFlow):
    """Meta's login dialog, for a Facebook Page or the Instagram account linked to one."""

    def __init__(self, *, instagram: bool) -> None:
        self.instagram = instagram
        self.name = "Instagram" if instagram else "Facebook"
        self.label = _("Sign in with Facebook")
        self.explanation = (
            _("You sign in to Facebook as someone who manages the council's Page, then "
              "choose the Page whose Instagram account this channel is. Townhall keeps "
              "the Page's access token, encrypted.") if instagram else
            _("You sign in to Facebook as someone who manages the council's Page, then "
              "choose the Page. Townhall keeps the Page's access token, encrypted."))

    def unavailable(self) -> str | None:
        missing = [n for n in (APP_ID_ENV, APP_SECRET_ENV) if not os.environ.get(n)]
        if missing:
            return str(_("Signing in with Facebook needs the council's Meta app. Ask "
                         "whoever runs Townhall to set %(names)s. Until then, enter the "
                         "Page's details by hand below.") % {"names": " and ".join(missing)})
        return None

    def _client(self) -> HttpClient:
        return HttpClient(base_url=graph_url(), name="Facebook")

    def start(self, *, redirect_uri: str, pending: PendingLogin, server: str = "") -> str:
        scopes = PAGE_SCOPES + (INSTAGRAM_SCOPES if self.instagram else [])
        dialog = os.environ.get(DIALOG_URL_ENV) or DIALOG_URL
        return with_query(dialog, {
            "client_id": os.environ[APP_ID_ENV], "redirect_uri": redirect_uri,
            "state": pending.state, "response_type": "code", "scope": ",".join(scopes)})

    def finish(self, *, redirect_uri: str, pending: PendingLogin,
               query: Mapping[str, str]) -> Credentials | Choice:
        refused = refusal_from_query(query, "Facebook")
        if refused:
            raise LoginRefused(refused)
        code = query.get("code", "")
        if not code:
            raise LoginRefused("Facebook sent Townhall back without a sign-in code. Start "
                               "again.")
        client = self._client()
        app = {"client_id": os.environ[APP_ID_ENV],
               "client_secret": os.environ[APP_SECRET_ENV]}
        short = client.request("GET", "oauth/access_token", params={
            **app, "redirect_uri": redirect_uri, "code": code})
        # A long-lived user token gives Page tokens that do not expire.
        long = client.request("GET", "oauth/access_token", params={
            **app, "grant_type": "fb_exchange_token",
            "fb_exchange_token": str(short["access_token"])})
        pages = self._pages(client, str(long["access_token"]))
        if self.instagram:
            pages = [p for p in pages if p.get("ig_id")]
        if not pages:
            raise LoginRefused(
                "Facebook says this account manages no Page with a linked Instagram "
                "professional account. Link the Instagram account to the council's Page "
                "in Meta Business Suite, then start again." if self.instagram else
                "Facebook says this account manages no Pages, or Townhall was not allowed "
                "to see them. Start again and allow access to the council's Page.")
        options = [Option(value=p["id"], label=(f"@{p['ig_username']}" if self.instagram
                                                 else p["name"]),
                          hint=(f"Linked to the Facebook Page {p['name']}" if self.instagram
                                else f"Page id {p['id']}")) for p in pages]
        question = ("Which Instagram account is this channel?" if self.instagram
                    else "Which Facebook Page is this channel?")
        return Choice(question=question, options=options,
                      private={"pages": {p["id"]: p for p in pages}})

    def _pages(self, client: HttpClient, user_token: str) -> list[dict[str, str]]:
        fields = "id,name,access_token,instagram_business_account{id,username}"
        params: dict[str, Any] = {"fields": fields, "access_token": user_token}
        found: list[dict[str, str]] = []
        for _page in range(MAX_PAGES):
            data = client.request("GET", "me/accounts", params=params)
            for row in data.get("data") or []:
                if not isinstance(row, dict) or not row.get("id") or not row.get("access_token"):
                    continue
                ig = row.get("instagram_business_account") or {}
                found.append({"id": str(row["id"]), "name": str(row.get("name") or row["id"]),
                              "token": str(row["access_token"]),
                              "ig_id": str(ig.get("id") or ""),
                              "ig_username": str(ig.get("username") or "")})
            after = ((data.get("paging") or {}).get("cursors") or {}).get("after")
            if not (data.get("paging") or {}).get("next") or not after:
                break
            params = {**params, "after": after}
        return found

    def choose(self, *, pending: PendingLogin, value: str) -> Credentials:
        page = (pending.private.get("pages") or {}).get(value)
        if not page:
            raise LoginRefused("That is not one of the accounts Facebook listed. Choose "
                               "again.")
        notes = [self._subscribe(page)]
        settings: dict[str, Any] = {"page_id": page["id"], "page_name": page["name"],
                                    "app_secret_env": APP_SECRET_ENV}
        if os.environ.get(GRAPH_URL_ENV):
            settings["graph_url"] = graph_url()
        if self.instagram:
            settings.update({"ig_user_id": page["ig_id"], "ig_username": page["ig_username"]})
        return Credentials(settings=settings, secrets={"page_access_token": page["token"]},
                           notes=notes)

    def _subscribe(self, page: dict[str, str]) -> str:
        """Ask Meta to send the Page's events to the app; a failure is reported, not
        fatal, since an administrator can subscribe in Meta's dashboard instead."""
        try:
            self._client().request("POST", f"{page['id']}/subscribed_apps", params={
                "subscribed_fields": SUBSCRIBED_FIELDS, "access_token": page["token"]})
        except ConnectorError as error:
            return (f"Townhall could not subscribe the Page {page['name']} to the app's "
                    f"webhooks ({error}). Subscribe it in Meta's app dashboard.")
        return f"The Page {page['name']} now sends its comments and messages to the app."


LOGIN = MetaLogin(instagram=False)
