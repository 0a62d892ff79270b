/*
 * mumblehard_network.yar - ESET's published Mumblehard network indicators
 * as mumblescan rules (shared research notes mumblehard-facts.md 4, 5, 9;
 * ESET's IOC list in ../shared/seeds).  Written by the mumblescan
 * developers; the values are facts, the rules and grades are ours.
 *
 * Grading (docs/rules.md):
 *  - the User-Agent with a dotted three-number Gecko token is Mumblehard's
 *    own construction (no real Firefox 7 sends it): malicious;
 *  - the C&C addresses 194.54.81.162-164 alone are suspicious (an IOC
 *    list, an IDS configuration or a log can hold them too), malicious
 *    together with one of the User-Agents;
 *  - "... Gecko/20100101 Firefox/7.0.1" is what much legitimate scraping
 *    code sends: info only, never a finding by itself.
 */

rule Mumblehard_Net_UserAgent_GeckoVersion
{
    meta:
        author = "mumblescan developers"
        description = "Mumblehard C&C User-Agent: Firefox 7.0.1 on Windows 7 with a Gecko/N.N.N token (ESET IOC)"
        reference = "docs/rules.md; mumblehard-facts.md 4 and 9"
        version = "1"
        severity = "malicious"
        scope = "file"

    strings:
        $ua = /Mozilla\/5\.0 \(Windows NT 6\.1; rv:7\.0\.1\) Gecko\/[0-9]+\.[0-9]+\.[0-9]+ Firefox\/7\.0\.1/

    condition:
        $ua
}

rule Mumblehard_Net_CC_With_UA
{
    meta:
        author = "mumblescan developers"
        description = "ESET's Mumblehard C&C address together with the Firefox 7.0.1 User-Agent"
        reference = "docs/rules.md; mumblehard-facts.md 4, 5 and 9"
        version = "1"
        severity = "malicious"
        scope = "file"

    strings:
        $ip = /\b194\.54\.81\.16[234]\b/
        $ua = "Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/"

    condition:
        $ip and $ua
}

rule Mumblehard_Net_CC_Address
{
    meta:
        author = "mumblescan developers"
        description = "ESET's Mumblehard C&C / spam relay address 194.54.81.162, .163 or .164"
        reference = "docs/rules.md; mumblehard-facts.md 5 and 9"
        version = "1"
        severity = "suspicious"
        scope = "file"

    strings:
        $ip = /\b194\.54\.81\.16[234]\b/

    condition:
        $ip and not Mumblehard_Net_CC_With_UA
}

rule Mumblehard_Net_UserAgent_Common
{
    meta:
        author = "mumblescan developers"
        description = "Firefox 7.0.1 User-Agent with Gecko/20100101 (ESET IOC, but common in legitimate code: informational)"
        reference = "docs/rules.md; mumblehard-facts.md 4"
        version = "1"
        severity = "info"
        scope = "file"

    strings:
        $ua = "Mozilla/5.0 (Windows NT 6.1; rv:7.0.1) Gecko/20100101 Firefox/7.0.1"

    condition:
        $ua
}
