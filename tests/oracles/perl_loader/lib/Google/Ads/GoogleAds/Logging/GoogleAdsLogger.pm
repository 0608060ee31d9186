# Stand-in for google-ads-perl's logger module (not in shared/oracles; it configures
# Log::Log4perl from ~/log4perl.conf). Client.pm only calls initialize_logging().
package Google::Ads::GoogleAds::Logging::GoogleAdsLogger;
use strict;
use warnings;
sub initialize_logging { return 1; }
1;
