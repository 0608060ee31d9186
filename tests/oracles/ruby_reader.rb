# Evaluate google_ads_config.rb files the way google-ads-ruby does (`eval(file, binding,
# path)`, the last expression must be a Google::Ads::GoogleAds::Config), against a stand-in
# Config class with the library's attribute list (first argument, comma-separated): an
# unknown attribute raises NoMethodError as in the real library.
# Prints one JSON line per file: {"ok": {attr: {"t": type, "v": value}}} or
# {"error": "...", "lines": [line]}. IO objects print as {"t": "sym", "v": "STDOUT"}.
require 'json'

ATTRS = ARGV.shift.split(',')

module Google
  module Ads
    module GoogleAds
      class Config
        ATTRS.each { |a| attr_accessor a.to_sym }

        def initialize
          yield self if block_given?
        end
      end
    end
  end
end

def enc(v)
  case v
  when nil then { 't' => 'null' }
  when true, false then { 't' => 'bool', 'v' => v }
  when Integer then { 't' => 'int', 'v' => v.to_s }
  when Float then { 't' => 'float', 'v' => v.to_s }
  when String
    v.dup.force_encoding('UTF-8').valid_encoding? ? { 't' => 'str', 'v' => v } : { 't' => 'bytes' }
  when IO
    { 't' => 'sym', 'v' => v.equal?(STDOUT) ? 'STDOUT' : (v.equal?(STDERR) ? 'STDERR' : v.inspect) }
  else { 't' => 'other', 'v' => v.inspect }
  end
end

def fresh_binding
  binding
end

ARGV.each do |path|
  out =
    begin
      text = File.read(path, encoding: 'UTF-8')
      cfg = eval(text, fresh_binding, path)
      unless cfg.is_a?(Google::Ads::GoogleAds::Config)
        raise ArgumentError, "Configuration file did not produce expected type Google::Ads::GoogleAds::Config, got \"#{cfg.class}\" instead"
      end
      { 'ok' => cfg.instance_variables.to_h { |iv| [iv.to_s.delete('@'), enc(cfg.instance_variable_get(iv))] } }
    rescue ScriptError, StandardError => e
      where = ([e.message] + (e.backtrace || [])).map { |l| l[/#{Regexp.escape(path)}:(\d+)/, 1] }.compact
      { 'error' => "#{e.class}: #{e.message.lines.first}", 'lines' => where.first(1).map(&:to_i) }
    end
  puts JSON.generate(out)
end
