/*
 * mumblehard_perl.yar - mumblescan's own rules for the Perl programs the
 * Mumblehard packer hides: the backdoor and the spamming daemon.
 *
 * Written by the mumblescan developers from the documented behaviour
 * (shared research notes mumblehard-facts.md sections 4 and 5; see
 * docs/rules.md).  The scanner applies them to every scanned file and to
 * every script the static unpacker recovers (reason UNPACKED_SCRIPT_YARA).
 */

rule Mumblehard_Perl_Backdoor
{
    meta:
        author = "mumblescan developers"
        description = "Mumblehard Perl backdoor: commands in a Set-Cookie PHPSESSID header, accepted only with HTTP/1.0 200 OK and Connection: close, $^O errno table"
        reference = "docs/rules.md; mumblehard-facts.md 4"
        version = "1"
        severity = "malicious"
        scope = "file"

    strings:
        $cookie   = "Set-Cookie" nocase
        $sessid   = "PHPSESSID"
        $ok       = /HTTP\\?\/1\\?\.0 200 OK/   // also regex-escaped
        $close    = "Connection: close"
        $os       = "$^O"
        $win_errno = "10035"
        $bsd_os   = "freebsd"
        $ua       = "rv:7.0.1) Gecko/"

    condition:
        filesize < 4MB and $sessid and $cookie and $ok and $close and
        2 of ($os, $win_errno, $bsd_os, $ua)
}

rule Mumblehard_Perl_Backdoor_Partial
{
    meta:
        author = "mumblescan developers"
        description = "Part of the Mumblehard backdoor's feature set (PHPSESSID cookie command channel with the HTTP/1.0 200 OK check, or the Firefox 7.0.1 UA with the $^O errno table) in a Perl text"
        reference = "docs/rules.md; mumblehard-facts.md 4"
        version = "1"
        severity = "suspicious"
        scope = "file"

    strings:
        $perl1    = "use strict"
        $perl2    = "use Socket"
        $perl3    = "use IO::"
        $perl4    = "my $"
        $sessid   = "PHPSESSID"
        $ok       = /HTTP\\?\/1\\?\.0 200 OK/   // also regex-escaped
        $os       = "$^O"
        $win_errno = "10035"
        $ua       = "rv:7.0.1) Gecko/"

    condition:
        filesize < 4MB and any of ($perl*) and
        (($sessid and $ok) or ($ua and $os and $win_errno)) and
        not Mumblehard_Perl_Backdoor
}

rule Mumblehard_Perl_SpamDaemon
{
    meta:
        author = "mumblescan developers"
        description = "Mumblehard Perl spamming daemon: SMTP dialogue and process name replaced with httpd, mail or init"
        reference = "docs/rules.md; mumblehard-facts.md 5"
        version = "1"
        severity = "malicious"
        scope = "file"

    strings:
        $mail_from = "MAIL FROM:" nocase
        $rcpt_to   = "RCPT TO:" nocase
        $data      = "DATA" fullword
        $helo      = /[EH][HE]LO /
        $rename    = /\$0\s*=\s*["'](httpd|mail|init)["']/

    condition:
        filesize < 4MB and $rename and $mail_from and $rcpt_to and
        $data and $helo
}

rule Mumblehard_Perl_ProcessMasquerade
{
    meta:
        author = "mumblescan developers"
        description = "Perl text that renames its process to httpd, mail or init, as Mumblehard's spamming daemon does"
        reference = "docs/rules.md; mumblehard-facts.md 5"
        version = "1"
        severity = "suspicious"
        scope = "file"

    strings:
        $rename = /\$0\s*=\s*["'](httpd|mail|init)["']/
        $perl1  = "use strict"
        $perl2  = "use Socket"
        $perl3  = "use IO::"
        $perl4  = "#!/usr/bin/perl"

    condition:
        filesize < 4MB and $rename and any of ($perl*) and
        not Mumblehard_Perl_SpamDaemon
}
