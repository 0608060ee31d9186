# Stand-in for google-ads-perl's AuthHandlerInterface (not in shared/oracles): an abstract
# base class whose methods the OAuth2 handlers (oracles) all implement themselves.
package Google::Ads::GoogleAds::Common::AuthHandlerInterface;
use strict;
use warnings;
1;
