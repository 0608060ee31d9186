"""Runs google-ads-python's own loader on each YAML file named on the command line and prints
one JSON line per file: {"file", "ok", "error", "version"}.

What runs is the library, as installed from PyPI (one google-ads version per venv):
GoogleAdsClient.load_from_storage(path) = config.load_from_yaml_file (PyYAML safe_load, the
library's parser and validator steps) then the client constructor (oauth2.get_credentials:
which credential flow, reading a service-account key file; logging.config.dictConfig of the
`logging` value; login/linked id, endpoint, proxy handling).
Stubbed, because they need the network or the machine's state: the OAuth token refresh that
get_credentials performs (google.oauth2 Credentials.refresh: a request to the token
endpoint) and Application Default Credentials discovery (google.auth.default).
"""
import json
import logging
import sys

import google.oauth2.credentials
import google.oauth2.service_account
from google.ads.googleads import client, oauth2

try:
    from importlib.metadata import version

    VERSION = version("google-ads")
except Exception:  # pragma: no cover - metadata missing
    VERSION = None


def _no_network_refresh(self, request):
    """Stands in for the token endpoint: the library refreshes once when it builds credentials."""


google.oauth2.credentials.Credentials.refresh = _no_network_refresh
google.oauth2.service_account.Credentials.refresh = _no_network_refresh


class _AdcMarker(google.oauth2.credentials.Credentials):
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
