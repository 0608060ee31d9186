<?php
// Runs google-ads-php 33.5.0's own loader on each config file named on the command line,
// as the documented entry points do:
//   $oauth = (new OAuth2TokenBuilder())->fromFile($path)->build();
//   (new GoogleAdsClientBuilder())->fromFile($path)->withOAuth2Credential($oauth)->build();
// and prints one JSON line per file: {"file", "ok", "error"} (error = "Class: message").
// Library code: ../../shared/oracles/php (unmodified) and google-auth-php's credential classes;
// Monolog and psr/log from Debian (php-monolog, php-psr-log). standins.php lists the rest.
// Usage: php loader.php ORACLES_DIR FILE...

error_reporting(E_ALL & ~E_DEPRECATED & ~E_WARNING);

$oracles = $argv[1];
require '/usr/share/php/Psr/Log/autoload.php';
require '/usr/share/php/Monolog/autoload.php';
require __DIR__ . '/standins.php';

spl_autoload_register(function ($class) use ($oracles) {
    $map = [
        'Google\\Ads\\GoogleAds\\' => "$oracles/php/src/Google/Ads/GoogleAds/",
        'Google\\Auth\\Credentials\\' => "$oracles/google-auth-php/src/Credentials/",
    ];
    foreach ($map as $prefix => $dir) {
        if (strncmp($class, $prefix, strlen($prefix)) === 0) {
            $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});

use Google\Ads\GoogleAds\Lib\OAuth2TokenBuilder;
use Google\Ads\GoogleAds\Lib\V24\GoogleAdsClientBuilder;

foreach (array_slice($argv, 2) as $path) {
    $result = ['file' => $path, 'ok' => true, 'error' => null];
    try {
        $oauth = (new OAuth2TokenBuilder())->fromFile($path)->build();
        (new GoogleAdsClientBuilder())->fromFile($path)->withOAuth2Credential($oauth)->build();
    } catch (Throwable $e) {
        $result['ok'] = false;
        $result['error'] = get_class($e) . ': ' . $e->getMessage();
    }
    echo json_encode($result, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
}
