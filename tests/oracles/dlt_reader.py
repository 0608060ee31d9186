"""Read `.dlt/secrets.toml` with dlt's own providers, as the verified `google_ads` source does.

Usage: dlt_reader.py PROJECT_DIR...   (each holding .dlt/secrets.toml)
Prints one JSON line per directory: {"rejected": MESSAGE} when dlt cannot resolve the source's
arguments, else the resolved values. The source function below declares the same arguments
as dlt-hub/verified-sources sources/google_ads/__init__.py (credentials: GcpOAuthCredentials
or GcpServiceAccountCredentials, impersonated_email, dev_token — all dlt.secrets.value; each
resource takes customer_id: str = dlt.secrets.value), in the section `google_ads`; its body
only returns what dlt injected, so no request is made.
"""
import json
import os
import sys
from typing import Union

import dlt
from dlt.common.configuration.container import Container
from dlt.common.configuration.specs.pluggable_run_context import PluggableRunContext
from dlt.sources.credentials import GcpOAuthCredentials, GcpServiceAccountCredentials

SEEN = {}


@dlt.resource(section="google_ads")
def customers(client, customer_id: str = dlt.secrets.value):
    SEEN["customer_id"] = customer_id
    yield {}


@dlt.source(name="google_ads", section="google_ads", max_table_nesting=2)
def google_ads(
    credentials: Union[GcpOAuthCredentials, GcpServiceAccountCredentials] = dlt.secrets.value,
    impersonated_email: str = dlt.secrets.value,
    dev_token: str = dlt.secrets.value,
):
    SEEN["credentials_type"] = type(credentials).__name__
    SEEN["credentials"] = {k: v for k, v in dict(credentials).items() if v is not None}
    SEEN["impersonated_email"] = impersonated_email
    SEEN["dev_token"] = dev_token
    return [customers(client=None)]


def read_one(project):
    SEEN.clear()
    os.chdir(project)
    # dlt's own run context, reloaded for this directory: it finds .dlt/ here.
    Container()[PluggableRunContext].reload(project)
    try:
        src = google_ads()
        list(src.resources["customers"])
    except Exception as e:
        return {"rejected": f"{type(e).__name__}: {str(e).splitlines()[0]}", **SEEN}
    return dict(SEEN)


def main():
    for p in [os.path.abspath(a) for a in sys.argv[1:]]:
        print(json.dumps(read_one(p)), flush=True)


if __name__ == "__main__":
    main()
