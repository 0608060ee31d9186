"""Read Meltano projects' tap-googleads configuration with Meltano itself, then validate it
with the Singer SDK the tap is built on.

Usage: meltano_reader.py SCHEMA.json PROJECT_DIR...
Prints one JSON line per project: {"config": ..., "valid": true}, or {"config": ...,
"rejected": MESSAGE} when the SDK refuses it, or {"meltano_error": MESSAGE}.

The configuration comes from Meltano's PluginSettingsService.as_dict(process=True), the call
behind `meltano config --unsafe print tap-googleads` (meltano.yml, the project's .env and the
environment, dotted names expanded to nested objects, $VAR expanded). For the first project
the CLI itself is run too and must print the same. The SDK's `Tap(config=...,
validate_config=True)` checks it against SCHEMA.json: the settings schema of MeltanoLabs
tap-googleads 0.9, which is not on PyPI (see that file).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

os.environ["MELTANO_SEND_ANONYMOUS_USAGE_STATS"] = "false"
for k in [k for k in os.environ if k.startswith("TAP_GOOGLEADS_")]:
    del os.environ[k]

from meltano.core.plugin.base import PluginType  # noqa: E402
from meltano.core.plugin.settings_service import PluginSettingsService  # noqa: E402
from meltano.core.project import Project  # noqa: E402
from singer_sdk import Tap  # noqa: E402


def meltano_config(root):
    project = Project(root=Path(root))
    plugin = project.plugins.find_plugin(
        "tap-googleads", plugin_type=PluginType.EXTRACTORS, configurable=True
    )
    return PluginSettingsService(project, plugin).as_dict(extras=False, process=True, session=None)


def cli_config(root):
    meltano = os.path.join(os.path.dirname(sys.executable), "meltano")
    r = subprocess.run(
        [meltano, "config", "--unsafe", "print", "tap-googleads"],
        cwd=root, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"},
    )
    if r.returncode != 0:
        return {"meltano_error": (r.stderr or r.stdout).strip().splitlines()[-1:]}
    return json.loads(r.stdout)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)

    class TapGoogleAds(Tap):
        name = "tap-googleads"
        config_jsonschema = schema

        def discover_streams(self):
            return []

    roots = [os.path.abspath(a) for a in sys.argv[2:]]
    for i, root in enumerate(roots):
        os.chdir(root)
        try:
            config = json.loads(json.dumps(meltano_config(root), default=str))
        except Exception as e:
            print(json.dumps({"meltano_error": f"{type(e).__name__}: {e}"}), flush=True)
            continue
        out = {"config": config}
        if i == 0:
            cli = cli_config(root)
            if cli != config:
                out["cli_mismatch"] = cli
        try:
            TapGoogleAds(config=config, validate_config=True, parse_env_config=False)
            out["valid"] = True
        except Exception as e:
            out["rejected"] = f"{type(e).__name__}: {str(e).splitlines()[0]}"
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
