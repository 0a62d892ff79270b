#!/bin/sh
# reason_literals.sh - reason codes are raised through the table only.
#
# Every code of src/common/ms_reasons.h is named in the code as
# MS_R_<CODE> (or MS_R(CODE)); a string literal "CODE" anywhere else in
# src/ would bypass the table (and the documentation test that guards
# it), so it fails this check.
set -u
top=${SRCDIR:-.}
table=$top/src/common/ms_reasons.h
codes=$(sed -n 's/^ *X(\([A-Z0-9_]*\),.*/\1/p' "$table")
n=$(printf '%s\n' "$codes" | grep -c .)
if [ "$n" -lt 20 ]; then
    echo "reason_literals: FAIL: read only $n codes from $table"
    exit 1
fi
bad=0
for c in $codes; do
    hits=$(grep -rn --include='*.c' --include='*.h' "\"$c\"" "$top/src" |
           grep -v '^[^:]*src/common/ms_reasons\.[ch]:')
    if [ -n "$hits" ]; then
        echo "reason_literals: FAIL: $c written as a literal:"
        printf '%s\n' "$hits"
        bad=1
    fi
done
[ $bad -eq 0 ] && echo "reason_literals: $n codes, none written as a literal"
exit $bad
