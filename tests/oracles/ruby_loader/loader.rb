# Runs google-ads-ruby 42.0.0's own loader on each config file named on the command line and
# prints one JSON line per file: {"file", "ok", "error"} (error = "Class: message").
#
# What runs is the library's code, unmodified, from shared/oracles/ruby:
#   1. GoogleAdsClient.new(path)  -- evaluates the file (eval), checks the result is a Config,
#      creates the default logger (failures there are only printed by the library: not fatal);
#   2. what the first service call does before any byte is sent: ServiceLookup#headers
#      (validate_customer_id: Integer() and the range check) and make_channel ->
#      get_credentials (reads and parses the service-account key file, builds the RSA key).
# Stubbed (say what they replace): the gems the client requires but never needs for this
# (grpc, googleauth, signet, gapic/protobuf factories, interceptors); Signet::OAuth2::Client
# (token fetching = network) keeps its options; Google::Auth.get_application_default (machine
# state: env, gcloud file, GCE metadata server) returns a marker; GRPC::Core channel classes
# keep their arguments. The one gRPC rule that can fail before the network is kept:
# metadata values must be Strings (grpc's md_ary_fill_hash_cb raises "Header values must be
# of type string or array").
#
# Usage: ruby loader.rb ORACLES_DIR FILE...

require 'json'
require 'logger'
require 'openssl'
require 'stringio'

oracles = ARGV.shift
STUBBED = %w[
  googleauth grpc signet/oauth_2/client delegate
  google/ads/google_ads/patches google/ads/google_ads/field_mask_util
  google/ads/google_ads/lookup_util google/ads/google_ads/interceptors/logging_interceptor
  google/ads/google_ads/interceptors/error_interceptor
  google/ads/google_ads/interceptors/metadata_interceptor google/ads/google_ads/factories
  google/ads/google_ads/errors google/ads/google_ads/deprecation
  google/ads/google_ads/status_decoder
].freeze

module Kernel
  alias_method :__loader_require, :require
  def require(name)
    return true if STUBBED.include?(name)
    if name.start_with?('google/ads/google_ads/')
      return __loader_require(File.join(ORACLE_LIB, name))
    end
    __loader_require(name)
  end
  private :require
end
ORACLE_LIB = File.join(oracles, 'ruby', 'lib')

module GRPC
  module Core
    class CallCredentials
      def initialize(proc) = (@proc = proc)
    end
    class ChannelCredentials
      def compose(*) = self
    end
    class Channel
      def initialize(*args) = (@args = args)
    end
  end
end
module Signet
  module OAuth2
    class Client
      def initialize(options) = (@options = options)
      def updater_proc = proc { |h| h }
    end
  end
end
module Google
  module Auth
    def self.get_application_default(_scope) = Signet::OAuth2::Client.new(adc: true)
  end
end

require 'google/ads/google_ads/config'
require 'google/ads/google_ads/google_ads_client'
require 'google/ads/google_ads/service_lookup'

# gRPC's own rule for metadata, the only part of a call before the network that can fail.
def grpc_metadata_check(headers)
  headers.each do |_k, v|
    next if v.is_a?(String) || v.is_a?(Array)
    raise ArgumentError, 'Header values must be of type string or array'
  end
end

ARGV.each do |path|
  result = { file: path, ok: true, error: nil }
  saved_proxy = ENV['http_proxy']
  begin
    saved_stderr = $stderr
    $stderr = StringIO.new # the library prints "Could not create default logger" here
    begin
      client = Google::Ads::GoogleAds::GoogleAdsClient.new(path)
    ensure
      $stderr = saved_stderr
    end
    config = client.instance_variable_get(:@config)
    lookup = Google::Ads::GoogleAds::ServiceLookup.new(nil, nil, config, client.make_channel,
                                                       client.endpoint, nil)
    grpc_metadata_check(lookup.send(:headers))
  rescue Exception => e # rubocop:disable Lint/RescueException -- SyntaxError is a ScriptError
    result[:ok] = false
    result[:error] = "#{e.class}: #{e.message.lines.first.to_s.strip}"
  ensure
    ENV['http_proxy'] = saved_proxy
  end
  puts JSON.generate(result)
end
