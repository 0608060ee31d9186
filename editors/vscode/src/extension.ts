// The adsconf extension: starts `adsconf lsp` (a language server over stdio) for the
// configuration files of the Google Ads API client libraries. All the work is in the server;
// this file only starts it and passes the `adsconf.*` settings.
import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from "vscode-languageclient/node";

let client: LanguageClient | undefined;

// The files `adsconf check -r` recognises by name (and App.config/Web.config, which it
// recognises by content); the server ignores any file it does not recognise.
const FILES =
  "**/{google-ads.yaml,google-ads.yml,google_ads.yaml,google_ads_php.ini,ads.properties,googleads.properties,google_ads_config.rb,App.config,Web.config,*.dll.config,*.exe.config,appsettings*.json,*.snippet.cs,googleads.env,.env,googleads.curl.sh}";
// Copies of them (`google-ads.yaml.sample`, ...).
const SAMPLES = "**/*.{sample,example,dist}";

function settings(): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration("adsconf");
  return {
    libraryVersion: c.get<string>("libraryVersion", ""),
    ignore: c.get<string[]>("ignore", []),
    hierarchy: c.get<string>("hierarchy", ""),
    user: c.get<string>("user", ""),
    customer: c.get<string>("customer", ""),
    debounceMs: c.get<number>("debounceMs", 100),
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const command = vscode.workspace.getConfiguration("adsconf").get<string>("path", "adsconf");
  const serverOptions: ServerOptions = {
    command,
    args: ["lsp"],
    transport: TransportKind.stdio,
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", pattern: FILES },
      { scheme: "file", pattern: SAMPLES },
    ],
    initializationOptions: settings(),
    synchronize: { configurationSection: "adsconf" },
  };
  client = new LanguageClient("adsconf", "adsconf", serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
  }
}
