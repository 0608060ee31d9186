#!/usr/bin/perl
# Runs google-ads-perl 30.0.0's own loader on each properties file named on the command line
# and prints one JSON line per file: {"file", "ok", "error"}.
#
# Library code (unmodified, shared/oracles/perl): Client->new({properties_file => FILE}) parses
# the file (__parse_properties_file) and initializes both OAuth2 handlers (proxy set on LWP);
# then what the first API call does before it can send anything: _get_auth_handler() asks each
# handler for an access token (the applications handler needs client id, secret and refresh
# token; the service-accounts handler reads and decodes the JSON key and signs a JWT).
# Stubbed: the HTTP round trip (LWP's http/https protocol handlers) answers like a token
# endpoint that grants every request, so only the library's own checks decide; the Log4perl logger
# set-up and the AuthHandlerInterface base class (lib/ beside this file). LWP, JSON::XS,
# JSON::WebToken, Class::Std::Fast, File::HomeDir are the real Debian modules.
#
# Usage: perl loader.pl ORACLES_DIR FILE...
use strict;
use warnings;
use FindBin;
use JSON::PP;

my $oracles;
BEGIN { $oracles = shift @ARGV; }
use lib "$FindBin::Bin/lib";
use lib "$oracles/perl/lib";

use LWP::UserAgent;
use LWP::Protocol;
use HTTP::Response;

# The network: LWP's protocol implementations for http and https (the socket I/O) are
# replaced by a token endpoint that grants every request. LWP itself (proxy handling, scheme
# checks, request building) is the real module.
package StubTokenEndpoint {
  our @ISA = ('LWP::Protocol');
  sub request {
    my ($self, $request) = @_;
    my $r = HTTP::Response->new(200, 'OK', ['Content-Type' => 'application/json'],
      '{"access_token":"stub-token","expires_in":3600,"scope":"https://www.googleapis.com/auth/adwords"}');
    $r->request($request);
    return $r;
  }
}
LWP::Protocol::implementor($_, 'StubTokenEndpoint') for qw(http https);

use Google::Ads::GoogleAds::Client;

my $json = JSON::PP->new->canonical;
for my $path (@ARGV) {
  my %result = (file => $path, ok => JSON::PP::true, error => undef);
  my @warnings;
  local $SIG{__WARN__} = sub { push @warnings, $_[0] };
  my $ok = eval {
    my $client = Google::Ads::GoogleAds::Client->new({properties_file => $path});
    my $handler = $client->_get_auth_handler();
    if (!$handler) {
      my $why = @warnings ? " (" . (split /\n/, $warnings[0])[0] . ")" : "";
      die Google::Ads::GoogleAds::Constants::NO_AUTH_HANDLER_SETUP_MESSAGE() . "$why\n";
    }
    1;
  };
  if (!$ok) {
    my $err = $@ || 'unknown error';
    $err =~ s/\s+\z//;
    $err = (split /\n/, $err)[0];
    %result = (file => $path, ok => JSON::PP::false, error => $err);
  }
  print $json->encode(\%result), "\n";
}
