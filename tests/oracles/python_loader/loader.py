"""Runs google-ads-python's own loader on each YAML file named on the command line and prints
one JSON line per file: {"file", "ok", "error", "version"}.

What runs is the library, as installed from PyPI (one google-ads version per venv):
GoogleAdsClient.load_from_storage(path) = config.load_from_yaml_file (PyYAML safe_load, the
library's parser and validator steps) then the client constructor (oauth2.get_credentials:
which credential flow, reading a service-account key file; logging.config.dictConfig of the
`logging` value; login/linked id, endpoint, proxy handling).
Stubbed, because they need the network or the machine's state: the HTTP round trip of the
token refresh that get_credentials performs (google.auth.transport.requests.Request.__call__
answers like a token endpoint that grants every request, so google-auth's own checks before
the request still run: missing fields, reading and signing with a service-account key), and
Application Default Credentials discovery (google.auth.default).
"""
import json
import logging
import sys

import google.auth.transport.requests
import google.oauth2.credentials
from google.ads.googleads import client, oauth2

try:
    from importlib.metadata import version

    VERSION = version("google-ads")
except Exception:  # pragma: no cover - metadata missing
    VERSION = None


class _GrantedResponse:
    """What a token endpoint that grants the request answers."""

    status = 200
    headers = {"content-type": "application/json"}
    data = json.dumps(
        {"access_token": "stub-token", "expires_in": 3600, "token_type": "Bearer"}
    ).encode()


def _token_endpoint(self, url, method="GET", body=None, headers=None, timeout=None, **kwargs):
    """Stands in for the network: the library refreshes once when it builds credentials."""
    return _GrantedResponse()


google.auth.transport.requests.Request.__call__ = _token_endpoint


class _AdcMarker(google.oauth2.credentials.Credentials):
    """What ADC discovery would find on a configured machine; its refresh is the network."""

    def refresh(self, request):
        pass


def _adc(scopes=None, **_kwargs):
    """Stands in for google.auth.default (environment, gcloud file, metadata server)."""
    return _AdcMarker(None), None


oauth2.ApplicationDefaultCredentials = _adc

for path in sys.argv[1:]:
    result = {"file": path, "ok": True, "error": None, "version": VERSION}
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        client.GoogleAdsClient.load_from_storage(path)
    except Exception as e:  # the library raises ValueError, TypeError, yaml errors...
        result["ok"] = False
        first = str(e).splitlines()[0] if str(e) else ""
        result["error"] = f"{type(e).__name__}: {first}"
    finally:
        root.handlers = handlers  # a `logging` value reconfigures the process: undo it
    print(json.dumps(result, ensure_ascii=False), flush=True)
