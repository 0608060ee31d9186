"""What google-ads-mcp reads from an MCP client's configuration.

Usage:
  mcp_reader.py --client claude|cursor|vscode|gemini CONFIG.json...
      Finds the server entry in the client's JSON shape, resolves its `env` the way the
      client documents it (claude: literal; cursor: ${env:NAME}; vscode: ${env:NAME} and
      ${input:ID}, the answers taken from $ADSCONF_VSCODE_INPUTS, a JSON object; gemini:
      $NAME and ${NAME}), then runs the server's own code with exactly that environment.
  mcp_reader.py --env-json ENV.json...
      The same with environments recorded from the processes Gemini CLI itself spawned
      (JSON objects of their os.environ), so the client's own resolution is judged.

Prints one JSON line per config (or writes one object): the entry's command/args, the resolved env, and what
ads_mcp.utils built: developer token, login customer id, and the credentials' type and fields
(Application Default Credentials, loaded offline), or the error the server raised.
"""
import json
import os
import re
import sys

SERVER = "google-ads-mcp"
PASSED = ("GOOGLE_", "PATH", "HOME")


def resolve(client, value, inputs):
    if client == "claude":
        return value
    if client == "cursor":
        return re.sub(r"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: os.environ.get(m.group(1), ""), value)
    if client == "vscode":
        value = re.sub(r"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: os.environ.get(m.group(1), ""), value)
        return re.sub(r"\$\{input:([^}]+)\}", lambda m: inputs[m.group(1)], value)
    if client == "gemini":
        return re.sub(
            r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))",
            lambda m: os.environ.get(m.group(1) or m.group(2), ""),
            value,
        )
    raise SystemExit(f"unknown client {client}")


def entry_of(client, doc):
    top = "servers" if client == "vscode" else "mcpServers"
    servers = doc[top]
    assert isinstance(servers, dict), f"{top} is not an object"
    e = servers[SERVER]
    assert isinstance(e.get("command"), str), "command is not a string"
    assert all(isinstance(a, str) for a in e.get("args", [])), "args are not strings"
    env = e.get("env", {})
    assert all(isinstance(v, str) for v in env.values()), "env values are not strings"
    if client == "vscode":
        assert e.get("type") == "stdio", "VS Code needs type: stdio"
        ids = {i["id"] for i in doc.get("inputs", [])}
        for v in env.values():
            for m in re.finditer(r"\$\{input:([^}]+)\}", v):
                assert m.group(1) in ids, f"input {m.group(1)} is not declared in inputs"
    return e


def run_server_code(env):
    for k in [k for k in os.environ if k.startswith("GOOGLE_")]:
        del os.environ[k]
    os.environ.update(env)
    from ads_mcp import utils

    out = {
        "developer_token": utils._get_developer_token(),
        "login_customer_id": utils._get_login_customer_id(),
    }
    try:
        c = utils._get_googleads_client()
        cr = c.credentials
        out["credentials"] = {
            "type": type(cr).__name__,
            **{
                k: getattr(cr, k)
                for k in ("client_id", "client_secret", "refresh_token", "service_account_email")
                if getattr(cr, k, None) is not None
            },
        }
        out["client"] = {"developer_token": c.developer_token, "login_customer_id": c.login_customer_id}
    except Exception as e:
        out["credentials_error"] = f"{type(e).__name__}: {e}"
    return out


def main():
    if sys.argv[1] == "--env-json":
        outer = dict(os.environ)
        for path in sys.argv[2:]:
            os.environ.clear()
            os.environ.update(outer)
            with open(path, encoding="utf-8") as f:
                recorded = json.load(f)
            env = {k: v for k, v in recorded.items() if k.startswith("GOOGLE_")}
            print(json.dumps({"env": env, **run_server_code(env)}), flush=True)
        return
    assert sys.argv[1] == "--client"
    client = sys.argv[2]
    inputs = json.loads(os.environ.get("ADSCONF_VSCODE_INPUTS", "{}"))
    outer = dict(os.environ)
    for path in sys.argv[3:]:
        os.environ.clear()
        os.environ.update(outer)
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        e = entry_of(client, doc)
        env = {k: resolve(client, v, inputs) for k, v in e.get("env", {}).items()}
        res = {"command": e["command"], "args": e.get("args", []), "env": env, **run_server_code(env)}
        print(json.dumps(res), flush=True)


if __name__ == "__main__":
    main()
