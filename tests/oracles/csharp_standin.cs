// Stand-ins for the google-ads-dotnet types a GoogleAdsConfig snippet uses, with the
// library's namespaces, property names and property types (Google.Ads.Gax/src/Config/
// AdsConfig.cs, Google.Ads.GoogleAds.Core/src/Config/GoogleAdsConfig.cs). Every setter
// records the value so the test program can print what the snippet set, as JSON.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Google.Ads.Gax.Config
{
    public enum OAuth2Flow { APPLICATION, SERVICE_ACCOUNT }

    public class AdsConfig
    {
        public readonly List<KeyValuePair<string, object>> Set = new List<KeyValuePair<string, object>>();
        protected void Record(string name, object value) { Set.Add(new KeyValuePair<string, object>(name, value)); }

        public int Timeout { set { Record("Timeout", value); } }
        public int MaxReceiveMessageSizeInBytes { set { Record("MaxReceiveMessageSizeInBytes", value); } }
        public int MaxMetadataSizeInBytes { set { Record("MaxMetadataSizeInBytes", value); } }
        public string OAuth2ClientId { set { Record("OAuth2ClientId", value); } }
        public string OAuth2ClientSecret { set { Record("OAuth2ClientSecret", value); } }
        public string OAuth2RefreshToken { set { Record("OAuth2RefreshToken", value); } }
        public OAuth2Flow OAuth2Mode { set { Record("OAuth2Mode", value); } }
        public bool UseGrpcCore { set { Record("UseGrpcCore", value); } }
        public string OAuth2PrnEmail { set { Record("OAuth2PrnEmail", value); } }
        public string OAuth2SecretsJsonPath { set { Record("OAuth2SecretsJsonPath", value); } }
        public string OAuth2Scope { set { Record("OAuth2Scope", value); } }
        public bool UseApplicationDefaultCredentials { set { Record("UseApplicationDefaultCredentials", value); } }

        public string ToJson()
        {
            var sb = new StringBuilder("{");
            var seen = new Dictionary<string, object>();
            var order = new List<string>();
            foreach (var kv in Set)
            {
                if (!seen.ContainsKey(kv.Key)) order.Add(kv.Key);
                seen[kv.Key] = kv.Value;
            }
            bool first = true;
            foreach (var k in order)
            {
                if (!first) sb.Append(",");
                first = false;
                sb.Append(Str(k)).Append(":");
                object v = seen[k];
                if (v is bool) sb.Append((bool)v ? "true" : "false");
                else if (v is int) sb.Append(((int)v).ToString(CultureInfo.InvariantCulture));
                else if (v is OAuth2Flow) sb.Append(Str(v.ToString()));
                else if (v == null) sb.Append("null");
                else sb.Append(Str((string)v));
            }
            return sb.Append("}").ToString();
        }

        static string Str(string s)
        {
            var sb = new StringBuilder("\"");
            foreach (char c in s)
            {
                if (c == '"') sb.Append("\\\"");
                else if (c == '\\') sb.Append("\\\\");
                else if (c < 0x20 || c > 0x7e) sb.Append("\\u").Append(((int)c).ToString("x4"));
                else sb.Append(c);
            }
            return sb.Append("\"").ToString();
        }
    }
}

namespace Google.Ads.GoogleAds.Config
{
    public class GoogleAdsConfig : Google.Ads.Gax.Config.AdsConfig
    {
        public string ServerUrl { set { Record("ServerUrl", value); } }
        public string DeveloperToken { set { Record("DeveloperToken", value); } }
        public string LoginCustomerId { set { Record("LoginCustomerId", value); } }
        public string LinkedCustomerId { set { Record("LinkedCustomerId", value); } }
        public bool UseCloudOrgForApiAccess { set { Record("UseCloudOrgForApiAccess", value); } }
    }
}

namespace Google.Ads.GoogleAds.Lib
{
    public class GoogleAdsClient
    {
        public readonly Google.Ads.GoogleAds.Config.GoogleAdsConfig Config;
        public GoogleAdsClient(Google.Ads.GoogleAds.Config.GoogleAdsConfig config) { Config = config; }
    }
}
