#!/bin/sh
# test_webshell.sh - rules/webshell.yar on inert look-alikes built here and
# on a benign PHP corpus (Debian's wordpress package, when installed).
#
# Every look-alike starts with "exit;": PHP stops before the pattern the
# rule looks for, so none of them does anything if ever run.  They are
# written for this test from the traits docs/detection.md names, not
# copied from any shell.
#
# Environment: YARA (default yara), RULES (default <repo>/rules/webshell.yar),
# CORPUS (default /usr/share/wordpress; its hit count must be 0).
# Exit: 0 pass, 1 fail, 77 skip.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
YARA=${YARA:-yara}
RULES=${RULES:-$repo/rules/webshell.yar}
CORPUS=${CORPUS:-/usr/share/wordpress}

command -v "$YARA" >/dev/null 2>&1 || { echo "SKIP: no $YARA"; exit 77; }
work=$(mktemp -d /tmp/ms_webshell_test.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
fails=0
pass() { echo "ok: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }

head='<?php exit; /* mumblescan test fixture: inert */'
# pos NAME RULE BODY : BODY must match RULE
pos() {
    printf '%s\n%s\n' "$head" "$3" > "$work/$1.php"
    out=$("$YARA" -w "$RULES" "$work/$1.php" 2>&1)
    case "$out" in
    *"$2 "*) pass "$1 matches $2" ;;
    *) fail "$1 should match $2, got: $out" ;;
    esac
}
# neg NAME BODY : no rule may match
neg() {
    printf '%s\n%s\n' "$head" "$2" > "$work/$1.php"
    out=$("$YARA" -w "$RULES" "$work/$1.php" 2>&1)
    if [ -z "$out" ]; then pass "$1 not matched"
    else fail "$1 should not match: $out"; fi
}

pos eval_post WebShell_PHP_Eval_Request 'eval($_POST["k"]);'
pos assert_req WebShell_PHP_Eval_Request '@assert(stripslashes($_REQUEST["k"]));'
pos eval_b64_cookie WebShell_PHP_Eval_Request 'eval( base64_decode( $_COOKIE["k"] ) );'
pos eval_header WebShell_PHP_Eval_Request 'eval($_SERVER["HTTP_X_K"]);'
pos preg_e WebShell_PHP_Eval_Request 'preg_replace("/.*/e", $_POST["k"], "x");'
pos req_call WebShell_PHP_Request_Call '$_POST["f"]($_POST["a"]);'
pos system_get WebShell_PHP_Request_To_Exec 'system($_GET["c"]);'
pos passthru_req WebShell_PHP_Request_To_Exec 'passthru( stripslashes($_REQUEST["c"]) );'
pos shell_exec_cookie WebShell_PHP_Request_To_Exec 'echo shell_exec($_COOKIE["c"]);'
pos popen_post WebShell_PHP_Request_To_Exec '$h = popen($_POST["c"], "r");'
pos proc_open_post WebShell_PHP_Request_To_Exec 'proc_open($_POST["c"], $d, $p);'
pos backtick WebShell_PHP_Request_To_Exec '$o = `$_GET["c"]`;'
pos chain WebShell_PHP_Decode_Chain 'eval(gzinflate(base64_decode("AAAA")));'
pos chain_rot WebShell_PHP_Decode_Chain 'eval(str_rot13(strrev("AAAA")));'
pos filemanager WebShell_PHP_File_Manager '
$d = $_GET["dir"]; echo php_uname(); echo disk_free_space($d);
if (isset($_FILES["u"])) move_uploaded_file($_FILES["u"]["tmp_name"], $d);
if ($_POST["action"] == "rm") unlink($d); rmdir($d); chmod($d, 0777);
rename($d, $d . ".bak"); foreach (scandir($d) as $f) echo fileperms($f);
echo system($c);'

# benign PHP that must not be flagged: the same functions used safely
neg benign_exec 'exec("ls /tmp", $out); system("uptime");'
neg benign_eval 'eval("return 1+1;"); $x = base64_decode($_POST["data"]);'
neg benign_curl '$r = curl_exec($ch); $v = $_POST["x"];'
neg benign_doc '/** Reads `$_POST["x"]` and passes it to exec() later */ $a = 1;'
neg benign_upload 'move_uploaded_file($_FILES["f"]["tmp_name"], "/srv/up/x"); unlink($old);'
neg benign_preg 'preg_replace("/a/i", $_POST["k"], "x");'
neg benign_single_decode 'eval(base64_decode("cmV0dXJuIDE7"));'

# a false-positive count on a real benign corpus
if [ -d "$CORPUS" ]; then
    n=$(find -L "$CORPUS" -type f | wc -l)
    hits=$("$YARA" -r -w "$RULES" "$CORPUS" 2>/dev/null | wc -l)
    echo "corpus $CORPUS: $n files, $hits hits"
    [ "$hits" -eq 0 ] && pass "no hits in $CORPUS" ||
        fail "$hits hits in $CORPUS: $("$YARA" -r -w "$RULES" "$CORPUS")"
else
    echo "note: $CORPUS not installed, false-positive count skipped"
fi
[ "$fails" -eq 0 ] || exit 1
