<?php
// Stand-ins for the classes google-ads-php 33.5.0's loader touches that are NOT in
// shared/oracles and need the network, gRPC or protobuf, or are Composer plumbing.
// Each one says what it replaces. Everything that decides whether a configuration loads
// (ConfigurationLoader, Configuration, the builders' from()/validate()/build(), google-auth's
// credential constructors, Monolog's level and stream checks, psr/log's LogLevel) is the real
// code: the unmodified oracle files, or Debian's php-monolog / php-psr-log.

namespace Google\ApiCore {
    // Replaces gax's GrpcSupportTrait. The real validateGrpcSupport() throws when the grpc PECL
    // extension is not loaded: a property of the machine, not of the file. We assume it is.
    trait GrpcSupportTrait
    {
        public static function validateGrpcSupport()
        {
        }
    }
}

namespace Google\Ads\GoogleAds\Util {
    // Replaces Util/Dependencies: the real one reads grpc versions from ./composer.lock and
    // phpversion('grpc') (machine state). null/null = "no version mismatch to report".
    class Dependencies
    {
        public function getGrpcComposerVersion(string $fileName = 'composer.lock'): ?string
        {
            return null;
        }

        public function getGrpcSystemPackageVersion(): ?string
        {
            return null;
        }
    }
}

namespace Google\Ads\GoogleAds\Lib\V24 {
    use Monolog\Handler\StreamHandler;
    use Monolog\Logger;

    // Replaces V24/LoggerFactory (not in the oracles). Same construction as the library's:
    // a real Monolog StreamHandler on the configured stream (php://stderr when unset) at the
    // configured level (DEBUG when unset), so Monolog's own level and stream checks run.
    final class LoggerFactory
    {
        public function createLogger($channel, $stream = null, $level = null)
        {
            $stream = $stream === null ? fopen('php://stderr', 'w') : $stream;
            $level = $level !== null ? $level : Logger::DEBUG;
            return new Logger($channel, [new StreamHandler($stream, $level)]);
        }
    }

    // Replaces the GAPIC client (protobuf + gRPC). build() only constructs it after validate().
    class GoogleAdsClient
    {
        public $builder;

        public function __construct($builder)
        {
            $this->builder = $builder;
        }
    }
}

namespace Google\Auth {
    // google-auth-php plumbing around the two credential constructors that are in the oracles.
    interface FetchAuthTokenInterface
    {
    }
    interface GetQuotaProjectInterface
    {
    }
    interface SignBlobInterface
    {
    }
    interface ProjectIdProviderInterface
    {
    }
    trait ServiceAccountSignerTrait
    {
    }
    abstract class CredentialsLoader implements FetchAuthTokenInterface
    {
        const DEFAULT_UNIVERSE_DOMAIN = 'googleapis.com';
        const TOKEN_CREDENTIAL_URI = 'https://oauth2.googleapis.com/token';
        protected function getCredType(): string
        {
            return '';
        }
    }
    // Replaces the OAuth2 token fetcher (it talks to the token endpoint). Keeps the settings;
    // its setters' own type checks (e.g. scope must be string|array) are not reproduced.
    class OAuth2
    {
        public $config;

        public function __construct(array $config)
        {
            $this->config = $config;
        }
    }
    // Replaces the Application Default Credentials search (GOOGLE_APPLICATION_CREDENTIALS,
    // the gcloud file, then the GCE metadata server over the network): machine state.
    // The builder falls back to it when the file has no refresh token and no key file.
    class ApplicationDefaultCredentials
    {
        public static function getCredentials($scope = null)
        {
            return new AdcMarker();
        }
    }
    class AdcMarker implements FetchAuthTokenInterface
    {
    }
}

namespace Google\Auth\Credentials {
    trait RegionalAccessBoundaryTrait
    {
    }
}
