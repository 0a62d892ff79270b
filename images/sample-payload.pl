#!/usr/bin/perl
# mumblescan sample image: an INERT text shaped like the Mumblehard
# backdoor's Perl (as described in public analyses), so the static
# unpacker has something realistic to recover.  It opens no socket,
# runs no command and only prints one line.  The strings below are data.
use strict;
my @cc = ('184.106.208.157', '194.54.81.163', 'advseedpromoan.com',
          'advertise.com', 'behance.net');
my $ua = 'Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/20100101.1.1 Firefox/7.0.1';
my @accept = ('HTTP/1.0 200 OK', 'Connection: close', 'Set-Cookie: PHPSESSID=');
my ($EWB, $EIP) = $^O eq 'MSWin32' ? (10035, 10036)
                : $^O eq 'freebsd' ? (35, 36) : (11, 115);
print "mumblescan inert sample payload\n";
