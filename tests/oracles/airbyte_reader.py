"""Read an Airbyte source-google-ads config the way the connector does, offline.

Usage: airbyte_reader.py [--streams] CONFIG.json...
Prints one line per config, `ADSCONF<TAB>` then JSON (the connector's manifest is parsed once:
~10 s): {"rejected": MESSAGE} when the connector's own code refuses the config, else what it
sends: the token-refresh body its declarative OAuth authenticator builds (form-encoded by
requests, read back), the developer-token header its requester interpolates (prepared by
requests), after google-ads' own check of the credentials dict it builds its client from,
and the transformed customer ids.
With --streams the full manifest is also built, for the first config (tens of seconds).
"""
import importlib.resources
import json
import logging
import sys

import yaml
from urllib.parse import parse_qs

from airbyte_cdk.sources.declarative.requesters.request_options.interpolated_request_options_provider import (
    InterpolatedRequestOptionsProvider,
)
from requests.models import PreparedRequest, RequestEncodingMixin
from airbyte_cdk.sources.declarative.models.declarative_component_schema import (
    OAuthAuthenticator as OAuthModel,
)
from airbyte_cdk.sources.declarative.parsers.model_to_component_factory import (
    ModelToComponentFactory,
)
from airbyte_cdk.sources.utils.schema_helpers import check_config_against_spec_or_exit
from google.ads.googleads import config as gconfig
from source_google_ads.source import SourceGoogleAds


def main() -> None:
    # The CDK writes its own messages (JSON log lines) to stdout: keep ours apart.
    results, sys.stdout = sys.stdout, sys.stderr
    args = sys.argv[1:]
    streams = "--streams" in args
    paths = [a for a in args if a != "--streams"]
    source = SourceGoogleAds(None, SourceGoogleAds.read_config(paths[0]), None)
    spec = source.spec(logging.getLogger("airbyte"))
    manifest = yaml.safe_load(
        importlib.resources.files("source_google_ads").joinpath("manifest.yaml").read_text()
    )
    for i, path in enumerate(paths):
        # The full manifest (every stream) is built for the first config only: ~20 s each.
        out = read_one(source, spec, manifest, path, streams and i == 0)
        # Tagged: the connector may print JSON messages of its own.
        print("ADSCONF\t" + json.dumps(out), file=results, flush=True)


def read_one(source, spec, manifest, path, streams):
    config = SourceGoogleAds.read_config(path)
    try:
        check_config_against_spec_or_exit(config, spec)
    except Exception as e:  # AirbyteTracedException: the connector's config error
        return {"rejected": getattr(e, "message", None) or str(e)}
    auth_def = dict(manifest["definitions"]["authenticator"])
    headers_def = manifest["definitions"]["base_requester"]["request_headers"]
    out = {}
    try:
        # What goes on the wire: the token refresh body as requests form-encodes it, and the
        # API request headers as the CDK interpolates them and requests prepares them.
        auth = ModelToComponentFactory().create_component(OAuthModel, auth_def, config)
        body = auth.build_refresh_request_body()
        sent = parse_qs(
            RequestEncodingMixin._encode_params(body), keep_blank_values=True
        )
        for k in ("client_id", "client_secret", "refresh_token"):
            if k in sent:
                out[k] = sent[k][0] if len(sent[k]) == 1 else sent[k]
            else:
                out[k] = None
        headers = InterpolatedRequestOptionsProvider(
            config=config, request_headers=headers_def, parameters={}
        ).get_request_headers()
        prepared = PreparedRequest()
        prepared.prepare_headers(headers)
        out["developer_token"] = prepared.headers.get("developer-token")
    except Exception as e:
        return {"rejected": f"{type(e).__name__}: {e}"}
    # The connector's GoogleAds client takes the credentials dict as is (components.py), through
    # google-ads' own validation (the client itself would then refresh the token online).
    try:
        gconfig.load_from_dict({**config["credentials"], "use_proto_plus": True})
    except Exception as e:
        return {"rejected": f"google-ads: {type(e).__name__}: {e}"}
    transformed = SourceGoogleAds._validate_and_transform(dict(config))
    if "customer_ids" in transformed:
        out["customer_ids"] = transformed["customer_ids"]
    for k in ("start_date", "end_date"):
        if k in transformed:
            out[k] = transformed[k]
    if streams:
        out["streams"] = len(SourceGoogleAds(None, config, None).streams(config))
    return out


if __name__ == "__main__":
    main()
