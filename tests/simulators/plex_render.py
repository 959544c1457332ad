"""Wire basics of the Plex simulator, and the shapes of plex.tv and the
server root, as in ../shared/reference/plex/.

Element and attribute names follow the reference fixtures; only what plexapi
and our client read is emitted, plus a few harmless extras. The library's
shapes are in plex_library_xml.py, Discover's and the community API's in
plex_account_shapes.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

XML_TYPE = "text/xml;charset=utf-8"
JSON_TYPE = "application/json"
HTML_TYPE = "text/html"

PMS_401 = (
    b"<html><head><script>window.location = window.location.href.match("
    b"/(^.+\\/)[^\\/]*$/)[1] + 'web/index.html';</script><title>Unauthorized"
    b"</title></head><body><h1>401 Unauthorized</h1></body></html>"
)
PLEXTV_401 = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<errors>\n  <error code="1001" '
    b'message="User could not be authenticated" status="401"/>\n</errors>\n'
)


def to_bytes(root: ET.Element) -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root)


def container(attrs: dict[str, str], children: list[ET.Element]) -> ET.Element:
    root = ET.Element("MediaContainer", attrs)
    root.extend(children)
    return root


def put(el: ET.Element, name: str, value: object) -> None:
    """Set attribute `name` unless `value` is None."""
    if value is not None:
        el.set(name, str(value))


def rating_text(value: float | None) -> str | None:
    return None if value is None else f"{value:.1f}"


# ---------------------------------------------------------------- plex.tv


def user_xml(
    account_id: int,
    uuid: str,
    username: str,
    token: str,
    title: str | None = None,
    *,
    plex_pass: bool = True,
) -> ET.Element:
    """`/api/v2/user`; a managed Home user has no username, only a title."""
    user = ET.Element(
        "user",
        {
            "id": str(account_id),
            "uuid": uuid,
            "username": username,
            "title": title or username,
            "email": f"{username}@example.com",
            "authToken": token,
            "scrobbleTypes": "",
            "confirmed": "1",
            "joinedAt": "1420070400",
            "home": "0",
            "homeAdmin": "1",
            "guest": "0",
            "protected": "0",
            "restricted": "0",
            "twoFactorEnabled": "0",
            "experimentalFeatures": "0",
            "emailOnlyAuth": "0",
            "hasPassword": "1",
            "mailingListActive": "0",
            "backupCodesCreated": "0",
        },
    )
    sub = ET.SubElement(
        user,
        "subscription",
        {"active": "1", "status": "Active", "plan": "lifetime", "paymentService": ""}
        if plex_pass
        # Without Plex Pass (guess: the shape of a lapsed subscription).
        else {"active": "0", "status": "Inactive", "plan": "", "paymentService": ""},
    )
    features = ET.SubElement(sub, "features")
    if plex_pass:
        ET.SubElement(features, "feature", {"id": "webhooks"})
    ET.SubElement(
        user,
        "profile",
        {
            "autoSelectAudio": "1",
            "defaultAudioLanguage": "en",
            "defaultSubtitleLanguage": "en",
            "autoSelectSubtitle": "0",
            "defaultSubtitleAccessibility": "0",
            "defaultSubtitleForced": "0",
        },
    )
    ET.SubElement(ET.SubElement(user, "entitlements"), "entitlement", {"id": "all"})
    ET.SubElement(ET.SubElement(user, "roles"), "role", {"id": "plexpass"})
    return user


def resources_xml(
    server_id: str, server_name: str, server_token: str, pms_url: str, port: int
) -> ET.Element:
    root = ET.Element("resources")
    res = ET.SubElement(
        root,
        "resource",
        {
            "name": server_name,
            "product": "Plex Media Server",
            "productVersion": "1.41.3.9314-a0bfb8370",
            "platform": "Linux",
            "clientIdentifier": server_id,
            "createdAt": "2021-06-01T12:00:00Z",
            "lastSeenAt": "2025-01-15T08:30:00Z",
            "provides": "server",
            "accessToken": server_token,
            "owned": "1",
            "home": "0",
            "synced": "0",
            "relay": "0",
            "presence": "1",
            "httpsRequired": "0",
            "publicAddressMatches": "1",
            "dnsRebindingProtection": "0",
            "natLoopbackSupported": "0",
        },
    )
    conns = ET.SubElement(res, "connections")
    ET.SubElement(
        conns,
        "connection",
        {
            "protocol": "http",
            "address": "127.0.0.1",
            "port": str(port),
            "uri": pms_url,
            "local": "1",
            "relay": "0",
            "IPv6": "0",
        },
    )
    player = ET.SubElement(
        root,
        "resource",
        {
            "name": "Chrome",
            "product": "Plex Web",
            "clientIdentifier": "k3x9w2q8c7v5b1n4m6z0a2s4",
            "createdAt": "2024-02-10T19:04:11Z",
            "lastSeenAt": "2025-01-14T21:12:45Z",
            "provides": "client,player,pubsub-player",
            "owned": "1",
            "accessToken": "",
            "presence": "0",
        },
    )
    ET.SubElement(player, "connections")
    return root


# ---------------------------------------------------------------- PMS


def pms_root(server_id: str, name: str) -> ET.Element:
    return container(
        {
            "size": "1",
            "friendlyName": name,
            "machineIdentifier": server_id,
            "version": "1.41.3.9314-a0bfb8370",
            "platform": "Linux",
            "myPlex": "1",
            "transcoderActiveVideoSessions": "0",
        },
        [ET.Element("Directory", {"count": "1", "key": "library", "title": "library"})],
    )


def webhooks_xml(urls: list[str]) -> ET.Element:
    """plex.tv's list of the account's webhook URLs (Plex reference A5; the
    root's name is a guess, plexapi reads the `webhook` elements only)."""
    root = ET.Element("webhooks")
    for url in urls:
        ET.SubElement(root, "webhook", {"url": url})
    return root
