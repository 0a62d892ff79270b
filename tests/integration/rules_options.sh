#!/bin/bash
# rules_options.sh - --rules adds to the bundled rules, --rules-only
# replaces them, and a broken rule file is a clean exit 2.
. "$(dirname "$0")/lib.sh"

build inf --spec "$SPECS/infected-debian.spec"
img=$SCRATCH/inf
# A rule of our own that matches the benign /tmp/backup.sh of the fixture.
mkdir -p "$SCRATCH/extra"
cat >"$SCRATCH/extra/backup.yar" <<'YAR'
rule Test_Backup_Script { meta: severity = "malicious" strings: $a = "#!/bin/sh" condition: $a at 0 }
YAR

run_scan "$SCRATCH/add.json" -f json --rules "$SCRATCH/extra/backup.yar" "$img"
expect_rc 1 "--rules"
j=$SCRATCH/add.json
jqt "--rules keeps the bundled packer rule" "$j" \
    'any(.findings[]; .path == "/var/tmp/qCVwOWA" and any(.yara[]; .rule == "Mumblehard_Packer_DecryptLoop"))'
jqt "--rules adds the extra rule" "$j" \
    'any(.findings[]; .path == "/tmp/backup.sh" and any(.yara[]; .rule == "Test_Backup_Script") and .verdict == "malicious")'
jqt "provenance lists both rule files" "$j" \
    '(.scan.rules | contains("mumblehard.yar")) and (.scan.rules | contains("backup.yar"))'

run_scan "$SCRATCH/only.json" -f json --rules-only "$SCRATCH/extra" "$img"
expect_rc 1 "--rules-only"
j=$SCRATCH/only.json
jqt "--rules-only drops the bundled rules" "$j" \
    '[(.findings + .examined)[] | .yara[] | select(.rule | startswith("Mumblehard"))] | length == 0'
jqt "--rules-only still applies the given rules" "$j" \
    'any(.findings[]; .path == "/tmp/backup.sh" and any(.yara[]; .rule == "Test_Backup_Script"))'
jqt "without YARA the backdoor is still suspicious from its context" "$j" \
    'any(.findings[]; .path == "/var/tmp/qCVwOWA" and .verdict == "suspicious")'

printf 'rule broken { condition: nosuchthing }\n' >"$SCRATCH/broken.yar"
run_scan "$SCRATCH/broken.out" --rules "$SCRATCH/broken.yar" "$img"
expect_rc 2 "broken rule file"
one_error_line "$SCRATCH/broken.out.err" "broken rule file"
run_scan "$SCRATCH/none.out" --rules-only "$SCRATCH/nonexistent" "$img"
expect_rc 2 "missing rule path"
one_error_line "$SCRATCH/none.out.err" "missing rule path"
finish
