"""Read an Airbyte source-google-ads config the way the connector does, offline.

Usage: airbyte_reader.py [--streams] CONFIG.json...
Prints one JSON line per config (the connector's manifest is parsed once: ~10 s): {"rejected": MESSAGE} when the connector's own spec check refuses the
config, else what the connector uses: the credentials as its declarative OAuth authenticator
and developer-token header interpolate them (str()), after google-ads' own check of the
credentials dict the connector builds its client from, and the transformed customer ids.
With --streams the full manifest is also built, for the first config (tens of seconds).
"""
import importlib.resources
import json
import logging
import sys

import yaml
from airbyte_cdk.sources.declarative.interpolation.interpolated_string import InterpolatedString
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
        print(json.dumps(read_one(source, spec, manifest, path, streams and i == 0)), flush=True)


def read_one(source, spec, manifest, path, streams):
    config = SourceGoogleAds.read_config(path)
    try:
        check_config_against_spec_or_exit(config, spec)
    except Exception as e:  # AirbyteTracedException: the connector's config error
        return {"rejected": getattr(e, "message", None) or str(e)}
    auth_def = dict(manifest["definitions"]["authenticator"])
    header = manifest["definitions"]["base_requester"]["request_headers"]["developer-token"]
    out = {}
    try:
        auth = ModelToComponentFactory().create_component(OAuthModel, auth_def, config)
        out["client_id"] = str(auth.get_client_id())
        out["client_secret"] = str(auth.get_client_secret())
        out["refresh_token"] = str(auth.get_refresh_token())
        out["developer_token"] = str(InterpolatedString.create(header, parameters={}).eval(config))
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
