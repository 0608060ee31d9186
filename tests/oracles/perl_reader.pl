#!/usr/bin/perl
# The google-ads-perl properties reader (lib/Google/Ads/GoogleAds/Client.pm,
# __parse_properties_file), verbatim in its logic, applied to every file named on the
# command line. Prints one JSON object per file: {"key": value-or-null, ...}.
use strict;
use warnings;

sub parse_properties_file {
  my ($properties_file) = @_;
  my %properties;
  open(PROP_FILE, $properties_file) or die("Couldn't open properties file $properties_file for reading: $!\n");
  while (my $line = <PROP_FILE>) {
    chomp($line);
    # Skip comments.
    next if ($line =~ /^#/ || $line =~ /^\s*$/);
    my ($key, $value) = split(/=/, $line, 2);
    $properties{$key} = $value;
  }
  close(PROP_FILE);
  return %properties;
}

sub json_str {
  my ($s) = @_;
  return "null" unless defined $s;
  $s =~ s/\\/\\\\/g;
  $s =~ s/"/\\"/g;
  $s =~ s/([\x00-\x1f])/sprintf("\\u%04x", ord($1))/ge;
  return "\"$s\"";
}

for my $f (@ARGV) {
  my %p = parse_properties_file($f);
  print "{", join(",", map { json_str($_) . ":" . json_str($p{$_}) } sort keys %p), "}\n";
}
