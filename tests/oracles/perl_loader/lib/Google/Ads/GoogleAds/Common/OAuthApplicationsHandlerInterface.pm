# Stand-in for google-ads-perl's OAuthApplicationsHandlerInterface (not in shared/oracles):
# an abstract base class; OAuth2ApplicationsHandler (oracles) implements its methods.
package Google::Ads::GoogleAds::Common::OAuthApplicationsHandlerInterface;
use strict;
use warnings;
1;
