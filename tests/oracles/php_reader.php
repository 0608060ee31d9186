<?php
// The google-ads-php reader: ConfigurationLoader::fromFile() calls
// parse_ini_file($path, true, INI_SCANNER_TYPED). Applied to every file named on the
// command line; prints one JSON line per file:
//   {"ok":true,"ini":{...}}  or  {"ok":false,"error":"<PHP warning>","line":N}
// Strings are base64-encoded ({"s":"..."}) so that any byte survives JSON; other scalars
// keep their PHP type (int, float, bool, null).
function enc($v) {
    if (is_array($v)) {
        $o = [];
        foreach ($v as $k => $x) { $o[base64_encode((string)$k)] = enc($x); }
        return (object)$o;
    }
    if (is_string($v)) { return ['s' => base64_encode($v)]; }
    return $v;
}
foreach (array_slice($argv, 1) as $f) {
    error_clear_last();
    $r = @parse_ini_file($f, true, INI_SCANNER_TYPED);
    if ($r === false) {
        $m = error_get_last()['message'] ?? '';
        $line = preg_match('/ on line (\d+)/', $m, $mm) ? (int)$mm[1] : null;
        echo json_encode(['ok' => false, 'error' => trim($m), 'line' => $line]), "\n";
    } else {
        echo json_encode(['ok' => true, 'ini' => enc($r)], JSON_PRESERVE_ZERO_FRACTION), "\n";
    }
}
