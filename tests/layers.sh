#!/bin/bash
# layers.sh - the include graph follows the layers (docs/architecture.md):
#   common -> evidence -> artifacts -> detection -> report -> scan -> fleet -> cli
# A file may include its own layer's headers and those of layers to its
# left; only src/evidence/ may include libtsk or libyal headers.  Fails
# with every offending line.
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
layers=(common evidence artifacts detection report scan fleet cli)
rank() { local i; for i in "${!layers[@]}"; do [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }
bad=0 n=0
while IFS= read -r f; do
    rel=${f#"$SRCDIR"/src/}
    from=${rel%%/*}
    rf=$(rank "$from")
    [ "$rf" -ge 0 ] || { echo "layers: $rel: not in a known layer"; bad=$((bad + 1)); continue; }
    while IFS=: read -r ln inc; do
        n=$((n + 1))
        target=$(sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]+)[>"].*/\1/' <<<"$inc")
        case "$target" in
        tsk/*|libewf*|libqcow*|libfsxfs*|libbfio*|libvslvm*|libcerror*|libcdata*|libvmdk*|libvhdi*)
            [ "$from" = evidence ] ||
                { echo "layers: src/$rel:$ln: $from includes $target (only evidence may)"; bad=$((bad + 1)); } ;;
        */*)
            to=${target%%/*}; rt=$(rank "$to")
            [ "$rt" -ge 0 ] || continue          # a system header with a folder
            [ "$rt" -le "$rf" ] ||
                { echo "layers: src/$rel:$ln: $from includes $target (points up to $to)"; bad=$((bad + 1)); } ;;
        esac
    done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include' "$f")
done < <(find "$SRCDIR/src" -name '*.[ch]' | sort)
if [ "$bad" -gt 0 ]; then echo "layers: $bad include(s) break the layering"; exit 1; fi
echo "layers: $n includes checked, all point down"
