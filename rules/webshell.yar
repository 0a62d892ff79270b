/*
 * webshell.yar - mumblescan's own rules for the PHP web shells through
 * which Mumblehard's operators reached servers (the entry vector).
 *
 * Written by the mumblescan developers from the common traits of web
 * shells, not from any one shell: code run from request data, decoding
 * chains that hide what runs, request data handed to the system's
 * command interpreter, and file-manager shells.  Every rule carries the
 * tag "webshell": the web-root scan (src/detection/webshell.c) records a
 * web-root script only when such a rule matches it.
 *
 * Tests: tests/rules/test_webshell.sh builds inert look-alikes and
 * counts hits on a benign corpus (docs/detection.md, "Web shells").
 */

rule WebShell_PHP_Eval_Request : webshell
{
    meta:
        author = "mumblescan developers"
        description = "PHP code run from request data: eval/assert/create_function on $_POST/$_GET/$_REQUEST/$_COOKIE (optionally through a decoder), or preg_replace with the /e modifier on request data"
        reference = "docs/detection.md (Web shells)"
        version = "1"
        severity = "malicious"
        scope = "file"

    strings:
        $php = "<?" ascii
        // eval($_POST['x']), @assert(stripslashes($_REQUEST[..]))
        $eval_req = /\b(eval|assert|create_function)\s*\(\s*@?\s*((stripslashes|base64_decode|str_rot13|gzinflate|gzuncompress|urldecode|rawurldecode|trim|hex2bin)\s*\(\s*){0,3}\$_(POST|GET|REQUEST|COOKIE|SERVER\s*\[\s*['"]HTTP_)/ nocase
        // preg_replace("/.*/e", $_POST['x'], ...)
        $preg_e = /preg_replace\s*\(\s*['"][\/#~|!@%].{0,80}[\/#~|!@%][imsxuADSUXJ]*e[imsxuADSUXJ]*['"]\s*,[^;]{0,120}\$_(POST|GET|REQUEST|COOKIE)/ nocase

    condition:
        filesize < 4MB and $php and any of ($eval_req, $preg_e)
}

rule WebShell_PHP_Request_Call : webshell
{
    meta:
        author = "mumblescan developers"
        description = "PHP calling a function whose name comes from request data on arguments from request data ($_POST['a']($_POST['b'])), the one-line shell idiom"
        reference = "docs/detection.md (Web shells)"
        version = "1"
        severity = "malicious"
        scope = "file"

    strings:
        $php = "<?" ascii
        $call = /\$_(POST|GET|REQUEST|COOKIE)\s*\[\s*['"]?[A-Za-z0-9_]{1,32}['"]?\s*\]\s*\(\s*@?\s*\$_(POST|GET|REQUEST|COOKIE)/ nocase

    condition:
        filesize < 4MB and $php and $call
}

rule WebShell_PHP_Request_To_Exec : webshell
{
    meta:
        author = "mumblescan developers"
        description = "request data handed to the system's command interpreter: system/passthru/shell_exec/exec/popen/proc_open/pcntl_exec or backticks on $_POST/$_GET/$_REQUEST/$_COOKIE"
        reference = "docs/detection.md (Web shells)"
        version = "1"
        severity = "malicious"
        scope = "file"

    strings:
        $php = "<?" ascii
        $exec = /\b(system|passthru|shell_exec|exec|popen|proc_open|pcntl_exec)\s*\(\s*@?\s*((stripslashes|base64_decode|str_rot13|urldecode|rawurldecode|trim|escapeshellcmd)\s*\(\s*){0,2}\$_(POST|GET|REQUEST|COOKIE)/ nocase
        // `$_GET['c']` as an expression; not `$_POST['x']` quoted in a comment
        $tick = /(=|\becho|\bprint|\breturn)\s*`\s*\$_(POST|GET|REQUEST|COOKIE)\s*\[[^`\n]{1,60}\]\s*`/ nocase

    condition:
        filesize < 4MB and $php and any of ($exec, $tick)
}

rule WebShell_PHP_Decode_Chain : webshell
{
    meta:
        author = "mumblescan developers"
        description = "PHP evaluating a chain of two or more decoders (base64_decode, gzinflate, gzuncompress, str_rot13, strrev, convert_uudecode): code hidden from the reader"
        reference = "docs/detection.md (Web shells)"
        version = "1"
        severity = "suspicious"
        scope = "file"

    strings:
        $php = "<?" ascii
        $chain = /\b(eval|assert)\s*\(\s*@?\s*(gzinflate|gzuncompress|gzdecode|str_rot13|base64_decode|strrev|convert_uudecode)\s*\(\s*@?\s*(gzinflate|gzuncompress|gzdecode|str_rot13|base64_decode|strrev|convert_uudecode)\s*\(/ nocase

    condition:
        filesize < 4MB and $php and $chain
}

rule WebShell_PHP_File_Manager : webshell
{
    meta:
        author = "mumblescan developers"
        description = "traits of a file-manager shell in one PHP file: uploads, host fingerprinting (php_uname, posix_getpwuid, disk_free_space), deleting/renaming/chmod of arbitrary paths and running commands, driven by request parameters"
        reference = "docs/detection.md (Web shells)"
        version = "1"
        severity = "suspicious"
        scope = "file"

    strings:
        $php = "<?" ascii
        $up1 = "move_uploaded_file" nocase
        $up2 = "$_FILES" nocase
        $id1 = "php_uname" nocase
        $id2 = "posix_getpwuid" nocase
        $id3 = "disk_free_space" nocase
        $id4 = "get_current_user" nocase
        $fs1 = /\bunlink\s*\(/ nocase
        $fs2 = /\brmdir\s*\(/ nocase
        $fs3 = /\bchmod\s*\(/ nocase
        $fs4 = /\brename\s*\(/ nocase
        $fs5 = /\bfileperms\s*\(/ nocase
        $fs6 = /\b(scandir|opendir)\s*\(/ nocase
        $cmd = /\b(system|passthru|shell_exec|popen|proc_open)\s*\(/ nocase
        $req = /\$_(POST|GET|REQUEST)\s*\[\s*['"](cmd|command|exec|dir|path|file|action|act|do)['"]\s*\]/ nocase

    condition:
        filesize < 4MB and $php and all of ($up*) and 2 of ($id*) and
        4 of ($fs*) and $cmd and $req
}
