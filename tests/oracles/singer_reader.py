"""Read a singer-io tap-google-ads config.json as the tap does (it is not on PyPI).

Usage: singer_reader.py CONFIG.json...
Prints one JSON line per config: {"rejected": MESSAGE} when the tap's own start-up refuses it,
else the config and, per `login_customer_ids` entry, what the google-ads client was built with.

The tap (singer-io/tap-google-ads 2.0.0) starts with singer-python's
`utils.parse_args(REQUIRED_CONFIG_KEYS)` (below, as listed in tap_google_ads/__init__.py) and,
for each entry of `login_customer_ids` (a list, or a JSON string of one), builds its client with
`GoogleAdsClient.load_from_dict` from the dict shown in `client_for` (tap_google_ads/client.py).
Here the dict goes through `google.ads.googleads.config.load_from_dict`, the library's own
validation and conversion that `GoogleAdsClient.load_from_dict` runs first; the client itself
would then refresh the OAuth token over the network.
"""
import json
import sys

from google.ads.googleads import config as gconfig
from singer import utils

REQUIRED_CONFIG_KEYS = [
    "start_date",
    "oauth_client_id",
    "oauth_client_secret",
    "refresh_token",
    "customer_ids",
    "developer_token",
]


def client_for(config, login_customer_id):
    d = {
        "use_proto_plus": False,
        "developer_token": config["developer_token"],
        "client_id": config["oauth_client_id"],
        "client_secret": config["oauth_client_secret"],
        "refresh_token": config["refresh_token"],
    }
    if login_customer_id:
        d["login_customer_id"] = login_customer_id
    return gconfig.load_from_dict(d)


def read_one(path):
    sys.argv = ["tap-google-ads", "--config", path, "--discover"]
    try:
        args = utils.parse_args(REQUIRED_CONFIG_KEYS)
    except BaseException as e:  # argparse exits; check_config raises Exception
        return {"rejected": f"{type(e).__name__}: {e}"}
    config = args.config
    try:
        customers = json.loads(config["login_customer_ids"])
    except TypeError:
        customers = config["login_customer_ids"]
    except KeyError:
        return {"rejected": "KeyError: 'login_customer_ids' (read by sync)", "config": config}
    clients = []
    for c in customers:
        try:
            cl = client_for(config, c["loginCustomerId"])
        except Exception as e:
            return {"rejected": f"{type(e).__name__}: {e}", "config": config}
        clients.append(
            {
                "customerId": c["customerId"],
                "login_customer_id": cl.get("login_customer_id"),
                "developer_token": cl.get("developer_token"),
                "client_id": cl.get("client_id"),
                "client_secret": cl.get("client_secret"),
                "refresh_token": cl.get("refresh_token"),
            }
        )
    return {"config": config, "clients": clients}


def main():
    for p in sys.argv[1:]:
        print(json.dumps(read_one(p)), flush=True)


if __name__ == "__main__":
    main()
